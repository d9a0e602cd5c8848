"""The public-API comparison of two generated packages, and the overlay's vanished operations."""

from __future__ import annotations

import textwrap
from pathlib import Path
from typing import Any, Final

import pytest
from specpipe.drift_changes import BREAKING, NON_BREAKING
from specpipe.drift_overlay import OverlayOperation, declared_overlay_operations, overlay_impact
from specpipe.drift_python_api import ApiChange, compare_api, read_api

B: Final = BREAKING
N: Final = NON_BREAKING

MODEL = """
    from enum import Enum
    from attrs import define

    @define
    class Job:
        job_no: str
        name: str | Unset = UNSET
        duration: int | Unset = UNSET
        _private: int = 0

        def to_dict(self) -> dict[str, Any]:
            return {}

        @classmethod
        def from_dict(cls, src_dict: Mapping[str, Any]) -> "Job":
            return cls()

    class Status(str, Enum):
        OPEN = "open"
        DONE = "done"
"""

ENDPOINT = """
    def _get_kwargs(job_no: str) -> dict[str, Any]:
        return {}

    def sync(job_no: str, *, client: Client, page: int | Unset = UNSET) -> Job | None:
        return None

    async def asyncio(job_no: str, *, client: Client, page: int | Unset = UNSET) -> Job | None:
        return None
"""


def package(root: Path, files: dict[str, str]) -> Path:
    pkg = root / "dimescheduler_raw"
    for name, source in {"__init__.py": "", "api/__init__.py": "", **files}.items():
        path = pkg / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(textwrap.dedent(source), encoding="utf-8")
    return pkg


def diff(tmp_path: Path, before: dict[str, str], after: dict[str, str]) -> list[ApiChange]:
    old = package(tmp_path / "old", before)
    new = package(tmp_path / "new", after)
    return compare_api(read_api(old), read_api(new))


def rows(changes: list[ApiChange]) -> list[tuple[str, str, str]]:
    return [(c.kind, c.severity, c.object) for c in changes]


BEFORE = {"models/job.py": MODEL, "api/job/job_get.py": ENDPOINT, "api/job/__init__.py": ""}


def test_identical_packages_have_no_changes(tmp_path: Path) -> None:
    assert diff(tmp_path, BEFORE, BEFORE) == []


def test_private_names_are_not_part_of_the_api(tmp_path: Path) -> None:
    after = {**BEFORE, "models/job.py": MODEL.replace("_private: int = 0", "_private: str = ''")}
    after["api/job/job_get.py"] = ENDPOINT.replace("def _get_kwargs(job_no: str)", "def _get_kwargs(no: int)")
    after["_helpers.py"] = "def anything() -> None: ..."
    assert diff(tmp_path, BEFORE, after) == []


def test_field_type_change_and_removal_are_breaking(tmp_path: Path) -> None:
    model = MODEL.replace("duration: int | Unset = UNSET", "duration: str | Unset = UNSET")
    model = model.replace("        name: str | Unset = UNSET\n", "")
    found = diff(tmp_path, BEFORE, {**BEFORE, "models/job.py": model})
    assert rows(found) == [
        ("changed", B, "dimescheduler_raw.models.job.Job.duration"),
        ("removed", B, "dimescheduler_raw.models.job.Job.name"),
    ]
    assert "from `int | Unset` to `str | Unset`" in found[0].message


def test_new_fields_break_only_when_required(tmp_path: Path) -> None:
    model = MODEL.replace(
        "job_no: str\n", "job_no: str\n        site: str\n        notes: str | Unset = UNSET\n"
    )
    found = diff(tmp_path, BEFORE, {**BEFORE, "models/job.py": model})
    assert rows(found) == [
        ("added", B, "dimescheduler_raw.models.job.Job.site"),
        ("added", N, "dimescheduler_raw.models.job.Job.notes"),
    ]


def test_field_becoming_required_or_optional(tmp_path: Path) -> None:
    model = MODEL.replace("job_no: str\n", "job_no: str = ''\n").replace(
        "name: str | Unset = UNSET", "name: str | Unset"
    )
    found = diff(tmp_path, BEFORE, {**BEFORE, "models/job.py": model})
    assert [(c.severity, c.message.split("` ")[-1]) for c in found] == [
        (B, "became required."),
        (N, "became optional."),
    ]


def test_enum_members(tmp_path: Path) -> None:
    model = MODEL.replace('DONE = "done"', 'CLOSED = "closed"').replace('OPEN = "open"', 'OPEN = "opened"')
    found = diff(tmp_path, BEFORE, {**BEFORE, "models/job.py": model})
    assert rows(found) == [
        ("removed", B, "dimescheduler_raw.models.job.Status.DONE"),
        ("changed", B, "dimescheduler_raw.models.job.Status.OPEN"),
        ("added", N, "dimescheduler_raw.models.job.Status.CLOSED"),
    ]


def test_function_signatures(tmp_path: Path) -> None:
    endpoint = ENDPOINT.replace(
        "def sync(job_no: str, *, client: Client, page: int | Unset = UNSET) -> Job | None:",
        "def sync(job_no: int, *, client: Client, tenant: str, size: int = 10) -> Job | Error | None:",
    )
    found = diff(tmp_path, BEFORE, {**BEFORE, "api/job/job_get.py": endpoint})
    messages = sorted(
        (c.severity, c.message.replace("`dimescheduler_raw.api.job.job_get.sync`", "sync")) for c in found
    )
    assert messages == [
        (B, "Parameter `page` of sync was removed."),
        (B, "Required parameter `tenant` was added to sync."),
        (B, "Return type of sync changed from `Job | None` to `Job | Error | None`."),
        (B, "Type of parameter `job_no` of sync changed from `str` to `int`."),
        (N, "Optional parameter `size` was added to sync."),
    ]


def test_parameter_kind_and_order(tmp_path: Path) -> None:
    before = {"api/f.py": "def f(a: int, b: int, *, c: int) -> None: ..."}
    after = {"api/f.py": "def f(b: int, a: int, c: int) -> None: ..."}
    messages = [c.message for c in diff(tmp_path, before, after)]
    assert messages == [
        "Parameter `c` of `dimescheduler_raw.api.f.f` changed from keyword to positional.",
        "Positional parameters of `dimescheduler_raw.api.f.f` were reordered: (a, b) -> (b, a).",
    ]


def test_removed_package_is_reported_once_not_per_module(tmp_path: Path) -> None:
    before = {
        **BEFORE,
        "api/site/__init__.py": "",
        "api/site/site_get.py": ENDPOINT,
        "api/site/site_put.py": ENDPOINT,
    }
    found = diff(tmp_path, before, BEFORE)
    assert rows(found) == [("removed", B, "dimescheduler_raw.api.site")]
    assert rows(diff(tmp_path / "reverse", BEFORE, before)) == [("added", N, "dimescheduler_raw.api.site")]


def test_removed_class_is_reported_once(tmp_path: Path) -> None:
    model = MODEL[: MODEL.index("    class Status")]
    assert rows(diff(tmp_path, BEFORE, {**BEFORE, "models/job.py": model})) == [
        ("removed", B, "dimescheduler_raw.models.job.Status")
    ]


def test_reads_the_committed_package() -> None:
    api = read_api(Path(__file__).resolve().parents[2] / "generated" / "dimescheduler_raw")
    module = api["dimescheduler_raw.api.job.job_get_job_by_job_no"]
    assert {"sync", "sync_detailed", "asyncio", "asyncio_detailed"} <= module.functions.keys()
    params = {p.name: p for p in module.functions["sync"].params}
    assert params["job_no"].kind == "positional" and params["job_no"].annotation == "str"
    assert params["client"].kind == "keyword" and params["client"].required
    fields = api["dimescheduler_raw.models.job_list_item"].classes["JobListItem"].fields
    assert fields["job_no"].annotation == "str | Unset" and not fields["job_no"].required


# --- overlay -------------------------------------------------------------------------------------

PINNED: dict[str, Any] = {"paths": {"/job": {"get": {}, "post": {}}, "/job/{jobNo}": {"delete": {}}}}
OPERATIONS = [
    OverlayOperation("jobs.get_all", "GET", "/job"),
    OverlayOperation("jobs.create", "POST", "/job"),
    OverlayOperation("jobs.delete", "DELETE", "/job/{jobNo}"),
    OverlayOperation("sites.get_all", "GET", "/site"),  # not in the pinned copy either: not drift
]


def test_overlay_operations_gone_from_the_live_document() -> None:
    live: dict[str, Any] = {"paths": {"/job": {"get": {}}}}
    found = overlay_impact(OPERATIONS, PINNED, live)
    assert [(c.accessor, c.operation, c.severity) for c in found] == [
        ("jobs.create", "POST /job", B),
        ("jobs.delete", "DELETE /job/{jobNo}", B),
    ]
    assert (
        found[0].message == "`client.jobs.create()` sends `POST /job`, which the live document no longer has."
    )


def test_renamed_path_placeholder_is_not_a_missing_operation() -> None:
    live: dict[str, Any] = {"paths": {"/job": {"get": {}, "post": {}}, "/job/{no}": {"delete": {}}}}
    assert overlay_impact(OPERATIONS, PINNED, live) == []


def job_document(read_model: dict[str, Any], *, schema: str = "JobListItem") -> dict[str, Any]:
    """/job answering a list of `schema`, /job/{jobNo} one of it, POST /job taking a Job (inline refs)."""
    ref = {"$ref": f"#/components/schemas/{schema}"}
    answer = {"200": {"content": {"application/json": {"schema": {"type": "array", "items": ref}}}}}
    body = {"content": {"application/json": {"schema": {"oneOf": [{"$ref": "#/components/schemas/Job"}]}}}}
    return {
        "paths": {
            "/job": {"get": {"responses": answer}, "post": {"requestBody": body, "responses": {}}},
            "/job/{jobNo}": {"delete": {}},
        },
        "components": {
            "schemas": {
                schema: read_model,
                "Job": {"type": "object", "properties": {"jobNo": {"type": "string"}}},
            }
        },
    }


READ = {
    "type": "object",
    "properties": {
        "jobNo": {"type": "string"},
        "start": {"type": "string", "format": "date-time"},
        "kind": {"$ref": "#/components/schemas/Kind"},
    },
}


def test_renamed_schemas_and_nullability_alone_break_no_overlay_method() -> None:
    pinned = job_document(READ)
    pinned["components"]["schemas"]["Kind"] = {"type": "integer", "enum": [0, 1]}
    renamed = {
        **READ,
        "properties": {
            **READ["properties"],
            "jobNo": {"type": ["string", "null"]},
            "kind": {"anyOf": [{"$ref": "#/components/schemas/KindDto"}, {"type": "null"}]},
        },
    }
    live = job_document(renamed, schema="JobListItemDto")
    live["components"]["schemas"]["KindDto"] = {"type": "integer", "enum": [0, 1, 2]}
    assert overlay_impact(OPERATIONS, pinned, live) == []


def test_a_read_model_losing_or_changing_a_field_names_the_accessor_method() -> None:
    changed = {"type": "object", "properties": {"start": {"type": "string"}, "kind": {"type": "string"}}}
    pinned = job_document(READ)
    pinned["components"]["schemas"]["Kind"] = {"type": "integer", "enum": [0, 1]}
    found = overlay_impact(OPERATIONS, pinned, job_document(changed, schema="JobDto"))
    assert [(c.accessor, c.kind) for c in found] == [
        ("jobs.get_all", "field-changed"),
        ("jobs.get_all", "field-changed"),
        ("jobs.get_all", "field-removed"),
    ]
    assert found[2].message == "`client.jobs.get_all()` (GET /job): answer field `jobNo` was removed."
    assert "`start` changed from string (date-time) to string" in found[1].message


def test_a_left_out_operation_names_the_accessor_method() -> None:
    pinned = job_document(READ)
    found = overlay_impact(OPERATIONS, pinned, pinned, {("GET", "/job"): "Unsupported content type"})
    assert [(c.accessor, c.kind, c.severity) for c in found] == [("jobs.get_all", "left-out", B)]
    assert "Unsupported content type" in found[0].message


def test_reads_the_overlays_declared_operations() -> None:
    root = Path(__file__).resolve().parents[2]
    operations = declared_overlay_operations([root / "overlay", root / "generated"])
    assert operations, "the overlay declares no operations"
    assert all(op.method in {"GET", "POST", "PUT", "DELETE", "PATCH"} for op in operations)
    assert all(op.path.startswith("/") and "." in op.accessor for op in operations)


def test_unreadable_overlay_is_a_one_line_error(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import importlib

    def boom(name: str) -> object:
        raise ImportError("No module named 'dimescheduler_openapi'")

    monkeypatch.setattr(importlib, "import_module", boom)
    with pytest.raises(
        Exception, match=r"^cannot read the overlay's declared operations: ImportError: No module"
    ):
        declared_overlay_operations([tmp_path])
