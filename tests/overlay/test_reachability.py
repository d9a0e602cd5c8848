"""Every operation of openapi/dimescheduler.json is reachable through an accessor method or listed raw-only.

The mapping is the one the package declares (`declared_operations()`, `RAW_ONLY`); these tests check it
against the document and against the Calls the methods really build, so the declaration cannot drift.
"""

from __future__ import annotations

import asyncio
import inspect
import re
from typing import Any

import pytest
from dimescheduler_openapi._call import Call
from dimescheduler_openapi._resources import RAW_ONLY, AsyncResources, SyncResources, declared_operations
from spec_samples import operations

SPEC_OPERATIONS = {(method, path) for method, path, _ in operations()}
SYNC = declared_operations(SyncResources)
ASYNC = declared_operations(AsyncResources)
COVERED = {(endpoint.method, endpoint.path) for methods in SYNC.values() for endpoint in methods.values()}
RAW = {(endpoint.method, endpoint.path) for endpoint in RAW_ONLY}


def test_the_document_has_the_expected_size() -> None:
    assert len(SPEC_OPERATIONS) == 177


def test_every_operation_is_covered_or_raw_only() -> None:
    missing = sorted(SPEC_OPERATIONS - COVERED - RAW)
    assert missing == [], f"operations with no accessor method and not listed raw-only: {missing}"


def test_declared_operations_exist_in_the_document() -> None:
    assert sorted(COVERED - SPEC_OPERATIONS) == []


def test_raw_only_operations_exist_and_are_not_also_covered() -> None:
    assert sorted(RAW - SPEC_OPERATIONS) == []
    assert sorted(RAW & COVERED) == []
    assert {("POST", "/token")} == RAW
    assert all(reason.strip() for reason in RAW_ONLY.values())


def test_sync_and_async_declare_the_same_surface() -> None:
    assert SYNC == ASYNC
    assert len(SYNC) == 52


def public_methods(resource: Any) -> set[str]:
    return {name for name, _ in inspect.getmembers(type(resource), callable) if not name.startswith("_")}


def resource_of(resources: type[Any], accessor: str, executor: Any) -> Any:
    return vars(resources)[accessor].func(executor)


@pytest.mark.parametrize("accessor", sorted(SYNC))
def test_every_public_method_is_declared(accessor: str) -> None:
    for resources in (SyncResources, AsyncResources):
        resource = resource_of(resources, accessor, None)
        assert public_methods(resource) == set(SYNC[accessor]), f"{resources.__name__}.{accessor}"


# --- the declaration matches what the methods build ----------------------------------------------------


class Built(Exception):
    """Raised by the recording executors so nothing is sent and nothing needs parsing."""

    def __init__(self, call: Call[Any]) -> None:
        super().__init__(f"{call.method} {call.path}")
        self.call = call


class RecordingExecutor:
    def execute(self, call: Call[Any], *, timeout: Any = None) -> Any:
        raise Built(call)


class AsyncRecordingExecutor:
    async def execute(self, call: Call[Any], *, timeout: Any = None) -> Any:
        raise Built(call)


ARGUMENTS: dict[tuple[str, str], tuple[Any, ...]] = {
    ("appointments", "get"): ("2024-05-01T00:00:00Z", "2024-05-02T00:00:00Z"),
    ("appointments", "get_by_id"): ("A/1",),
    ("jobs", "get"): ("J 1",),
    ("notifications", "get"): (1, 10),
    ("resource_capacities", "get"): ("2024-05-01T00:00:00Z", "2024-05-02T00:00:00Z"),
    ("time_entries", "get"): ("2024-05-01", "2024-05-02"),
    ("time_sessions", "get"): ("2024-05-01", "2024-05-02"),
    ("geocoding", "geocode_text"): ("Grote Markt 1", "BE"),
}


class EmptyModel:
    """A typed body (dict bodies are checked against the route's model since issue 9; models are not)."""

    def to_dict(self) -> dict[str, Any]:
        return {}


def arguments(accessor: str, method: str, bound: Any) -> tuple[Any, ...]:
    if (accessor, method) in ARGUMENTS:
        return ARGUMENTS[accessor, method]
    required = [
        p
        for p in inspect.signature(bound).parameters.values()
        if p.default is inspect.Parameter.empty and p.kind is inspect.Parameter.POSITIONAL_OR_KEYWORD
    ]
    assert len(required) <= 1, f"{accessor}.{method} needs sample arguments in ARGUMENTS"
    return (EmptyModel(),) if required else ()


def template_regex(path: str) -> str:
    return "".join(
        "[^/]+" if part.startswith("{") else re.escape(part) for part in re.split(r"(\{\w+\})", path)
    )


def built_by_sync(accessor: str, method: str) -> Call[Any]:
    bound = getattr(resource_of(SyncResources, accessor, RecordingExecutor()), method)
    with pytest.raises(Built) as built:
        result = bound(*arguments(accessor, method, bound))
        next(result)  # iter_all: the first page is requested on the first item
    return built.value.call


def built_by_async(accessor: str, method: str) -> Call[Any]:
    bound = getattr(resource_of(AsyncResources, accessor, AsyncRecordingExecutor()), method)

    async def run() -> None:
        result = bound(*arguments(accessor, method, bound))
        await (anext(result) if hasattr(result, "__anext__") else result)

    with pytest.raises(Built) as built:
        asyncio.run(run())
    return built.value.call


CASES = [(accessor, method) for accessor, methods in sorted(SYNC.items()) for method in sorted(methods)]


@pytest.mark.parametrize(("accessor", "method"), CASES, ids=[f"{a}.{m}" for a, m in CASES])
def test_methods_build_the_declared_operation(accessor: str, method: str) -> None:
    endpoint = SYNC[accessor][method]
    for call in (built_by_sync(accessor, method), built_by_async(accessor, method)):
        assert call.method == endpoint.method
        assert re.fullmatch(template_regex(endpoint.path), call.path), (call.path, endpoint.path)


# --- the CRUD table agrees with its annotations and with the document ----------------------------------


def table_rows() -> dict[str, Any]:
    from dimescheduler_openapi._resources import _table

    return {name: getattr(_table, name) for name in _table.__annotations__}


@pytest.mark.parametrize("name", sorted(table_rows()))
def test_table_row_annotation_names_the_stable_models_of_its_route(name: str) -> None:
    from dimescheduler_openapi._resources import _table
    from dimescheduler_openapi._resources._crud import Crud
    from dimescheduler_openapi._resources._names import STABLE_MODELS
    from dimescheduler_raw.routes import ROUTES

    row = table_rows()[name]
    annotated = [word for word in re.findall(r"\w+", _table.__annotations__[name]) if word != "list"]
    if isinstance(row, Crud):
        write, read, delete = annotated[1:]
        assert annotated[0] == "Crud"
        assert STABLE_MODELS[write] == ("POST", row.route, "body")
        assert STABLE_MODELS[read] == ("GET", row.route, "response")
        # A DELETE that takes the write model itself is annotated with the write model's name.
        assert STABLE_MODELS[delete] in {("DELETE", row.route, "body"), ("POST", row.route, "body")}
        assert ROUTES["PUT", row.route].body == ROUTES["POST", row.route].body
        assert row.single_read == (ROUTES["GET", row.route].response_shape != "list")
    else:
        assert annotated[0] == "Listing"
        assert STABLE_MODELS[annotated[1]] == ("GET", row.route, "response")
        assert ROUTES["GET", row.route].response_shape == "list"


def test_resource_repr_names_what_each_method_sends() -> None:
    from dimescheduler_openapi import DimeSchedulerClient

    with DimeSchedulerClient(api_key="repr-secret", environment="http://127.0.0.1:1") as client:
        shown = repr(client.categories)
    assert shown == (
        "<SyncCategories: create=POST /category, delete=DELETE /category, get_all=GET /category, "
        "update=PUT /category>"
    )
    assert "repr-secret" not in shown
