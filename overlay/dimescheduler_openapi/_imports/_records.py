"""What a record contributes beyond its own values: model defaults, the .NET SDK's defaults, length limits.

One record gives one request whether it is a dict or a generated model. The generated models carry defaults
of their own (`Appointment.importance = MEDIUM`) that `to_dict()` emits as if the caller had set them, so a
model field still holding its model default (same type, equal value) counts as not given when the table has
no default for it (the .NET SDK sends nothing for it either). Where the table has a default, the model's
value is sent as is: an explicit value is never replaced by a default.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import Any

import attrs

from .._errors import InvalidRequestError
from ._format import format_value
from ._spec import FieldSpec


def model_mapping(record: Any, fields: tuple[FieldSpec, ...]) -> Mapping[Any, Any] | None:
    """The record's `to_dict()` without the fields still at a model default the table does not share; None
    for an object without `to_dict()`."""
    to_dict = getattr(record, "to_dict", None)
    if not callable(to_dict):
        return None
    if attrs.has(type(record)):
        defaulted = {_normal(f.json_name) for f in fields if f.default is not None or f.default_now}
        data = _without_model_defaults(record, defaulted).to_dict()
    else:
        data = to_dict()
    return data if isinstance(data, Mapping) else None


def _normal(name: str) -> str:
    return name.replace("_", "").lower()


def _without_model_defaults(record: Any, defaulted: set[str]) -> Any:
    from dimescheduler_raw.types import UNSET

    changes: dict[str, Any] = {}
    for field in attrs.fields(type(record)):
        default = field.default
        if not field.init or default is attrs.NOTHING or default is UNSET or _normal(field.name) in defaulted:
            continue
        value = getattr(record, field.name)
        if type(value) is type(default) and value == default:
            changes[field.alias or field.name] = UNSET
    if not changes:
        return record
    copy = attrs.evolve(record, **changes)
    extra = getattr(record, "additional_properties", None)
    if isinstance(extra, dict):
        copy.additional_properties = dict(extra)
    return copy


def default_text(field: FieldSpec, procedure: str) -> str | None:
    """The text sent for a field the record leaves out (None: the parameter is left out)."""
    if field.default_now:
        return format_value(dt.datetime.now(dt.UTC), field, procedure)
    return field.default


def check_length(text: str, field: FieldSpec, procedure: str) -> None:
    """Refuse text longer than the field's [MaxLength], counted in UTF-16 code units as .NET counts, and text
    holding a lone surrogate (not valid Unicode, so not sendable)."""
    try:
        length = len(text.encode("utf-16-le")) // 2
    except UnicodeEncodeError:
        raise InvalidRequestError(
            f"{procedure}: field {field.json_name!r} ({field.parameter}) holds a lone surrogate"
            " (text that is not valid Unicode)"
        ) from None
    if field.max_length is None:
        return
    if length > field.max_length:
        raise InvalidRequestError(
            f"{procedure}: field {field.json_name!r} ({field.parameter}) is {length} characters long;"
            f" the maximum is {field.max_length}"
        )
