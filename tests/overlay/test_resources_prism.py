"""Every accessor method against Prism serving openapi/dimescheduler.json: valid requests, typed answers.

Prism (`--errors`) refuses a request that breaks the document (400 or 422), which our client raises,
so each call passing means the request was valid. Inputs are built from the document (required fields,
formats, patterns) as dicts, typed models and lists; the methods come from `declared_operations()`, so a
new accessor method is exercised here without editing this file.
"""

from __future__ import annotations

import asyncio
from collections.abc import Iterator
from datetime import UTC, date, datetime
from typing import Any

import pytest
from dimescheduler_openapi import (
    AsyncDimeSchedulerClient,
    BadRequestError,
    DimeSchedulerClient,
)
from dimescheduler_openapi._call import call
from dimescheduler_openapi._parsing import parse_mutation
from dimescheduler_openapi._resources import AsyncResources, SyncResources, declared_operations
from dimescheduler_openapi.models import NotificationListItem, TaskListItem
from dimescheduler_raw import models
from prism import prism_url  # noqa: F401  (session fixture)
from spec_samples import (
    assert_typed_answer,
    minimal,
    ref_name,
    request_schema,
    resolve,
    sample_body,
    spec,
)

pytestmark = pytest.mark.node

START = datetime(2024, 5, 1, 8, 0, tzinfo=UTC)
END = datetime(2024, 5, 2, 17, 30, tzinfo=UTC)

ARGUMENTS: dict[tuple[str, str], tuple[tuple[Any, ...], dict[str, Any]]] = {
    ("appointments", "get"): ((START, END), {"resources": ["R1", "R 2"]}),
    ("appointments", "get_by_id"): (("A/1",), {}),
    ("jobs", "get"): (("JOB 1/2",), {}),
    ("tasks", "get"): ((), {"is_open": True, "page": 1, "page_size": 25}),
    ("tasks", "iter_all"): ((), {"page_size": 100, "is_open": False}),
    ("notifications", "get"): ((1, 25), {"sort": "createdAt:desc", "group": "type", "filter": "x"}),
    ("notifications", "iter_all"): ((), {"limit": 100, "sort": "createdAt:desc"}),
    ("resource_capacities", "get"): ((START, END), {}),
    ("time_entries", "get"): ((date(2024, 5, 1), END), {}),
    ("time_sessions", "get"): (("2024-05-01", "2024-05-31"), {}),
    ("geocoding", "geocode_text"): (("Grote Markt 1, Brussel", "BE"), {}),
    ("recommendation", "scorers"): ((), {}),
}


def required_query(path: str) -> dict[str, Any]:
    parameters = spec()["paths"][path]["get"].get("parameters", [])
    return {p["name"]: minimal(p["schema"]) for p in parameters if p["in"] == "query" and p.get("required")}


def arguments(
    accessor: str, method: str, http_method: str, path: str
) -> tuple[tuple[Any, ...], dict[str, Any]]:
    if (accessor, method) in ARGUMENTS:
        return ARGUMENTS[accessor, method]
    if method == "get_all":
        query = required_query(path)
        return ((query,) if query else (), {})
    return ((sample_body(http_method, path),), {})


def typed_body(http_method: str, path: str) -> Any:
    """The minimal body as a typed model (the one-object form of one-or-many bodies)."""
    schema = resolve(request_schema(http_method, path))
    single = schema["oneOf"][0] if "oneOf" in schema else schema
    return getattr(models, ref_name(single)).from_dict(minimal(single))


Case = tuple[str, str, tuple[Any, ...], dict[str, Any], str, str]


def cases() -> Iterator[tuple[str, Case]]:
    for accessor, methods in sorted(declared_operations().items()):
        for method, endpoint in sorted(methods.items()):
            args, kwargs = arguments(accessor, method, endpoint.method, endpoint.path)
            base = (accessor, method, args, kwargs, endpoint.method, endpoint.path)
            yield f"{accessor}.{method}", base
            if method in ("create", "update", "delete") and "oneOf" in resolve(
                request_schema(endpoint.method, endpoint.path)
            ):
                many = sample_body(endpoint.method, endpoint.path, as_list=True)
                typed = typed_body(endpoint.method, endpoint.path)
                yield (
                    f"{accessor}.{method}-list",
                    (accessor, method, (many,), {}, endpoint.method, endpoint.path),
                )
                yield (
                    f"{accessor}.{method}-typed",
                    (accessor, method, (typed,), {}, endpoint.method, endpoint.path),
                )
                mixed = [typed, many[0]]
                yield (
                    f"{accessor}.{method}-mixed",
                    (accessor, method, (mixed,), {}, endpoint.method, endpoint.path),
                )


CASES = dict(cases())


def check(result: Any, method: str, http_method: str, path: str) -> None:
    if method == "iter_all":
        items = list(result)
        item_model = NotificationListItem if path == "/notification" else TaskListItem
        assert items and all(isinstance(item, item_model) for item in items)
        return
    assert_typed_answer(result, http_method, path)


@pytest.fixture(scope="module")
def client(prism_url: str) -> Iterator[DimeSchedulerClient]:  # noqa: F811
    with DimeSchedulerClient(api_key="test-key", environment=prism_url, retry=False) as prism_client:
        yield prism_client


def test_every_declared_method_has_a_case() -> None:
    declared = {f"{a}.{m}" for a, methods in declared_operations(SyncResources).items() for m in methods}
    assert declared == {case_id for case_id in CASES if "-" not in case_id}
    assert declared_operations(AsyncResources) == declared_operations(SyncResources)


@pytest.mark.parametrize("case_id", list(CASES))
def test_sync_call_is_valid_and_typed(case_id: str, client: DimeSchedulerClient) -> None:
    accessor, method, args, kwargs, http_method, path = CASES[case_id]
    result = getattr(getattr(client, accessor), method)(*args, **kwargs)
    check(result, method, http_method, path)


@pytest.mark.parametrize("case_id", [case_id for case_id in CASES if "-" not in case_id])
def test_async_call_is_valid_and_typed(case_id: str, prism_url: str) -> None:  # noqa: F811
    accessor, method, args, kwargs, http_method, path = CASES[case_id]

    async def run() -> Any:
        async with AsyncDimeSchedulerClient(
            api_key="test-key", environment=prism_url, retry=False
        ) as aclient:
            result = getattr(getattr(aclient, accessor), method)(*args, **kwargs)
            if method == "iter_all":
                return [item async for item in result]
            return await result

    check(asyncio.run(run()), method, http_method, path)


def test_prism_rejects_a_request_that_breaks_the_document(client: DimeSchedulerClient) -> None:
    """The guard the other tests rely on: an invalid body is refused, not mocked.

    Prism answers a violation with the operation's documented 400 (422 only where none is documented)
    and lists what was wrong in its `sl-violations` header.
    """
    body = {"name": "no display name or color"}  # `categories.create` refuses it before sending (issue 9)
    with pytest.raises(BadRequestError) as refused:
        client.execute(call("POST", "/category", parse_mutation, json=body, has_body=True))
    violations = refused.value.response.headers["sl-violations"]
    assert "displayName" in violations and "color" in violations
