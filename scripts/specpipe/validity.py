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
from .isolate import isolate
from .leftout import LeftOut, leave_out

_MESSAGE_CHARS = 300
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
    from jsonschema_path import SchemaPath
    from openapi_spec_validator.shortcuts import get_validator_cls

    try:
        validator = get_validator_cls(document)(SchemaPath.from_dict(document))
        for error in validator.iter_errors():
            return _describe(error)
    except RecursionError:
        return "the validator recursed too deeply (a schema that refers to itself?)"
    except Exception as exc:  # the validator raises several unrelated types on unusable input
        return _first_line(str(exc)) or type(exc).__name__
    return None


def validate_per_operation(document: dict[str, Any], label: str, *, strict: bool) -> Validated:
    """``document`` if valid; else, unless ``strict``, the document without each operation and schema
    the validator fails on. Raises SpecError (one line) when that is not enough or ``strict``."""
    problem = first_problem(document)
    if problem is None:
        return Validated(document, [], [])
    found = isolate(document, first_problem, prune=True)
    where = first_place(found.operations, found.components)
    if strict or not found:
        tried = "" if found else " (no single operation or schema causes it)"
        refusal = "; --strict does not leave operations out" if strict and found else ""
        raise SpecError(
            f"normalized document from {label} is not valid OpenAPI{where}: {problem}{tried}{refusal}"
        )
    pruned = leave_out(
        document, found.report("is not valid OpenAPI", component_phrase="is not valid OpenAPI")
    )
    still = first_problem(pruned.document)
    if still is not None:
        raise SpecError(
            f"normalized document from {label} is not valid OpenAPI: {still} "
            f"(still, after leaving out {len(pruned.left_out)} operations and {len(pruned.removed)} schemas "
            "that are invalid on their own)"
        )
    return Validated(pruned.document, pruned.left_out, pruned.unused)


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


def _describe(error: Any) -> str:
    if getattr(error, "context", None):
        from jsonschema.exceptions import best_match  # type: ignore[import-untyped]

        # "... is not valid under any of the given schemas": the alternative's own error says what
        error = best_match([error]) or error
    message = _first_line(getattr(error, "message", None) or str(error)) or type(error).__name__
    parts = list(getattr(error, "absolute_path", None) or getattr(error, "path", None) or ())
    if not parts:
        return message
    place = pointer(parts)
    if str(parts[0]) in _TOP_LEVEL_KEYS:
        return f"{message} (at #{place})"
    return f"{message} (at {place.lstrip('/')} within it)"


def _first_line(text: str) -> str:
    stripped = text.strip()
    return stripped.splitlines()[0][:_MESSAGE_CHARS] if stripped else ""
