"""A stand-in for the vendor's live document, derived from the pinned ``openapi/upstream.json``.

The live document (ASP.NET Core 10 / Swashbuckle) is expected to have the pinned routes and JSON wire shapes
under the names of the vendor's .NET types. `vendorize` makes such a document, deterministically:

- every component schema is renamed (every ``$ref`` follows, and schema descriptions that name a schema):
  entities and request models get a ``Dto`` suffix (``Category`` -> ``CategoryDto``), read models
  ``<Entity>ListItem`` -> ``<Entity>SummaryDto``, the notification page ``NotificationPage`` ->
  ``NotificationDtoPagedResult`` (Swashbuckle's id for ``PagedResult<NotificationDto>``), the write envelope
  ``MutationResponse`` -> ``WriteResponse`` (its decoded content -> ``WriteResponseContent``), the error body
  ``ErrorBody`` -> ``ProblemDetails``, enums ``...Type`` -> ``...Kind`` and other enums get ``Kind``
  appended (``Importance`` -> ``ImportanceKind``);
- operationIds in the NSwag / ``CustomOperationIds`` style ``<Controller>_<Action>``: the controller is
  the first path segment, the action the HTTP method, followed by every path segment when there is more
  than one (``GET /category`` -> ``Category_Get``, ``GET /job/{jobNo}`` -> ``Job_GetJobByJobNo``); every
  tenth operation in document order (the 6th, 16th, ...) has none;
- ASP.NET quirks that ``specpipe.normalize`` undoes: the three JSON media types on request bodies and
  ``text/plain`` beside JSON on responses (as pinned); .NET 10 numeric-string unions (``type: [integer,
  string]`` + ``pattern``) on the integer query parameters and the integer properties of the write
  envelope, the notification page and the notification; ``allOf: [$ref]`` + ``nullable: true`` (or
  ``type: "null"``, alternating) on the enum-typed properties of the read models.

Component schemas get no ``title``: neither Swashbuckle nor Microsoft.AspNetCore.OpenApi writes one, and
openapi-python-client would name the model after it. Vendor extensions (``x-...``) are kept as pinned.
"""

from __future__ import annotations

import copy
import re
from collections.abc import Iterator
from typing import Any, Final

Doc = dict[str, Any]

HTTP_METHODS: Final = ("get", "put", "post", "delete", "options", "head", "patch", "trace")
SCHEMA_REF: Final = "#/components/schemas/"
INTEGER_PATTERN: Final = r"^-?(?:0|[1-9]\d*)$"
WITHOUT_ID_EVERY: Final = 10  # every tenth operation keeps no operationId, as some controllers do

SPECIAL_NAMES: Final = {
    "MutationResponse": "WriteResponse",
    "MutationContent": "WriteResponseContent",
    "NotificationPage": "NotificationDtoPagedResult",
    "ErrorBody": "ProblemDetails",
}
# Schemas whose integer properties .NET 10 writes as numeric-string unions here (pinned names).
NUMERIC_STRING_SCHEMAS: Final = ("MutationResponse", "NotificationPage", "Notification")


def vendorize(upstream: Doc) -> Doc:
    """A renamed, vendor-styled deep copy of ``upstream``; ``upstream`` is left as it is."""
    doc = copy.deepcopy(upstream)
    renames = schema_renames(doc)
    _add_numeric_string_unions(doc)
    _add_nullable_refs(doc)
    for (method, path), operation_id in vendor_operation_ids(doc).items():
        doc["paths"][path][method]["operationId"] = operation_id
    _rename_schemas(doc, renames)
    return doc


def schema_renames(upstream: Doc) -> dict[str, str]:
    """Pinned schema name -> vendor-style name, for every component schema of ``upstream``."""
    schemas: dict[str, Any] = upstream["components"]["schemas"]
    renames = {name: _vendor_name(name, schema) for name, schema in schemas.items()}
    new_names = set(renames.values())
    if len(new_names) != len(renames) or new_names & renames.keys():
        raise ValueError("the vendor-style schema names clash with each other or with the pinned names")
    return renames


def vendor_operation_ids(upstream: Doc) -> dict[tuple[str, str], str]:
    """(method, path) -> vendor-style operationId, for all operations but every tenth one."""
    ids: dict[tuple[str, str], str] = {}
    seen: set[str] = set()
    for index, (method, path) in enumerate(operations(upstream)):
        if index % WITHOUT_ID_EVERY == WITHOUT_ID_EVERY // 2:
            continue
        segments = [segment for segment in path.split("/") if segment]
        action = method.capitalize() + ("".join(map(_pascal_segment, segments)) if len(segments) > 1 else "")
        operation_id = f"{_pascal_segment(segments[0])}_{action}"
        # the normalizer compares ids case- and punctuation-insensitively
        key = re.sub(r"[^a-z0-9]", "", operation_id.lower())
        if key in seen:
            raise ValueError(f"two operations would get the operationId {operation_id}")
        seen.add(key)
        ids[(method, path)] = operation_id
    return ids


def operations(doc: Doc) -> Iterator[tuple[str, str]]:
    """(method, path) of every operation, in document order."""
    for path, item in doc["paths"].items():
        for method in item:
            if method in HTTP_METHODS:
                yield method, path


def response_schema(doc: Doc, method: str, path: str, status: str = "200") -> str:
    """Name of the component schema the operation's JSON response carries (an array's items for a list)."""
    content = doc["paths"][path][method]["responses"][status]["content"]
    schema = next(media["schema"] for media_type, media in content.items() if "json" in media_type)
    ref = schema.get("items", schema).get("$ref", "")
    if not ref.startswith(SCHEMA_REF):
        raise ValueError(f"{method.upper()} {path} does not answer {status} with a component schema")
    return str(ref.removeprefix(SCHEMA_REF))


def remove_property(doc: Doc, schema_name: str, prop: str) -> Doc:
    """A deep copy of ``doc`` in which component schema ``schema_name`` no longer has property ``prop``."""
    out = copy.deepcopy(doc)
    schema = out["components"]["schemas"][schema_name]
    if prop not in schema.get("properties", {}):
        raise KeyError(f"schema {schema_name} has no property {prop}")
    del schema["properties"][prop]
    if prop in schema.get("required", []):
        schema["required"] = [name for name in schema["required"] if name != prop]
        if not schema["required"]:
            del schema["required"]
    return out


# --- the pieces -----------------------------------------------------------------------------------


def _vendor_name(name: str, schema: Doc) -> str:
    if name in SPECIAL_NAMES:
        return SPECIAL_NAMES[name]
    if "enum" in schema:
        return name.removesuffix("Type") + "Kind"
    if name.endswith("ListItem"):
        return name.removesuffix("ListItem") + "SummaryDto"
    return name + "Dto"


def _pascal_segment(segment: str) -> str:
    if segment.startswith("{") and segment.endswith("}"):
        segment = "By" + segment[1:-1][:1].upper() + segment[2:-1]
    return segment[:1].upper() + segment[1:]


def _rename_schemas(doc: Doc, renames: dict[str, str]) -> None:
    components = doc["components"]
    components["schemas"] = {renames[name]: schema for name, schema in components["schemas"].items()}
    names = re.compile(r"\b(" + "|".join(sorted(map(re.escape, renames), key=len, reverse=True)) + r")\b")
    for schema in components["schemas"].values():
        if isinstance(schema.get("description"), str):
            schema["description"] = names.sub(lambda match: renames[match.group(1)], schema["description"])
    for node in _dicts(doc):
        ref = node.get("$ref")
        if isinstance(ref, str) and ref.startswith(SCHEMA_REF):
            node["$ref"] = SCHEMA_REF + renames[ref.removeprefix(SCHEMA_REF)]


def _add_numeric_string_unions(doc: Doc) -> None:
    for method, path in operations(doc):
        for parameter in doc["paths"][path][method].get("parameters", []):
            if parameter.get("in") == "query":
                _numeric_string(parameter["schema"])
    schemas = doc["components"]["schemas"]
    for name in NUMERIC_STRING_SCHEMAS:
        for prop in schemas[name].get("properties", {}).values():
            _numeric_string(prop)


def _numeric_string(schema: Doc) -> None:
    """``integer`` -> ``[integer, string]``, ``[integer, null]`` -> ``[integer, string, null]``, + pattern."""
    types = schema.get("type")
    if "pattern" in schema or types not in ("integer", ["integer", "null"]):
        return
    schema["type"] = ["integer", "string"] if types == "integer" else ["integer", "string", "null"]
    schema["pattern"] = INTEGER_PATTERN


def _add_nullable_refs(doc: Doc) -> None:
    schemas = doc["components"]["schemas"]
    count = 0
    for name, schema in schemas.items():
        if not name.endswith("ListItem"):
            continue
        properties = schema.get("properties", {})
        for prop, value in properties.items():
            ref = value.get("$ref", "")
            if not (ref.startswith(SCHEMA_REF) and "enum" in schemas[ref.removeprefix(SCHEMA_REF)]):
                continue
            rest = {key: item for key, item in value.items() if key != "$ref"}
            null = {"nullable": True} if count % 2 == 0 else {"type": "null"}
            properties[prop] = {"allOf": [{"$ref": ref}], **rest, **null}
            count += 1


def _dicts(node: Any) -> Iterator[Doc]:
    stack = [node]
    while stack:
        current = stack.pop()
        if isinstance(current, dict):
            yield current
            stack.extend(current.values())
        elif isinstance(current, list):
            stack.extend(current)
