"""Validation per operation: what openapi-spec-validator still finds after the fix-ups is left out one
operation (or one component schema and what depends on it) at a time; the rest stays.

The validator reports the place of some problems as a path from the document's top (``/paths/~1x/get``)
and of others only within the schema it was checking (``properties/status/enum``). Either way the failing
operations and schemas are found by validating parts of the document (``isolate``), so each is named
with its reason and JSON pointer. ``--strict`` refuses the document instead, naming the first problem.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from .errors import SpecError
from .isolate import Isolated, isolate
from .leftout import HTTP_METHODS, LeftOut, leave_out

_MESSAGE_CHARS = 300
MAX_PROBLEMS = 200  # validator problems read at once (each placed in the document when it can be)
_TOP_LEVEL_KEYS = frozenset(
    {"openapi", "info", "servers", "paths", "components", "security", "tags", "externalDocs", "webhooks",
     "jsonSchemaDialect"}
)  # fmt: skip


@dataclass(frozen=True)
class Validated:
    """A valid document, the operations left out to make it valid, and the schemas removed with no
    operation needing them (why, one line each)."""

    document: dict[str, Any]
    left_out: list[LeftOut]
    unused: list[str]


def first_problem(document: dict[str, Any]) -> str | None:
    """The validator's first problem with ``document`` in one line (with its place when the validator
    gives one), or None when it is valid OpenAPI."""
    problems = _problems(document, limit=1)
    return problems[0][1] if problems else None


def _problems(document: dict[str, Any], *, limit: int) -> list[tuple[list[Any] | None, str]]:
    """Up to ``limit`` problems: (path from the document's top, when known; one-line message)."""
    from jsonschema_path import SchemaPath
    from openapi_spec_validator.shortcuts import get_validator_cls

    found: list[tuple[list[Any] | None, str]] = []
    places: dict[int, list[Any]] | None = None
    try:
        validator = get_validator_cls(document)(SchemaPath.from_dict(document))
        for error in validator.iter_errors():
            if places is None:
                places = _places(document)
            found.append((_place(error, places), _describe(error, places)))
            if len(found) >= limit:
                break
    except RecursionError:
        found.append((None, "the validator recursed too deeply (a schema that refers to itself?)"))
    except Exception as exc:  # the validator raises several unrelated types on unusable input
        found.append((None, _first_line(str(exc)) or type(exc).__name__))
    return found


def validate_per_operation(document: dict[str, Any], label: str, *, strict: bool) -> Validated:
    """``document`` if valid; else, unless ``strict``, the document without each operation and schema
    the validator fails on. Raises SpecError (one line) when that is not enough or ``strict``.

    The problems the validator places in the document are attributed at once (one validation); the others
    by validating parts of the document (``isolate``)."""
    problems = _problems(document, limit=MAX_PROBLEMS)
    if not problems:
        return Validated(document, [], [])
    problem = problems[0][1]
    located = Isolated()
    for parts, message in problems:
        _locate(parts, message, document, located)
    if strict:
        where = first_place(located.operations, located.components) if located else ""
        if not where:
            found = isolate(document, first_problem, prune=True)
            where = first_place(found.operations, found.components)
        raise SpecError(
            f"normalized document from {label} is not valid OpenAPI{where}: {problem}; "
            "--strict does not leave operations out"
        )
    left_out: list[LeftOut] = []
    unused: list[str] = []
    removed = 0
    for attempt in ("located", "isolated"):
        found = located if attempt == "located" else isolate(document, first_problem, prune=True)
        if not found:
            continue
        report = found.report("is not valid OpenAPI", component_phrase="is not valid OpenAPI")
        pruned = leave_out(document, report)
        document, left_out, unused = pruned.document, left_out + pruned.left_out, unused + pruned.unused
        removed += len(pruned.removed)
        problem = first_problem(document) or ""
        if not problem:
            return Validated(document, left_out, unused)
    tried = (
        f" (still, after leaving out {len(left_out)} operations and {removed} schemas that are invalid on their own)"
        if left_out or removed
        else " (no single operation or schema causes it)"
    )
    raise SpecError(f"normalized document from {label} is not valid OpenAPI: {problem}{tried}")


def _places(document: dict[str, Any]) -> dict[int, list[Any]]:
    """id() of every mapping and list in ``document`` -> its path (the validator hands out the document's
    own objects as the instances it complains about)."""
    places: dict[int, list[Any]] = {}
    stack: list[tuple[Any, list[Any]]] = [(document, [])]
    while stack:
        value, where = stack.pop()
        if isinstance(value, dict | list):
            places[id(value)] = where
            items = value.items() if isinstance(value, dict) else enumerate(value)
            stack.extend((item, [*where, key]) for key, item in items)
    return places


def _place(error: Any, places: dict[int, list[Any]]) -> list[Any] | None:
    parts = list(getattr(error, "absolute_path", None) or getattr(error, "path", None) or ())
    if parts and str(parts[0]) in _TOP_LEVEL_KEYS:
        return parts
    instance = getattr(error, "instance", None)
    if isinstance(instance, dict | list) and id(instance) in places:
        return places[id(instance)]
    return None


def _locate(parts: list[Any] | None, message: str, document: dict[str, Any], found: Isolated) -> None:
    """Attribute a problem at ``parts`` to its operation(s) or component, when it lies in one."""
    if not parts or len(parts) < 3:
        return
    top, first, second = parts[0], str(parts[1]), str(parts[2])
    paths = document.get("paths")
    if top == "paths" and isinstance(paths, dict) and isinstance(paths.get(first), dict):
        methods = [second] if second in HTTP_METHODS else [m for m in HTTP_METHODS if m in paths[first]]
        for method in methods:
            found.operations.setdefault((method, first), message)
    elif top == "components":
        found.components.setdefault((first, second), message)


def pointer(parts: Any) -> str:
    """A JSON pointer (RFC 6901) from path parts: ``["paths", "/x", "get"]`` -> ``/paths/~1x/get``."""
    return "".join("/" + str(part).replace("~", "~0").replace("/", "~1") for part in parts)


def first_place(operations: dict[tuple[str, str], str], components: dict[tuple[str, str], str]) -> str:
    """`` at #/components/schemas/X`` or `` at #/paths/~1x/get``: the first schema, else operation."""
    if components:
        kind, name = next(iter(components))
        return f" at #{pointer(['components', kind, name])}"
    if operations:
        method, path = next(iter(operations))
        return f" at #{pointer(['paths', path, method])}"
    return ""


def _describe(error: Any, places: dict[int, list[Any]]) -> str:
    if getattr(error, "context", None):
        from jsonschema.exceptions import best_match  # type: ignore[import-untyped]

        # "... is not valid under any of the given schemas": the alternative's own error says what
        error = best_match([error]) or error
    message = _first_line(getattr(error, "message", None) or str(error)) or type(error).__name__
    absolute = _place(error, places)
    if absolute:
        return f"{message} (at #{pointer(absolute)})"
    parts = list(getattr(error, "absolute_path", None) or getattr(error, "path", None) or ())
    return f"{message} (at {pointer(parts).lstrip('/')} within it)" if parts else message


def _first_line(text: str) -> str:
    stripped = text.strip()
    return stripped.splitlines()[0][:_MESSAGE_CHARS] if stripped else ""
