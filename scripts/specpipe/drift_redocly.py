"""Run the pinned ``redocly diff`` (@redocly/cli 2.77.0) and bring its verdicts into `Change`s.

redocly rates changes the way API semver does, from the server's side, and only in the direction that
hurts: it reports a narrowed request type or a widened response type, a request enum that lost values, a
response enum that gained some, a removed property only where a response carries it. For a generated
client every type, format, enum and property change matters both ways, so `drift_compare` rates those
itself and `merge` keeps one finding per thing. Where redocly is silent by design (request-side property
removal, response-side enum removal, additions, unused components) the pipeline's check is the source.

Every verdict redocly emits is kept (rated by its own impact: ``major`` is breaking); rule ids it may add
in a later version map to ``redocly:<rule-id>``. Its unrated entries (plain additions) are not used: the
pipeline's check reports additions with the same locations.
"""

from __future__ import annotations

import json
import os
import subprocess
import tempfile
from collections.abc import Mapping
from pathlib import Path
from typing import Any, Final

from .drift_changes import BREAKING, MISSING, NON_BREAKING, Change, Severity, resolve
from .errors import PipelineError
from .node import node_tool

TIMEOUT_SECONDS: Final = 180
# Written next to the documents at run time: the diff needs the diff rules on whatever lint config
# scripts/redocly.yaml holds (a config that only extends `minimal` turns every diff rule off).
CONFIG: Final = "extends:\n  - diff-recommended\n"

RULE_CLASSES: Final[Mapping[str, str]] = {
    "path-removed": "path-removed",
    "operation-removed": "operation-removed",
    "operation-id-changed": "operation-id-changed",
    "parameter-removed": "parameter-removed",
    "parameter-became-required": "parameter-became-required",
    "parameter-serialization-changed": "parameter-serialization-changed",
    "request-body-removed": "request-body-removed",
    "request-body-became-required": "request-body-became-required",
    "response-removed": "response-removed",
    "response-header-removed": "response-header-removed",
    "media-type-removed": "media-type-removed",
    "security-requirement-changed": "security-changed",
    "security-scheme-changed": "security-changed",
    "server-removed": "servers-changed",
    "schema-type-changed": "type-changed",
    "enum-values-removed": "enum-values-removed",
    "enum-values-added": "enum-values-added",
    "required-properties-added": "property-became-required",
    "required-properties-removed": "property-no-longer-required",
    "property-removed": "property-removed",
    "schema-combinator-changed": "combinator-changed",
    # schema-constraint-changed is split below: `format` is its own class, the rest is constraint-changed.
}


class RedoclyError(PipelineError):
    """redocly diff could not run or its report could not be read."""


def redocly_diff(base: Path, live: Path, *, timeout: float = TIMEOUT_SECONDS) -> list[Change]:
    """The verdicts of ``redocly diff base live`` as Changes."""
    tool = node_tool("redocly")
    with tempfile.TemporaryDirectory(prefix="specpipe-redocly-") as tmp:
        config = Path(tmp) / "redocly.yaml"
        config.write_text(CONFIG, encoding="utf-8")
        out = Path(tmp) / "diff.json"
        command = [tool, "diff", str(base.resolve()), str(live.resolve()), "--config", str(config),
                   "--format=json", "--fail-on=none", "-o", str(out)]  # fmt: skip
        env = dict(os.environ, REDOCLY_TELEMETRY="off", REDOCLY_SUPPRESS_UPDATE_NOTICE="true", NO_COLOR="1")
        try:
            proc = subprocess.run(
                command, cwd=tmp, env=env, capture_output=True, text=True, timeout=timeout, check=False
            )
        except subprocess.TimeoutExpired:
            raise RedoclyError(f"redocly diff did not finish within {timeout:g} s") from None
        except OSError as exc:
            raise RedoclyError(f"cannot run redocly ({exc.strerror}): is Node.js installed?") from None
        if not out.exists():
            raise RedoclyError(
                f"redocly diff wrote no report (exit {proc.returncode}): {_first_line(proc.stderr)}"
            )
        try:
            report = json.loads(out.read_text(encoding="utf-8"))
        except ValueError as exc:
            raise RedoclyError(f"redocly diff wrote an unreadable report: {exc}") from None
    return changes_from_report(report)


def changes_from_report(report: Any) -> list[Change]:
    """Changes from a ``redocly diff --format=json`` report (reportVersion 1)."""
    if not isinstance(report, dict) or report.get("reportVersion") != "1":
        version = report.get("reportVersion") if isinstance(report, dict) else None
        raise RedoclyError(f"redocly diff report version {version!r} is not the supported '1'")
    found: list[Change] = []
    for entry in _list(report.get("changes")):
        if not isinstance(entry, dict):
            continue
        covers = _rename_covers(entry)
        for verdict in _list(entry.get("verdicts")):
            if isinstance(verdict, dict):
                found.append(_change(entry, verdict, covers))
    return found


def located(changes: list[Change], base: Any, live: Any) -> list[Change]:
    """Drop verdicts that point at something identical in both documents.

    redocly compares schemas through their ``$ref``s and reports some findings at the referenced
    component: turning ``a: {$ref: Sub}`` into ``a: {anyOf: [{$ref: Sub}, {type: "null"}]}`` yields "All
    properties of `a` were removed" located at ``#/components/schemas/Sub/properties``, which did not
    change. The change itself is still reported (as the type and combinator change of ``a``).
    """
    return [
        c for c in changes if _canonical(resolve(base, c.location)) != _canonical(resolve(live, c.location))
    ]


def _canonical(value: Any) -> str:
    return "<missing>" if value is MISSING else json.dumps(value, sort_keys=True)


def _change(entry: dict[str, Any], verdict: dict[str, Any], covers: tuple[str, ...]) -> Change:
    rule = str(verdict.get("ruleId", "?"))
    location = _dict(verdict.get("location")).get("pointer") or entry.get("path") or "#"
    if rule == "schema-constraint-changed":
        cls = "format-changed" if str(location).endswith("/format") else "constraint-changed"
    else:
        cls = RULE_CLASSES.get(rule, f"redocly:{rule}")
    severity: Severity = BREAKING if verdict.get("impact", entry.get("impact")) == "major" else NON_BREAKING
    message = " ".join(str(verdict.get("message", rule)).split())
    return Change(cls, severity, str(location), message, "redocly", covers)


def _rename_covers(entry: dict[str, Any]) -> tuple[str, ...]:
    """A renamed key (property, parameter, path) accounts for the old and the new name."""
    if entry.get("kind") != "modified" or entry.get("property") not in ("key", "name"):
        return ()
    pointers = (_dict(entry.get(side)).get("pointer") for side in ("base", "revision"))
    return tuple(str(p) for p in pointers if isinstance(p, str))


def _dict(value: Any) -> dict[str, Any]:
    return value if isinstance(value, dict) else {}


def _list(value: Any) -> list[Any]:
    return value if isinstance(value, list) else []


def _first_line(text: str) -> str:
    lines = [
        line.strip()
        for line in text.splitlines()
        if line.strip() and not line.strip().startswith(("║", "╔", "╚"))
    ]
    return lines[0][:300] if lines else "no output"
