"""Dict bodies are checked against the route's entity, not one schema; a route the vendor document lacks
sends nothing; a route generation left out stays callable with untyped JSON.

Sync and async clients on an httpx.MockTransport that records every request it gets.
"""

from __future__ import annotations

import asyncio
import json
import runpy
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
from dimescheduler_openapi import (
    AsyncDimeSchedulerClient,
    DimeSchedulerClient,
    InvalidRequestError,
    UnsupportedOperationError,
)
from dimescheduler_openapi._resources import _body_check, _resolve
from dimescheduler_raw import routes
from specpipe.routes import render_routes

ENVELOPE = {"content": json.dumps({"Success": True}), "contentType": "application/json", "statusCode": 200}


class Recorder:
    def __init__(self, answer: Any = None) -> None:
        self.sent: list[httpx.Request] = []
        self.answer = ENVELOPE if answer is None else answer

    def __call__(self, request: httpx.Request) -> httpx.Response:
        self.sent.append(request)
        body = self.answer if request.method != "GET" else [{"name": "a"}]
        return httpx.Response(200, json=body)

    def bodies(self) -> list[Any]:
        return [json.loads(request.content) for request in self.sent if request.content]


def sync_client(recorder: Recorder) -> DimeSchedulerClient:
    http = httpx.Client(transport=httpx.MockTransport(recorder))
    return DimeSchedulerClient(api_key="k", environment="http://127.0.0.1:1", http_client=http, retry=False)


def run_both(action: Callable[[Any], Any]) -> tuple[Recorder, Recorder]:
    """`action` on a sync and on an async client; the requests each sent."""
    sync, asynchronous = Recorder(), Recorder()
    with sync_client(sync) as client:
        action(client)

    async def run() -> None:
        http = httpx.AsyncClient(transport=httpx.MockTransport(asynchronous))
        async with AsyncDimeSchedulerClient(
            api_key="k", environment="http://127.0.0.1:1", http_client=http, retry=False
        ) as aclient:
            result = action(aclient)
            if asyncio.iscoroutine(result):
                await result

    asyncio.run(run())
    return sync, asynchronous


def clear_caches() -> None:
    for cached in (
        _resolve.route,
        _resolve.ensure_route,
        _resolve.left_out,
        _resolve.response_model,
        _resolve.documented_success,
        _body_check._fields,
        _body_check._entity,
    ):
        cached.cache_clear()


@pytest.fixture(autouse=True)
def fresh_tables() -> Iterator[None]:
    clear_caches()
    yield
    clear_caches()


# --- the 11 bodies the vendor SDK sends that the contract allows -------------------------------------------

JOB = {"sourceApp": "BC", "sourceType": "SO", "jobNo": "J1", "shortDescription": "Boiler", "customerNo": "C1"}
TASK = {"sourceApp": "BC", "sourceType": "SO", "jobNo": "J1", "taskNo": "T1", "shortDescription": "Fix"}
CATEGORY = {"name": "urgent", "displayName": "Urgent", "color": "#FF0000"}
APPOINTMENT = {
    "appointmentId": 7,
    "sourceApp": "BC",
    "sourceType": "SO",
    "jobNo": "J1",
    "taskNo": "T1",
    "resourceNo": "R1",
    "start": "2024-05-01T08:00:00Z",
    "end": "2024-05-01T10:00:00Z",
    "subject": "Visit",
}
RESOURCE_CALENDAR = {
    "code": "C1",
    "resourceNo": "R1",
    "calendarCode": "DEFAULT",
    "startDate": "2024-01-01",
    "endDate": None,
}
PROJECT_MEMBER = {"sourceApp": "BC", "sourceType": "SO", "jobNo": "J1", "resourceNo": "R1", "role": "lead"}
TASK_DEPENDENCY = {
    "jobNo": "J1",
    "taskNo": "T2",
    "predecessorTaskNo": "T1",
    "successorTaskNo": "T3",
    "lagType": 0,
}

ALLOWED: dict[str, tuple[Callable[[Any], Any], str, dict[str, Any]]] = {
    "jobs.delete(whole job)": (lambda c: c.jobs.delete(JOB), "DELETE /job", JOB),
    "tasks.delete(whole task)": (lambda c: c.tasks.delete(TASK), "DELETE /task", TASK),
    "categories.delete(whole category)": (
        lambda c: c.categories.delete(CATEGORY),
        "DELETE /category",
        CATEGORY,
    ),
    "appointments.delete(whole appointment)": (
        lambda c: c.appointments.delete(APPOINTMENT),
        "DELETE /appointment",
        APPOINTMENT,
    ),
    "resource_calendars.delete(whole calendar)": (
        lambda c: c.resource_calendars.delete(RESOURCE_CALENDAR),
        "DELETE /resourceCalendar",
        RESOURCE_CALENDAR,
    ),
    "project_members.create": (
        lambda c: c.project_members.create(PROJECT_MEMBER),
        "POST /projectMember",
        PROJECT_MEMBER,
    ),
    "project_members.update": (
        lambda c: c.project_members.update(PROJECT_MEMBER),
        "PUT /projectMember",
        PROJECT_MEMBER,
    ),
    "project_members.delete": (
        lambda c: c.project_members.delete(PROJECT_MEMBER),
        "DELETE /projectMember",
        PROJECT_MEMBER,
    ),
    "task_dependencies.create": (
        lambda c: c.task_dependencies.create(TASK_DEPENDENCY),
        "POST /taskDependency",
        TASK_DEPENDENCY,
    ),
    "task_dependencies.update": (
        lambda c: c.task_dependencies.update(TASK_DEPENDENCY),
        "PUT /taskDependency",
        TASK_DEPENDENCY,
    ),
    "task_dependencies.delete": (
        lambda c: c.task_dependencies.delete(TASK_DEPENDENCY),
        "DELETE /taskDependency",
        TASK_DEPENDENCY,
    ),
}


@pytest.mark.parametrize("name", sorted(ALLOWED))
def test_bodies_the_contract_allows_are_sent_as_given(name: str) -> None:
    action, route, body = ALLOWED[name]
    for recorder in run_both(action):
        assert [f"{r.method} {r.url.path}" for r in recorder.sent] == [route]
        assert recorder.bodies() == [body]


def test_eleven_cases() -> None:
    assert len(ALLOWED) == 11


@pytest.mark.parametrize(
    ("action", "message"),
    [
        (
            lambda c: c.categories.delete({**CATEGORY, "colour": "red"}),
            "DELETE /category: unknown field 'colour' (did you mean 'color'?)",
        ),
        (
            lambda c: c.jobs.delete({**JOB, "shortDescriptoin": "x"}),
            "DELETE /job: unknown field 'shortDescriptoin' (did you mean 'shortDescription'?)",
        ),
        (
            lambda c: c.jobs.create({**JOB, "jobNr": "J1"}),
            "POST /job: unknown field 'jobNr' (did you mean 'jobNo'?)",
        ),
        (
            lambda c: c.categories.delete({"displayName": "Urgent"}),
            "DELETE /category: missing required field 'name'",
        ),
    ],
)
def test_keys_no_model_of_the_entity_knows_are_refused_before_sending(
    action: Callable[[Any], Any], message: str
) -> None:
    recorder = Recorder()
    with sync_client(recorder) as client, pytest.raises(InvalidRequestError) as caught:
        action(client)
    assert str(caught.value) == message
    assert recorder.sent == []


def test_a_field_only_the_read_model_has_is_accepted_in_a_write() -> None:
    """A category read (CategoryListItem) carries `id`, which the write model lacks: writing it back works."""
    read = _body_check._json_keys(str(routes.ROUTES["GET", "/category"].response))
    written = {name.lower() for name in routes.ROUTES["POST", "/category"].body_fields}
    assert "id" in read and "id" not in written
    body = {**CATEGORY, "id": 12}
    sync, asynchronous = run_both(lambda c: c.categories.update(body))
    assert sync.bodies() == asynchronous.bodies() == [body]


# --- removed routes: nothing is sent -----------------------------------------------------------------------

REMOVED: dict[str, tuple[tuple[str, str], Callable[[Any], Any]]] = {
    "crud create": (("POST", "/tag"), lambda c: c.tags.create({"name": "t"})),
    "crud update": (("PUT", "/tag"), lambda c: c.tags.update([{"name": "t"}])),
    "crud delete": (("DELETE", "/tag"), lambda c: c.tags.delete({"name": "t"})),
    "crud get_all": (("GET", "/tag"), lambda c: c.tags.get_all()),
    "listing get_all": (("GET", "/calendar"), lambda c: c.calendars.get_all()),
    "read by key": (("GET", "/job/{jobNo}"), lambda c: c.jobs.get("J1")),
    "page": (("GET", "/notification"), lambda c: c.notifications.get(1, 10)),
    "purpose-built write": (("POST", "/geocode"), lambda c: c.geocoding.geocode({"country": "BE"})),
    "purpose-built read": (("GET", "/geocode"), lambda c: c.geocoding.geocode_text("Main 1", "BE")),
    "purpose-built delete": (
        ("DELETE", "/taskAssignment"),
        lambda c: c.task_assignments.delete({"jobNo": "J1", "taskNo": "T1", "resourceNo": "R1"}),
    ),
    "import": (("POST", "/import"), lambda c: c.imports.run({"procedureName": "x", "parameterNames": []})),
    "message": (("POST", "/message"), lambda c: c.messages.send({"text": "hi"})),
}


@pytest.mark.parametrize("kind", sorted(REMOVED))
def test_a_route_the_vendor_removed_sends_nothing(kind: str, monkeypatch: pytest.MonkeyPatch) -> None:
    key, action = REMOVED[kind]
    monkeypatch.delitem(routes.ROUTES, key)
    sync, asynchronous = Recorder(), Recorder()
    with sync_client(sync) as client, pytest.raises(UnsupportedOperationError) as caught:
        action(client)

    async def run() -> None:
        http = httpx.AsyncClient(transport=httpx.MockTransport(asynchronous))
        async with AsyncDimeSchedulerClient(
            api_key="k", environment="http://127.0.0.1:1", http_client=http
        ) as c:
            await action(c)

    with pytest.raises(UnsupportedOperationError):
        asyncio.run(run())
    assert sync.sent == [] and asynchronous.sent == []
    assert str(caught.value) == (
        f"{key[0]} {key[1]} is not in the vendor document the client was generated from (the vendor removed "
        "it); nothing was sent"
    )


def test_a_route_generation_left_out_is_sent_with_untyped_json(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delitem(routes.ROUTES, ("GET", "/tag"))
    monkeypatch.delitem(routes.ROUTES, ("POST", "/tag"))
    monkeypatch.setattr(
        routes,
        "LEFT_OUT",
        {("GET", "/tag"): "a schema it cannot read", ("POST", "/tag"): "a schema it cannot read"},
    )
    sync, asynchronous = run_both(lambda c: c.tags.get_all())
    assert [f"{r.method} {r.url.path}" for r in sync.sent + asynchronous.sent] == ["GET /tag", "GET /tag"]
    recorder = Recorder()
    with sync_client(recorder) as client:
        untyped: Any = client.tags.get_all()
        assert untyped == [{"name": "a"}]  # untyped JSON
        assert client.tags.create({"anything": 1}).success  # no body model to check against
    assert recorder.bodies() == [{"anything": 1}]


def test_the_route_table_lists_what_generation_left_out(tmp_path: Path) -> None:
    """`nox -s generate` writes LEFT_OUT from the generator's report: method upper case, reason as given."""
    text = render_routes([], [("get", "/gone", "a schema it cannot read"), ("post", "/odd", "no body model")])
    (tmp_path / "routes.py").write_text(text, encoding="utf-8")
    table = runpy.run_path(str(tmp_path / "routes.py"))
    assert table["LEFT_OUT"] == {
        ("GET", "/gone"): "a schema it cannot read",
        ("POST", "/odd"): "no body model",
    }
    assert table["ROUTES"] == {}
    assert routes.LEFT_OUT == {}  # the pinned document: openapi-python-client reads all of it
