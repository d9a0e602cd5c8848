"""Hypothesis strategies for JSON that fits a component schema of an OpenAPI document, $refs resolved.

hypothesis-jsonschema 0.23.1 no longer works with current Hypothesis (its object strategy calls an internal
API that is gone), and the vendor's schemas only use a small part of JSON Schema, so this module covers that
part itself: type (also as a list), enum, const, anyOf/oneOf, formats (date-time in the shapes .NET and others send,
uuid, date, time-span, ...), length and range limits, arrays, objects with required/optional properties and
additionalProperties (true, false or a schema). Anything else is an error, so a new construct in the vendor
document shows up here instead of being silently under-tested.
"""

from __future__ import annotations

import datetime
import json
import uuid
from functools import cache
from pathlib import Path
from typing import Any

from hypothesis import strategies as st

REPO = Path(__file__).resolve().parents[2]
SPEC_PATH = REPO / "openapi" / "dimescheduler.json"

# Keywords with no effect on which values are valid here (annotations, OpenAPI extras).
IGNORED = {"description", "title", "example", "examples", "readOnly", "writeOnly", "deprecated", "default"}

INT_RANGES = {"int32": (-(2**31), 2**31 - 1), "int64": (-(2**63), 2**63 - 1)}
OFFSETS = st.sampled_from([0, 60, 120, -300, 330, 825]).map(
    lambda minutes: datetime.timezone(datetime.timedelta(minutes=minutes))
)
JSON_LEAVES = (
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False, allow_infinity=False) | st.text()
)
JSON_VALUES = st.recursive(
    JSON_LEAVES,
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=8), inner, max_size=3),
    max_leaves=6,
)


@cache
def spec_schemas(path: Path = SPEC_PATH) -> dict[str, Any]:
    document = json.loads(path.read_text(encoding="utf-8"))
    schemas: dict[str, Any] = document["components"]["schemas"]
    return schemas


def resolved(schema: Any, components: dict[str, Any], seen: tuple[str, ...] = ()) -> Any:
    """schema with every $ref replaced by its target; a recursive reference is an error."""
    if isinstance(schema, list):
        return [resolved(item, components, seen) for item in schema]
    if not isinstance(schema, dict):
        return schema
    ref = schema.get("$ref")
    if isinstance(ref, str):
        name = ref.rsplit("/", 1)[-1]
        if name in seen:
            raise ValueError(f"recursive $ref to {name} via {' -> '.join(seen)}")
        return resolved(components[name], components, (*seen, name))
    out: dict[str, Any] = {}
    for key, value in schema.items():
        if key == "properties":  # names of properties, not keywords: keep them all
            out[key] = {name: resolved(sub, components, seen) for name, sub in value.items()}
        elif key not in IGNORED and not key.startswith("x-"):
            out[key] = resolved(value, components, seen)
    return out


def json_schema(name: str, components: dict[str, Any] | None = None) -> dict[str, Any]:
    components = spec_schemas() if components is None else components
    schema: dict[str, Any] = resolved(components[name], components, (name,))
    return schema


def date_time_text(moment: datetime.datetime, style: int) -> str:
    """The shapes seen on the wire: isoformat, 'Z' suffix, 7-digit .NET fractions, no fraction."""
    if style == 1 and moment.tzinfo is not None:
        return moment.astimezone(datetime.UTC).replace(tzinfo=None).isoformat() + "Z"
    if style == 2:
        base = moment.replace(microsecond=0, tzinfo=None).isoformat()
        offset = moment.isoformat(timespec="microseconds")[26:]
        return f"{base}.{moment.microsecond:06d}0{offset}"
    if style == 3:
        return moment.replace(microsecond=0).isoformat()
    return moment.isoformat()


DATE_TIMES = st.builds(
    date_time_text,
    st.datetimes(
        min_value=datetime.datetime(1900, 1, 1),
        max_value=datetime.datetime(2200, 1, 1),
        timezones=st.none() | OFFSETS,
    ),
    st.integers(0, 3),
)

FORMATS: dict[str, st.SearchStrategy[str]] = {
    "date-time": DATE_TIMES,
    "date": st.dates(min_value=datetime.date(1900, 1, 1)).map(datetime.date.isoformat),
    "uuid": st.uuids().map(str),
    "time-span": st.timedeltas(min_value=datetime.timedelta(0), max_value=datetime.timedelta(days=9)).map(
        str
    ),
    "duration": st.sampled_from(["PT15M", "PT1H", "P1D", "PT0S"]),
    "email": st.emails(),
    "password": st.text(min_size=1, max_size=12),
}

KNOWN = {
    "type", "enum", "anyOf", "oneOf", "format", "minLength", "maxLength", "minimum", "maximum", "items",
    "minItems", "maxItems", "properties", "required", "additionalProperties", "pattern", "const",
}  # fmt: skip


def strategy(schema: Any) -> st.SearchStrategy[Any]:
    """Values valid under schema (a resolved component schema)."""
    if schema is True or schema == {}:
        return JSON_VALUES
    if not isinstance(schema, dict):
        raise ValueError(f"unsupported schema {schema!r}")
    unknown = set(schema) - KNOWN
    if unknown:
        raise ValueError(f"unsupported JSON Schema keywords {sorted(unknown)} in {schema!r}")
    if "const" in schema:
        return st.just(schema["const"])
    if "enum" in schema:
        return st.sampled_from(schema["enum"])
    for key in ("anyOf", "oneOf"):
        if key in schema:
            rest = {k: v for k, v in schema.items() if k != key}
            return st.one_of([strategy({**rest, **option}) for option in schema[key]])
    kind = schema.get("type")
    if isinstance(kind, list):
        return st.one_of([strategy({**schema, "type": one}) for one in kind])
    if kind is None and "properties" in schema:
        kind = "object"
    if kind == "null":
        return st.none()
    if kind == "boolean":
        return st.booleans()
    if kind == "integer":
        low, high = INT_RANGES.get(schema.get("format", ""), (None, None))
        return st.integers(schema.get("minimum", low), schema.get("maximum", high))
    if kind == "number":
        floats = st.floats(
            schema.get("minimum"), schema.get("maximum"), allow_nan=False, allow_infinity=False
        )
        return floats | st.integers(-(10**6), 10**6)
    if kind == "string":
        fmt = schema.get("format")
        if fmt in FORMATS:
            return FORMATS[fmt]
        if fmt is not None:
            raise ValueError(f"unsupported string format {fmt!r}")
        if "pattern" in schema:
            return st.from_regex(schema["pattern"], fullmatch=True).filter(
                lambda text: len(text) <= schema.get("maxLength", len(text))
            )
        return st.text(min_size=schema.get("minLength", 0), max_size=min(schema.get("maxLength", 24), 24))
    if kind == "array":
        return st.lists(
            strategy(schema.get("items", {})),
            min_size=schema.get("minItems", 0),
            max_size=schema.get("maxItems", 3),
        )
    if kind == "object":
        return object_strategy(schema)
    raise ValueError(f"unsupported schema type {kind!r}")


def object_strategy(schema: dict[str, Any]) -> st.SearchStrategy[dict[str, Any]]:
    props: dict[str, Any] = schema.get("properties", {})
    required = set(schema.get("required", []))
    fixed = st.fixed_dictionaries(
        {name: strategy(sub) for name, sub in props.items() if name in required},
        optional={name: strategy(sub) for name, sub in props.items() if name not in required},
    )
    extra = schema.get("additionalProperties", True)
    if extra is False:
        return fixed
    names = st.text(min_size=1, max_size=10).filter(lambda name: name not in props)
    extras = st.dictionaries(names, JSON_VALUES if extra is True else strategy(extra), max_size=2)
    return st.builds(lambda known, more: {**more, **known}, fixed, extras)


def canonical(schema: Any, value: Any) -> Any:
    """value with date-times parsed and uuids normalized where schema says so, to compare JSON modulo format."""
    if not isinstance(schema, dict):
        return value
    if isinstance(value, str):
        fmt = schema.get("format")
        if fmt == "date-time":
            return parsed_date_time(value)
        if fmt == "uuid":
            try:
                return uuid.UUID(value)
            except ValueError:
                return value
        for option in schema.get("anyOf", []):
            if isinstance(option, dict) and option.get("format") in {"date-time", "uuid"}:
                return canonical(option, value)
        return value
    if isinstance(value, list):
        return [canonical(schema.get("items", {}), item) for item in value]
    if isinstance(value, dict):
        props: dict[str, Any] = dict(schema.get("properties", {}))
        for option in schema.get("anyOf", []):
            if isinstance(option, dict):
                props.update(option.get("properties", {}))
        extra = schema.get("additionalProperties")
        fallback = extra if isinstance(extra, dict) else {}
        return {key: canonical(props.get(key, fallback), item) for key, item in value.items()}
    return value


def parsed_date_time(value: str) -> Any:
    try:
        return datetime.datetime.fromisoformat(value)
    except ValueError:
        from dateutil.parser import isoparse

        try:
            return isoparse(value)
        except (ValueError, OverflowError):
            return value
