"""Import builders: exact /import payloads, record reading, value formatting, chunking, the procedure table
and the script that writes it."""

from __future__ import annotations

import datetime as dt
import importlib.util
import itertools
import json
import subprocess
import sys
import uuid
from collections.abc import Iterator
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from dimescheduler_openapi import InvalidRequestError
from dimescheduler_openapi._imports import (
    FieldSpec,
    ImportRequest,
    ProcedureSpec,
    ValueFormatError,
    build_import,
    chunked,
    format_value,
    import_call,
    import_request,
    procedures,
)
from dimescheduler_openapi._imports._procedures import PROCEDURES, REST_ONLY_FIELDS
from dimescheduler_openapi.models import FilterValue, Job, JobDelete, Task
from dimescheduler_openapi.models import ImportRequestBody as RawImportRequest
from dimescheduler_raw.models import Appointment, ExchangeAppointment, Importance, TaskType

ROOT = Path(__file__).resolve().parents[2]
BUILD_SCRIPT = ROOT / "scripts" / "build_import_table.py"
CEST = dt.timezone(dt.timedelta(hours=2))

JOB = {
    "sourceApp": "BC",
    "sourceType": "SO",
    "jobNo": "J-1001",
    "shortDescription": "Boiler service",
    "importance": 1,
    "creationDateTime": dt.datetime(2024, 3, 31, 1, 30, tzinfo=CEST),
    "freeDecimal1": 1234.5,
    "freeDecimal2": 1e-7,
    "freeBit1": True,
    "freeBit2": False,
    "startDate": dt.date(2024, 4, 2),
    "customerAddressGeoLat": Decimal("50.8503400"),
    "description": None,
}


def one_line(exc: pytest.ExceptionInfo[BaseException]) -> str:
    message = str(exc.value)
    assert "\n" not in message
    return message


# --- exact payloads ------------------------------------------------------------------------------------


# What the .NET SDK sends for a Job property left unset (src/Models/Job/Job.cs: non-nullable value types and
# initialisers); JOB sets Importance, FreeDecimal1-2 and FreeBit1-2 itself.
JOB_DEFAULTS = {
    "FreeDecimal3": "0",
    "FreeDecimal4": "0",
    "FreeDecimal5": "0",
    "FreeBit3": "False",
    "FreeBit4": "False",
    "FreeBit5": "False",
    "EnableManualSelection": "False",
    "AvailableInGantt": "False",
    "AllowDependencies": "True",
    "OverRuleGanttPlanning": "False",
    "ReadOnly": "False",
}


def test_job_append_payload_in_table_order_with_every_kind_written() -> None:
    wire = import_request("Job", JOB).to_dict()
    sent = dict(zip(wire["ParameterNames"], wire["ParameterValues"], strict=True))
    assert {k: v for k, v in sent.items() if k in JOB_DEFAULTS} == JOB_DEFAULTS
    given = [(n, v) for n, v in zip(wire["ParameterNames"], wire["ParameterValues"], strict=True)]
    request = [(n, v) for n, v in given if n not in JOB_DEFAULTS]
    assert wire["StoredProcedureName"] == "mboc_upsertJob"
    assert {
        "StoredProcedureName": "mboc_upsertJob",
        "ParameterNames": [n for n, _ in request],
        "ParameterValues": [v for _, v in request],
    } == {
        "StoredProcedureName": "mboc_upsertJob",
        "ParameterNames": [
            "SourceApp",
            "SourceType",
            "JobNo",
            "ShortDescription",
            "CustomerAddressGeoLat",
            "Importance",
            "CreationDateTime",
            "FreeDecimal1",
            "FreeDecimal2",
            "FreeBit1",
            "FreeBit2",
            "StartDate",
        ],
        "ParameterValues": [
            "BC",
            "SO",
            "J-1001",
            "Boiler service",
            "50.85034",
            "1",
            "2024-03-30 23:30:00Z",
            "1234.5",
            "0.0000001",
            "True",
            "False",
            "2024-04-02 00:00:00Z",
        ],
    }


def test_job_delete_sends_only_delete_parameters() -> None:
    record = {**JOB, "checkAppointments": False, "sentFromBackOffice": True}
    request = procedures.job.delete(record)
    assert request.to_dict() == {
        "StoredProcedureName": "mboc_deleteJob",
        "ParameterNames": ["SourceApp", "SourceType", "JobNo", "CheckAppointments", "SentFromBackOffice"],
        "ParameterValues": ["BC", "SO", "J-1001", "False", "True"],
    }
    assert import_request("job", record, delete=True) == request


def test_append_ignores_delete_only_fields() -> None:
    request = procedures.job.append({**JOB, "checkAppointments": False})
    assert "CheckAppointments" not in request.parameter_names


def test_filter_value_and_resource_filter_value_clear() -> None:
    assert procedures.filter_value.append({"group": "Driver's license", "value": "Class B"}).to_dict() == {
        "StoredProcedureName": "mboc_upsertFilterValue",
        "ParameterNames": ["FilterGroupName", "FilterValue"],
        "ParameterValues": ["Driver's license", "Class B"],
    }
    cleared = procedures.resource_filter_value.clear(
        {"sourceApp": "BC", "resourceNo": "R1", "filterGroup": "Skill", "filterValue": "Gas"}
    )
    assert cleared.to_dict() == {
        "StoredProcedureName": "mboc_ClearResourceFilterValue",
        "ParameterNames": ["SourceApp", "SourceType", "ResourceNo"],
        "ParameterValues": ["BC", None, "R1"],
    }


def test_resource_payload_with_lower_case_parameter_names_and_numbers() -> None:
    record = {
        "resourceNo": "R-7",
        "resourceName": "Ann",
        "resourceTypeId": 3,
        "bulkCapacity": -0.25,
        "teamSort": "12",
        "doNotShow": "false",
        "url1": "https://example.test/r7",
        "urlDescription1": "Profile",
        "inServiceFrom": "2024-01-01T08:00:00-05:00",
    }
    wire = procedures.resource.append(record).to_dict()
    defaults = {"ReplacementResource", "TeamMemberSort", "ExchangeIntegrationEnabled", "BulkPlanning"}
    defaults |= {"ResourceGpsTrackingEnabled", *(f"FreeDecimal{i}" for i in range(1, 6))}
    defaults |= {f"FreeBit{i}" for i in range(1, 6)}
    sent = dict(zip(wire["ParameterNames"], wire["ParameterValues"], strict=True))
    assert {n: sent[n] for n in defaults} == {
        n: "0" if "Decimal" in n or "Sort" in n else "False" for n in defaults
    }
    kept = [i for i, n in enumerate(wire["ParameterNames"]) if n not in defaults]
    wire["ParameterNames"] = [wire["ParameterNames"][i] for i in kept]
    wire["ParameterValues"] = [wire["ParameterValues"][i] for i in kept]
    assert wire == {
        "StoredProcedureName": "mboc_upsertResource",
        "ParameterNames": [
            "ResourceNo",
            "ResourceTypeId",
            "ResourceName",
            "TeamSort",
            "DoNotShow",
            "InServiceFrom",
            "url1",
            "urldesc1",
            "BulkCapacity",
        ],
        "ParameterValues": [
            "R-7",
            "3",
            "Ann",
            "12",
            "False",
            "2024-01-01 13:00:00Z",
            "https://example.test/r7",
            "Profile",
            "-0.25",
        ],
    }
    # mboc_deleteResource takes the key only, although the .NET SDK marks it append-only.
    assert procedures.resource.delete(record).to_dict()["ParameterNames"] == ["ResourceNo"]


def test_list_fields_are_joined_with_semicolons() -> None:
    request = procedures.exchange_appointment.append(
        {"appointmentId": 5, "categories": ["Red", "Blue category"], "showAs": 2}
    )
    assert request.to_dict()["ParameterNames"] == [
        "AppointmentId",
        "Importance",
        "ShowAs",
        "Sensitivity",
        "Categories",
        "CreatedByExchange",
    ]
    assert request.to_dict()["ParameterValues"] == ["5", "0", "2", "0", "Red;Blue category", "False"]


def test_task_timespans_are_sent_as_ticks() -> None:
    base = {"sourceApp": "BC", "sourceType": "SO", "jobNo": "J", "taskNo": "T", "shortDescription": "t"}
    request = procedures.task.append(
        {**base, "duration": "1.02:30:00.5", "requestedStartTime": dt.timedelta(hours=8), "taskType": 1}
    )
    values = dict(zip(request.parameter_names, request.parameter_values, strict=True))
    assert values["Duration"] == str((26 * 3600 + 30 * 60) * 10_000_000 + 5_000_000)
    assert values["RequestedStartTime"] == str(8 * 3600 * 10_000_000)
    assert values["TaskType"] == "1"


def test_none_leaves_out_both_name_and_value() -> None:
    # FreeBit1 / FreeDecimal1 have .NET defaults ("False" / "0"): an explicit None suppresses them too.
    request = procedures.job.append({**JOB, "freeBit1": None, "freeDecimal1": None})
    assert "FreeBit1" not in request.parameter_names and "FreeDecimal1" not in request.parameter_names
    assert len(request.parameter_names) == len(request.parameter_values) == 10 + len(JOB_DEFAULTS)
    assert (
        "FreeBit1" in procedures.job.append({k: v for k, v in JOB.items() if k != "freeBit1"}).parameter_names
    )


# --- record input ----------------------------------------------------------------------------------------


def test_typed_model_input_equals_dict_input() -> None:
    model = Job(
        source_app="BC",
        source_type="SO",
        job_no="J-1001",
        short_description="Boiler service",
        importance=Importance.HIGH,
        creation_date_time=dt.datetime(2024, 3, 31, 1, 30, tzinfo=CEST),
        free_decimal_1=1234.5,
        free_decimal_2=1e-7,
        free_bit_1=True,
        free_bit_2=False,
        start_date=dt.datetime(2024, 4, 2),
        customer_address_geo_lat=50.85034,
        allow_dependencies=False,
    )
    as_dict = {k: v for k, v in JOB.items() if v is not None} | {"allowDependencies": False}
    assert import_request(Job, model) == import_request("Job", as_dict)
    assert import_request("job", model).parameter_values[6] == "2024-03-30 23:30:00Z"


def test_delete_model_class_selects_the_delete_procedure() -> None:
    model = JobDelete(source_app="BC", source_type="SO", job_no="J-1001", check_appointments=False)
    request = import_request(JobDelete, model)
    assert request.stored_procedure_name == "mboc_deleteJob"
    assert request == procedures.job.delete(
        {
            "sourceApp": "BC",
            "sourceType": "SO",
            "jobNo": "J-1001",
            "checkAppointments": False,
            "sentFromBackOffice": True,
        }
    )


def test_task_model_rest_only_field_and_timespan_text_match_dict_with_timedelta() -> None:
    model = Task(
        source_app="BC",
        source_type="SO",
        job_no="J",
        task_no="T",
        short_description="t",
        task_type=TaskType(1),
        duration="01:30:00",
        create_job=True,  # REST only: skipped by the import
    )
    from_model = import_request(Task, model)
    from_dict = import_request(
        "task",
        {k: v for k, v in model.to_dict().items() if k not in ("createJob", "duration")}
        | {"duration": dt.timedelta(minutes=90)},
    )
    assert from_model == from_dict
    assert dict(zip(from_model.parameter_names, from_model.parameter_values, strict=True))["Duration"] == str(
        90 * 60 * 10_000_000
    )


def test_other_models_build() -> None:
    assert import_request(FilterValue, FilterValue(group="G", value="V")).parameter_values == ("G", "V")
    exchange = ExchangeAppointment(appointment_id=1, categories=["a", "b"])
    assert import_request(ExchangeAppointment, exchange).parameter_values == (
        "1",
        "0",
        "0",
        "0",
        "a;b",
        "False",
    )


def test_parameter_names_and_any_case_are_accepted_as_keys() -> None:
    by_json = procedures.action_uri.append({"uriType": 1, "uri": "https://x.test", "requestType": 2})
    by_parameter = procedures.action_uri.append({"UrlType": 1, "Url": "https://x.test", "RequestType": 2})
    by_pascal_json = procedures.action_uri.append({"UriType": 1, "URI": "https://x.test", "requesttype": 2})
    assert by_json == by_parameter == by_pascal_json
    assert by_json.parameter_names == ("UrlType", "Url", "DefaultUrl", "RequestType")


def test_entity_spellings() -> None:
    record = {
        "sourceApp": "A",
        "sourceType": "B",
        "jobNo": "J",
        "taskNo": "T",
        "filterGroup": "G",
        "filterValue": "V",
    }
    requests = [
        import_request(spelling, record, delete=True)
        for spelling in ("TaskFilterValue", "task_filter_value", "taskfiltervalue", "task-filter-value")
    ]
    assert [r.stored_procedure_name for r in requests] == ["mboc_deleteTaskFilterValue"] * 4
    assert requests[0].parameter_values == ("A", "B", "J", "T", "G", "V")
    assert procedures["task_filter_value"] is procedures.task_filter_value is procedures["TaskFilterValue"]


def test_build_import_by_procedure_name_including_alternates() -> None:
    record = {"name": "BC", "sourceApp": "BC", "uri": "https://bc.test"}
    primary = procedures.connector.append(record)
    alternate = build_import("mboc_upsertConnector", record)
    assert primary.stored_procedure_name == "mboc_addConnector"
    assert alternate.stored_procedure_name == "mboc_upsertConnector"
    assert alternate.parameter_names == primary.parameter_names
    assert build_import("MBOC_UPSERTJOB", JOB) == procedures.job.append(JOB)


# --- errors ------------------------------------------------------------------------------------------------


def test_unknown_field_names_field_and_procedure() -> None:
    with pytest.raises(InvalidRequestError) as exc:
        procedures.job.append({**JOB, "jobNumbr": "x"})
    message = one_line(exc)
    assert "'jobNumbr'" in message and "mboc_upsertJob" in message


def test_missing_required_names_every_missing_field() -> None:
    with pytest.raises(InvalidRequestError) as exc:
        procedures.job.append({"sourceApp": "BC", "jobNo": "J"})
    message = one_line(exc)
    assert message.startswith("mboc_upsertJob: missing required field")
    assert "'sourceType' (SourceType)" in message and "'shortDescription' (ShortDescription)" in message
    with pytest.raises(
        InvalidRequestError, match="mboc_deleteAppointment: missing required field 'appointmentId'"
    ):
        procedures.appointment.delete({"sourceApp": "BC", "resourceNo": "R"})


def test_same_field_twice_is_refused() -> None:
    with pytest.raises(InvalidRequestError, match="given twice"):
        procedures.job.append({**JOB, "JobNo": "other"})


def test_bad_entity_procedure_and_transaction() -> None:
    with pytest.raises(InvalidRequestError, match=r"unknown import entity 'Jobs'.*did you mean 'Job'"):
        import_request("Jobs", JOB)
    with pytest.raises(InvalidRequestError, match="unknown import procedure 'mboc_upsertJobs'"):
        build_import("mboc_upsertJobs", JOB)
    with pytest.raises(InvalidRequestError, match="ActionUri has no delete import procedure"):
        procedures.action_uri.delete({"uri": "x"})
    with pytest.raises(InvalidRequestError, match="Job has no clear import procedure"):
        procedures.job.clear(JOB)
    with pytest.raises(AttributeError, match=r"no import entity 'jobs'.*'job'"):
        _ = procedures.jobs
    with pytest.raises(InvalidRequestError, match="a record is a mapping or a model"):
        procedures.job.append(["not", "a", "record"])


def test_bad_value_names_field_and_kind_but_never_echoes_a_password() -> None:
    with pytest.raises(ValueFormatError) as exc:
        procedures.job.append({**JOB, "freeDecimal3": "1,5"})
    assert one_line(exc) == (
        "mboc_upsertJob: field 'freeDecimal3' (FreeDecimal3) expects a decimal number; got str '1,5'"
    )
    secret = ["hunter2-secret-value"]
    with pytest.raises(ValueFormatError) as exc:
        procedures.connector.append(
            {"name": "c", "sourceApp": "BC", "uri": "https://c.test", "password": secret}
        )
    assert "hunter2" not in str(exc.value) and "'password' (Password) expects a string; got list" in str(
        exc.value
    )


# --- value formatting ---------------------------------------------------------------------------------


def field(kind: str, enum: tuple[int, ...] = ()) -> FieldSpec:
    return FieldSpec("value", "Value", kind, enum=enum)  # type: ignore[arg-type]


def fmt(kind: str, value: Any, enum: tuple[int, ...] = ()) -> str | None:
    return format_value(value, field(kind, enum), "mboc_test")


@pytest.mark.parametrize(
    ("value", "text"),
    [
        (0, "0"),
        (-17, "-17"),
        (10**28, "1" + "0" * 28),  # issue 9: beyond a .NET decimal (2**96) is refused, see test_inputs.py
        (0.1, "0.1"),
        (-2.5, "-2.5"),
        (1e-7, "0.0000001"),
        (-1.5e-10, "-0.00000000015"),
        (1e20, "100000000000000000000"),
        (7.9e28, "79000000000000000000000000000"),
        (-0.0, "0"),
        (2.0, "2"),
        (Decimal("1.500"), "1.5"),
        (Decimal("-0.000"), "0"),
        (Decimal("1E+3"), "1000"),
        (Decimal("12345678901234567890123456789.0123456789"), "12345678901234567890123456789.0123456789"),
        (" 2.25 ", "2.25"),
        ("-3e-3", "-0.003"),
    ],
)
def test_decimals_are_plain_with_a_point(value: Any, text: str) -> None:
    assert fmt("decimal", value) == text


@pytest.mark.parametrize("value", [float("nan"), float("inf"), Decimal("NaN"), "1,5", "abc", True, [1]])
def test_bad_decimals_are_refused(value: Any) -> None:
    with pytest.raises(ValueFormatError, match="expects a decimal number"):
        fmt("decimal", value)


@pytest.mark.parametrize(
    ("value", "text"),
    [
        (dt.datetime(2024, 1, 1, 0, 30, tzinfo=CEST), "2023-12-31 22:30:00Z"),
        (dt.datetime(2024, 2, 28, 22, 0, tzinfo=dt.timezone(dt.timedelta(hours=-5))), "2024-02-29 03:00:00Z"),
        (dt.datetime(2024, 6, 1, 12, 0, 5, 999_999, tzinfo=dt.UTC), "2024-06-01 12:00:05Z"),
        (dt.datetime(2024, 6, 1, 12, 0, 5), "2024-06-01 12:00:05Z"),  # naive: taken as UTC
        (dt.date(2024, 6, 1), "2024-06-01 00:00:00Z"),
        ("2024-06-01", "2024-06-01 00:00:00Z"),
        ("2024-06-01T10:09:21Z", "2024-06-01 10:09:21Z"),
        ("2024-06-01T10:09:21.123+02:00", "2024-06-01 08:09:21Z"),
        ("2024-06-01 10:09", "2024-06-01 10:09:00Z"),
        (dt.datetime(900, 1, 2, 3, 4, 5), "0900-01-02 03:04:05Z"),
    ],
)
def test_datetimes_use_the_dotnet_u_pattern_in_utc(value: Any, text: str) -> None:
    assert fmt("datetime", value) == text


def test_dates_and_bad_datetimes() -> None:
    assert fmt("date", dt.date(2024, 2, 29)) == "2024-02-29"
    assert fmt("date", "2024-02-29") == "2024-02-29"
    with pytest.raises(ValueFormatError, match="expects a date"):
        fmt("date", dt.datetime(2024, 2, 29, 10, 0))
    with pytest.raises(ValueFormatError, match="expects a datetime"):
        fmt("datetime", "31/12/2024")
    with pytest.raises(ValueFormatError, match="expects a datetime"):
        fmt("datetime", 1_700_000_000)


@pytest.mark.parametrize(
    ("kind", "value", "text"),
    [
        ("bool", True, "True"),
        ("bool", False, "False"),
        ("bool", " TRUE ", "True"),
        ("int", 3, "3"),
        ("int", 3.0, "3"),
        ("int", Decimal("-4"), "-4"),
        ("int", "+12", "12"),
        ("enum", Importance.LOW, "2"),
        ("enum", "1", "1"),
        ("string", uuid.UUID(int=1), "00000000-0000-0000-0000-000000000001"),
        ("string", 42, "42"),
        ("list", ("a", "b", ""), "a;b;"),
        ("list", "already;joined", "already;joined"),
        ("list", [], ""),
        ("timespan", dt.timedelta(days=1, seconds=1, microseconds=1), str(86_401 * 10_000_000 + 10)),
        ("timespan", "00:00:00.0000001", "1"),
        ("timespan", "-00:30", str(-30 * 60 * 10_000_000)),
        ("timespan", "864000000000", "864000000000"),
    ],
)
def test_other_kinds(kind: str, value: Any, text: str) -> None:
    assert fmt(kind, value, enum=(0, 1, 2)) == text


@pytest.mark.parametrize(
    ("kind", "value", "expected"),
    [
        ("bool", 1, "a boolean"),
        ("bool", "yes", "a boolean"),
        ("int", True, "an integer"),
        ("int", 3.5, "an integer"),
        ("int", "3.0", "an integer"),
        ("enum", 7, "one of 0, 1, 2"),
        ("enum", "High", "an enum integer"),
        ("string", 1.5, "a string"),
        ("string", False, "a string"),
        ("list", ["a;b"], "a list of strings"),
        ("list", [1.5], "a list of strings"),
        ("timespan", 90, "a timedelta"),
        ("timespan", "24:00:00", "a timedelta"),
        ("timespan", "1 hour", "a timedelta"),
    ],
)
def test_other_kinds_refuse_bad_values(kind: str, value: Any, expected: str) -> None:
    with pytest.raises(ValueFormatError, match=f"mboc_test: field 'value' \\(Value\\) expects {expected}"):
        fmt(kind, value, enum=(0, 1, 2))


# --- ImportRequest ------------------------------------------------------------------------------------


def test_import_request_wire_form_and_reading_it_back() -> None:
    request = ImportRequest("mboc_upsertPin", ["Name", "HexColor"], ["Red", "#FF0000"])
    assert request.parameter_names == ("Name", "HexColor")
    assert request.to_dict() == {
        "StoredProcedureName": "mboc_upsertPin",
        "ParameterNames": ["Name", "HexColor"],
        "ParameterValues": ["Red", "#FF0000"],
    }
    camel = {
        "storedProcedureName": "mboc_upsertPin",
        "parameterNames": ["Name", "HexColor"],
        "parameterValues": ["Red", "#FF0000"],
    }
    assert ImportRequest.from_dict(camel) == ImportRequest.from_dict(request.to_dict()) == request
    raw = RawImportRequest(
        stored_procedure_name="mboc_upsertPin", parameter_names=["Name"], parameter_values=["R"]
    )
    call = import_call([request, camel, raw])
    assert (call.method, call.path, call.has_body) == ("POST", "/import", True)
    assert call.json == [
        request.to_dict(),
        request.to_dict(),
        ImportRequest("mboc_upsertPin", ["Name"], ["R"]).to_dict(),
    ]
    assert json.loads(json.dumps(call.json)) == call.json


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("", [], []), "non-empty stored_procedure_name"),
        (("mboc_x", ["A", "B"], ["1"]), "2 parameter names but 1 values"),
        (("mboc_x", ["A"], [1]), "strings or None"),
        (("mboc_x", [""], ["1"]), "non-empty string"),
    ],
)
def test_import_request_validates(args: tuple[Any, Any, Any], message: str) -> None:
    with pytest.raises(InvalidRequestError, match=message):
        ImportRequest(*args)


def test_import_request_from_dict_refuses_bad_shapes() -> None:
    with pytest.raises(InvalidRequestError, match="unknown key 'Procedure'"):
        ImportRequest.from_dict({"Procedure": "x", "ParameterNames": [], "ParameterValues": []})
    with pytest.raises(InvalidRequestError, match="lacks ParameterValues"):
        ImportRequest.from_dict({"StoredProcedureName": "x", "ParameterNames": []})
    with pytest.raises(InvalidRequestError, match="must be lists"):
        ImportRequest.from_dict({"StoredProcedureName": "x", "ParameterNames": "A", "ParameterValues": "1"})


# --- chunking -----------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("count", "size", "sizes"),
    [
        (0, 500, []),
        (1, 500, [1]),
        (500, 500, [500]),
        (1001, 500, [500, 500, 1]),
        (7, 3, [3, 3, 1]),
        (3, 1, [1, 1, 1]),
    ],
)
def test_chunk_sizes(count: int, size: int, sizes: list[int]) -> None:
    chunks = list(chunked(range(count), size))
    assert [len(c) for c in chunks] == sizes
    assert list(itertools.chain.from_iterable(chunks)) == list(range(count))


def test_chunking_is_lazy_and_refuses_bad_sizes() -> None:
    pulled = 0

    def endless() -> Iterator[int]:
        nonlocal pulled
        for i in itertools.count():
            pulled += 1
            yield i

    chunks = chunked(endless(), 4)
    assert next(chunks) == [0, 1, 2, 3]
    assert pulled == 4
    for size in (0, -1, True, 2.5):
        with pytest.raises(InvalidRequestError, match="size must be a positive integer"):
            chunked([], size)  # type: ignore[arg-type]


# --- the table ----------------------------------------------------------------------------------------


SAMPLES: dict[str, Any] = {
    "string": "x",
    "int": 7,
    "decimal": 1.25,
    "bool": True,
    "datetime": dt.datetime(2024, 1, 2, 3, 4, 5, tzinfo=dt.UTC),
    "date": dt.date(2024, 1, 2),
    "list": ["a", "b"],
    "timespan": "01:00:00",
}


def sample(f: FieldSpec) -> Any:
    return f.enum[-1] if f.kind == "enum" else SAMPLES[f.kind]


@pytest.mark.parametrize("spec", PROCEDURES, ids=lambda s: s.procedure)
def test_every_procedure_builds_from_a_minimal_and_a_full_record(spec: ProcedureSpec) -> None:
    required = [f for f in spec.fields if f.required]
    minimal = build_import(spec, {f.json_name: sample(f) for f in required})
    assert minimal.stored_procedure_name == spec.procedure
    sent = [f for f in spec.fields if f.required or f.default is not None or f.default_now or spec.send_unset]
    assert minimal.parameter_names == tuple(f.parameter for f in sent)
    full = build_import(spec.procedure, {f.parameter: sample(f) for f in spec.fields})
    assert full.parameter_names == tuple(f.parameter for f in spec.fields)
    assert all(isinstance(v, str) and v != "" for v in full.parameter_values)
    if required:
        with pytest.raises(InvalidRequestError, match=f"{spec.procedure}: missing required field"):
            build_import(spec, {f.json_name: sample(f) for f in required[1:]})


def test_table_shape() -> None:
    names = [p.procedure for p in PROCEDURES]
    assert len(names) == len(set(names))
    assert all(name.startswith("mboc_") and "*" not in name for name in names)
    assert {
        "mboc_upsertJob",
        "mboc_deleteJob",
        "mboc_ClearResourceFilterValue",
        "mboc_ClearTaskFilterValue",
    } <= set(names)
    for spec in PROCEDURES:
        parameters = [f.parameter for f in spec.fields]
        assert spec.fields and len(parameters) == len(set(parameters)), spec.procedure
        assert all(f.kind != "enum" or f.enum for f in spec.fields), spec.procedure
    primaries = [(p.entity, p.transaction) for p in PROCEDURES if p.primary]
    assert len(primaries) == len(set(primaries))
    assert len(procedures) == len({p.entity for p in PROCEDURES})
    assert all(procedures[e.entity] is e for e in procedures)


# --- the table builder script -----------------------------------------------------------------------------


FACTS: dict[str, Any] = {
    "_meta": {},
    "ImportRequest": {
        "import_procedures": {"append": "(any mboc_upsert*)", "delete": "(any mboc_delete*)"},
        "fields": [{"name": "storedProcedureName", "import_name": None, "type": "string", "required": True}],
    },
    "Widget": {
        "import_procedures": {
            "append": "mboc_upsertWidget",
            "delete": "mboc_deleteWidget",
            "clear": "mboc_ClearWidget",
        },
        "import_procedures_alt": {"js_append": "mboc_addWidget"},
        "notes": "The clear procedure (import only) removes all widgets given SourceApp, WidgetNo.",
        "fields": [
            {"name": "sourceApp", "import_name": "SourceApp", "type": "string", "required": False},
            {
                "name": "widgetNo",
                "import_name": "WidgetNo",
                "type": "string",
                "required": True,
                "required_on": ["create", "update", "delete"],
                "import_on": ["append"],
            },
            {
                "name": "size",
                "import_name": "Size",
                "type": "integer",
                "enum": [1, 2],
                "required": True,
                "required_on": ["create"],
                "import_on": ["append"],
            },
            {
                "name": "weight",
                "import_name": "Weight",
                "type": "number",
                "format": "double",
                "required": False,
            },
            {
                "name": "lasts",
                "import_name": "Lasts",
                "type": "string",
                "format": "time-span",
                "required": False,
                "import_on": ["append"],
            },
            {
                "name": "tags",
                "import_name": "Tags",
                "type": "array",
                "items": {"type": "string"},
                "required": False,
                "import_on": ["append"],
            },
            {
                "name": "force",
                "import_name": "Force",
                "type": "boolean",
                "required": False,
                "import_on": ["delete"],
            },
            {"name": "restOnly", "import_name": None, "type": "string", "required": False},
        ],
    },
    "Message": {
        "import_procedures": {"append": None, "delete": None},
        "fields": [{"name": "text", "import_name": None, "type": "string", "required": True}],
    },
}


def run_builder(
    facts: dict[str, Any], tmp_path: Path, reference: dict[str, Any] | None = None
) -> tuple[subprocess.CompletedProcess[str], Path]:
    (tmp_path / "facts").mkdir(exist_ok=True)
    (tmp_path / "facts" / "schemas.json").write_text(json.dumps(facts), encoding="utf-8")
    (tmp_path / "reference.json").write_text(json.dumps(reference or {}), encoding="utf-8")
    out = tmp_path / "table.py"
    result = subprocess.run(
        [
            sys.executable,
            str(BUILD_SCRIPT),
            str(tmp_path / "facts"),
            "--out",
            str(out),
            "--reference",
            str(tmp_path / "reference.json"),
        ],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    return result, out


def load_table(path: Path) -> Any:
    # The module imports `._spec` relatively: load it as a sibling of the real table module.
    spec = importlib.util.spec_from_file_location("dimescheduler_openapi._imports._test_table", path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_builder_derives_transactions_fields_and_kinds(tmp_path: Path) -> None:
    result, out = run_builder(FACTS, tmp_path)
    assert result.returncode == 0, result.stderr
    text = out.read_text(encoding="utf-8")
    assert "GENERATED" in text and "scripts/build_import_table.py" in text and "Do not edit by hand" in text
    table = load_table(out)
    by_name = {p.procedure: p for p in table.PROCEDURES}
    assert set(by_name) == {"mboc_upsertWidget", "mboc_deleteWidget", "mboc_ClearWidget", "mboc_addWidget"}
    append = by_name["mboc_upsertWidget"]
    assert [(f.parameter, f.kind, f.required) for f in append.fields] == [
        ("SourceApp", "string", False),
        ("WidgetNo", "string", True),
        ("Size", "enum", True),
        ("Weight", "decimal", False),
        ("Lasts", "timespan", False),
        ("Tags", "list", False),
    ]
    assert append.fields[2].enum == (1, 2)
    delete = by_name["mboc_deleteWidget"]
    assert [(f.parameter, f.required) for f in delete.fields] == [
        ("SourceApp", False),
        ("WidgetNo", True),
        ("Weight", False),
        ("Force", False),
    ]
    assert [f.parameter for f in by_name["mboc_ClearWidget"].fields] == ["SourceApp", "WidgetNo"]
    assert by_name["mboc_addWidget"].primary is False and by_name["mboc_addWidget"].fields == append.fields
    assert table.REST_ONLY_FIELDS == {"Widget": ("restOnly",)}


# A .NET reference for the Widget facts: its own order, defaults, required flags and lengths, an override.
REFERENCE: dict[str, Any] = {
    "entities": {
        "Widget": {
            "source": "src/Models/Widget.cs",
            "append": {
                "procedure": "mboc_upsertWidget",
                "parameters": [
                    {"name": "WidgetNo", "required": True, "max_length": 20},
                    {"name": "SourceApp", "max_length": 30},
                    {"name": "Size", "required": True, "default": "0"},
                    {"name": "Tags"},
                    {"name": "Lasts", "default_now": False},
                ],
            },
            "clear": {
                "procedure": "mboc_ClearWidget",
                "sends_unset_as_null": True,
                "parameters": [{"name": "SourceApp"}, {"name": "WidgetNo"}],
            },
        }
    },
    "overrides": {
        "mboc_deleteWidget": {"why": "test", "parameters": [{"name": "WidgetNo", "required": True}]}
    },
}


def test_builder_applies_the_dotnet_reference(tmp_path: Path) -> None:
    result, out = run_builder(FACTS, tmp_path, REFERENCE)
    assert result.returncode == 0, result.stderr
    by_name = {p.procedure: p for p in load_table(out).PROCEDURES}
    append = by_name["mboc_upsertWidget"]
    assert [(f.parameter, f.required, f.default, f.max_length) for f in append.fields] == [
        ("WidgetNo", True, None, 20),
        ("SourceApp", False, None, 30),
        ("Size", False, "0", None),  # a default is never missing
        ("Tags", False, None, None),
        ("Lasts", False, None, None),
    ]
    # The alternative append name follows the primary's reference; the override replaces the delete list.
    assert by_name["mboc_addWidget"].fields == append.fields
    assert [(f.parameter, f.required) for f in by_name["mboc_deleteWidget"].fields] == [("WidgetNo", True)]
    assert by_name["mboc_ClearWidget"].send_unset and not append.send_unset
    lint = subprocess.run(
        [
            str(Path(sys.executable).parent / "ruff"),
            "format",
            "--check",
            "--config",
            str(ROOT / "pyproject.toml"),
            str(out),
        ],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert lint.returncode == 0, lint.stdout + lint.stderr


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (
            lambda r: r["entities"]["Widget"]["append"]["parameters"].append({"name": "Nope"}),
            "Widget: reference parameter 'Nope' of mboc_upsertWidget is not in the facts",
        ),
        (
            lambda r: r["overrides"].__setitem__("mboc_deleteGadget", {"parameters": []}),
            "reference procedures ['mboc_deleteGadget'] are not import procedures of the facts",
        ),
    ],
)
def test_builder_refuses_a_reference_that_disagrees_with_the_facts(
    change: Any, message: str, tmp_path: Path
) -> None:
    reference = json.loads(json.dumps(REFERENCE))
    change(reference)
    result, out = run_builder(FACTS, tmp_path, reference)
    assert result.returncode == 1 and message in result.stderr
    assert not out.exists()


def test_builder_output_is_lint_clean(tmp_path: Path) -> None:
    _, out = run_builder(FACTS, tmp_path)
    ruff = Path(sys.executable).parent / "ruff"
    if not ruff.exists():
        pytest.fail(f"ruff not installed next to {sys.executable}")
    for args in (["format", "--check"], ["check"]):
        lint = subprocess.run(
            [str(ruff), *args, "--config", str(ROOT / "pyproject.toml"), str(out)],
            capture_output=True,
            text=True,
            timeout=60,
            check=False,
        )
        assert lint.returncode == 0, lint.stdout + lint.stderr


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (
            lambda w: w["fields"].append(
                {"name": "blob", "import_name": "Blob", "type": "object", "required": False}
            ),
            "Widget.blob: type 'object' has no import encoding",
        ),
        (
            lambda w: w["fields"].append(
                {"name": "SIZE", "import_name": "Other", "type": "string", "required": False}
            ),
            "Widget: key 'SIZE' names both 'size' and 'SIZE'",
        ),
        (
            lambda w: w.__setitem__("notes", "The clear procedure runs given SourceApp, Nope."),
            "Widget: clear procedure parameters ['Nope'] are not import names of its fields",
        ),
    ],
)
def test_builder_refuses_facts_it_cannot_encode(change: Any, message: str, tmp_path: Path) -> None:
    facts = json.loads(json.dumps(FACTS))
    change(facts["Widget"])
    result, out = run_builder(facts, tmp_path)
    assert result.returncode == 1
    assert message in result.stderr and len(result.stderr.strip().splitlines()) == 1
    assert not out.exists()


# --- parity with the vendor's .NET SDK -------------------------------------------------------------------
# tests/overlay/data/dotnet_import_requests.json: the request the .NET SDK builds for a record of required
# fields only and a record of every field, per entity and procedure, transcribed from its model attributes;
# "ours" is given where this project deliberately differs (see the README, Bulk imports).

DOTNET = json.loads(
    (Path(__file__).parent / "data" / "dotnet_import_requests.json").read_text(encoding="utf-8")
)
DOTNET_CASES: list[dict[str, Any]] = DOTNET["cases"]


def expected_request(case: dict[str, Any], actual: dict[str, Any]) -> dict[str, Any]:
    """The case's expected wire form, with '<now>' (.NET DateTime.Now) checked against the actual value."""
    expected = json.loads(json.dumps(case.get("ours", case["dotnet"])))
    for i, value in enumerate(expected["ParameterValues"]):
        if value == "<now>":
            sent = dt.datetime.strptime(actual["ParameterValues"][i], "%Y-%m-%d %H:%M:%SZ").replace(
                tzinfo=dt.UTC
            )
            assert abs(sent - dt.datetime.now(dt.UTC)) < dt.timedelta(minutes=5)
            expected["ParameterValues"][i] = actual["ParameterValues"][i]
    return expected


def case_id(case: dict[str, Any]) -> str:
    return f"{case['entity']}-{case['transaction']}-{case['record']}"


@pytest.mark.parametrize("case", DOTNET_CASES, ids=case_id)
def test_request_equals_the_dotnet_sdk(case: dict[str, Any]) -> None:
    build = getattr(procedures[case["entity"]], case["transaction"])
    actual = build(case["input"]).to_dict()
    assert actual == expected_request(case, actual)


def model_record(case: dict[str, Any]) -> tuple[Any, dict[str, Any]] | None:
    """The generated model class and the record to build it from, or None where the case has no model
    spelling: a clear procedure (no model), or a model that requires a field the import record leaves out."""
    import dimescheduler_raw.models as raw

    name = case["entity"] + ("Delete" if case["transaction"] == "delete" else "")
    model = getattr(raw, name, None) or getattr(raw, case["entity"], None)
    if model is None or case["transaction"] == "clear":
        return None
    # appointmentNo is REST only (the import skips it) but some generated models require it.
    data = (
        {**case["input"], "appointmentNo": "A-1"}
        if "appointmentNo" in REST_ONLY_FIELDS.get(case["entity"], ())
        else case["input"]
    )
    try:
        model.from_dict(data)
    except (KeyError, TypeError, ValueError):
        return None
    return model, data


MODEL_CASES = [case for case in DOTNET_CASES if model_record(case) is not None]


def test_most_dotnet_cases_have_a_model_spelling() -> None:
    # 120 cases: 2 clear procedures and 10 whose model requires a field the import leaves out have none.
    assert len(DOTNET_CASES) - len(MODEL_CASES) <= 12, len(MODEL_CASES)


@pytest.mark.parametrize("case", MODEL_CASES, ids=case_id)
def test_model_and_dict_spellings_give_one_request(case: dict[str, Any]) -> None:
    found = model_record(case)
    assert found is not None
    model_class, data = found
    model = model_class.from_dict(data)
    build = getattr(procedures[case["entity"]], case["transaction"])
    from_model, from_dict = build(model).to_dict(), build(case["input"]).to_dict()
    expected = expected_request(case, from_model)
    assert from_model == expected
    assert from_dict == expected_request(case, from_dict)


def test_every_dotnet_procedure_has_a_required_and_a_full_case() -> None:
    covered = {(c["entity"], c["transaction"], c["record"]) for c in DOTNET_CASES}
    for spec in PROCEDURES:
        if spec.primary and spec.procedure not in ("mboc_deleteAppointmentUrl", "mboc_deleteResourceUrl"):
            assert {(spec.entity, spec.transaction, r) for r in ("required", "full")} <= covered, (
                spec.procedure
            )


# Facts pinned by the .NET SDK's own unit tests (tests/unit/Import/*.cs).


def test_dotnet_unit_test_facts() -> None:
    appointment = {
        "sourceApp": "APP",
        "sourceType": "TYPE",
        "start": dt.datetime(2020, 1, 1),
        "end": dt.datetime(2020, 1, 2),
        "jobNo": "JOB",
        "taskNo": "TASK",
        "resourceNo": "NO",
    }
    request = procedures.appointment.append(appointment)  # AppointmentTests: 8 parameters
    assert len(request.parameter_names) == 8 and request.parameter_names[-1] == "IsManualAppointment"
    assert request.parameter_values[-1] == "False"
    container = procedures.container.append(  # ContainerTests
        {"name": "Container 1", "handleDate": dt.datetime(2021, 5, 25), "handleLocked": True}
    )
    assert container.parameter_names == ("Name", "HandleDate", "HandleLocked")
    assert container.parameter_values == ("Container 1", "2021-05-25 00:00:00Z", "True")
    assert procedures.container.append({"name": "C"}).parameter_values == ("C", "False")
    connector = procedures.connector.append({"name": "Connector 1"})  # ConnectorTests
    assert connector.to_dict() == {
        "StoredProcedureName": "mboc_addConnector",
        "ParameterNames": ["Name", "SendAppointmentToWebService", "Type", "AuthType", "ApiType"],
        "ParameterValues": ["Connector 1", "True", "0", "0", "0"],
    }
    assert procedures.connector.delete({"name": "Connector 1"}).parameter_names[0] == "Name"
    with pytest.raises(InvalidRequestError, match="missing required field 'name'"):
        procedures.connector.append({})
    action = procedures.action_uri.append(  # ActionUriTests: 7 parameters, RequestType unset
        {
            "sourceApp": "BC001",
            "sourceType": "BC001",
            "uriType": 1,
            "uri": "https://www.google.com",
            "description": "Hello world",
            "default": True,
        }
    )
    assert action.stored_procedure_name == "mboc_upsertActionUrl" and len(action.parameter_names) == 7
    assert action.parameter_values[-1] == "0"
    task_container = {"sourceApp": "BC001", "sourceType": "BC001", "jobNo": "JOB0001", "taskNo": "TASK0001"}
    task_container["name"] = "Container 1"  # TaskContainerTests
    assert procedures.task_container.append(task_container).parameter_names[0] == "SourceApp"
    with pytest.raises(InvalidRequestError) as exc:
        procedures.task_container.append(
            {**task_container, "sourceType": "SOURCE TYPE LONGER THAN 10 CHARACTERS"}
        )
    assert one_line(exc) == (
        "mboc_upsertTaskContainer: field 'sourceType' (SourceType) is 37 characters long; the maximum is 10"
    )
    with pytest.raises(InvalidRequestError, match="missing required field"):
        procedures.task_container.append({"sourceApp": "BC001"})


@pytest.mark.parametrize(
    "spec", [s for s in PROCEDURES if any(f.max_length for f in s.fields)], ids=lambda s: s.procedure
)
def test_max_lengths_are_enforced_in_utf16_units(spec: ProcedureSpec) -> None:
    limited = next(f for f in spec.fields if f.max_length)
    assert limited.max_length is not None
    record = {f.json_name: sample(f) for f in spec.fields if f.required}
    build_import(spec, {**record, limited.json_name: "x" * limited.max_length})
    with pytest.raises(InvalidRequestError, match=f"the maximum is {limited.max_length}$"):
        build_import(spec, {**record, limited.json_name: "x" * (limited.max_length + 1)})
    # .NET counts UTF-16 code units: a character outside the BMP counts twice.
    with pytest.raises(InvalidRequestError, match=f"is {limited.max_length + 1} characters long"):
        build_import(spec, {**record, limited.json_name: "x" * (limited.max_length - 1) + "\U0001f600"})


def test_model_defaults_do_not_leak_into_the_request() -> None:
    # Appointment.importance defaults to MEDIUM in the generated model only: neither spelling sends it.
    # Job.allow_dependencies defaults to True in the model and in the .NET SDK: both spellings send "True".
    appointment = {
        "sourceApp": "BC",
        "sourceType": "SO",
        "jobNo": "J",
        "taskNo": "T",
        "resourceNo": "R",
        "start": dt.datetime(2024, 1, 1, 8, 0),
        "end": dt.datetime(2024, 1, 1, 9, 0),
    }
    model = Appointment.from_dict(
        {k: v.isoformat() if isinstance(v, dt.datetime) else v for k, v in appointment.items()}
    )
    model.importance, model.locked = Importance.MEDIUM, False
    assert procedures.appointment.append(model) == procedures.appointment.append(appointment)
    assert "Importance" not in procedures.appointment.append(model).parameter_names
    job = Job(source_app="BC", source_type="SO", job_no="J-1001", short_description="Boiler service")
    as_dict = {"sourceApp": "BC", "sourceType": "SO", "jobNo": "J-1001", "shortDescription": "Boiler service"}
    request = procedures.job.append(job)
    assert request == procedures.job.append(as_dict)
    assert (
        dict(zip(request.parameter_names, request.parameter_values, strict=True))["AllowDependencies"]
        == "True"
    )
    explicit = procedures.job.append(
        Job(source_app="BC", source_type="SO", job_no="J", short_description="s", allow_dependencies=False)
    )
    assert (
        dict(zip(explicit.parameter_names, explicit.parameter_values, strict=True))["AllowDependencies"]
        == "False"
    )
