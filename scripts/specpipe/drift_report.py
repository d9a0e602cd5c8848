"""The drift report: its data, ``drift-report.json`` (schema in `specpipe.drift`) and ``drift-report.md``.

The JSON report lists every finding. The Markdown report is for people and stays short whatever the drift
(at most ``MAX_LINES`` lines): status and counts, the overlay methods and Python API affected, then the
document changes grouped: findings of one class and severity whose messages are the same once the names
of the schema, property, path or component they are about are masked (``Type of `…` of `…` changed from
'string' to 'null | string'.``) make one row, with a count, how many schemas or operations, and a few
example locations.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any, Final, Generic, Literal, TypeVar

from .drift_changes import BREAKING, NON_BREAKING, Change, Severity, named_segments
from .drift_compare import HTTP_METHODS
from .drift_overlay import OverlayChange
from .drift_python_api import ApiChange

SCHEMA_VERSION: Final = 1

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
    left_out: list[dict[str, str]] = field(default_factory=list)

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
            "left_out": list(self.left_out),
            "notes": list(self.notes),
        }


def render_json(report: DriftReport) -> str:
    return json.dumps(report.to_json(), indent=2, ensure_ascii=False) + "\n"


# Caps that keep drift-report.md within MAX_LINES lines whatever the drift; the JSON report has it all.
MAX_LINES: Final = 200
MAX_CLASSES: Final = 25
MAX_ACCESSORS: Final = 20
MAX_REASONS: Final = 5
MAX_API_EXAMPLES: Final = 4  # per kind
MAX_GROUPS: Final = 40
MAX_EXAMPLES: Final = 3  # locations per group
MAX_NOTES: Final = 10
MAX_CELL: Final = 400  # characters

# Names in a location that identify one particular thing; grouping masks them in messages. Other names
# (status codes, media types, enum values, indexes) are shared vocabulary and stay.
_SPECIFIC_CONTAINERS: Final = frozenset(
    {"paths", "schemas", "properties", "patternProperties", "$defs", "definitions", "dependentSchemas",
     "securitySchemes", "webhooks"}
)  # fmt: skip
_BACKTICKED: Final = re.compile(r"`([^`]+)`")
_MASK: Final = "`…`"

_HEADLINES: Final[dict[Status, str]] = {
    "none": "no drift: the live document matches the pinned copy",
    "non-breaking": "non-breaking drift: regenerate to pick it up",
    "breaking": "BREAKING drift: the live API breaks clients built from the pinned copy",
    "unavailable": "UNAVAILABLE: the live document could not be checked",
}


def _left_out(left_out: list[dict[str, str]]) -> list[str]:
    """Operations of the live document that `nox -s generate` would leave out of the client, and why."""
    if not left_out:
        return []
    shown = left_out[:MAX_REASONS]
    lines = [f"### Left out of the client ({len(left_out)})", ""]
    lines += [f"- `{op['method']} {op['path']}`: {_cell(op['reason'])}" for op in shown]
    return [*lines, *_more(len(left_out) - len(shown), "operations", "left_out"), ""]


def render_markdown(report: DriftReport) -> str:
    """A summary (counts per class and severity, the overlay methods and Python API affected), then the
    document changes grouped by what changed, with a few example locations per group; every finding is in
    drift-report.json. At most MAX_LINES lines whatever the drift."""
    data = report.to_json()
    lines = [f"## Contract drift: {_HEADLINES[report.status]}", ""]
    if report.error is not None:
        lines += [f"**Error:** {_cell(report.error)}", ""]
    lines += [
        f"- Live: {_code(report.live_source)} (via {report.live_via or '-'}), sha256 {_code(report.live_sha256)}",
        f"- Pinned: {_code(report.pinned_path)}, sha256 {_code(report.pinned_sha256)}",
        f"- {data['summary']['breaking']:,} breaking, {data['summary']['non_breaking']:,} non-breaking "
        "finding(s); every one is listed in drift-report.json",
        "",
    ]
    if report.status != "unavailable":
        lines += _summary(report)
        lines += _overlay(report.overlay, report.status == "breaking")
        lines += _left_out(report.left_out)
        lines += _python_api(report.python_api)
        lines += _document_changes(report.changes)
    if report.notes:
        shown = report.notes[:MAX_NOTES]
        lines += ["### Notes", "", *(f"- {_cell(note)}" for note in shown)]
        lines += _more(len(report.notes) - len(shown), "notes", "notes")
    return "\n".join(lines).rstrip() + "\n"


def _summary(report: DriftReport) -> list[str]:
    lines = ["### Summary", "", "| Findings | Breaking | Non-breaking |", "| --- | ---: | ---: |"]
    for title, severities in (
        ("Document changes", [c.severity for c in report.changes]),
        ("Python API of `dimescheduler_raw`", [c.severity for c in report.python_api]),
        ("Overlay methods", [c.severity for c in report.overlay]),
    ):
        lines.append(f"| {title} | {_count(severities, BREAKING)} | {_count(severities, NON_BREAKING)} |")
    if not report.changes:
        return [*lines, ""]
    by_class: dict[str, list[Severity]] = {}
    for change in report.changes:
        by_class.setdefault(change.cls, []).append(change.severity)
    ranked = sorted(by_class.items(), key=lambda item: (-len(item[1]), item[0]))
    lines += ["", "| Rule | Breaking | Non-breaking |", "| --- | ---: | ---: |"]
    for cls, severities in ranked[:MAX_CLASSES]:
        lines.append(
            f"| {_cell(cls)} | {_count(severities, BREAKING)} | {_count(severities, NON_BREAKING)} |"
        )
    if len(ranked) > MAX_CLASSES:
        rest = [severity for _, severities in ranked[MAX_CLASSES:] for severity in severities]
        label = f"{len(ranked) - MAX_CLASSES} more classes"
        lines.append(f"| {label} | {_count(rest, BREAKING)} | {_count(rest, NON_BREAKING)} |")
    return [*lines, ""]


def _overlay(changes: list[OverlayChange], breaking: bool = False) -> list[str]:
    if not changes:
        said = (
            "**No overlay method is affected:** what breaks is the raw client (`dimescheduler_raw` names, e.g. renamed models) or parts of "
            "the document no overlay method uses; code using `dimescheduler_openapi` keeps working "
            "(`--fail-on overlay` fails only when an overlay method is affected)."
            if breaking
            else "None."
        )
        return ["### Overlay methods affected", "", said, ""]
    by_accessor: dict[str, list[OverlayChange]] = {}
    for change in changes:
        by_accessor.setdefault(change.accessor.rpartition(".")[0] or change.accessor, []).append(change)
    lines = [f"### Overlay methods affected ({len(changes):,} in {len(by_accessor):,} accessors)", ""]
    for accessor, methods in list(by_accessor.items())[:MAX_ACCESSORS]:
        severities = _severities([change.severity for change in methods])
        shown = ", ".join(
            f"`{change.accessor.removeprefix(accessor + '.')}` (`{change.operation}`)" for change in methods
        )
        lines.append(f"- `{accessor}` ({severities}): {_cell(shown)}")
    lines += _more(len(by_accessor) - MAX_ACCESSORS, "accessors", "overlay")
    reasons: dict[tuple[str, str], list[OverlayChange]] = {}
    for change in changes:
        reasons.setdefault((change.severity, _overlay_reason(change)), []).append(change)
    lines += ["", "Why:", ""]
    for (severity, what), members in list(reasons.items())[:MAX_REASONS]:
        names = [f"`{member.accessor}` (`{member.operation}`)" for member in members[:MAX_EXAMPLES]]
        more = f" and {len(members) - MAX_EXAMPLES:,} more" if len(members) > MAX_EXAMPLES else ""
        lines.append(f"- {len(members):,} {severity}: {_cell(what)} ({', '.join(names)}{more})")
    return [*lines, *_more(len(reasons) - MAX_REASONS, "reasons", "overlay"), ""]


def _overlay_reason(change: OverlayChange) -> str:
    """What broke, without the method's name (the line lists the methods): shared by methods alike."""
    _, _, rest = change.message.partition("): ")
    if rest:
        return rest
    if change.message.endswith("which the live document no longer has."):
        return "its route is gone from the live document."
    return change.message.removeprefix(f"`client.{change.accessor}()`: `{change.operation}` ")


def _python_api(changes: list[ApiChange]) -> list[str]:
    title = "### Python API of `dimescheduler_raw`"
    if not changes:
        return [title, "", "None.", ""]
    lines = [f"{title} ({len(changes):,})", "", "| Kind | Breaking | Non-breaking |", "| --- | ---: | ---: |"]
    kinds: dict[str, list[ApiChange]] = {}
    for change in changes:
        kinds.setdefault(change.kind, []).append(change)
    for kind, members in kinds.items():
        severities = [change.severity for change in members]
        lines.append(f"| {kind} | {_count(severities, BREAKING)} | {_count(severities, NON_BREAKING)} |")
    lines += ["", "First of each kind:", ""]
    for kind, members in kinds.items():
        lines += [
            f"- {kind}, {change.severity}: {_cell(change.message)}" for change in members[:MAX_API_EXAMPLES]
        ]
    shown = sum(min(len(members), MAX_API_EXAMPLES) for members in kinds.values())
    return [*lines, *_more(len(changes) - shown, "Python API changes", "python_api"), ""]


def _document_changes(changes: list[Change]) -> list[str]:
    if not changes:
        return ["### Document changes", "", "None.", ""]
    groups = _groups(
        changes, lambda c: (c.severity, c.level, c.cls, _masked(c.message, _specific_names(c.location)))
    )
    lines = [
        f"### Document changes ({len(changes):,} in {len(groups):,} groups)",
        "",
        "Findings of one class that say the same thing about different schemas, properties or operations "
        "are one row; `…` stands for the name that differs.",
        "",
        "| Level | Rule | Change | Count | Where | Examples |",
        "| --- | --- | --- | ---: | --- | --- |",
    ]
    # Breaking groups come first, but a long breaking tail does not hide every non-breaking group.
    breaking = [group for group in groups if group.severity == BREAKING]
    rest = groups[len(breaking) :]
    breaking = breaking[: MAX_GROUPS - min(len(rest), MAX_GROUPS // 4)]
    shown = [*breaking, *rest[: MAX_GROUPS - len(breaking)]]
    for group in shown:
        first = group.members[0]
        what = first.message if len(group.members) == 1 else group.what
        owners: dict[str, set[str]] = {}
        for change in group.members:
            kind, owner = _owner(change.location)
            owners.setdefault(kind, set()).add(owner)
        where = ", ".join(_quantity(len(names), kind) for kind, names in owners.items())
        locations = list(dict.fromkeys(change.location for change in group.members))
        examples = ", ".join(f"`{location}`" for location in locations[:MAX_EXAMPLES])
        cells = [first.level, first.cls, what, f"{len(group.members):,}", where, examples]
        lines.append("| " + " | ".join(_cell(cell) for cell in cells) + " |")
    hidden = len(changes) - sum(len(group.members) for group in shown)
    more = f"groups ({hidden:,} findings)"
    return [*lines, *_more(len(groups) - len(shown), more, "changes"), ""]


# --- grouping ------------------------------------------------------------------------------------

T = TypeVar("T", Change, OverlayChange)


@dataclass(frozen=True)
class _Group(Generic[T]):
    severity: str
    what: str
    members: list[T]


def _groups(items: list[T], key: Callable[[T], tuple[str, ...]]) -> list[_Group[T]]:
    """Items with the same key (severity first, the masked message last), breaking and largest first."""
    grouped: dict[tuple[str, ...], list[T]] = {}
    for item in items:
        grouped.setdefault(key(item), []).append(item)
    ordered = sorted(grouped.items(), key=lambda entry: (entry[0][0] != BREAKING, -len(entry[1]), entry[0]))
    return [_Group(found[0], found[-1], members) for found, members in ordered]


def _specific_names(location: str) -> list[str]:
    """The names in a location that pick out one thing: the component, path, schema or property."""
    named = named_segments(location)
    names = [name for container, name in named if container in _SPECIFIC_CONTAINERS]
    if location.startswith("#/components/") and named:
        names.append(named[0][1])
    names += [part for name in names if name.startswith("/") for part in name.split("/") if part]
    return names


def _masked(message: str, names: list[str]) -> str:
    """``message`` with every backticked token that names or contains one of ``names`` replaced by `…`
    (case and punctuation ignored; ``GET /p1`` contains the word ``p1``, ``JobListItem`` contains ``job``;
    names shorter than three letters only count as whole words)."""
    keys = {_letters(name) for name in names} - {""}

    def mask(match: re.Match[str]) -> str:
        words = re.split(r"[^a-z0-9]+", match.group(1).lower())
        token = "".join(words)
        found = any(key == token or key in words or (len(key) >= 3 and key in token) for key in keys)
        return _MASK if found else match.group(0)

    return _BACKTICKED.sub(mask, message)


def _letters(text: str) -> str:
    return "".join(char for char in text.lower() if char.isalnum())


_SINGULAR: Final = {
    "operations": "operation", "paths": "path", "schemas": "schema", "responses": "response",
    "parameters": "parameter", "requestBodies": "requestBody", "headers": "header",
    "securitySchemes": "securityScheme", "document sections": "document section",
}  # fmt: skip


def _quantity(count: int, kind: str) -> str:
    return f"{count:,} {_SINGULAR.get(kind, kind) if count == 1 else kind}"


def _owner(location: str) -> tuple[str, str]:
    """(kind, name) of what a location belongs to: an operation, a path, a component, a document section."""
    parts = [raw.replace("~1", "/").replace("~0", "~") for raw in location.removeprefix("#/").split("/")]
    if parts[0] == "paths" and len(parts) > 2 and parts[2] in HTTP_METHODS:
        return "operations", f"{parts[2].upper()} {parts[1]}"
    if parts[0] == "paths" and len(parts) > 1:
        return "paths", parts[1]
    if parts[0] == "components" and len(parts) > 2:
        return parts[1], parts[2]
    return "document sections", parts[0]


# --- Markdown helpers ----------------------------------------------------------------------------


def _count(severities: Sequence[str], severity: str) -> str:
    return f"{severities.count(severity):,}"


def _severities(severities: Sequence[str]) -> str:
    """``3 breaking, 1 non-breaking``, leaving out a severity that does not occur."""
    counts = ((severities.count(severity), severity) for severity in (BREAKING, NON_BREAKING))
    return ", ".join(f"{count:,} {severity}" for count, severity in counts if count)


def _more(hidden: int, what: str, key: str) -> list[str]:
    return ["", f"... and {hidden:,} more {what} in drift-report.json (`{key}`)"] if hidden > 0 else []


def _cell(text: str) -> str:
    flat = " ".join(text.split())
    if len(flat) > MAX_CELL:
        flat = flat[: MAX_CELL - 1] + "…"
    return flat.replace("|", "\\|")


def _code(value: str | None) -> str:
    return f"`{value}`" if value else "-"
