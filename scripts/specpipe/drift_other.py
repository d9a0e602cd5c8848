"""The safety net of the drift check: differences that no rated change explains.

Any operation, path-level key, component or top-level section (``info``, ``tags``, ``servers``, ...)
that differs between the documents while no rated change lies inside it (or contains it) yields one
non-breaking ``other`` change naming the keys that differ, so a changed document never reads as
"no drift" (descriptions, examples, ``info.version``, vendor extensions).
"""

from __future__ import annotations

import json
from collections.abc import Iterator, Mapping
from typing import Any

from .drift_changes import NON_BREAKING, Change, is_within, pointer
from .drift_compare import HTTP_METHODS, Node

_EMPTY: Mapping[str, Any] = {}


def other_differences(base: Node, live: Node, changes: list[Change]) -> list[Change]:
    """One non-breaking ``other`` change per unit (operation, path item, component, top-level section)
    that differs without any change in ``changes`` inside it."""
    explained = [location for change in changes for location in (change.location, *change.covers)]
    found: list[Change] = []
    for at, old, new in _units(base, live):
        if _canonical(old) == _canonical(new) or any(
            is_within(location, at) or is_within(at, location) for location in explained
        ):
            continue
        keys = _differing_keys(old, new)
        shown = ", ".join(keys[:6]) + (", ..." if len(keys) > 6 else "")
        found.append(
            Change(
                "other",
                NON_BREAKING,
                at,
                f"{_unit_name(at)} changed outside the client contract ({shown}).",
                "pipeline",
            )
        )
    return found


def _units(base: Node, live: Node) -> Iterator[tuple[str, Any, Any]]:
    for key in sorted(base.keys() | live.keys()):
        if key not in ("paths", "components"):
            yield pointer(key), base.get(key), live.get(key)
    base_paths, live_paths = _dict(base.get("paths")), _dict(live.get("paths"))
    for path in sorted(base_paths.keys() | live_paths.keys()):
        old, new = _dict(base_paths.get(path)), _dict(live_paths.get(path))
        for key in sorted(old.keys() | new.keys()):  # operations and path-level keys (parameters, ...)
            yield pointer("paths", path, key), old.get(key), new.get(key)
    base_components, live_components = _dict(base.get("components")), _dict(live.get("components"))
    for kind in sorted(base_components.keys() | live_components.keys()):
        old_kind, new_kind = _dict(base_components.get(kind)), _dict(live_components.get(kind))
        for name in sorted(old_kind.keys() | new_kind.keys()):
            yield pointer("components", kind, name), old_kind.get(name), new_kind.get(name)


def _differing_keys(old: Any, new: Any) -> list[str]:
    if not isinstance(old, dict) or not isinstance(new, dict):
        return ["added" if old is None else "removed" if new is None else "value"]
    return sorted(
        key for key in old.keys() | new.keys() if _canonical(old.get(key)) != _canonical(new.get(key))
    )


def _unit_name(at: str) -> str:
    parts = [part.replace("~1", "/").replace("~0", "~") for part in at[2:].split("/")]
    if parts[0] == "paths" and parts[2] in HTTP_METHODS:
        return f"`{parts[2].upper()} {parts[1]}`"
    if parts[0] == "paths":
        return f"`{parts[2]}` of path `{parts[1]}`"
    if parts[0] == "components":
        return f"`{parts[2]}` (components.{parts[1]})"
    return f"`{parts[0]}`"


def _dict(value: Any) -> Mapping[str, Any]:
    return value if isinstance(value, dict) else _EMPTY


def _canonical(value: Any) -> str:
    return json.dumps(value, sort_keys=True, ensure_ascii=False)
