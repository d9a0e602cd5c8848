"""Small valid values built from `openapi/dimescheduler.json`: request bodies and canned answers for tests.

`minimal(schema)` fills the required properties of an object (recursively) with values its schema
accepts; `operations()` lists every (METHOD, path) of the document. Unknown string patterns fail loudly,
so a spec change that needs a new sample shows up as a test error rather than a wrong sample.
"""

from __future__ import annotations

import json
import os
from collections.abc import Iterator
from functools import cache
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[2]
# The renamed-document test (tests/pipeline/test_renamed_document.py) runs the overlay tests against a
# client regenerated from another document; it points this at that document's normalized copy.
SPEC_PATH = Path(os.environ.get("DIMESCHEDULER_TEST_SPEC") or ROOT / "openapi" / "dimescheduler.json")
HTTP_METHODS = ("get", "put", "post", "delete", "patch")

_STRING_FORMATS = {
    "date-time": "2024-05-01T08:00:00Z",
    "date": "2024-05-01",
    "email": "planner@example.com",
    "duration": "PT1H",
    "password": "s3cret-pass",
    "uuid": "3fa85f64-5717-4562-b3fc-2c963f66afa6",
    "uri": "https://example.com/",
    "time-span": "01:00:00",
}
_STRING_PATTERNS = {"^#[0-9A-Fa-f]{6}$": "#3366FF"}


@cache
def spec() -> dict[str, Any]:
    loaded: dict[str, Any] = json.loads(SPEC_PATH.read_text(encoding="utf-8"))
    return loaded


def operations() -> Iterator[tuple[str, str, dict[str, Any]]]:
    """(METHOD, path template, operation object) for every operation of the document."""
    for path, item in spec()["paths"].items():
        for method in HTTP_METHODS:
            if method in item:
                yield method.upper(), path, item[method]


def resolve(schema: dict[str, Any]) -> dict[str, Any]:
    while "$ref" in schema:
        name = schema["$ref"].removeprefix("#/components/schemas/")
        schema = spec()["components"]["schemas"][name]
    return schema


def schema_of(name: str) -> dict[str, Any]:
    found: dict[str, Any] = spec()["components"]["schemas"][name]
    return found


def request_schema(method: str, path: str) -> dict[str, Any]:
    operation = spec()["paths"][path][method.lower()]
    found: dict[str, Any] = operation["requestBody"]["content"]["application/json"]["schema"]
    return found


def response_schema(method: str, path: str) -> dict[str, Any] | None:
    operation = spec()["paths"][path][method.lower()]
    content = operation["responses"]["200"].get("content")
    if not content:
        return None
    found: dict[str, Any] = content["application/json"]["schema"]
    return found


def minimal(schema: dict[str, Any], *, items: int = 0) -> Any:
    """A value `schema` accepts, as small as it allows (arrays get `items` elements if their items allow)."""
    schema = resolve(schema)
    if "enum" in schema:
        return schema["enum"][0]
    for combinator in ("oneOf", "anyOf"):
        if combinator in schema:
            variants = [resolve(v) for v in schema[combinator] if resolve(v).get("type") != "null"]
            return minimal(variants[0], items=items)
    if "allOf" in schema:
        merged: dict[str, Any] = {}
        for part in schema["allOf"]:
            merged.update(minimal(part, items=items))
        return merged
    kind = schema.get("type", "object")
    if isinstance(kind, list):
        kind = next(k for k in kind if k != "null")
    if kind == "object":
        properties = schema.get("properties", {})
        return {
            name: minimal(properties.get(name, {"type": "string"})) for name in schema.get("required", [])
        }
    if kind == "array":
        count = max(items, schema.get("minItems", 0))
        return [minimal(schema.get("items", {"type": "string"})) for _ in range(count)]
    if kind == "string":
        return _string(schema)
    if kind == "integer":
        return max(int(schema.get("minimum", 1)), 1)
    if kind == "number":
        return float(schema.get("minimum", 1.5))
    if kind == "boolean":
        return True
    raise ValueError(f"no sample for schema type {kind!r}")


def _string(schema: dict[str, Any]) -> str:
    if "pattern" in schema:
        if schema["pattern"] not in _STRING_PATTERNS:
            raise ValueError(
                f"no sample for string pattern {schema['pattern']!r}: add one to _STRING_PATTERNS"
            )
        return _STRING_PATTERNS[schema["pattern"]]
    if schema.get("format") in _STRING_FORMATS:
        return _STRING_FORMATS[schema["format"]]
    return "X1"[: schema.get("maxLength", 2)] or "X"


def template_of(method: str, raw_path: str) -> str | None:
    """The path template of the document a request path belongs to (literal paths win)."""
    templates = {(m, path) for m, path, _ in operations()}
    if (method, raw_path) in templates:
        return raw_path
    parts = raw_path.split("/")
    for known_method, template in sorted(templates):
        pattern = template.split("/")
        if (
            known_method == method
            and len(pattern) == len(parts)
            and "{" in template
            and all(p == a or (p.startswith("{") and a) for p, a in zip(pattern, parts, strict=True))
        ):
            return template
    return None


def is_mutation(schema: dict[str, Any] | None) -> bool:
    """The write envelope {content, contentType, statusCode}, known by its shape (its name may differ)."""
    if schema is None:
        return False
    properties = resolve(schema).get("properties", {})
    return {"content", "contentType", "statusCode"} <= set(properties)


def ref_name(schema: dict[str, Any]) -> str:
    ref: str = schema["$ref"]
    return ref.rsplit("/", 1)[-1]


def assert_typed_answer(result: Any, method: str, template: str) -> None:
    """`result` is the typed value the operation's 200 schema promises (MutationResult for writes)."""
    from dimescheduler_openapi import MutationResult
    from dimescheduler_raw import models

    schema = response_schema(method, template)
    if schema is None:
        assert not isinstance(result, MutationResult), f"{method} {template}: expected parsed JSON"
    elif is_mutation(schema):
        assert isinstance(result, MutationResult) and result.success, f"{method} {template}: {result!r}"
    elif schema.get("type") == "array":
        model = getattr(models, ref_name(schema["items"]))
        assert isinstance(result, list), f"{method} {template}: {type(result).__name__}"
        assert all(isinstance(item, model) for item in result), f"{method} {template}: not all {model}"
    else:
        model = getattr(models, ref_name(schema))
        assert isinstance(result, model), (
            f"{method} {template}: {type(result).__name__}, not {model.__name__}"
        )


def sample_body(method: str, path: str, *, as_list: bool = False) -> Any:
    """A valid request body for the operation; with `as_list`, the array form of a one-or-many body."""
    schema = resolve(request_schema(method, path))
    if "oneOf" in schema:
        single = schema["oneOf"][0]
        return [minimal(single), minimal(single)] if as_list else minimal(single)
    return minimal(schema)


def sample_answer(method: str, path: str) -> Any:
    """A plausible 200 answer for the operation (lists hold one minimal item)."""
    schema = response_schema(method, path)
    if schema is None:
        return {"ok": True}
    return minimal(schema, items=1)
