"""`nox -s spec`: check the normalized document and write its YAML twin.

Checks on ``openapi/dimescheduler.json``, all reported together, one line each:

- openapi-spec-validator finds no error;
- ``redocly lint`` with ``scripts/redocly.yaml`` (Redocly's ``minimal`` ruleset) reports no problem, warnings
  included;
- every operation has an operationId unique in the document, at least one tag and a summary; every
  schema under ``components.schemas`` has a description.

``openapi/dimescheduler.yaml`` is the same document as YAML (keys in document order, a fixed line width,
always the pure-Python emitter), so the same JSON always gives the same bytes. It is rewritten when it
differs; ``--check`` only reports a stale twin as a problem (for CI).
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Final

from .errors import PipelineError
from .generate import HTTP_METHODS, NORMALIZED, REPO_ROOT, SCRIPTS_DIR, write_if_changed
from .node import node_tool
from .yaml_twin import yaml_twin

LINT_CONFIG: Final = SCRIPTS_DIR / "redocly.yaml"
YAML_TWIN: Final = "dimescheduler.yaml"
LINT_TIMEOUT_SECONDS: Final = 180
MAX_VALIDATOR_ERRORS: Final = 50


@dataclass(frozen=True)
class SpecResult:
    problems: list[str]
    operations: int
    schemas: int
    yaml_state: str  # "written" | "unchanged" | "stale" (--check)


def convention_problems(document: Mapping[str, Any]) -> list[str]:
    """Operations without a unique operationId, a tag or a summary; schemas without a description."""
    problems: list[str] = []
    seen: dict[str, str] = {}
    for name, operation in _operations(document):
        operation_id = operation.get("operationId")
        if not isinstance(operation_id, str) or not operation_id.strip():
            problems.append(f"operation {name} has no operationId")
        elif operation_id in seen:
            problems.append(f"operationId {operation_id!r} of {name} is already used by {seen[operation_id]}")
        else:
            seen[operation_id] = name
        tags = operation.get("tags")
        if not isinstance(tags, list) or not any(isinstance(tag, str) and tag.strip() for tag in tags):
            problems.append(f"operation {name} has no tag")
        summary = operation.get("summary")
        if not isinstance(summary, str) or not summary.strip():
            problems.append(f"operation {name} has no summary")
    schemas = _mapping(_mapping(document.get("components")).get("schemas"))
    for schema_name, schema in schemas.items():
        description = _mapping(schema).get("description")
        if not isinstance(description, str) or not description.strip():
            problems.append(f"schema {schema_name} has no description")
    return problems


def validator_problems(document: Mapping[str, Any]) -> list[str]:
    from jsonschema_path import SchemaPath
    from openapi_spec_validator.shortcuts import get_validator_cls

    try:
        validator = get_validator_cls(document)(SchemaPath.from_dict(document))
        errors = list(validator.iter_errors())
    except Exception as exc:  # the validator raises several unrelated types for unusable input
        return [f"openapi-spec-validator: {_first_line(str(exc)) or type(exc).__name__}"]
    problems = []
    for error in errors[:MAX_VALIDATOR_ERRORS]:
        where = "/".join(str(part) for part in getattr(error, "path", ()))
        problems.append(
            f"openapi-spec-validator: {_first_line(str(error))}" + (f" at {where}" if where else "")
        )
    if len(errors) > MAX_VALIDATOR_ERRORS:
        problems.append(f"openapi-spec-validator: ... and {len(errors) - MAX_VALIDATOR_ERRORS} more errors")
    return problems


def redocly_lint_problems(path: Path, config: Path = LINT_CONFIG) -> list[str]:
    """Every problem ``redocly lint`` reports (errors and warnings), one line each."""
    tool = node_tool("redocly")
    env = dict(os.environ, REDOCLY_TELEMETRY="off", REDOCLY_SUPPRESS_UPDATE_NOTICE="true", NO_COLOR="1")
    command = [tool, "lint", str(path.resolve()), "--config", str(config.resolve()), "--format=json",
               "--max-problems=100000"]  # fmt: skip
    with tempfile.TemporaryDirectory(prefix="specpipe-lint-") as tmp:
        try:
            proc = subprocess.run(
                command,
                cwd=tmp,
                env=env,
                capture_output=True,
                text=True,
                timeout=LINT_TIMEOUT_SECONDS,
                check=False,
            )
        except subprocess.TimeoutExpired:
            raise PipelineError(f"redocly lint did not finish within {LINT_TIMEOUT_SECONDS} s") from None
        except OSError as exc:
            raise PipelineError(f"cannot run redocly ({exc.strerror}): is Node.js installed?") from None
    try:
        report = json.loads(proc.stdout)
    except ValueError:
        raise PipelineError(
            f"redocly lint gave no JSON report (exit {proc.returncode}): {_stderr(proc.stderr)}"
        ) from None
    problems = []
    for problem in report.get("problems", []) if isinstance(report, dict) else []:
        locations = problem.get("location") or [{}]
        where = locations[0].get("pointer", "?") if isinstance(locations[0], dict) else "?"
        message = " ".join(str(problem.get("message", "")).split())
        problems.append(
            f"redocly lint ({problem.get('severity')} {problem.get('ruleId')}): {message} at {where}"
        )
    return problems


def run_checks(openapi_dir: Path, *, check_only: bool, lint_config: Path = LINT_CONFIG) -> SpecResult:
    json_path = openapi_dir / NORMALIZED
    try:
        document = json.loads(json_path.read_text(encoding="utf-8"))
    except OSError as exc:
        raise PipelineError(f"cannot read {json_path}: {exc.strerror}") from None
    except ValueError as exc:
        raise PipelineError(f"{json_path} is not JSON: {exc}") from None
    if not isinstance(document, dict):
        raise PipelineError(f"{json_path} is not a JSON object")
    problems = [
        *validator_problems(document),
        *redocly_lint_problems(json_path, lint_config),
        *convention_problems(document),
    ]
    twin_path, twin = openapi_dir / YAML_TWIN, yaml_twin(document)
    current = twin_path.read_text(encoding="utf-8") if twin_path.exists() else None
    if current == twin:
        state = "unchanged"
    elif check_only:
        state = "stale"
        problems.append(f"{twin_path.name} is out of date with {json_path.name}: run `nox -s spec`")
    else:
        write_if_changed(twin_path, twin)
        state = "written"
    schemas = _mapping(_mapping(document.get("components")).get("schemas"))
    return SpecResult(problems, sum(1 for _ in _operations(document)), len(schemas), state)


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="nox -s spec --", description="Check openapi/dimescheduler.json.")
    parser.add_argument(
        "--check", action="store_true", help="do not write the YAML twin; fail if it is stale"
    )
    parser.add_argument("--root", type=Path, default=REPO_ROOT, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    try:
        result = run_checks(args.root / "openapi", check_only=args.check)
    except PipelineError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    print(f"document:  {result.operations} operations, {result.schemas} schemas")
    print(f"yaml twin: openapi/{YAML_TWIN} {result.yaml_state}")
    if result.problems:
        print(f"error: {len(result.problems)} problem(s) in openapi/{NORMALIZED}:", file=sys.stderr)
        for problem in result.problems:
            print(f"  - {problem}", file=sys.stderr)
        return 1
    print(
        "checks:    openapi-spec-validator, redocly lint (minimal), operation and schema conventions: clean"
    )
    return 0


def _operations(document: Mapping[str, Any]) -> list[tuple[str, Mapping[str, Any]]]:
    found: list[tuple[str, Mapping[str, Any]]] = []
    for path, item in _mapping(document.get("paths")).items():
        for method in HTTP_METHODS:
            operation = _mapping(item).get(method)
            if isinstance(operation, dict):
                found.append((f"{method.upper()} {path}", operation))
    return found


def _mapping(value: Any) -> Mapping[str, Any]:
    return value if isinstance(value, dict) else {}


def _first_line(text: str) -> str:
    return text.strip().splitlines()[0][:300] if text.strip() else ""


def _stderr(text: str) -> str:
    lines = [line.strip() for line in text.splitlines() if line.strip() and line.strip()[0] not in "║╔╚"]
    return lines[0][:300] if lines else "no output"
