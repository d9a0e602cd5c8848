"""The body fields of a write command, read from the generated model of its route.

Names, order and required marks come from `dimescheduler_raw.routes.ROUTES[(method, path)]` (`body_fields`,
`body_required`: the JSON names); the type and help text of each field from the generated model class's
docstring (`name (type): description`, the generator's own rendering of the spec's schema), so no field is
written here by hand.
"""

from __future__ import annotations

import enum
import importlib
import json
import re
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any, Literal

from dimescheduler_raw.routes import ROUTES, Route

Kind = Literal["string", "int", "float", "bool", "datetime", "date", "enum", "json"]

_ATTRIBUTE = re.compile(r"^ {8}(\w+) \((.+?)\): ?(.*)$")
_CONTINUATION = re.compile(r"^ {12,}(\S.*)$")
_SIMPLE: dict[str, Kind] = {
    "str": "string",
    "UUID": "string",
    "int": "int",
    "float": "float",
    "bool": "bool",
    "datetime.datetime": "datetime",
    "datetime.date": "date",
}


@dataclass(frozen=True, slots=True)
class BodyField:
    """One JSON field of a request body: `json_name` ("displayName"), how the CLI reads it, its help."""

    json_name: str
    kind: Kind
    required: bool
    help: str
    enum: type[enum.IntEnum] | None = None

    @property
    def option(self) -> str:
        """The option name: `displayName` -> `--display-name`."""
        return "--" + kebab(self.json_name)

    def convert(self, text: str) -> Any:
        """The JSON value for the option's text; ValueError with a short reason when it does not fit."""
        if self.kind == "int":
            return int(text)
        if self.kind == "float":
            return float(text)
        if self.kind == "bool":
            lowered = text.strip().lower()
            if lowered in ("true", "1", "yes", "y"):
                return True
            if lowered in ("false", "0", "no", "n"):
                return False
            raise ValueError("expected true or false")
        if self.kind == "datetime":
            datetime.fromisoformat(text)
            return text
        if self.kind == "date":
            date.fromisoformat(text)
            return text
        if self.kind == "enum" and self.enum is not None:
            return enum_value(self.enum, text)
        if self.kind == "json":
            try:
                return json.loads(text)
            except RecursionError:
                raise ValueError("JSON nested too deeply to read") from None
        return text


def enum_value(enum_class: type[enum.IntEnum], text: str) -> int:
    """An integer enum value from its number ("1") or member name ("high", any case)."""
    stripped = text.strip()
    if re.fullmatch(r"[+-]?\d+", stripped):
        number = int(stripped)
        if number in {member.value for member in enum_class}:
            return number
    for member in enum_class:
        if member.name.lower() == stripped.lower():
            return int(member.value)
    raise ValueError("expected one of " + ", ".join(f"{m.value} ({m.name.lower()})" for m in enum_class))


def kebab(name: str) -> str:
    """camelCase or snake_case -> kebab-case: `displayName` -> `display-name`, `page_size` -> `page-size`."""
    return re.sub(r"(?<=[a-z0-9])(?=[A-Z])", "-", name).replace("_", "-").lower()


def _normal(name: str) -> str:
    return name.replace("_", "").lower()


def route(method: str, path: str) -> Route | None:
    return ROUTES.get((method, path))


def body_fields(found: Route) -> list[BodyField]:
    """The fields of the route's body model, in `body_fields` order (required ones first)."""
    documented = _documented(found.body[0]) if found.body else {}
    required = set(found.body_required)
    fields = []
    for json_name in found.body_fields:
        type_text, help_text = documented.get(_normal(json_name), ("str", ""))
        kind, enum_class = _kind(type_text)
        fields.append(BodyField(json_name, kind, json_name in required, help_text, enum_class))
    return sorted(fields, key=lambda f: not f.required)


def _documented(class_name: str) -> dict[str, tuple[str, str]]:
    """Normalized attribute name -> (type text, description) from the model's `Attributes:` docstring."""
    model = getattr(importlib.import_module("dimescheduler_raw.models"), class_name, None)
    lines = (model.__doc__ or "").splitlines() if model is not None else []
    found: dict[str, tuple[str, str]] = {}
    current: str | None = None
    for line in lines:
        match = _ATTRIBUTE.match(line)
        if match:
            current = _normal(match.group(1).rstrip("_"))
            found[current] = (match.group(2), match.group(3).strip())
            continue
        more = _CONTINUATION.match(line)
        if more and current is not None:
            type_text, help_text = found[current]
            found[current] = (type_text, f"{help_text} {more.group(1).strip()}")
        else:
            current = None
    return found


def _kind(type_text: str) -> tuple[Kind, type[enum.IntEnum] | None]:
    parts = [p.strip() for p in type_text.split("|") if p.strip() not in ("Unset", "None")]
    if len(parts) != 1:
        return "json", None
    simple = _SIMPLE.get(parts[0])
    if simple is not None:
        return simple, None
    candidate = getattr(importlib.import_module("dimescheduler_raw.models"), parts[0], None)
    if isinstance(candidate, type) and issubclass(candidate, enum.IntEnum):
        return "enum", candidate
    return "json", None
