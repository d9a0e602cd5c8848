"""End-to-end runs of `nox -s drift` (specpipe.drift.main, in-process) against local servers.

The pinned side is a small document in a temporary folder, with a client generated from it once for the
module; the live side is served on 127.0.0.1. The real openapi/ and generated/ are only hashed, to show
that a run never writes to them.
"""

from __future__ import annotations

import copy
import hashlib
import json
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from drift_docs import Doc, base, op, schema
from servers import Route, serve, unused_port
from specpipe import drift
from specpipe.drift import Options, exit_code, main
from specpipe.drift_changes import BREAKING, NON_BREAKING, Change, pointer
from specpipe.drift_overlay import OverlayChange, declared_overlay_operations
from specpipe.drift_python_api import ApiChange
from specpipe.drift_report import MAX_GROUPS, MAX_LINES, DriftReport, render_markdown
from specpipe.errors import GenerationError
from specpipe.generate import dump_json, finish_package, run_generator
from specpipe.normalize import normalize
from specpipe.routes import write_route_modules

REPO = Path(__file__).resolve().parents[2]

pytestmark = pytest.mark.node


@dataclass(frozen=True)
class Pinned:
    document: Doc
    path: Path
    generated: Path
    probe: str  # an overlay accessor whose operation the pinned document has


def overlay_probe() -> tuple[str, str]:
    """An overlay GET accessor on a path without placeholders: (accessor, path)."""
    for operation in declared_overlay_operations([REPO / "overlay", REPO / "generated"]):
        if operation.method == "GET" and "{" not in operation.path and operation.path != "/job":
            return operation.accessor, operation.path
    raise AssertionError("the overlay declares no GET operation on a plain path")


@pytest.fixture(scope="module")
def pinned(tmp_path_factory: pytest.TempPathFactory) -> Pinned:
    accessor, path = overlay_probe()
    document = base()
    document["paths"][path] = {
        "get": {
            "operationId": "probeGet",
            "tags": ["Probe"],
            "summary": "Probe",
            "responses": {"200": {"description": "ok"}},
        }
    }
    normalized, _ = normalize(document)
    root = tmp_path_factory.mktemp("pinned")
    (root / "openapi").mkdir()
    pinned_path = root / "openapi" / "dimescheduler.json"
    pinned_path.write_text(dump_json(normalized), encoding="utf-8")
    workdir = root / "generated"
    workdir.mkdir()
    package = run_generator(dump_json(normalized), workdir)
    write_route_modules(package, normalized, REPO / "scripts" / "openapi-python-client.yaml")
    finish_package(package)
    return Pinned(normalized, pinned_path, package, accessor)


def digest(*roots: Path) -> dict[str, str]:
    out = {}
    for root in roots:
        for path in sorted(root.rglob("*")):
            if path.is_file() and "__pycache__" not in path.parts:
                out[str(path)] = hashlib.sha256(path.read_bytes()).hexdigest()
    return out


def run(pinned: Pinned, out: Path, *args: str) -> tuple[int, dict[str, Any], str]:
    code = main(
        [
            "--pinned",
            str(pinned.path),
            "--generated",
            str(pinned.generated),
            "--out",
            str(out),
            "--timeout",
            "5",
            *args,
        ]
    )
    report = json.loads((out / "drift-report.json").read_text(encoding="utf-8"))
    markdown = (out / "drift-report.md").read_text(encoding="utf-8")
    return code, report, markdown


@pytest.fixture
def live() -> Iterator[Any]:
    with serve() as server:
        yield server


def classes(report: dict[str, Any]) -> list[tuple[str, str]]:
    return [(c["class"], c["severity"]) for c in report["changes"]]


def test_identical_document_found_through_a_docs_page_is_no_drift(
    pinned: Pinned, live: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    live.routes["/docs"] = Route.html('<html><body><redoc spec-url="/v1/openapi.json"></redoc></body></html>')
    live.routes["/v1/openapi.json"] = Route.json(pinned.document)
    monkeypatch.setenv(
        "DIMESCHEDULER_DOCS_URL", live.url("/docs")
    )  # no --url: found as `nox -s generate` does
    code, report, markdown = run(pinned, tmp_path)
    assert code == 0
    assert report["status"] == "none"
    assert report["schema_version"] == 1 and report["error"] is None
    assert report["live"]["source"] == live.url("/v1/openapi.json")
    assert report["live"]["sha256"] == report["pinned"]["sha256"]
    assert report["changes"] == report["python_api"] == report["overlay"] == []
    assert report["summary"] == {"breaking": 0, "non_breaking": 0}
    assert "no drift" in markdown
    assert live.hits("/docs") == 1 and live.hits("/v1/openapi.json") == 1


def additive(document: Doc) -> Doc:
    live = copy.deepcopy(document)
    live["paths"]["/site"] = {
        "get": {
            "operationId": "siteGetSite",
            "tags": ["Site"],
            "summary": "Sites",
            "responses": {"200": {"description": "ok"}},
        }
    }
    schema(live, "JobListItem")["properties"]["notes"] = {"type": "string", "description": "Free text."}
    return live


def test_additive_drift_passes_by_default_and_fails_with_fail_on_any(
    pinned: Pinned, live: Any, tmp_path: Path
) -> None:
    live.routes["/openapi.json"] = Route.json(additive(pinned.document))
    code, report, markdown = run(pinned, tmp_path / "default", "--url", live.url("/openapi.json"))
    assert code == 0
    assert report["status"] == "non-breaking"
    assert sorted(classes(report)) == [
        ("endpoint-added", NON_BREAKING),
        ("response-optional-property-added", NON_BREAKING),
    ]
    assert {c["level"] for c in report["changes"]} == {"info"}
    assert report["live"]["sha256"] != report["pinned"]["sha256"]
    api = {(c["kind"], c["severity"], c["object"]) for c in report["python_api"]}
    assert api == {
        ("added", NON_BREAKING, "dimescheduler_raw.api.site"),
        ("added", NON_BREAKING, "dimescheduler_raw.models.job_list_item.JobListItem.notes"),
    }
    assert report["overlay"] == []
    assert "non-breaking drift" in markdown and "`#/paths/~1site/get`" in markdown

    code, report, _ = run(pinned, tmp_path / "any", "--url", live.url("/openapi.json"), "--fail-on", "any")
    assert code == 1 and report["status"] == "non-breaking"


def test_breaking_drift_fails_and_names_every_impact(
    pinned: Pinned,
    live: Any,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    document = copy.deepcopy(pinned.document)
    probe_path = next(
        p
        for p, item in document["paths"].items()
        if item.get("get", {}).get("x-vendor-operation-id") == "probeGet"  # the pipeline renamed it
    )
    del document["paths"][probe_path]
    schema(document, "JobListItem")["properties"]["jobNo"]["type"] = "integer"
    live.routes["/openapi.json"] = Route.json(document)
    summary = tmp_path / "summary.md"
    summary.write_text("earlier step\n", encoding="utf-8")
    monkeypatch.setenv("GITHUB_STEP_SUMMARY", str(summary))
    before = digest(REPO / "openapi", REPO / "generated", pinned.path.parent, pinned.generated)

    code, report, markdown = run(pinned, tmp_path / "out", "--url", live.url("/openapi.json"))

    assert digest(REPO / "openapi", REPO / "generated", pinned.path.parent, pinned.generated) == before
    assert code == 1
    assert report["status"] == "breaking"
    found = {(c["id"], c["level"], c["location"]) for c in report["changes"]}
    job_no = "#/paths/~1job/get/responses/200/content/application~1json/schema/items/properties/jobNo/type"
    assert found == {
        ("api-path-removed-without-deprecation", BREAKING, pointer("paths", probe_path)),
        ("response-property-type-changed", BREAKING, job_no),
    }
    api = {(c["kind"], c["object"]) for c in report["python_api"] if c["severity"] == BREAKING}
    assert ("removed", "dimescheduler_raw.api.probe") in api
    assert ("changed", "dimescheduler_raw.models.job_list_item.JobListItem.job_no") in api
    # the probe's route is gone; `jobs.get_all` reads JobListItem, whose jobNo changed type
    assert [(c["accessor"], c["operation"], c["kind"]) for c in report["overlay"]] == [
        (pinned.probe, f"GET {probe_path}", "route-removed"),
        ("jobs.get_all", "GET /job", "field-changed"),
    ]
    everything = [*report["changes"], *report["python_api"], *report["overlay"]]
    assert report["summary"]["breaking"] == sum(1 for c in everything if c["severity"] == BREAKING)
    assert "BREAKING drift" in markdown and pinned.probe in markdown
    assert summary.read_text(encoding="utf-8") == "earlier step\n" + markdown + "\n"
    err = capsys.readouterr().err
    assert "error: breaking drift fails --fail-on breaking" in err

    code, report, _ = run(
        pinned, tmp_path / "never", "--url", live.url("/openapi.json"), "--fail-on", "never"
    )
    assert code == 0 and report["status"] == "breaking"


@pytest.mark.parametrize(
    ("route", "expected"),
    [
        (None, "Connection refused"),
        (Route.text('{"openapi": "3.1.0", "info": {', content_type="application/json"), "is not valid JSON"),
        (Route.html("<html><body>Maintenance</body></html>"), "No OpenAPI document link found"),
        (Route.json({"openapi": "3.1.0", "info": {"title": "t", "version": "1"}}), "has no 'paths' object"),
    ],
    ids=["unreachable", "garbage", "html-without-document", "truncated-document"],
)
def test_unavailable_live_document_fails_whatever_fail_on_says(
    pinned: Pinned,
    live: Any,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    route: Route | None,
    expected: str,
) -> None:
    if route is None:
        url = f"http://127.0.0.1:{unused_port()}/openapi.json"
    else:
        live.routes["/openapi.json"] = route
        url = live.url("/openapi.json")
    code, report, markdown = run(pinned, tmp_path, "--url", url, "--fail-on", "never")
    assert code == 1
    assert report["status"] == "unavailable"
    assert expected in report["error"] and "\n" not in report["error"]
    assert report["live"]["source"] == url and report["live"]["sha256"] is None and report["changes"] == []
    assert report["pinned"]["sha256"] == hashlib.sha256(pinned.path.read_bytes()).hexdigest()
    assert "UNAVAILABLE" in markdown and expected in markdown
    errors = [line for line in capsys.readouterr().err.splitlines() if line.startswith("error:")]
    assert len(errors) == 1 and expected in errors[0]


def test_secrets_in_the_url_stay_out_of_the_report(pinned: Pinned, live: Any, tmp_path: Path) -> None:
    live.routes["/openapi.json"] = Route.json(pinned.document)
    url = live.url("/openapi.json").replace("http://", "http://user:hunter2@") + "?api_key=s3cr3t"
    code, report, markdown = run(pinned, tmp_path, "--url", url)
    assert code == 0
    text = json.dumps(report) + markdown
    assert "hunter2" not in text and "s3cr3t" not in text and "***" in report["live"]["source"]


def test_missing_pinned_document_is_unavailable(pinned: Pinned, tmp_path: Path) -> None:
    code = main(["--pinned", str(tmp_path / "nope.json"), "--out", str(tmp_path), "--url", str(pinned.path)])
    report = json.loads((tmp_path / "drift-report.json").read_text(encoding="utf-8"))
    assert code == 1 and report["status"] == "unavailable"
    assert report["error"].startswith("cannot read the pinned document")


# --- pieces that need no regeneration ------------------------------------------------------------


def test_any_two_documents_compare_with_base_and_url(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    old = base()
    new = copy.deepcopy(old)
    op(new, "/job", "get")["parameters"][0]["required"] = True
    (tmp_path / "base.json").write_text(json.dumps(old), encoding="utf-8")
    (tmp_path / "revision.json").write_text(json.dumps(new), encoding="utf-8")
    args = ["--base", str(tmp_path / "base.json"), "--url", str(tmp_path / "revision.json")]
    code = main([*args, "--out", str(tmp_path / "out"), "--format", "junit"])
    assert code == 1
    junit = capsys.readouterr().out
    assert junit == (tmp_path / "out" / "drift-report.xml").read_text(encoding="utf-8")
    assert 'type="request-parameter-became-required"' in junit and 'failures="1"' in junit
    code = main(
        [
            "--base",
            str(tmp_path / "base.json"),
            "--url",
            str(tmp_path / "base.json"),
            "--out",
            str(tmp_path / "same"),
        ]
    )
    report = json.loads((tmp_path / "same" / "drift-report.json").read_text(encoding="utf-8"))
    assert code == 0 and report["status"] == "none" and report["changes"] == []


def test_the_pinned_base_keeps_left_out_operations(tmp_path: Path) -> None:
    upstream = base()
    pinned = copy.deepcopy(upstream)
    del pinned["paths"]["/job/{jobNo}"]  # what generation left out
    (tmp_path / "upstream.json").write_text(json.dumps(upstream), encoding="utf-8")
    (tmp_path / "upstream.meta.json").write_text(
        json.dumps({"left_out": [{"method": "DELETE", "path": "/job/{jobNo}", "reason": "cannot parse"}]}),
        encoding="utf-8",
    )
    document, left_out = drift._pinned_base(tmp_path / "dimescheduler.json", pinned)
    assert "/job/{jobNo}" in document["paths"]
    assert left_out == {("DELETE", "/job/{jobNo}"): "cannot parse"}
    changed = copy.deepcopy(document)
    del changed["paths"]["/job/{jobNo}"]["delete"]["parameters"]
    found = drift._document_changes(document, changed, left_out)
    assert found and all("left out of the generated client: cannot parse" in c.message for c in found)
    assert drift._document_changes(document, copy.deepcopy(document), left_out) == []


def test_a_live_document_that_cannot_generate_is_breaking(
    pinned: Pinned, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def fails(document: dict[str, Any], workdir: Path, label: str) -> Path:
        raise GenerationError("openapi-python-client failed: WARNING parsing GET /job within job.")

    monkeypatch.setattr(drift, "build_client", fails)
    report = DriftReport(pinned_path="p")
    options = Options(
        None, None, "text", pinned.path, pinned.generated, REPO / "overlay", tmp_path, "breaking", 5.0
    )
    drift._python_api(options, "{}", tmp_path, report)
    assert [(c.cls, c.severity, c.location) for c in report.changes] == [("generation-failed", BREAKING, "#")]
    assert report.status == "breaking"


@pytest.mark.parametrize(
    ("status_changes", "fail_on", "expected"),
    [
        ([], "breaking", 0),
        ([], "any", 0),
        ([NON_BREAKING], "breaking", 0),
        ([NON_BREAKING], "any", 1),
        ([NON_BREAKING], "never", 0),
        ([BREAKING, NON_BREAKING], "breaking", 1),
        ([BREAKING], "never", 0),
    ],
)
def test_fail_on_threshold(status_changes: list[str], fail_on: str, expected: int) -> None:
    report = DriftReport(pinned_path="p")
    report.changes = [Change("x", s, "#", "m", "pipeline") for s in status_changes]  # type: ignore[arg-type]
    assert exit_code(report, fail_on) == expected
    report.error = "gone"
    assert exit_code(report, fail_on) == 1


# --- the Markdown report -------------------------------------------------------------------------


def nullable_strings(schemas: int, fields: int) -> list[Change]:
    """``fields`` fields in ``schemas`` schemas that became nullable, as the pipeline words it."""
    return [
        Change(
            "type-changed",
            BREAKING,
            f"#/components/schemas/Model{i % schemas}/properties/field{i}/type",
            f"Type of `field{i}` of `Model{i % schemas}` changed from 'string' to 'null | string'.",
            "pipeline",
        )
        for i in range(fields)
    ]


def table_row(markdown: str, *needles: str) -> str:
    rows = [
        line for line in markdown.splitlines() if line.startswith("|") and all(n in line for n in needles)
    ]
    assert len(rows) == 1, (needles, rows)
    return rows[0]


def test_markdown_groups_repeated_changes_into_one_row_with_counts_and_examples() -> None:
    report = DriftReport(pinned_path="openapi/dimescheduler.json")
    report.changes = [
        *nullable_strings(59, 1900),
        *(
            Change("response-removed", BREAKING, pointer("paths", f"/p{i}", "get", "responses", "404"),
                   f"The `404` response of `GET /p{i}` was removed.", "pipeline")
            for i in range(3)
        ),
        Change("path-added", NON_BREAKING, pointer("paths", "/site"), "Path `/site` was added.", "pipeline"),
    ]  # fmt: skip
    markdown = render_markdown(report)
    row = table_row(markdown, "type-changed", "'string' to 'null")
    assert "Type of `…` of `…` changed from 'string' to 'null \\| string'." in row
    assert "| 1,900 | 59 schemas |" in row
    assert "`#/components/schemas/Model0/properties/field0/type`" in row
    assert row.count("`#/components/schemas/") == 3  # a few examples, not 1,900
    # status codes and media types are shared vocabulary: they stay, the operation is masked
    assert "| The `404` response of `…` was removed. | 3 | 3 operations |" in table_row(markdown, "`404`")
    # a group of one keeps its whole message
    assert "| Path `/site` was added. | 1 | 1 path | `#/paths/~1site` |" in table_row(
        markdown, "| path-added |", "`/site`"
    )
    assert "### Document changes (1,904 in 3 groups)" in markdown
    assert "| type-changed | 1,900 | 0 |" in markdown and "| path-added | 0 | 1 |" in markdown
    assert "| Document changes | 1,903 | 1 |" in markdown
    assert len(report.to_json()["changes"]) == 1904  # the JSON report keeps every finding


def test_markdown_stays_bounded_whatever_the_drift() -> None:
    report = DriftReport(pinned_path="p", notes=[f"note {i}" for i in range(50)])
    report.changes = [
        *nullable_strings(80, 5000),
        *(
            Change(f"class-{i % 60}", BREAKING, pointer("paths", f"/p{i}"), f"Something {i} `x{i}`.", "pipeline")
            for i in range(600)
        ),
        *(Change("other", NON_BREAKING, pointer(f"x-{i}"), f"`x-{i}` changed ({i}).", "pipeline") for i in range(30)),
    ]  # fmt: skip
    report.python_api = [
        ApiChange(kind, BREAKING, f"dimescheduler_raw.m{i}", f"Module `dimescheduler_raw.m{i}` {kind}.")
        for i in range(3000)
        for kind in ("removed", "changed", "added")
    ]
    report.overlay = [
        OverlayChange(f"accessor{i % 90}.method{i}", f"GET /r{i}", BREAKING, f"Reason {i % 9}: `x{i}`.")
        for i in range(400)
    ]
    markdown = render_markdown(report)
    lines = markdown.splitlines()
    assert len(lines) <= MAX_LINES, len(lines)
    assert max(map(len, lines)) < 3000
    assert f"in {len(report.changes) - 5000 + 1:,} groups" in markdown
    groups = [line for line in lines if line.startswith(("| breaking |", "| info |"))]
    assert len(groups) == MAX_GROUPS
    # the long breaking tail does not hide every non-breaking group
    assert any(line.startswith("| info | other |") for line in groups)
    assert "more groups" in markdown and "more accessors" in markdown and "more notes" in markdown
    assert "more classes" in markdown and "more Python API changes" in markdown


def test_markdown_summary_names_overlay_methods_by_accessor_and_python_api_by_kind() -> None:
    report = DriftReport(pinned_path="p")
    report.overlay = [
        *(
            OverlayChange(accessor, operation, BREAKING,
                          f"`client.{accessor}()` sends `{operation}`, which the live document no longer has.")
            for accessor, operation in [
                ("jobs.get_all", "GET /job"), ("jobs.get", "GET /job/{jobNo}"), ("categories.get_all", "GET /category")
            ]
        ),
        *(
            OverlayChange(accessor, operation, BREAKING,
                          f"`client.{accessor}()` ({operation}): request body field `jobNo` was removed.")
            for accessor, operation in [("jobs.create", "POST /job"), ("jobs.update", "PUT /job")]
        ),
    ]  # fmt: skip
    report.python_api = [
        ApiChange("removed", BREAKING, "dimescheduler_raw.api.job", "Module `dimescheduler_raw.api.job` was removed."),
        ApiChange("added", NON_BREAKING, "dimescheduler_raw.api.site", "Module `dimescheduler_raw.api.site` was added."),
    ]  # fmt: skip
    markdown = render_markdown(report)
    assert "BREAKING drift" in markdown
    assert "### Overlay methods affected (5 in 2 accessors)" in markdown
    assert (
        "- `jobs` (4 breaking): `get_all` (`GET /job`), `get` (`GET /job/{jobNo}`), `create` (`POST /job`), "
        "`update` (`PUT /job`)" in markdown
    )
    assert "- `categories` (1 breaking): `get_all` (`GET /category`)" in markdown
    # why: one line per reason, naming the methods it hits
    assert (
        "- 3 breaking: its route is gone from the live document. (`jobs.get_all` (`GET /job`), "
        "`jobs.get` (`GET /job/{jobNo}`), `categories.get_all` (`GET /category`))" in markdown
    )
    assert (
        "- 2 breaking: request body field `jobNo` was removed. (`jobs.create` (`POST /job`), "
        "`jobs.update` (`PUT /job`))" in markdown
    )
    assert "| Overlay methods | 5 | 0 |" in markdown
    assert "| Python API of `dimescheduler_raw` | 1 | 1 |" in markdown
    assert "| removed | 1 | 0 |" in markdown and "| added | 0 | 1 |" in markdown
    assert "- removed, breaking: Module `dimescheduler_raw.api.job` was removed." in markdown
    assert "### Document changes\n\nNone." in markdown


@pytest.mark.node
def test_vendor_2023_swagger_against_the_committed_pin(tmp_path: Path) -> None:
    """A real document no one here wrote (the vendor's 2023 Power Platform Swagger 2.0), served locally as the
    live side against the committed pin: converted, compared, and the known renames surface as breaking."""
    source = Path(__file__).parent / "data" / "vendor-powerplatform-swagger2.json"
    repo = Path(__file__).resolve().parents[2]
    before = digest(repo / "openapi", repo / "generated")
    routes = {
        "/docs": Route.html("<html><body>API reference</body></html>"),  # no link: well-known paths are tried
        "/swagger/v1/swagger.json": Route(
            body=source.read_bytes(), headers={"Content-Type": "application/json"}
        ),
    }
    with serve(routes) as server:
        code = main(["--url", server.url("/docs"), "--out", str(tmp_path)])
    report = json.loads((tmp_path / "drift-report.json").read_text())
    assert code == 1 and report["status"] == "breaking"
    assert len((tmp_path / "drift-report.md").read_text().splitlines()) <= MAX_LINES
    assert report["live"]["via"] == "well-known"
    removed = "api-path-removed-without-deprecation"
    renamed = [c for c in report["changes"] if c["id"] == removed and "`/category`" in c["message"]]
    assert renamed and renamed[0]["severity"] == "breaking" and renamed[0]["level"] == "breaking"
    added = {c["location"] for c in report["changes"] if c["id"] == "endpoint-added"}
    assert "#/paths/~1webhooks~1AppointmentCreated/post" in added
    assert any(entry["accessor"] == "categories.get_all" for entry in report["overlay"])
    assert any(
        entry["object"] == "dimescheduler_raw.api.indicator.indicator_get_category"
        for entry in report["python_api"]
    )
    assert digest(repo / "openapi", repo / "generated") == before
