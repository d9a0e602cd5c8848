"""`nox -s spec` (specpipe.spec_check) and a second generator, openapi-typescript, consuming the document."""

from __future__ import annotations

import copy
import json
import subprocess
from pathlib import Path
from typing import Any

import pytest
import yaml
from specpipe import spec_check
from specpipe.generate import dump_json
from specpipe.node import node_tool
from specpipe.spec_check import (
    convention_problems,
    redocly_lint_problems,
    run_checks,
    validator_problems,
)
from specpipe.yaml_twin import YAML_HEADER, yaml_twin

REPO = Path(__file__).resolve().parents[2]
DOCUMENT_PATH = REPO / "openapi" / "dimescheduler.json"
DOCUMENT: dict[str, Any] = json.loads(DOCUMENT_PATH.read_text(encoding="utf-8"))

SMALL: dict[str, Any] = {
    "openapi": "3.1.0",
    "info": {"title": "Small", "version": "1"},
    "servers": [{"url": "https://api.small-vendor.net"}],
    "security": [{"ApiKey": []}],
    "paths": {
        "/job": {
            "get": {
                "operationId": "jobGetJob",
                "tags": ["Job"],
                "summary": "List jobs",
                "responses": {
                    "200": {
                        "description": "ok",
                        "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Job"}}},
                    }
                },
            },
            "post": {
                "operationId": "jobPostJob",
                "tags": ["Job"],
                "summary": "Create",
                "responses": {"200": {"description": "ok"}},
            },
        }
    },
    "components": {
        "schemas": {
            "Job": {"type": "object", "description": "A job.", "properties": {"no": {"type": "string"}}}
        },
        "securitySchemes": {"ApiKey": {"type": "apiKey", "in": "header", "name": "X-API-KEY"}},
    },
}


def small(**changes: Any) -> dict[str, Any]:
    document = copy.deepcopy(SMALL)
    document.update(changes)
    return document


# --- conventions and validation ------------------------------------------------------------------


def test_small_document_follows_the_conventions() -> None:
    assert convention_problems(SMALL) == []
    assert validator_problems(SMALL) == []


def test_convention_problems_are_listed_one_line_each() -> None:
    document = small()
    get, post = document["paths"]["/job"]["get"], document["paths"]["/job"]["post"]
    post["operationId"] = "jobGetJob"
    del get["tags"]
    post["summary"] = "  "
    document["paths"]["/job/{no}"] = {"delete": {"tags": [], "responses": {"200": {"description": "ok"}}}}
    document["components"]["schemas"]["Bare"] = {"type": "object"}
    assert convention_problems(document) == [
        "operation GET /job has no tag",
        "operationId 'jobGetJob' of POST /job is already used by GET /job",
        "operation POST /job has no summary",
        "operation DELETE /job/{no} has no operationId",
        "operation DELETE /job/{no} has no tag",
        "operation DELETE /job/{no} has no summary",
        "schema Bare has no description",
    ]


def test_validator_lists_every_error() -> None:
    document = small(info={"title": "Small"})
    document["paths"]["/job"]["get"]["responses"]["200"]["description"] = 1
    assert validator_problems(document) == [
        "openapi-spec-validator: 'version' is a required property at info",
        "openapi-spec-validator: 1 is not of type 'string' at paths//job/get/responses/200/description",
    ]


def test_committed_document_is_valid_and_follows_the_conventions() -> None:
    assert validator_problems(DOCUMENT) == []
    assert convention_problems(DOCUMENT) == []


# --- the YAML twin -------------------------------------------------------------------------------


def test_yaml_twin_is_the_same_document_and_deterministic() -> None:
    twin = yaml_twin(DOCUMENT)
    assert twin.startswith(YAML_HEADER)
    assert yaml.safe_load(twin) == DOCUMENT
    assert yaml_twin(json.loads(dump_json(DOCUMENT))) == twin
    # keys keep document order (openapi, info, ... first), and response codes stay strings
    assert twin.splitlines()[1] == f"openapi: {DOCUMENT['openapi']}"
    assert "'200':" in twin


def test_committed_yaml_twin_is_up_to_date() -> None:
    twin_path = REPO / "openapi" / "dimescheduler.yaml"
    assert twin_path.exists(), "run `nox -s spec` to write openapi/dimescheduler.yaml"
    assert twin_path.read_text(encoding="utf-8") == yaml_twin(DOCUMENT), "run `nox -s generate -- --offline`"


# --- the whole check (redocly lint needs Node) ---------------------------------------------------


def project(tmp_path: Path, document: dict[str, Any]) -> Path:
    openapi = tmp_path / "openapi"
    openapi.mkdir()
    (openapi / "dimescheduler.json").write_text(dump_json(document), encoding="utf-8")
    return tmp_path


@pytest.mark.node
def test_clean_document_passes_and_gets_its_twin(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    root = project(tmp_path, SMALL)
    assert spec_check.main(["--root", str(root), "--check"]) == 1  # no twin yet
    assert "dimescheduler.yaml is out of date" in capsys.readouterr().err
    assert not (root / "openapi" / "dimescheduler.yaml").exists()

    assert spec_check.main(["--root", str(root)]) == 0
    out = capsys.readouterr().out
    assert "2 operations, 1 schemas" in out and "dimescheduler.yaml written" in out
    assert yaml.safe_load((root / "openapi" / "dimescheduler.yaml").read_text(encoding="utf-8")) == SMALL

    assert spec_check.main(["--root", str(root), "--check"]) == 0
    assert "dimescheduler.yaml unchanged" in capsys.readouterr().out


@pytest.mark.node
def test_every_problem_is_listed_and_fails_the_run(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    document = small()
    document["components"]["schemas"]["Unused"] = {"type": "object"}
    del document["paths"]["/job"]["post"]["summary"]
    root = project(tmp_path, document)
    assert spec_check.main(["--root", str(root)]) == 1
    err = capsys.readouterr().err
    assert "error: 3 problem(s) in openapi/dimescheduler.json:" in err
    assert "  - redocly lint (warn operation-summary): " in err
    assert "no-unused-components" not in err  # turned off in scripts/redocly.yaml: every entity has a model
    assert "  - operation POST /job has no summary" in err
    assert "  - schema Unused has no description" in err
    assert (
        root / "openapi" / "dimescheduler.yaml"
    ).exists()  # the twin mirrors the JSON whatever the checks say


@pytest.mark.node
def test_redocly_lint_reports_errors_too(tmp_path: Path) -> None:
    document = small()
    document["paths"]["/job"]["get"]["responses"]["200"]["content"]["application/json"]["schema"] = {
        "$ref": "#/components/schemas/Missing"
    }
    path = tmp_path / "doc.json"
    path.write_text(json.dumps(document), encoding="utf-8")
    problems = redocly_lint_problems(path)
    assert problems == [
        "redocly lint (error no-unresolved-refs): Can't resolve $ref "
        "at #/paths/~1job/get/responses/200/content/application~1json/schema",
    ]


@pytest.mark.node
def test_committed_document_is_clean_under_redocly_lint() -> None:
    assert run_checks(REPO / "openapi", check_only=True).problems == []


# --- a second generator: openapi-typescript ------------------------------------------------------


def openapi_typescript(document: Path, workdir: Path) -> tuple[int, list[str], str]:
    """Run the pinned openapi-typescript in ``workdir`` (its Redocly config is looked up there)."""
    out = workdir / "schema.d.ts"
    proc = subprocess.run(
        [node_tool("openapi-typescript"), str(document), "-o", str(out)],
        cwd=workdir,
        capture_output=True,
        text=True,
        timeout=180,
        check=False,
    )
    lines = [line.strip() for line in (proc.stdout + proc.stderr).splitlines() if line.strip()]
    return proc.returncode, lines, out.read_text(encoding="utf-8") if out.exists() else ""


def warnings(lines: list[str]) -> list[str]:
    return [line for line in lines if "⚠" in line or "warn" in line.lower() or "error" in line.lower()]


@pytest.mark.node
def test_openapi_typescript_consumes_the_document_without_warnings(tmp_path: Path) -> None:
    code, lines, types = openapi_typescript(DOCUMENT_PATH, tmp_path)
    assert code == 0, lines
    assert warnings(lines) == []
    assert len(lines) == 2 and lines[0].startswith("✨ openapi-typescript") and lines[1].startswith("🚀"), (
        lines
    )
    assert '"/job/{jobNo}": {' in types
    for name in ("JobListItem", "MutationResponse", "ErrorBody", "Appointment"):
        assert f"        {name}: {{" in types, name
    assert sum(1 for _ in DOCUMENT["components"]["schemas"]) == sum(
        1 for name in DOCUMENT["components"]["schemas"] if f"        {name}: " in types
    )
    # and the types it wrote compile under tsc --strict (TypeScript is locked in scripts/package-lock.json)
    tsc = subprocess.run(
        [node_tool("tsc"), "--noEmit", "--strict", "--target", "es2020", str(tmp_path / "schema.d.ts")],
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert tsc.returncode == 0, tsc.stdout[-2000:]


@pytest.mark.node
def test_the_warning_check_sees_openapi_typescript_warnings(tmp_path: Path) -> None:
    document = small()
    document["components"]["schemas"]["Unused"] = {"type": "object", "description": "Never referenced."}
    path = tmp_path / "doc.json"
    path.write_text(json.dumps(document), encoding="utf-8")
    (tmp_path / "redocly.yaml").write_text("extends:\n  - minimal\n", encoding="utf-8")
    code, lines, _ = openapi_typescript(path, tmp_path)
    assert code == 0
    assert any('Component: "Unused" is never used' in line for line in warnings(lines)), lines
