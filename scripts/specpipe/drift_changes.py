"""The one model every drift finding is brought into: `Change` (class, severity, location, message, source).

Locations are JSON pointers (``#/components/schemas/Job/properties/jobNo``) into the document the changed
thing lives in: the pinned document for something removed, the live document otherwise.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any, Final, Literal

from .drift_rules import BREAKING as LEVEL_BREAKING
from .drift_rules import INFO, Level, rule

Severity = Literal["breaking", "non-breaking"]
Origin = Literal["pipeline"]

BREAKING: Final = "breaking"
NON_BREAKING: Final = "non-breaking"

# Last pointer segments naming the keyword that changed rather than the thing it belongs to: two findings
# about the same thing, one pointing at `.../n` and one at `.../n/format`, are the same finding.
_KEYWORD_SEGMENTS = frozenset(
    {"type", "format", "enum", "required", "nullable", "url", "name", "in", "operationId", "key"}
)

# Keywords whose children are names or list indexes, never keywords: ``properties/type`` is a property.
_NAME_CONTAINERS = frozenset(
    {
        "paths", "properties", "patternProperties", "schemas", "securitySchemes", "headers", "content",
        "responses", "parameters", "requestBodies", "examples", "links", "callbacks", "$defs", "definitions",
        "dependentSchemas", "allOf", "anyOf", "oneOf", "prefixItems", "servers", "security", "enum",
        "required", "tags", "variables", "encoding", "mapping", "scopes", "webhooks",
    }
)  # fmt: skip


@dataclass(frozen=True)
class Change:
    """One difference between the pinned and the live document, rated for a client of the API."""

    cls: str
    severity: Severity
    location: str
    message: str
    source: Origin
    # Pointers a finding also accounts for (a rename covers the removed and the added name).
    covers: tuple[str, ...] = field(default=(), compare=False, repr=False)
    # breaking / warning / info; left empty, it follows the severity (breaking, else info)
    level: str = field(default="", compare=False)

    def __post_init__(self) -> None:
        if not self.level:
            object.__setattr__(self, "level", LEVEL_BREAKING if self.severity == BREAKING else INFO)

    @classmethod
    def of(cls, rule_id: str, location: str, message: str, source: Origin = "pipeline") -> Change:
        """A finding of rule ``rule_id`` (drift_rules.RULES), its severity and level from the rule."""
        level: Level = rule(rule_id).level
        severity: Severity = BREAKING if level == LEVEL_BREAKING else NON_BREAKING
        return cls(rule_id, severity, location, message, source, level=level)

    @property
    def breaking(self) -> bool:
        return self.severity == BREAKING

    def to_json(self) -> dict[str, str]:
        return {
            "id": self.cls,
            "class": self.cls,
            "level": self.level,
            "severity": self.severity,
            "location": self.location,
            "message": self.message,
            "source": self.source,
        }


def pointer(*segments: str | int) -> str:
    """``pointer("paths", "/job", "get")`` -> ``#/paths/~1job/get`` (RFC 6901 escaping)."""
    escaped = (str(segment).replace("~", "~0").replace("/", "~1") for segment in segments)
    return "#/" + "/".join(escaped) if segments else "#"


def child(location: str, *segments: str | int) -> str:
    """``child("#/paths/~1job", "get")`` -> ``#/paths/~1job/get``."""
    base = location.rstrip("/")
    tail = pointer(*segments)[1:] if segments else ""
    return base + tail


MISSING: Final = object()


def resolve(document: Any, location: str) -> Any:
    """The value a ``#/...`` pointer names in ``document``, or ``MISSING``."""
    node: Any = document
    if location in ("#", "#/"):
        return node
    for raw in location.removeprefix("#/").split("/"):
        key = raw.replace("~1", "/").replace("~0", "~")
        if isinstance(node, dict) and key in node:
            node = node[key]
        elif isinstance(node, list) and key.isdigit() and int(key) < len(node):
            node = node[int(key)]
        else:
            return MISSING
    return node


def subject(location: str) -> str:
    """The thing a location is about: ``.../properties/n/format`` -> ``.../properties/n``, while
    ``.../properties/format`` (a property named "format") stays as it is."""
    segments = location.removeprefix("#/").split("/")
    names_next = False
    keyword = False
    for segment in segments:
        keyword = not names_next
        names_next = keyword and segment in _NAME_CONTAINERS
    head, _, last = location.rpartition("/")
    return head if keyword and head and last in _KEYWORD_SEGMENTS else location


def named_segments(location: str) -> list[tuple[str, str]]:
    """(container, name) for each name in a location, unescaped, with the same walk as `subject`:
    ``#/components/schemas/Job/properties/jobNo`` -> ``[("schemas", "Job"), ("properties", "jobNo")]``."""
    found: list[tuple[str, str]] = []
    container: str | None = None
    for raw in location.removeprefix("#/").split("/"):
        segment = raw.replace("~1", "/").replace("~0", "~")
        if container is not None:
            found.append((container, segment))
            container = None
        elif segment in _NAME_CONTAINERS:
            container = segment
    return found


def is_within(inner: str, outer: str) -> bool:
    """True when ``inner`` is ``outer`` or lies below it (whole segments only)."""
    return inner == outer or inner.startswith(outer.rstrip("/") + "/")


def sort_changes(changes: Iterable[Change]) -> list[Change]:
    """Breaking first, then by location and class, so reports are stable."""
    return sorted(changes, key=lambda c: (not c.breaking, c.location, c.cls, c.message))


def worst(severities: Sequence[Severity]) -> Severity | None:
    if not severities:
        return None
    return BREAKING if BREAKING in severities else NON_BREAKING
