"""Which overlay accessor methods a live document breaks, found by route (method + path), never by name.

The overlay declares, per accessor method, the operation it sends:
``dimescheduler_openapi._resources.declared_operations()`` -> ``{accessor: {method: Endpoint(method,
path)}}``. For each of them this module compares the pinned and the live document *at that route*:

- ``route-removed``: the live document has no such operation. Placeholder names are ignored
  (``/job/{no}`` matches ``/job/{jobNo}``): the overlay fills placeholders by position of its own names.
- ``left-out``: the live document has it, but `nox -s generate` would leave it out of the client.
- ``model-removed``: the request body or the answer no longer has an object model to read or send.
- ``field-removed`` / ``field-changed``: a property of the model the method sends (the JSON request body,
  one object or the item of a list) or reads (the success answer, the item of a list, a page and the items
  of its list) is gone, or its type or format changed (nullability alone is not counted: the document
  comparison reports it). Models are found by following the route's own ``$ref``s, so renaming a schema
  changes nothing here.

All of these are breaking for the overlay method named.
"""

from __future__ import annotations

import importlib
import re
import sys
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from .drift_changes import BREAKING, MISSING, Severity, resolve
from .errors import PipelineError

OVERLAY_PACKAGE = "dimescheduler_openapi"
_PLACEHOLDER = re.compile(r"\{[^}/]*\}")
_REF_DEPTH = 32


@dataclass(frozen=True, order=True)
class OverlayOperation:
    accessor: str  # "jobs.get_all"
    method: str  # "GET"
    path: str  # "/job"


@dataclass(frozen=True)
class OverlayChange:
    accessor: str
    operation: str
    severity: Severity
    message: str
    kind: str = "route-removed"

    def to_json(self) -> dict[str, str]:
        return {
            "accessor": self.accessor,
            "operation": self.operation,
            "kind": self.kind,
            "severity": self.severity,
            "message": self.message,
        }


def declared_overlay_operations(search_paths: Iterable[Path] = ()) -> list[OverlayOperation]:
    """What the overlay's accessor methods send; ``search_paths`` go first on sys.path while importing."""
    added = [str(path) for path in search_paths if str(path) not in sys.path]
    sys.path[:0] = added
    try:
        resources = importlib.import_module(f"{OVERLAY_PACKAGE}._resources")
        declared: Mapping[str, Mapping[str, Any]] = resources.declared_operations()
    except Exception as exc:  # any import or declaration error makes the check unavailable, not the run
        raise PipelineError(
            f"cannot read the overlay's declared operations: {type(exc).__name__}: {exc}"
        ) from None
    finally:
        for path in added:
            sys.path.remove(path)
    return sorted(
        OverlayOperation(f"{accessor}.{name}", str(endpoint.method).upper(), str(endpoint.path))
        for accessor, methods in declared.items()
        for name, endpoint in methods.items()
    )


def overlay_impact(
    operations: Iterable[OverlayOperation],
    pinned: Mapping[str, Any],
    live: Mapping[str, Any],
    left_out: Mapping[tuple[str, str], str] | None = None,
) -> list[OverlayChange]:
    """Every overlay method the live document breaks (see the module docstring), sorted.

    ``left_out`` maps ``(METHOD, path template of the live document)`` to why generation leaves it out.
    An operation missing from the pinned copy is a mismatch the overlay's own tests catch, not drift.
    """
    pinned_ops, live_ops = _operations(pinned), _operations(live)
    left = {(method, _template(path)): reason for (method, path), reason in (left_out or {}).items()}
    changes: list[OverlayChange] = []
    for op in operations:
        key = (op.method, _template(op.path))
        where = f"{op.method} {op.path}"
        if key not in pinned_ops:
            continue
        if key not in live_ops:
            message = f"`client.{op.accessor}()` sends `{where}`, which the live document no longer has."
            changes.append(OverlayChange(op.accessor, where, BREAKING, message, "route-removed"))
            continue
        if key in left:
            message = f"`client.{op.accessor}()`: `{where}` would be left out of the client ({left[key]})."
            changes.append(OverlayChange(op.accessor, where, BREAKING, message, "left-out"))
            continue
        for role, kind, field, detail in _model_changes(pinned, pinned_ops[key], live, live_ops[key]):
            message = f"`client.{op.accessor}()` ({where}): {role} field `{field}` {detail}."
            changes.append(OverlayChange(op.accessor, where, BREAKING, message, kind))
    return sorted(changes, key=lambda change: (change.accessor, change.kind, change.message))


def _model_changes(
    pinned: Mapping[str, Any], old_op: Mapping[str, Any], live: Mapping[str, Any], new_op: Mapping[str, Any]
) -> Iterator[tuple[str, str, str, str]]:
    """(role, kind, field, what changed) for the body and answer models of one operation."""
    for role, old, new in (
        ("request body", _body_schema(pinned, old_op), _body_schema(live, new_op)),
        ("answer", _answer_schema(pinned, old_op), _answer_schema(live, new_op)),
    ):
        if old is not None and new is None:
            yield role, "model-removed", "*", "is no longer described by a model (the whole object)"
            continue
        if old is None or new is None:
            continue
        yield from _field_changes(role, pinned, old, live, new)
        old_items, new_items = _page_items(pinned, old), _page_items(live, new)
        if old_items is not None and new_items is not None:
            yield from _field_changes(f"{role} item", pinned, old_items, live, new_items)


def _field_changes(
    role: str,
    pinned: Mapping[str, Any],
    old: Mapping[str, Any],
    live: Mapping[str, Any],
    new: Mapping[str, Any],
) -> Iterator[tuple[str, str, str, str]]:
    old_fields, new_fields = _properties(pinned, old), _properties(live, new)
    for name, old_field in old_fields.items():
        if name not in new_fields:
            yield role, "field-removed", name, "was removed"
            continue
        before, after = _signature(pinned, old_field), _signature(live, new_fields[name])
        if before != after:
            yield role, "field-changed", name, f"changed from {before} to {after}"


def _operations(document: Mapping[str, Any]) -> dict[tuple[str, str], Mapping[str, Any]]:
    found: dict[tuple[str, str], Mapping[str, Any]] = {}
    paths = document.get("paths")
    for path, item in (paths if isinstance(paths, dict) else {}).items():
        for method, operation in (item if isinstance(item, dict) else {}).items():
            if isinstance(operation, dict):
                found[(method.upper(), _template(path))] = operation
    return found


def _template(path: str) -> str:
    return _PLACEHOLDER.sub("{}", path.rstrip("/") or "/")


def _resolve(document: Mapping[str, Any], schema: Any) -> Any:
    for _ in range(_REF_DEPTH):
        if not (isinstance(schema, dict) and isinstance(schema.get("$ref"), str)):
            return schema
        target = resolve(document, schema["$ref"])
        schema = None if target is MISSING else target
    return None


def _json_schema(document: Mapping[str, Any], holder: Any) -> Any:
    holder = _resolve(document, holder)
    content = holder.get("content") if isinstance(holder, dict) else None
    if not isinstance(content, dict):
        return None
    media = next((value for key, value in content.items() if "json" in key), None)
    return _resolve(document, media.get("schema")) if isinstance(media, dict) else None


def _single(document: Mapping[str, Any], schema: Any) -> dict[str, Any] | None:
    """The object model of a schema: itself, the item of an array, or the object branch of a oneOf/anyOf."""
    schema = _resolve(document, schema)
    if not isinstance(schema, dict):
        return None
    for combinator in ("oneOf", "anyOf"):
        branches = schema.get(combinator)
        if isinstance(branches, list):
            found = [_single(document, branch) for branch in branches]
            objects = [branch for branch in found if branch is not None]
            return objects[0] if objects else None
    if _types(schema) & {"array"}:
        return _single(document, schema.get("items"))
    return schema if _properties(document, schema) else None


def _body_schema(document: Mapping[str, Any], operation: Mapping[str, Any]) -> dict[str, Any] | None:
    return _single(document, _json_schema(document, operation.get("requestBody")))


def _answer_schema(document: Mapping[str, Any], operation: Mapping[str, Any]) -> dict[str, Any] | None:
    responses = operation.get("responses")
    if not isinstance(responses, dict):
        return None
    for code in sorted(str(code) for code in responses):
        if code.startswith("2"):
            return _single(document, _json_schema(document, responses[code]))
    return None


def _page_items(document: Mapping[str, Any], schema: Mapping[str, Any]) -> dict[str, Any] | None:
    """The item model of a page: an object whose one array property holds models."""
    arrays = [
        _single(document, field)
        for field in _properties(document, schema).values()
        if _types(_resolve(document, field) or {}) & {"array"}
    ]
    models = [item for item in arrays if item is not None]
    return models[0] if len(models) == 1 else None


def _properties(document: Mapping[str, Any], schema: Any) -> dict[str, Any]:
    """Properties of an object schema, allOf parts included."""
    schema = _resolve(document, schema)
    if not isinstance(schema, dict):
        return {}
    found: dict[str, Any] = {}
    for part in schema.get("allOf") or []:
        found.update(_properties(document, part))
    properties = schema.get("properties")
    if isinstance(properties, dict):
        found.update(properties)
    return found


def _types(schema: Mapping[str, Any]) -> set[str]:
    declared = schema.get("type")
    types = (
        set(declared) if isinstance(declared, list) else {declared} if isinstance(declared, str) else set()
    )
    if not types and (schema.get("properties") or schema.get("allOf")):
        types = {"object"}
    return types - {"null"}


def _signature(document: Mapping[str, Any], field: Any) -> str:
    """What a client sees of a field's type: JSON type(s) and format, nullability left aside."""
    schema = _resolve(document, field)
    if not isinstance(schema, dict):
        return "unknown"
    all_of = schema.get("allOf")
    if isinstance(all_of, list) and len(all_of) == 1 and not schema.get("properties"):
        return _signature(document, all_of[0])
    for combinator in ("anyOf", "oneOf"):
        branches = schema.get(combinator)
        if isinstance(branches, list):
            parts = sorted({_signature(document, branch) for branch in branches} - {"null"})
            return " | ".join(parts) or "null"
    types = sorted(_types(schema)) or (["null"] if schema.get("type") in ("null", ["null"]) else ["any"])
    text = "|".join(types)
    if isinstance(schema.get("format"), str):
        text += f" ({schema['format']})"
    if "array" in types:
        text += f" of {_signature(document, schema.get('items'))}"
    return text
