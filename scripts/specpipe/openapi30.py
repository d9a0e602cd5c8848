"""The OpenAPI 3.0.3 twin of the normalized 3.1 document, for generators whose 3.1 support is still in beta.

Written by `nox -s generate` next to the YAML twin (``openapi/dimescheduler.openapi-3.0.json``) and validated
as 3.0 with openapi-spec-validator. ``to_openapi30`` rewrites what 3.0 cannot say and keeps the meaning:

- ``openapi: 3.1.x`` -> ``3.0.3``; ``jsonSchemaDialect``, ``webhooks``, ``components.pathItems``,
  ``info.summary`` and ``info.license.identifier`` are dropped (3.0 has no place for them);
- ``type: [T, "null"]`` -> ``type: T, nullable: true``; several non-null types -> ``anyOf`` of one schema
  per type; a lone ``type: "null"`` -> ``nullable: true`` with ``enum: [null]``;
- ``anyOf``/``oneOf`` with a ``{type: "null"}`` member: the member goes and the schema gets
  ``nullable: true``; a single ``$ref`` left becomes ``allOf: [$ref]`` (3.0 ignores keys beside ``$ref``);
- ``$ref`` with sibling keywords (description, default, ...) -> ``allOf: [$ref]`` plus the siblings;
- ``const: v`` -> ``enum: [v]``; schema ``examples: [a, ...]`` -> ``example: a``;
- numeric ``exclusiveMinimum``/``exclusiveMaximum`` -> ``minimum``/``maximum`` + ``true``;
- ``contentEncoding: base64`` -> ``format: byte``; ``contentMediaType`` on a string -> ``format: binary``;
- ``enum`` of a nullable schema gets ``null`` when it lacks it (3.0.3 requires it).
- ``propertyNames``, ``dependentRequired``, ``minContains``/``maxContains``, ``contentSchema`` and
  ``$comment`` are dropped: constraints on names, counts and contents that 3.0 cannot say (a client of
  the twin accepts a little more than the 3.1 document allows); an empty ``required`` list goes (3.0
  wants at least one name).

Anything else that is 3.1-only (``prefixItems``, ``$defs``, ``if``/``then``, ``patternProperties``, ...) is
left as it is and the validator rejects the result: a new construct in the vendor document must get a rule
here rather than be dropped silently.

The twin is the document made for other generators (``nox -s downstream`` proves eleven of them with their
default options), so ``for_generators`` then reshapes the two valid constructs that trip some of them, each
without losing a request the API takes (docs/guides/sdk-maintainers.md):

- a one-or-many request body ``oneOf: [X, XList]`` (``XList`` an array of ``X``) -> ``XList`` alone, the
  body's description saying a single ``X`` is taken too: OpenAPI Generator's typescript-fetch and
  typescript-axios write code that does not compile for a union with an array member;
- an operation's single status range (``5XX``) without a ``default`` response -> ``default``: oazapfts
  writes ``status: 5XX``, which is not TypeScript.

The client's own document (``openapi/dimescheduler.json``) keeps both constructs as the vendor wrote them.
"""

from __future__ import annotations

import copy
import json
import re
from collections.abc import Mapping
from typing import Any, Final

from .docwalk import HTTP_METHODS
from .errors import SpecError

OPENAPI_30: Final = "3.0.3"
OPENAPI_30_FILE: Final = "dimescheduler.openapi-3.0.json"

Schema = dict[str, Any]

_CHILD_KEYS: Final = ("items", "additionalProperties", "not")
_MAP_KEYS: Final = ("properties",)
_LIST_KEYS: Final = ("allOf", "anyOf", "oneOf")
# Constraints and comments 3.0 has no keyword for; the client generated from the 3.1 document still has them.
_UNSAYABLE: Final = (
    "propertyNames",
    "$comment",
    "dependentRequired",
    "minContains",
    "maxContains",
    "contentSchema",
)


def to_openapi30(document: Mapping[str, Any]) -> dict[str, Any]:
    """A 3.0.3 deep copy of a 3.1 ``document`` (a 3.0 document is returned as a copy, unchanged)."""
    doc: dict[str, Any] = copy.deepcopy(dict(document))
    if not str(doc.get("openapi", "")).startswith("3.1"):
        return doc
    doc["openapi"] = OPENAPI_30
    for key in ("jsonSchemaDialect", "webhooks"):
        doc.pop(key, None)
    info = doc.get("info")
    if isinstance(info, dict):
        info.pop("summary", None)
        if isinstance(info.get("license"), dict):
            info["license"].pop("identifier", None)
    components = doc.get("components")
    if isinstance(components, dict):
        components.pop("pathItems", None)
    _walk_document(doc)
    return doc


def openapi30_twin(document: Mapping[str, Any]) -> str:
    """The validated 3.0.3 twin as the text written to ``openapi/`` (raises SpecError when it is invalid)."""
    twin = for_generators(to_openapi30(document))
    validate_openapi30(twin)
    return json.dumps(twin, indent=2, ensure_ascii=False) + "\n"


def validate_openapi30(document: Mapping[str, Any]) -> None:
    """Raise SpecError when ``document`` is not a valid OpenAPI 3.0 document."""
    from openapi_spec_validator import OpenAPIV30SpecValidator

    errors = list(OpenAPIV30SpecValidator(dict(document)).iter_errors())
    if errors:
        first = str(errors[0].message).splitlines()[0][:300]
        where = "/".join(str(part) for part in errors[0].absolute_path)
        raise SpecError(f"the OpenAPI 3.0 twin is not valid 3.0 ({len(errors)} error(s)): {first} at {where}")


def _walk_document(node: Any) -> None:
    """Convert every schema: the values of ``schema`` keys and of ``components.schemas``."""
    if isinstance(node, dict):
        for key, value in node.items():
            if key == "schema" and isinstance(value, dict):
                node[key] = _convert(value)
            elif key == "schemas" and isinstance(value, dict):
                for name, schema in value.items():
                    if isinstance(schema, dict):
                        value[name] = _convert(schema)
            else:
                _walk_document(value)
    elif isinstance(node, list):
        for item in node:
            _walk_document(item)


def _convert(schema: Schema) -> Schema:
    for key in _CHILD_KEYS:
        if isinstance(schema.get(key), dict):
            schema[key] = _convert(schema[key])
    for key in _MAP_KEYS:
        children = schema.get(key)
        if isinstance(children, dict):
            for name, child in children.items():
                if isinstance(child, dict):
                    children[name] = _convert(child)
    for key in _LIST_KEYS:
        members = schema.get(key)
        if isinstance(members, list):
            schema[key] = [_convert(m) if isinstance(m, dict) else m for m in members]
    _convert_type(schema)
    _drop_null_members(schema)
    _convert_keywords(schema)
    if "$ref" in schema and len(schema) > 1:
        ref = {"$ref": schema.pop("$ref")}
        members = schema.get("allOf")
        schema["allOf"] = [ref, *members] if isinstance(members, list) else [ref]
    if schema.get("nullable") is True and isinstance(schema.get("enum"), list) and None not in schema["enum"]:
        schema["enum"].append(None)
    return schema


def _convert_type(schema: Schema) -> None:
    types = schema.get("type")
    if types == "null":
        del schema["type"]
        schema.update(nullable=True, enum=[None])
        return
    if not isinstance(types, list):
        return
    kept = [t for t in types if t != "null"]
    if len(kept) < len(types):
        schema["nullable"] = True
    if len(kept) == 1:
        schema["type"] = kept[0]
    elif not kept:
        del schema["type"]
        schema["enum"] = [None]
    else:
        del schema["type"]
        schema["anyOf"] = [{"type": t} for t in kept]


def _is_null(member: Any) -> bool:
    return isinstance(member, dict) and (
        member.get("type") == "null" or member == {"nullable": True, "enum": [None]}
    )


def _drop_null_members(schema: Schema) -> None:
    for key in ("anyOf", "oneOf"):
        members = schema.get(key)
        if not isinstance(members, list) or not any(_is_null(m) for m in members):
            continue
        kept = [m for m in members if not _is_null(m)]
        schema["nullable"] = True
        if len(kept) == 1:
            del schema[key]
            only = kept[0]
            if set(only) == {"$ref"}:
                schema["allOf"] = [only, *schema.get("allOf", [])]
            else:
                schema.update({k: v for k, v in only.items() if k not in schema})
        else:
            schema[key] = kept


def _convert_keywords(schema: Schema) -> None:
    if "const" in schema:
        schema["enum"] = [schema.pop("const")]
    examples = schema.pop("examples", None)
    if isinstance(examples, list) and examples and "example" not in schema:
        schema["example"] = examples[0]
    for exclusive, bound in (("exclusiveMinimum", "minimum"), ("exclusiveMaximum", "maximum")):
        value = schema.get(exclusive)
        if isinstance(value, int | float) and not isinstance(value, bool):
            schema[bound] = value
            schema[exclusive] = True
    if schema.pop("contentEncoding", None) == "base64":
        schema.setdefault("format", "byte")
    if schema.pop("contentMediaType", None) is not None and schema.get("type") == "string":
        schema.setdefault("format", "binary")
    for keyword in _UNSAYABLE:
        schema.pop(keyword, None)
    if schema.get("required") == []:  # 3.0 wants at least one name; an empty list says nothing
        del schema["required"]


# --- shaped for generators -----------------------------------------------------------------------------

_STATUS_RANGE: Final = re.compile(r"^[1-5]XX$")


def for_generators(document: Mapping[str, Any]) -> dict[str, Any]:
    """A copy of ``document`` with list-only request bodies and a ``default`` for a lone status range."""
    doc: dict[str, Any] = copy.deepcopy(dict(document))
    schemas = doc.get("components", {}).get("schemas", {})
    for item in doc.get("paths", {}).values():
        if not isinstance(item, dict):
            continue
        for method in HTTP_METHODS:
            operation = item.get(method)
            if isinstance(operation, dict):
                _list_only_body(operation, schemas if isinstance(schemas, dict) else {})
                _range_as_default(operation)
    return doc


def _list_only_body(operation: dict[str, Any], schemas: Mapping[str, Any]) -> None:
    body = operation.get("requestBody")
    if not isinstance(body, dict) or not isinstance(body.get("content"), dict):
        return
    for media in body["content"].values():
        schema = media.get("schema") if isinstance(media, dict) else None
        one = _one_or_many(schema, schemas) if isinstance(schema, dict) else None
        if one is None:
            continue
        single, many = one
        media["schema"] = _free_form_list(single, schemas) or many
        name = str(single.get("$ref", "")).rsplit("/", 1)[-1] or "record"
        note = f"A list of one or more {name}; the API also takes a single {name} on its own."
        description = body.get("description")
        body["description"] = f"{description.rstrip()} {note}" if isinstance(description, str) else note


def _free_form_list(single: Schema, schemas: Mapping[str, Any]) -> Schema | None:
    """An inline ``array`` of inline objects when ``single`` names an entity with no documented fields.

    OpenAPI Generator's TypeScript generators warn ``Failed to get the schema name: null`` on a body whose
    items are a ``$ref`` to such a free-form object (through a named list schema or not), and on nothing
    else: spelled inline, the same shape reads without a warning.
    """
    name = str(single.get("$ref", "")).rsplit("/", 1)[-1]
    target = schemas.get(name) if name else None
    if not isinstance(target, dict) or target.get("type") != "object" or target.get("properties"):
        return None
    if (
        any(key in target for key in ("allOf", "oneOf", "anyOf"))
        or target.get("additionalProperties") is False
    ):
        return None
    item: Schema = {"type": "object", "additionalProperties": True}
    if isinstance(target.get("description"), str):
        item["description"] = target["description"]
    return {"type": "array", "items": item}


def _one_or_many(schema: Schema, schemas: Mapping[str, Any]) -> tuple[Schema, Schema] | None:
    """(the single form, the list form) when ``schema`` is ``oneOf``/``anyOf`` ``[X, array of X]``."""
    members = schema.get("oneOf", schema.get("anyOf"))
    if set(schema) - {"oneOf", "anyOf"} or not isinstance(members, list) or len(members) != 2:
        return None
    for single, many in (members, members[::-1]):
        target = many
        if isinstance(many, dict) and set(many) == {"$ref"}:
            target = schemas.get(str(many["$ref"]).rsplit("/", 1)[-1])
        if isinstance(target, dict) and target.get("type") == "array" and target.get("items") == single:
            return single, many
    return None


def _range_as_default(operation: dict[str, Any]) -> None:
    responses = operation.get("responses")
    if not isinstance(responses, dict) or "default" in responses:
        return
    ranges = [code for code in responses if _STATUS_RANGE.match(str(code))]
    if len(ranges) == 1:
        operation["responses"] = {
            ("default" if code == ranges[0] else code): value for code, value in responses.items()
        }
