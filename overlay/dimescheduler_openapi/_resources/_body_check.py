"""Checking dict bodies against the route's body model before anything is sent.

A dict's keys must be JSON field names of the model the route takes (compared without regard to case, as
the API's JSON binding does) and every required field must be there; otherwise InvalidRequestError names the
route, the item and the key, with a "did you mean" hint. The names come from the generated route table
(`Route.body_fields` / `body_required`). Typed models are not checked (they are valid by construction), nor
are bodies of routes without one body model (the table lists no fields for them).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from functools import cache
from typing import Any

from .._errors import InvalidRequestError, UnsupportedOperationError
from .._suggest import did_you_mean
from ._endpoint import Endpoint, one, one_or_many
from ._resolve import route

__all__ = ["checked_body"]


@dataclass(frozen=True, slots=True)
class _Fields:
    names: tuple[str, ...]
    by_lower: frozenset[str]
    required: tuple[str, ...]


@cache
def _fields(method: str, path: str) -> _Fields | None:
    try:
        found = route(method, path)
    except UnsupportedOperationError:
        return None  # the call fails on its own terms (see README); nothing to check against
    names: tuple[str, ...] = tuple(found.body_fields)
    if not names:
        return None
    return _Fields(names, frozenset(n.lower() for n in names), tuple(found.body_required))


def checked_body(
    endpoint: Endpoint, value: Any, what: str, *, many: bool
) -> dict[str, Any] | list[dict[str, Any]]:
    """The JSON body for `value` (one object, or with `many` one or a list), its dicts checked first."""
    body = one_or_many(value, what) if many else one(value, what)
    fields = _fields(endpoint.method, endpoint.path) if _has_dict(value) else None
    if fields is None:
        return body
    where = f"{endpoint.method} {endpoint.path}"
    if isinstance(body, list):
        for index, item in enumerate(value):
            if isinstance(item, Mapping):
                _check(item, fields, f"{where}: item {index}")
    elif isinstance(value, Mapping):
        _check(value, fields, where)
    return body


def _has_dict(value: Any) -> bool:
    if isinstance(value, Mapping):
        return True
    return (
        isinstance(value, Sequence)
        and not isinstance(value, str | bytes | bytearray)
        and any(isinstance(item, Mapping) for item in value)
    )


def _check(item: Mapping[Any, Any], fields: _Fields, where: str) -> None:
    for key in item:
        if not isinstance(key, str) or key.lower() not in fields.by_lower:
            raise InvalidRequestError(f"{where}: unknown field {key!r}{did_you_mean(str(key), fields.names)}")
    present = {key.lower() for key in item}
    missing = [name for name in fields.required if name.lower() not in present]
    if missing:
        listed = ", ".join(repr(name) for name in missing)
        raise InvalidRequestError(
            f"{where}: missing required field{'s' if len(missing) > 1 else ''} {listed}"
        )
