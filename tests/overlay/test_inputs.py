"""Inputs are refused before anything is sent, with one line naming what is wrong: dot-segment path values,
dict bodies whose keys the route's model does not know or that lack a required field, import values that
cannot be written in bounded, correct form, and REST bodies JSON cannot carry. Against a recording local
server (which must receive nothing) and the import builders."""

from __future__ import annotations

import datetime as dt
import time
from collections.abc import Iterator
from decimal import Decimal
from typing import Any

import pytest
from dimescheduler_openapi import DimeSchedulerClient, InvalidRequestError
from dimescheduler_openapi._imports import ValueFormatError, format_value
from dimescheduler_openapi._imports._spec import FieldSpec
from dimescheduler_openapi.models import Category, Job
from fakeapi import FakeAPI, Reply, serve_api

API_KEY = "ak-SECRET-inputs"
ENVELOPE = {"content": "{}", "contentType": "application/json", "statusCode": 200}
JOB = {"sourceApp": "BC", "sourceType": "SO", "jobNo": "J1", "shortDescription": "Boiler"}


@pytest.fixture(scope="module")
def api() -> Iterator[FakeAPI]:
    with serve_api(lambda r: Reply.json(ENVELOPE)) as server:
        yield server


@pytest.fixture
def client(api: FakeAPI) -> Iterator[DimeSchedulerClient]:
    with DimeSchedulerClient(API_KEY, api.base_url, retry=False) as ours:
        yield ours


def refused(api: FakeAPI, action: Any) -> str:
    """The message of the InvalidRequestError `action` raises; checks that nothing was sent."""
    before = api.count()
    with pytest.raises(InvalidRequestError) as caught:
        action()
    assert api.count() == before, "something was sent"
    message = str(caught.value)
    assert "\n" not in message
    return message


# --- path values ------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "message"),
    [
        (".", "job_no must not be '.': as a path segment it would change the route that is called"),
        ("..", "job_no must not be '..': as a path segment it would change the route that is called"),
        ("", "job_no must not be empty"),
        ("   ", "job_no must not be empty or blank"),
        ("\t\n", "job_no must not be empty or blank"),
    ],
)
def test_dot_segments_and_blank_path_values_are_refused(
    api: FakeAPI, client: DimeSchedulerClient, value: str, message: str
) -> None:
    assert refused(api, lambda: client.jobs.get(value)) == message
    by_id = refused(api, lambda: client.appointments.get_by_id(value))
    assert by_id == message.replace("job_no", "appointment_id")


def test_values_with_dots_that_are_not_segments_are_sent_encoded(
    api: FakeAPI, client: DimeSchedulerClient
) -> None:
    api.handler = lambda r: Reply.json({"jobNo": "x"})
    try:
        for value in ("...", "J.1", "%2e%2e", "./x"):
            client.jobs.get(value)
    finally:
        api.handler = lambda r: Reply.json(ENVELOPE)
    assert [r.path for r in api.received[-4:]] == ["/job/...", "/job/J.1", "/job/%252e%252e", "/job/.%2Fx"]


# --- dict bodies against the route's model ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("action", "message"),
    [
        (
            lambda c: c.categories.create({"nme": "x", "displayName": "X", "color": "#000"}),
            "POST /category: unknown field 'nme' (did you mean 'name'?)",
        ),
        (
            lambda c: c.categories.create({"name": "x"}),
            "POST /category: missing required fields 'displayName', 'color'",
        ),
        (
            lambda c: c.categories.update([{"name": "a", "displayName": "A", "color": "#0"}, {"name": "b"}]),
            "PUT /category: item 1: missing required fields 'displayName', 'color'",
        ),
        (
            lambda c: c.categories.delete({"nam": "a"}),
            "DELETE /category: unknown field 'nam' (did you mean 'name'?)",
        ),
        (
            lambda c: c.jobs.create({**JOB, "jobNr": "J1"}),
            "POST /job: unknown field 'jobNr' (did you mean 'jobNo'?)",
        ),
        (lambda c: c.jobs.create({**JOB, "colour": "red"}), "POST /job: unknown field 'colour'"),
        (lambda c: c.jobs.create({**JOB, 42: "x"}), "POST /job: unknown field 42"),
        (
            lambda c: c.messages.send({"txt": "hi", "severity": 1}),
            "POST /message: unknown field 'txt' (did you mean 'text'?)",
        ),
        (lambda c: c.users.create({"name": "A", "type": 1}), "POST /user: missing required field 'email'"),
        (
            lambda c: c.imports.run({"StoredProcedureName": "p", "ParameterNames": []}),
            "POST /import: missing required field 'ParameterValues'",
        ),
    ],
)
def test_dict_keys_are_checked_against_the_route(
    api: FakeAPI, client: DimeSchedulerClient, action: Any, message: str
) -> None:
    assert refused(api, lambda: action(client)) == message


def test_valid_dicts_models_and_unchecked_routes_are_sent(api: FakeAPI, client: DimeSchedulerClient) -> None:
    before = api.count()
    client.categories.create({"Name": "x", "DISPLAYNAME": "X", "color": "#000"})  # the API binds any case
    client.categories.create(Category(name="x", display_name="X", color="#000"))
    model = Job.from_dict({**JOB, "notInTheSpec": 1})  # a model is sent as built, extra keys included
    client.jobs.create([model, JOB])
    client.task_budget_entries.create({"anything": 1})  # no single body model: not checked
    assert api.count() - before == 4
    assert api.received[-2].json()[0]["notInTheSpec"] == 1


# --- import values -----------------------------------------------------------------------------------------------


def field(kind: Any) -> FieldSpec:
    return FieldSpec("value", "Value", kind)


def fmt(kind: Any, value: Any) -> str | None:
    return format_value(value, field(kind), "mboc_test")


def short_id(value: Any) -> str | None:
    """Test ids for huge values (their repr would exceed Python's int-to-text limit)."""
    if isinstance(value, int) and not isinstance(value, bool) and value.bit_length() > 64:
        return f"int-of-{value.bit_length()}-bits"
    if isinstance(value, str) and len(value) > 30:
        return f"text-of-{len(value)}-chars"
    return None


@pytest.mark.parametrize(
    ("kind", "value", "expects"),
    [
        ("decimal", "1e100000000", "a decimal number within a .NET decimal (magnitude below 2**96)"),
        ("decimal", Decimal("-1e100000000"), "within a .NET decimal"),
        ("decimal", "1e-100000000", "a decimal number with at most 28 decimal places"),
        ("decimal", 10**30, "within a .NET decimal"),
        ("decimal", 1e300, "within a .NET decimal"),
        ("decimal", 10**5000, "within a .NET decimal"),
        ("int", 10**5000, "an integer within 64 bits"),
        ("int", "9" * 5000, "expects an integer;"),
        ("int", Decimal("1e100000000"), "expects an integer;"),
        ("int", 1e300, "expects an integer;"),
        ("enum", 10**5000, "within 64 bits"),
        ("string", 10**5000, "a string (or an integer of at most 4000 digits)"),
        ("datetime", dt.datetime(1, 1, 1, tzinfo=dt.timezone(dt.timedelta(hours=5))), "within years 1-9999"),
        ("datetime", "9999-12-31T23:59:59-05:00", "within years 1-9999 once in UTC"),
        ("timespan", dt.timedelta(days=999_999_999), "within a .NET TimeSpan"),
        ("timespan", "99999999999999999999", "a tick-count string"),
        ("timespan", "9" * 5000 + ".00:00:00", "a tick-count string"),
    ],
    ids=short_id,
)
def test_unbounded_or_out_of_range_import_values_are_refused(kind: str, value: Any, expects: str) -> None:
    started = time.monotonic()
    with pytest.raises(ValueFormatError) as caught:
        fmt(kind, value)
    assert time.monotonic() - started < 1  # refused from the size, not after building a huge value
    message = str(caught.value)
    assert message.startswith("mboc_test: field 'value' (Value) expects ") and expects in message
    assert len(message) < 300


@pytest.mark.parametrize(
    ("kind", "value", "text"),
    [
        ("timespan", "١٢٣", "123"),  # Arabic-Indic digits: ticks written in ASCII, like the int writer
        ("timespan", "\u0660\u0661:\u0663\u0660:\u0660\u0660", "54000000000"),  # 01:30:00
        ("timespan", "+42", "42"),
        ("int", "١٢٣", "123"),
        ("decimal", Decimal("79228162514264337593543950335"), "79228162514264337593543950335"),
        ("decimal", "1E-28", "0.0000000000000000000000000001"),
        ("decimal", "1.000000000000000000000000000000000000", "1"),  # trailing zeros are not places
        ("int", -(2**63 - 1), str(-(2**63 - 1))),
        ("datetime", "0001-01-01T05:00:00+05:00", "0001-01-01 00:00:00Z"),
        ("timespan", "10675199.02:48:05.4775807", str(2**63 - 1)),  # TimeSpan.MaxValue
    ],
)
def test_values_at_the_limits_are_written_correctly(kind: str, value: Any, text: str) -> None:
    assert fmt(kind, value) == text


# --- REST bodies JSON cannot carry ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("body", "message"),
    [
        (
            {**JOB, "freeDecimal1": float("nan")},
            "POST /job: body.freeDecimal1 is nan, which JSON cannot carry",
        ),
        (
            [JOB, {**JOB, "freeDecimal2": float("-inf")}],
            "POST /job: body[1].freeDecimal2 is -inf, which JSON cannot carry",
        ),
        (
            {**JOB, "freeDate1": dt.datetime(2024, 5, 1)},
            "POST /job: body.freeDate1 is a datetime, which JSON cannot carry (pass value.isoformat())",
        ),
        (
            {**JOB, "freeDecimal3": Decimal("1.5")},
            "POST /job: body.freeDecimal3 is a Decimal, which JSON cannot",
        ),
    ],
)
def test_values_json_cannot_carry_are_refused_naming_the_field(
    api: FakeAPI, client: DimeSchedulerClient, body: Any, message: str
) -> None:
    assert refused(api, lambda: client.jobs.create(body)).startswith(message)


def test_a_typed_model_holding_nan_is_refused_too(api: FakeAPI, client: DimeSchedulerClient) -> None:
    job = Job.from_dict({**JOB, "freeDecimal1": float("nan")})
    assert refused(api, lambda: client.jobs.update(job)) == (
        "PUT /job: body.freeDecimal1 is nan, which JSON cannot carry"
    )
