"""Vendor parity: for the same input, our clients (sync and async) send the request the vendor SDK sends.

The vendor SDK (dimescheduler 0.3.1) and our clients talk to one recording server on 127.0.0.1; per call we
compare what arrived: method, raw path, decoded query multi-dict and JSON body. The vendor table is read
from a vendor client instance, and a test checks that every public method of every vendor accessor has a
case here, so no row can be skipped silently.

Pointing the vendor at the local server: its constructor has no base-URL argument, but it only reads
`environment.value` to build its httpx client, so a stand-in object with `.value = <server URL>` is passed
as `environment`. No transport rewrites the host.
"""

from __future__ import annotations

import asyncio
import inspect
import json
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta, timezone
from typing import Any

import dimescheduler  # type: ignore[import-untyped]
import pytest
from dimescheduler.api.crud import CrudApi  # type: ignore[import-untyped]
from dimescheduler_openapi import (
    AsyncDimeSchedulerClient,
    DimeSchedulerClient,
    InvalidRequestError,
)
from dimescheduler_raw import models
from fakeapi import FakeAPI, Received, Reply, serve_api
from spec_samples import (
    assert_typed_answer,
    is_mutation,
    minimal,
    request_schema,
    resolve,
    response_schema,
    sample_body,
    schema_of,
    template_of,
)

ENVELOPE = {
    "content": json.dumps({"Success": True, "Message": "ok", "Status": 200}),
    "contentType": "application/json",
    "statusCode": 200,
}


# --- the recording server ------------------------------------------------------------------------------


def answer(received: Received) -> Reply:
    template = template_of(received.method, received.path)
    if template is None:
        return Reply.json({"message": f"no operation {received.method} {received.path}"}, status=404)
    schema = response_schema(received.method, template)
    if is_mutation(schema):
        return Reply.json(ENVELOPE)
    return Reply.json({"ok": True} if schema is None else minimal(schema, items=1))


@dataclass(frozen=True)
class Sent:
    method: str
    path: str
    query: dict[str, list[str]]
    body: Any

    @classmethod
    def of(cls, received: Received) -> Sent:
        query: dict[str, list[str]] = {}
        for key, value in received.query:
            query.setdefault(key, []).append(value)
        return cls(
            received.method, received.path, query, json.loads(received.body) if received.body else None
        )


def sent_by(api: FakeAPI, action: Callable[[], Any]) -> tuple[list[Sent], Any]:
    before = len(api.received)
    result = action()
    return [Sent.of(r) for r in api.received[before:]], result


class LocalEnvironment:
    """Stands in for the vendor's `Environment` enum: the vendor only reads `.value` (the base URL)."""

    def __init__(self, base_url: str) -> None:
        self.value = base_url


@pytest.fixture(scope="module")
def api() -> Iterator[FakeAPI]:
    with serve_api(answer) as server:
        yield server


@pytest.fixture(scope="module")
def vendor(api: FakeAPI) -> Iterator[dimescheduler.DimeSchedulerClient]:
    environment: Any = LocalEnvironment(api.base_url)
    with dimescheduler.DimeSchedulerClient("test-key", environment, retry=False) as client:
        yield client


@pytest.fixture(scope="module")
def client(api: FakeAPI) -> Iterator[DimeSchedulerClient]:
    with DimeSchedulerClient(api_key="test-key", environment=api.base_url, retry=False) as ours:
        yield ours


# --- cases -----------------------------------------------------------------------------------------------


def model_named(name: str) -> Any:
    return getattr(models, name)


def typed(schema_name: str, **extra: Any) -> Any:
    """A typed model built from the minimal valid body of `schema_name` plus `extra` JSON fields."""
    return model_named(schema_name).from_dict({**minimal(schema_of(schema_name)), **extra})


def typed_body(method: str, route: str, **extra: Any) -> Any:
    """A typed model of the request body of `method route` (found by route: schema names may differ)."""
    return typed(write_model(route, method), **extra)


def for_vendor(value: Any) -> Any:
    """The vendor takes plain JSON only: typed models become their `to_dict()`."""
    if isinstance(value, list):
        return [for_vendor(item) for item in value]
    if hasattr(value, "to_dict") and not isinstance(value, dict):
        return value.to_dict()
    return value


@dataclass(frozen=True)
class Case:
    id: str
    accessor: str
    method: str
    args: tuple[Any, ...] = ()
    kwargs: dict[str, Any] = field(default_factory=dict)

    def vendor_call(self, vendor: Any) -> Any:
        bound = getattr(getattr(vendor, self.accessor), self.method)
        args = [for_vendor(a) for a in self.args]
        return bound(*args, **{k: for_vendor(v) for k, v in self.kwargs.items()})

    def our_call(self, client: Any) -> Any:
        return getattr(getattr(client, self.accessor), self.method)(*self.args, **self.kwargs)


def write_model(route: str, method: str) -> str:
    schema = request_schema(method, route)
    if "$ref" not in schema:
        schema = resolve(schema)
    chosen = schema["oneOf"][0] if "oneOf" in schema else schema
    ref: str = chosen["$ref"]
    return ref.rsplit("/", 1)[-1]


def crud_cases(accessor: str, route: str) -> list[Case]:
    write, delete = write_model(route, "POST"), write_model(route, "DELETE")
    body = sample_body("POST", route)
    return [
        Case(f"{accessor}.create-dict", accessor, "create", (body,)),
        Case(f"{accessor}.create-list", accessor, "create", (sample_body("POST", route, as_list=True),)),
        Case(f"{accessor}.create-typed", accessor, "create", (typed(write),)),
        Case(f"{accessor}.update-mixed-list", accessor, "update", ([typed(write), body],)),
        Case(f"{accessor}.update-timeout", accessor, "update", (body,), {"timeout": 5.0}),
        Case(f"{accessor}.delete-dict", accessor, "delete", (sample_body("DELETE", route),)),
        Case(f"{accessor}.delete-typed-list", accessor, "delete", ([typed(delete)],)),
        Case(f"{accessor}.get_all", accessor, "get_all"),
        Case(
            f"{accessor}.get_all-query",
            accessor,
            "get_all",
            ({"isOpen": True, "closed": False, "tag": ["a", "b c"], "n": 3, "skip": None, "q": "ä/&=?"},),
        ),
    ]


NOW = datetime(2024, 5, 1, 8, 30, 15)
UTC_LATER = datetime(2024, 5, 2, 17, 45, tzinfo=UTC)
CET_LATER = datetime(2024, 5, 3, 9, 0, tzinfo=timezone(timedelta(hours=2)))

SPECIAL_CASES = [
    Case(
        "appointments.get-datetimes-resources",
        "appointments",
        "get",
        (NOW, UTC_LATER),
        {"resources": ["R1", "R 2/x"]},
    ),
    Case(
        "appointments.get-strings-no-resources",
        "appointments",
        "get",
        ("2024-05-01T00:00:00Z", "2024-05-02T00:00:00Z"),
    ),
    Case(
        "appointments.get-dates-empty-resources",
        "appointments",
        "get",
        (date(2024, 5, 1), CET_LATER),
        {"resources": []},
    ),
    Case(
        "appointments.get-positional-resources",
        "appointments",
        "get",
        (NOW, UTC_LATER, ["R1"]),
        {"timeout": 3.0},
    ),
    Case("appointments.get_by_id-encoded", "appointments", "get_by_id", ("A/B 1",)),
    Case("appointments.get_by_id", "appointments", "get_by_id", ("1234",)),
    Case("jobs.get-encoded", "jobs", "get", ("A/B 1",)),
    Case("jobs.get-unicode", "jobs", "get", ("JOB-ä?#%",)),
    Case("tasks.get-nothing", "tasks", "get"),
    Case("tasks.get-all-params", "tasks", "get", (), {"is_open": True, "page": 2, "page_size": 50}),
    Case("tasks.get-false-and-none", "tasks", "get", (), {"is_open": False, "page": None, "page_size": 10}),
    Case("notifications.get", "notifications", "get", (1, 25)),
    Case(
        "notifications.get-all-params",
        "notifications",
        "get",
        (2, 10),
        {"sort": "createdAt:desc", "group": "type", "filter": "severity eq 4", "timeout": 4.0},
    ),
    Case("resource_capacities.get-datetimes", "resource_capacities", "get", (NOW, UTC_LATER)),
    Case(
        "resource_capacities.get-strings",
        "resource_capacities",
        "get",
        ("2024-05-01T00:00:00", "2024-05-31T23:59:59"),
    ),
    Case("time_entries.get-date-and-datetime", "time_entries", "get", (date(2024, 5, 1), UTC_LATER)),
    Case("time_entries.get-strings", "time_entries", "get", ("2024-05-01", "2024-05-31")),
    Case("time_sessions.get-datetime-and-date", "time_sessions", "get", (NOW, date(2024, 5, 2))),
    Case("imports.run-one", "imports", "run", (sample_body("POST", "/import"),)),
    Case(
        "imports.run-mixed-list",
        "imports",
        "run",
        ([sample_body("POST", "/import"), typed_body("POST", "/import", parameterValues=["a", None])],),
    ),
    Case("imports.setup", "imports", "setup", ({"mode": "full"},)),
    Case(
        "geocoding.geocode-dict",
        "geocoding",
        "geocode",
        ({"fullAddress": "Grote Markt 1, Brussel", "country": "BE"},),
    ),
    Case(
        "geocoding.geocode-typed",
        "geocoding",
        "geocode",
        (typed_body("POST", "/geocode", street="Main", city="Ghent"),),
    ),
    Case("geocoding.geocode_text", "geocoding", "geocode_text", ("Grote Markt 1, Brussel", "BE")),
    Case("optimization.field_service", "optimization", "field_service", ({"resources": ["R1"]},)),
    Case("optimization.professional_services", "optimization", "professional_services", ({},)),
    Case(
        "optimization.daily_route", "optimization", "daily_route", ({"date": "2024-05-01"},), {"timeout": 9.0}
    ),
    Case("recommendation.get", "recommendation", "get", (sample_body("POST", "/recommendation"),)),
    Case("recommendation.scorers", "recommendation", "scorers"),
    Case(
        "recurring_appointments.create",
        "recurring_appointments",
        "create",
        (sample_body("POST", "/appointmentRecurring"),),
    ),
    Case(
        "recurring_appointments.delete",
        "recurring_appointments",
        "delete",
        (sample_body("DELETE", "/appointmentRecurring"),),
    ),
    Case(
        "task_assignments.create",
        "task_assignments",
        "create",
        ({"jobNo": "J1", "taskNo": "T1", "resourceNo": "R1"},),
    ),
    Case(
        "task_assignments.create-typed",
        "task_assignments",
        "create",
        (typed_body("POST", "/taskAssignment", jobNo="J1"),),
    ),
    Case(
        "task_assignments.delete",
        "task_assignments",
        "delete",
        ({"jobNo": "J1", "taskNo": "T1", "resourceNo": "R1"},),
    ),
    Case("task_budget_entries.create", "task_budget_entries", "create", ({"jobNo": "J1", "amount": 12.5},)),
    Case(
        "task_budget_entries.create-list",
        "task_budget_entries",
        "create",
        ([{"jobNo": "J1"}, {"jobNo": "J2"}],),
    ),
    Case("task_budget_entries.delete", "task_budget_entries", "delete", ({"jobNo": "J1"},)),
    Case("messages.send", "messages", "send", (sample_body("POST", "/message"),)),
    Case("messages.send-typed", "messages", "send", (typed_body("POST", "/message", user="planner"),)),
    Case("users.create", "users", "create", (sample_body("POST", "/user"),)),
    Case("connectors.create", "connectors", "create", (sample_body("POST", "/connector"),)),
    Case("calendars.get_all", "calendars", "get_all"),
    Case("resource_types.get_all", "resource_types", "get_all", (), {"timeout": 2.0}),
    Case("appointment_dependencies.get_all", "appointment_dependencies", "get_all"),
    Case("appointment_fields.get_all", "appointment_fields", "get_all"),
]


def vendor_table() -> dict[str, Any]:
    """accessor name -> vendor API object, read from a vendor client (never sends anything)."""
    with dimescheduler.DimeSchedulerClient("unused-key", retry=False) as vendor:
        return {name: value for name, value in vars(vendor).items() if not name.startswith("_")}


VENDOR = vendor_table()
CRUD_ROUTES = {name: api._route for name, api in VENDOR.items() if isinstance(api, CrudApi)}
CASES = [case for name, route in CRUD_ROUTES.items() for case in crud_cases(name, route)] + SPECIAL_CASES


def public_methods(obj: Any) -> set[str]:
    return {name for name, _ in inspect.getmembers(obj, callable) if not name.startswith("_")}


def test_every_vendor_accessor_method_has_a_case() -> None:
    wanted = {(name, method) for name, api in VENDOR.items() for method in public_methods(api)}
    covered = {(case.accessor, case.method) for case in CASES}
    assert len(VENDOR) == 52
    assert wanted - covered == set()
    assert covered - wanted == set()


# --- the comparison --------------------------------------------------------------------------------------


def check_result(result: Any, sent: Sent) -> None:
    """Our answer is the typed value the operation promises; lists hold the one item served."""
    template = template_of(sent.method, sent.path)
    assert template is not None
    assert_typed_answer(result, sent.method, template)
    schema = response_schema(sent.method, template)
    if schema is None:
        assert result == {"ok": True}
    elif is_mutation(schema):
        assert result.message == "ok"
    elif schema.get("type") == "array":
        assert len(result) == 1


async def run_async(base_url: str, case: Case) -> Any:
    async with AsyncDimeSchedulerClient(api_key="test-key", environment=base_url, retry=False) as aclient:
        return await case.our_call(aclient)


@pytest.mark.parametrize("case", CASES, ids=[case.id for case in CASES])
def test_same_request_as_vendor(case: Case, api: FakeAPI, vendor: Any, client: DimeSchedulerClient) -> None:
    expected, vendor_result = sent_by(api, lambda: case.vendor_call(vendor))
    assert len(expected) == 1
    assert vendor_result.ok, vendor_result.error
    assert template_of(expected[0].method, expected[0].path) is not None

    got_sync, sync_result = sent_by(api, lambda: case.our_call(client))
    got_async, async_result = sent_by(api, lambda: asyncio.run(run_async(api.base_url, case)))

    assert got_sync == expected
    assert got_async == expected
    check_result(sync_result, got_sync[0])
    check_result(async_result, got_async[0])


# --- specific expectations (independent of the vendor) ---------------------------------------------------


def test_path_values_are_percent_encoded(api: FakeAPI, client: DimeSchedulerClient) -> None:
    sent, _ = sent_by(api, lambda: client.jobs.get("A/B 1"))
    assert sent[0].path == "/job/A%2FB%201"


def test_none_parameters_are_left_out(api: FakeAPI, client: DimeSchedulerClient) -> None:
    sent, _ = sent_by(api, lambda: client.tasks.get(is_open=None, page=None, page_size=None))
    assert sent == [Sent("GET", "/task", {}, None)]


def test_query_encoding_of_get_all(api: FakeAPI, client: DimeSchedulerClient) -> None:
    query = {"isOpen": True, "closed": False, "tag": ["a", "b"], "n": 3, "skip": None}
    sent, _ = sent_by(api, lambda: client.categories.get_all(query=query))
    assert sent[0].query == {"isOpen": ["true"], "closed": ["false"], "tag": ["a", "b"], "n": ["3"]}


def test_time_entries_send_only_the_date(api: FakeAPI, client: DimeSchedulerClient) -> None:
    sent, _ = sent_by(api, lambda: client.time_entries.get(datetime(2024, 5, 1, 23, 59), UTC_LATER))
    assert sent[0].query == {"start": ["2024-05-01"], "end": ["2024-05-02"]}


@pytest.mark.parametrize(
    ("call", "message"),
    [
        (lambda c: c.jobs.get(""), "job_no must not be empty"),
        (lambda c: c.appointments.get_by_id(""), "appointment_id must not be empty"),
        (lambda c: c.jobs.get(7), "job_no must be a string, got int"),
        (
            lambda c: c.categories.create("x"),
            "POST /category: the entity must be a model, a dict or a list of them, got str",
        ),
        (lambda c: c.categories.create([{"name": "a"}, 3]), "item 1 must be a model or a dict, got int"),
        (lambda c: c.tasks.get(page="2"), "page must be an integer, got str"),
        (lambda c: c.tasks.get(is_open="yes"), "is_open must be a bool, got str"),
        (
            lambda c: c.appointments.get(12, NOW),
            "start_date must be a datetime, a date or an ISO string, got int",
        ),
        (lambda c: c.categories.get_all(query=["a"]), "query must be a dict of parameters, got list"),
        (lambda c: c.messages.send([{"text": "x"}]), "must be a model or a dict, got list"),
    ],
)
def test_bad_input_is_refused_before_sending(
    call: Callable[[DimeSchedulerClient], Any], message: str, api: FakeAPI, client: DimeSchedulerClient
) -> None:
    before = len(api.received)
    with pytest.raises(InvalidRequestError) as raised:
        call(client)
    assert message in str(raised.value)
    assert "\n" not in str(raised.value)
    assert len(api.received) == before


def test_async_bad_input_is_refused_before_sending(api: FakeAPI) -> None:
    async def attempt() -> None:
        async with AsyncDimeSchedulerClient(api_key="test-key", environment=api.base_url) as aclient:
            await aclient.jobs.get("")

    before = len(api.received)
    with pytest.raises(InvalidRequestError, match="job_no must not be empty"):
        asyncio.run(attempt())
    assert len(api.received) == before


def test_accessors_are_cached_per_client(api: FakeAPI, client: DimeSchedulerClient) -> None:
    assert client.categories is client.categories
    with DimeSchedulerClient(api_key="test-key", environment=api.base_url) as other:
        assert other.categories is not client.categories
