"""Every call of the vendor SDK's surface (dimescheduler 0.3.1: 52 accessors, 182 public methods), made with
realistic records, sends the same request from our clients as from the vendor SDK, and none is refused.

Realistic records are whole ones: every property of the write model with a value, and a delete given the
whole record it deletes (`jobs.delete(job)`, as the vendor SDK sends it and ASP.NET binding accepts: it
ignores properties the delete model lacks). Entities the vendor documents no fields for (ProjectMember,
TaskDependency) get keys the document does not list. The recording server and the vendor client come from
test_resources_wire.py.
"""

from __future__ import annotations

import asyncio
from typing import Any

import pytest
from dimescheduler_openapi import DimeSchedulerClient
from dimescheduler_openapi._resources._operations import declared_operations
from fakeapi import FakeAPI
from spec_samples import request_schema, resolve
from test_lenient_reads import sample
from test_resources_wire import (
    SPECIAL_CASES,
    VENDOR,
    Case,
    api,
    client,
    public_methods,
    run_async,
    sent_by,
    vendor,
)

__all__ = ["api", "client", "vendor"]  # fixtures shared with test_resources_wire

# Keys the document does not list for the entities it documents no fields for (their vendor .NET types).
UNLISTED = {
    "/projectMember": {"isProjectManager": True, "role": "planner"},
    "/taskDependency": {"successorTaskNo": "T2", "dependencyType": 0},
}


def whole_record(method: str, route: str) -> dict[str, Any]:
    """Every property of the model `method route` takes, each with a value its schema accepts."""
    schema = resolve(request_schema(method, route))
    single = resolve(schema["oneOf"][0]) if "oneOf" in schema else schema
    properties = single.get("properties", {})
    return {name: sample(prop) for name, prop in properties.items()} | UNLISTED.get(route, {})


def crud_cases(accessor: str, route: str) -> list[Case]:
    record = whole_record("POST", route)
    return [
        Case(f"{accessor}.create", accessor, "create", (record,)),
        Case(f"{accessor}.update", accessor, "update", ([record, record],)),
        Case(f"{accessor}.delete-whole-record", accessor, "delete", (record,)),
        Case(f"{accessor}.get_all", accessor, "get_all"),
    ]


def first_per_method(cases: list[Case]) -> list[Case]:
    seen: dict[tuple[str, str], Case] = {}
    for case in cases:
        seen.setdefault((case.accessor, case.method), case)
    return list(seen.values())


SURFACE = {(name, method) for name, api_ in VENDOR.items() for method in public_methods(api_)}
# Accessors with create/update/delete/get_all (CrudApi and the richer JobApi, AppointmentApi, ...): the route
# their create sends, as our accessor declares it.
CRUD = {
    name: declared_operations()[name]["create"].path
    for name in VENDOR
    if {(name, m) for m in ("create", "update", "delete", "get_all")} <= SURFACE
}
WHOLE_RECORD_CASES = [case for name, route in CRUD.items() for case in crud_cases(name, route)]
COVERED = {(case.accessor, case.method) for case in WHOLE_RECORD_CASES}
CASES = WHOLE_RECORD_CASES + first_per_method(
    [case for case in SPECIAL_CASES if (case.accessor, case.method) not in COVERED]
)


def test_the_cases_are_the_whole_vendor_surface() -> None:
    assert len(SURFACE) == 182
    assert {(case.accessor, case.method) for case in CASES} == SURFACE
    assert len(CASES) == 182


@pytest.mark.parametrize("case", CASES, ids=[case.id for case in CASES])
def test_same_request_as_the_vendor_sdk(
    case: Case, api: FakeAPI, vendor: Any, client: DimeSchedulerClient
) -> None:
    expected, vendor_result = sent_by(api, lambda: case.vendor_call(vendor))
    assert len(expected) == 1 and vendor_result.ok, vendor_result.error
    got, _ = sent_by(api, lambda: case.our_call(client))
    got_async, _ = sent_by(api, lambda: asyncio.run(run_async(api.base_url, case)))
    assert got == expected
    assert got_async == expected
