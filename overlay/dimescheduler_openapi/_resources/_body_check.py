"""Checking dict bodies against the route's entity before anything is sent.

A dict's keys are compared without regard to case (as the API's JSON binding does) with the JSON field
names of every model of the same route's entity: the bodies of its POST, PUT and DELETE and the items of
its GET (all found by path in the generated route table, never by schema name). A key one of them knows is
sent as given (so `jobs.delete(job)` with the whole record works, as ASP.NET binding ignores properties the
delete model lacks). A key none of them knows is sent as given too when the body is open: its model
documents no fields, or requires none (a loosely documented entity such as ProjectMember or
TaskDependency); otherwise (a model with required fields, or `additionalProperties: false`) it is refused
with InvalidRequestError naming the route, the item and the key, with a "did you mean" hint. Every required
field of the route's own body model must be there. Typed models are not checked (valid by construction),
nor are bodies of routes without one body model. Keys are never renamed or re-cased: what the dict holds is
what is sent.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from functools import cache
from importlib import import_module
from typing import Any

from .._errors import InvalidRequestError, UnsupportedOperationError
from .._suggest import did_you_mean
from ._endpoint import Endpoint, one, one_or_many
from ._resolve import route

__all__ = ["checked_body"]


@dataclass(frozen=True, slots=True)
class _Fields:
    method: str
    path: str
    names: tuple[str, ...]
    by_lower: frozenset[str]
    required: tuple[str, ...]
    model: str


@cache
def _fields(method: str, path: str) -> _Fields | None:
    try:
        found = route(method, path)
    except UnsupportedOperationError:
        return None  # the call refuses itself before sending (`ensure_route`); nothing to check against
    names: tuple[str, ...] = tuple(found.body_fields)
    if not names:
        return None
    return _Fields(
        method, path, names, frozenset(n.lower() for n in names), tuple(found.body_required), found.body[0]
    )


@dataclass(frozen=True, slots=True)
class _Entity:
    names: tuple[str, ...]
    by_lower: frozenset[str]
    open: bool


def _json_keys(model_name: str) -> tuple[str, ...]:
    """The JSON keys of a generated model (loaded here: only a key its own body model lacks gets here)."""
    cls = getattr(import_module("dimescheduler_raw.models"), model_name, None)
    module = import_module(cls.__module__) if cls is not None else None
    keys = getattr(module, "_FD_FIELD_KEYS", ())
    return tuple(keys) if isinstance(keys, tuple) else ()


def _closed(model_name: str) -> bool:
    """Whether the document sets `additionalProperties: false` on the model (it has no additional_properties)."""
    cls = getattr(import_module("dimescheduler_raw.models"), model_name, None)
    attributes = getattr(cls, "__attrs_attrs__", ())
    return cls is not None and not any(a.name == "additional_properties" for a in attributes)


@cache
def _entity(fields: _Fields) -> _Entity:
    """Every field name any model of the route's entity (same path: write, read and delete) knows."""
    table = import_module("dimescheduler_raw.routes")
    names: list[str] = list(fields.names)
    for (method, path), other in table.ROUTES.items():
        if path != fields.path:
            continue
        models = list(other.body)
        if method == "GET":
            models += [m for m in (other.page_item or other.response,) if m]
        for model in models:
            known = table.BODY_FIELDS.get(model, ((),))[0] or _json_keys(model)
            names.extend(n for n in known if n not in names)
    is_open = not fields.required and not _closed(fields.model)
    return _Entity(tuple(names), frozenset(n.lower() for n in names), is_open)


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
        if isinstance(key, str) and key.lower() in fields.by_lower:
            continue
        entity = _entity(fields)
        if isinstance(key, str) and (key.lower() in entity.by_lower or entity.open):
            continue
        raise InvalidRequestError(f"{where}: unknown field {key!r}{did_you_mean(str(key), entity.names)}")
    present = {key.lower() for key in item if isinstance(key, str)}
    missing = [name for name in fields.required if name.lower() not in present]
    if missing:
        listed = ", ".join(repr(name) for name in missing)
        raise InvalidRequestError(
            f"{where}: missing required field{'s' if len(missing) > 1 else ''} {listed}"
        )
