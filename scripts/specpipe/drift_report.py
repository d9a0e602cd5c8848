"""The drift report: its data, ``drift-report.json`` (schema in `specpipe.drift`) and ``drift-report.md``."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any, Final, Literal

from .drift_changes import BREAKING, Change
from .drift_overlay import OverlayChange
from .drift_python_api import ApiChange

SCHEMA_VERSION: Final = 1
MARKDOWN_ROWS: Final = 200

Status = Literal["none", "non-breaking", "breaking", "unavailable"]


@dataclass
class DriftReport:
    pinned_path: str
    pinned_sha256: str | None = None
    live_source: str | None = None
    live_via: str | None = None
    live_sha256: str | None = None
    live_upstream_sha256: str | None = None
    error: str | None = None
    changes: list[Change] = field(default_factory=list)
    python_api: list[ApiChange] = field(default_factory=list)
    overlay: list[OverlayChange] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)

    @property
    def severities(self) -> list[str]:
        return [
            *(change.severity for change in self.changes),
            *(change.severity for change in self.python_api),
            *(change.severity for change in self.overlay),
        ]

    @property
    def status(self) -> Status:
        if self.error is not None:
            return "unavailable"
        severities = self.severities
        if BREAKING in severities:
            return "breaking"
        return "non-breaking" if severities else "none"

    def to_json(self) -> dict[str, Any]:
        severities = self.severities
        return {
            "schema_version": SCHEMA_VERSION,
            "status": self.status,
            "error": self.error,
            "live": {
                "source": self.live_source,
                "via": self.live_via,
                "sha256": self.live_sha256,
                "upstream_sha256": self.live_upstream_sha256,
            },
            "pinned": {"path": self.pinned_path, "sha256": self.pinned_sha256},
            "summary": {
                "breaking": severities.count(BREAKING),
                "non_breaking": len(severities) - severities.count(BREAKING),
            },
            "changes": [change.to_json() for change in self.changes],
            "python_api": [change.to_json() for change in self.python_api],
            "overlay": [change.to_json() for change in self.overlay],
            "notes": list(self.notes),
        }


def render_json(report: DriftReport) -> str:
    return json.dumps(report.to_json(), indent=2, ensure_ascii=False) + "\n"


_HEADLINES: Final[dict[Status, str]] = {
    "none": "no drift: the live document matches the pinned copy",
    "non-breaking": "non-breaking drift: regenerate to pick it up",
    "breaking": "BREAKING drift: the live API breaks clients built from the pinned copy",
    "unavailable": "UNAVAILABLE: the live document could not be checked",
}


def render_markdown(report: DriftReport) -> str:
    data = report.to_json()
    lines = [f"## Contract drift: {_HEADLINES[report.status]}", ""]
    if report.error is not None:
        lines += [f"**Error:** {_cell(report.error)}", ""]
    lines += [
        f"- Live: {_code(report.live_source)} (via {report.live_via or '-'}), sha256 {_code(report.live_sha256)}",
        f"- Pinned: {_code(report.pinned_path)}, sha256 {_code(report.pinned_sha256)}",
        f"- {data['summary']['breaking']} breaking, {data['summary']['non_breaking']} non-breaking finding(s)",
        "",
    ]
    if report.status != "unavailable":
        lines += _table(
            "Document changes",
            ["Severity", "Class", "Location", "Change", "Found by"],
            [[c.severity, c.cls, f"`{c.location}`", c.message, c.source] for c in report.changes],
        )
        lines += _table(
            "Python API of `dimescheduler_raw`",
            ["Severity", "Kind", "Object", "Change"],
            [[c.severity, c.kind, f"`{c.object}`", c.message] for c in report.python_api],
        )
        lines += _table(
            "Overlay accessors",
            ["Severity", "Accessor", "Operation", "Change"],
            [[c.severity, f"`{c.accessor}`", f"`{c.operation}`", c.message] for c in report.overlay],
        )
    if report.notes:
        lines += ["### Notes", "", *(f"- {_cell(note)}" for note in report.notes), ""]
    return "\n".join(lines).rstrip() + "\n"


def _table(title: str, header: list[str], rows: list[list[str]]) -> list[str]:
    if not rows:
        return [f"### {title}", "", "None.", ""]
    shown = rows[:MARKDOWN_ROWS]
    out = [f"### {title} ({len(rows)})", "", "| " + " | ".join(header) + " |", "|" + " --- |" * len(header)]
    out += ["| " + " | ".join(_cell(value) for value in row) + " |" for row in shown]
    if len(rows) > len(shown):
        out.append(f"\n... and {len(rows) - len(shown)} more in drift-report.json")
    return [*out, ""]


def _cell(text: str) -> str:
    return " ".join(text.split()).replace("|", "\\|")


def _code(value: str | None) -> str:
    return f"`{value}`" if value else "-"
