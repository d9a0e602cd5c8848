"""Walking an OpenAPI document: where its schemas, parameters, bodies and responses are, and ``FixUp``.

Shared by the normalizer's rules (``normalize.py``) and its repairs (``repairs.py``). Every walker tolerates
any shape: a value that is not what OpenAPI says it should be is skipped, never an error.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class FixUp:
    """One change ``normalize`` made: which rule, where (``paths./job.post.requestBody``), and what."""

    rule: str
    location: str
    detail: str


HTTP_METHODS = ("get", "put", "post", "delete", "options", "head", "patch", "trace")
_SCHEMA_CHILD_KEYS = (
    "items",
    "additionalProperties",
    "additionalItems",
    "unevaluatedItems",
    "unevaluatedProperties",
    "not",
    "if",
    "then",
    "else",
    "contains",
    "propertyNames",
)
_SCHEMA_MAP_KEYS = ("properties", "patternProperties", "dependentSchemas", "$defs", "definitions")
_SCHEMA_LIST_KEYS = ("allOf", "anyOf", "oneOf", "prefixItems", "items")
_SCHEMA_REF = "#/components/schemas/"
_PARAMETER_REF = "#/components/parameters/"
_PLACEHOLDER = re.compile(r"\{([^{}]+)\}")

Schema = dict[str, Any]
Doc = dict[str, Any]


def _escape(name: str) -> str:
    return name.replace("~", "~0").replace("/", "~1")


def _resolve_parameter(doc: Doc, parameter: Any) -> dict[str, Any]:
    """The parameter itself, or the component it refers to (``{}`` when it cannot be resolved)."""
    holder = _mapping(parameter)
    ref = holder.get("$ref")
    if isinstance(ref, str) and ref.startswith(_PARAMETER_REF):
        components = _mapping(_mapping(doc.get("components")).get("parameters"))
        return _mapping(components.get(_unescape(ref[len(_PARAMETER_REF) :])))
    return holder


def _plain_copy(value: Any) -> Any:
    if isinstance(value, Mapping):
        return {key: _plain_copy(item) for key, item in value.items()}
    if isinstance(value, list | tuple):
        return [_plain_copy(item) for item in value]
    return value


def _plain_mapping(doc: Mapping[str, Any]) -> Doc:
    return doc if isinstance(doc, dict) else _plain_copy(doc)


def _mapping(value: Any) -> dict[str, Any]:
    return value if isinstance(value, dict) else {}


def _list(value: Any) -> list[Any]:
    return value if isinstance(value, list) else []


def _is_31(doc: Doc) -> bool:
    return str(doc.get("openapi", "")).startswith("3.1")


def _has_type(schema: Schema, name: str) -> bool:
    types = schema.get("type")
    return types == name or (isinstance(types, list) and name in types)


def _unescape(token: str) -> str:
    """A JSON pointer token as the name it stands for (``~1`` is ``/``, ``~0`` is ``~``)."""
    return token.replace("~1", "/").replace("~0", "~")


def _schema_ref_name(ref: Any) -> str | None:
    if isinstance(ref, str) and ref.startswith(_SCHEMA_REF) and "/" not in ref[len(_SCHEMA_REF) :]:
        return _unescape(ref[len(_SCHEMA_REF) :])
    return None


def _path_items(doc: Doc, sections: tuple[str, ...]) -> Iterator[tuple[str, dict[str, Any]]]:
    """``(where, path item)`` for each path (or webhook) in ``sections``; ``where`` is ``paths./job``."""
    for section in sections:
        for path, item in _mapping(doc.get(section)).items():
            if isinstance(item, dict):
                yield f"{section}.{path}", item


def _item_operations(item: dict[str, Any]) -> Iterator[tuple[str, dict[str, Any]]]:
    for method, operation in item.items():
        if method in HTTP_METHODS and isinstance(operation, dict):
            yield method, operation


def _operations(doc: Doc, sections: tuple[str, ...]) -> Iterator[tuple[str, str, dict[str, Any]]]:
    for section in sections:
        for path, item in _mapping(doc.get(section)).items():
            for method, operation in _item_operations(_mapping(item)):
                yield path, method, operation


def _content_owners(
    doc: Doc, sections: tuple[str, ...] = ("paths", "webhooks")
) -> Iterator[tuple[str, dict[str, Any]]]:
    """Every request body and response (operations in ``sections`` and components) with where it is."""
    for item_where, item in _path_items(doc, sections):
        for method, operation in _item_operations(item):
            where = f"{item_where}.{method}"
            body = operation.get("requestBody")
            if isinstance(body, dict):
                yield f"{where}.requestBody", body
            for code, response in _mapping(operation.get("responses")).items():
                if isinstance(response, dict):
                    yield f"{where}.responses.{code}", response
    components = _mapping(doc.get("components"))
    for kind in ("requestBodies", "responses"):
        for name, owner in _mapping(components.get(kind)).items():
            if isinstance(owner, dict):
                yield f"components.{kind}.{name}", owner


def _all_schemas(doc: Doc) -> list[tuple[str, Schema]]:
    """Every schema object in the document (nested ones included), parents before children."""
    found: list[tuple[str, Schema]] = []
    components = _mapping(doc.get("components"))
    for name, schema in _mapping(components.get("schemas")).items():
        _collect_schema(f"components.schemas.{name}", schema, found)
    for kind in ("parameters", "headers"):
        for name, holder in _mapping(components.get(kind)).items():
            _collect_holder(f"components.{kind}.{name}", holder, found)
    for where, owner in _content_owners(doc):
        _collect_holder(where, owner, found)
        for name, header in _mapping(owner.get("headers")).items():
            _collect_holder(f"{where}.headers.{name}", header, found)
    for item_where, item in _path_items(doc, ("paths", "webhooks")):
        holders = [(item_where, item)]
        holders += [(f"{item_where}.{method}", operation) for method, operation in _item_operations(item)]
        for where, holder in holders:
            parameters = holder.get("parameters")
            for index, parameter in enumerate(parameters if isinstance(parameters, list) else []):
                _collect_holder(f"{where}.parameters.{index}", parameter, found)
    return found


def _collect_holder(where: str, holder: Any, found: list[tuple[str, Schema]]) -> None:
    """Schemas of a parameter, header, request body or response (``schema`` and ``content``)."""
    holder = _mapping(holder)
    if "schema" in holder:
        _collect_schema(f"{where}.schema", holder["schema"], found)
    for media_type, media in _mapping(holder.get("content")).items():
        if isinstance(media, dict) and "schema" in media:
            _collect_schema(f"{where}.content.{media_type}.schema", media["schema"], found)


def _collect_schema(where: str, schema: Any, found: list[tuple[str, Schema]]) -> None:
    if not isinstance(schema, dict):
        return
    found.append((where, schema))
    for key in _SCHEMA_CHILD_KEYS:
        _collect_schema(f"{where}.{key}", schema.get(key), found)
    for key in _SCHEMA_MAP_KEYS:
        for name, child in _mapping(schema.get(key)).items():
            _collect_schema(f"{where}.{key}.{name}", child, found)
    for key in _SCHEMA_LIST_KEYS:
        children = schema.get(key)
        for index, child in enumerate(children if isinstance(children, list) else []):
            _collect_schema(f"{where}.{key}.{index}", child, found)
