"""Fix-ups that make the vendor's OpenAPI document generate a clean client.

``normalize`` deep-copies the document, applies each rule below in this order, and reports every change
as a ``FixUp``: sorted by rule (this order), then by location. The same input always gives the same
output document and the same fix-up list; a normalized document needs no further fix-ups.

1. ``single-json-content-type``: a request body or response whose ``content`` offers several JSON-ish
   media types (``application/json``, ``application/json; charset=...``, ``text/json``,
   ``application/*+json``, any ``application/...+json``), or ``text/plain`` next to one, keeps one
   ``application/json`` entry (the ``application/json`` media object if there is one, else the first
   of the others); other media types (XML, multipart, ...) stay. A lone ``text/json``,
   ``application/*+json`` or ``application/json; charset=...`` is renamed to ``application/json``;
   a lone concrete ``+json`` type (``application/json-patch+json``) is left alone.
2. ``numeric-string-union``: .NET 10 declares numbers as ``type: [integer, string]`` (or ``number``,
   optionally with ``null``) plus a ``pattern``; this becomes ``integer``/``number`` (``null`` kept)
   and the pattern goes. Only applied when a ``pattern`` or a numeric ``format`` marks it as a number.
3. ``nullable-ref``: ``allOf: [{$ref}]`` next to ``type: "null"``, ``type: ["null"]`` or
   ``nullable: true``. In OpenAPI 3.1 it becomes ``anyOf: [{$ref}, {type: "null"}]`` (other keys such
   as description and default kept); in 3.0 ``type: "null"`` becomes ``nullable: true``, and
   ``allOf`` + ``nullable: true`` is left as it is. openapi-python-client 0.29.1 reads both results as
   ``Model | None``, while it reads ``allOf`` + ``type: "null"`` as a plain ``Model``.
4. ``operation-id``: operations without an operationId, and every member of a group of duplicates
   (compared case- and punctuation-insensitively, because the generator turns ``getJob`` and
   ``get_job`` into the same Python name), get a derived id; unique ids are kept. The derived id is
   lower camelCase of: the first tag (``default`` when untagged), the HTTP method, then each path
   segment, where a parameter ``{jobNo}`` becomes ``ByJobNo``; non-alphanumerics separate words and
   are dropped. ``GET /job/{jobNo}`` tagged ``Job`` -> ``jobGetJobByJobNo``; ``POST
   /optimization/dailyRoute`` tagged ``Optimization`` -> ``optimizationPostOptimizationDailyRoute``.
   Should a derived id clash with a taken one, ``2``, ``3``, ... is appended, handing out ids in
   (path, method) order so the result does not depend on the order of the document.
5. ``operation-tag-summary``: an operation without tags gets its first literal path segment,
   capitalised (``default`` if there is none); one without a summary gets ``"GET /job/{jobNo}"``.
6. ``schema-description``: a schema under ``components.schemas`` without a description gets
   ``"<Name> (no description in the vendor document)."``.

Unknown enum values are not a document rewrite: the client templates tolerate them.
"""

from __future__ import annotations

import json
import re
from collections import Counter
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class FixUp:
    """One change ``normalize`` made: which rule, where (``paths./job.post.requestBody``), and what."""

    rule: str
    location: str
    detail: str


HTTP_METHODS = ("get", "put", "post", "delete", "options", "head", "patch", "trace")
JSON = "application/json"
NUMERIC_FORMATS = frozenset({"int8", "int16", "int32", "int64", "float", "double", "decimal"})

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

Schema = dict[str, Any]
Doc = dict[str, Any]


def normalize(doc: Mapping[str, Any]) -> tuple[dict[str, Any], list[FixUp]]:
    """Return a normalized deep copy of ``doc`` and the fix-ups made, in a stable order."""
    out: Doc = _plain_copy(doc)
    fixups: list[FixUp] = []
    for _name, rule in RULES:
        fixups.extend(sorted(rule(out), key=lambda fixup: (fixup.location, fixup.detail)))
    return out, fixups


def summarize(fixups: list[FixUp]) -> dict[str, int]:
    """Count fix-ups per rule, in rule order; rules that made no change are left out."""
    counts = Counter(fixup.rule for fixup in fixups)
    return {name: counts[name] for name, _rule in RULES if counts[name]}


# --- rule 1: single-json-content-type -------------------------------------------------------------


def fix_json_content_types(doc: Doc) -> list[FixUp]:
    fixups = []
    for location, owner in _content_owners(doc):
        content = owner.get("content")
        if isinstance(content, dict):
            detail = _collapse_json_content(content)
            if detail is not None:
                fixups.append(FixUp("single-json-content-type", location, detail))
    return fixups


def _media_kind(media_type: str) -> str:
    base = media_type.split(";", 1)[0].strip().lower()
    if base == JSON:
        return "json" if media_type == JSON else "json-params"
    if base in ("text/json", "application/*+json"):
        return "json-alias"
    if base.startswith("application/") and base.endswith("+json"):
        return "json-vendor"
    return "text" if base == "text/plain" else "other"


def _collapse_json_content(content: dict[str, Any]) -> str | None:
    kinds = {media_type: _media_kind(media_type) for media_type in content}
    jsonish = [mt for mt, kind in kinds.items() if kind.startswith("json")]
    plain_text = [mt for mt, kind in kinds.items() if kind == "text"]
    if not jsonish:
        return None
    if len(jsonish) == 1 and not plain_text and kinds[jsonish[0]] in ("json", "json-vendor"):
        return None
    rank = {"json": 0, "json-params": 1, "json-alias": 2, "json-vendor": 3}
    chosen = min(jsonish, key=lambda mt: (rank[kinds[mt]], jsonish.index(mt)))
    dropped = [mt for mt in content if mt != chosen and (mt in jsonish or mt in plain_text)]
    rebuilt: dict[str, Any] = {}
    for media_type, media in content.items():
        if media_type == jsonish[0]:
            rebuilt[JSON] = content[chosen]
        elif media_type not in jsonish and media_type not in plain_text:
            rebuilt[media_type] = media
    content.clear()
    content.update(rebuilt)
    source = "" if chosen == JSON else f" (was {chosen})"
    gone = f"; dropped {', '.join(dropped)}" if dropped else ""
    return f"kept {JSON}{source}{gone}"


# --- rule 2: numeric-string-union -----------------------------------------------------------------


def fix_numeric_string_unions(doc: Doc) -> list[FixUp]:
    fixups = []
    for location, schema in _all_schemas(doc):
        types = schema.get("type")
        if not isinstance(types, list) or not all(isinstance(item, str) for item in types):
            continue
        non_null = sorted(item for item in types if item != "null")
        if non_null not in (["integer", "string"], ["number", "string"]):
            continue
        if "pattern" not in schema and schema.get("format") not in NUMERIC_FORMATS:
            continue
        kept = [item for item in types if item != "string"]
        schema["type"] = kept[0] if len(kept) == 1 else kept
        dropped = " and its pattern" if schema.pop("pattern", None) is not None else ""
        detail = f"type {json.dumps(types)} -> {json.dumps(schema['type'])}{dropped}"
        fixups.append(FixUp("numeric-string-union", location, detail))
    return fixups


# --- rule 3: nullable-ref -------------------------------------------------------------------------


def fix_nullable_refs(doc: Doc) -> list[FixUp]:
    is_31 = str(doc.get("openapi", "")).startswith("3.1")
    fixups = []
    for location, schema in _all_schemas(doc):
        all_of = schema.get("allOf")
        if not (isinstance(all_of, list) and len(all_of) == 1 and isinstance(all_of[0], dict)):
            continue
        if "$ref" not in all_of[0] or "anyOf" in schema or "oneOf" in schema:
            continue
        null_type = schema.get("type") in ("null", ["null"])
        if is_31 and (null_type or schema.get("nullable") is True):
            drop = ("nullable", "type") if null_type else ("nullable",)
            _replace_keys(schema, "allOf", {"anyOf": [all_of[0], {"type": "null"}]}, drop)
            detail = 'allOf [$ref] + null -> anyOf [$ref, {"type": "null"}]'
            fixups.append(FixUp("nullable-ref", location, detail))
        elif not is_31 and null_type:
            _replace_keys(schema, "type", {"nullable": True}, drop=("nullable",))
            fixups.append(FixUp("nullable-ref", location, 'allOf [$ref] + type "null" -> nullable: true'))
    return fixups


def _replace_keys(schema: Schema, key: str, replacement: dict[str, Any], drop: tuple[str, ...]) -> None:
    """Put ``replacement`` where ``key`` was, dropping ``key`` and ``drop``; the order stays stable."""
    rebuilt: Schema = {}
    for name, value in schema.items():
        if name == key:
            rebuilt.update(replacement)
        elif name not in drop:
            rebuilt[name] = value
    schema.clear()
    schema.update(rebuilt)


# --- rule 4: operation-id -------------------------------------------------------------------------


def fix_operation_ids(doc: Doc) -> list[FixUp]:
    operations = list(_operations(doc, sections=("paths",)))
    ids = {(path, method): operation.get("operationId") for path, method, operation in operations}
    keys = {
        where: _id_key(value) for where, value in ids.items() if isinstance(value, str) and _id_key(value)
    }
    counts = Counter(keys.values())
    taken = {key for key in keys.values() if counts[key] == 1}
    pending = [
        (path, method, op) for path, method, op in operations if counts[keys.get((path, method), "")] != 1
    ]
    fixups = []
    for path, method, operation in sorted(pending, key=lambda item: (item[0], HTTP_METHODS.index(item[1]))):
        base = derive_operation_id(_first_tag(operation) or "default", method, path)
        candidate, suffix = base, 2
        while _id_key(candidate) in taken:
            candidate, suffix = f"{base}{suffix}", suffix + 1
        taken.add(_id_key(candidate))
        old = ids[(path, method)]
        why = "duplicate " + json.dumps(old) if (path, method) in keys else "missing operationId"
        operation["operationId"] = candidate
        fixups.append(FixUp("operation-id", f"paths.{path}.{method}.operationId", f"{why} -> {candidate}"))
    return fixups


def derive_operation_id(tag: str, method: str, path: str) -> str:
    """``("Job", "get", "/job/{jobNo}")`` -> ``"jobGetJobByJobNo"`` (see the module docstring)."""
    words = [*_words(tag), method]
    for segment in path.split("/"):
        if segment.startswith("{") and segment.endswith("}"):
            words += ["By", *_words(segment[1:-1])]
        else:
            words += _words(segment)
    first, rest = words[0], words[1:]
    head = first.lower() if first.isupper() else first[:1].lower() + first[1:]
    name = head + "".join(word[:1].upper() + word[1:] for word in rest)
    return name if name[:1].isalpha() else "op" + name[:1].upper() + name[1:]


def _words(text: str) -> list[str]:
    return re.findall(r"[A-Za-z0-9]+", text)


def _id_key(operation_id: str) -> str:
    return re.sub(r"[^a-z0-9]", "", operation_id.lower())


def _first_tag(operation: dict[str, Any]) -> str | None:
    tags = operation.get("tags")
    if isinstance(tags, list) and tags and isinstance(tags[0], str) and _words(tags[0]):
        return tags[0]
    return None


# --- rule 5: operation-tag-summary ----------------------------------------------------------------


def fix_operation_tags_and_summaries(doc: Doc) -> list[FixUp]:
    fixups = []
    for path, method, operation in _operations(doc, sections=("paths",)):
        where = f"paths.{path}.{method}"
        tags = operation.get("tags")
        if not (isinstance(tags, list) and tags and all(isinstance(tag, str) and tag for tag in tags)):
            tag = _tag_from_path(path)
            operation["tags"] = [tag]
            fixups.append(FixUp("operation-tag-summary", f"{where}.tags", f"added tag {tag!r}"))
        summary = operation.get("summary")
        if not (isinstance(summary, str) and summary.strip()):
            operation["summary"] = f"{method.upper()} {path}"
            detail = f"added summary {operation['summary']!r}"
            fixups.append(FixUp("operation-tag-summary", f"{where}.summary", detail))
    return fixups


def _tag_from_path(path: str) -> str:
    for segment in path.split("/"):
        if segment and not segment.startswith("{"):
            return segment[:1].upper() + segment[1:]
    return "default"


# --- rule 6: schema-description -------------------------------------------------------------------


def fix_schema_descriptions(doc: Doc) -> list[FixUp]:
    fixups = []
    for name, schema in _mapping(_mapping(doc.get("components")).get("schemas")).items():
        description = schema.get("description") if isinstance(schema, dict) else None
        if isinstance(schema, dict) and not (isinstance(description, str) and description.strip()):
            schema["description"] = f"{name} (no description in the vendor document)."
            fixups.append(FixUp("schema-description", f"components.schemas.{name}", "added a description"))
    return fixups


RULES: tuple[tuple[str, Callable[[Doc], list[FixUp]]], ...] = (
    ("single-json-content-type", fix_json_content_types),
    ("numeric-string-union", fix_numeric_string_unions),
    ("nullable-ref", fix_nullable_refs),
    ("operation-id", fix_operation_ids),
    ("operation-tag-summary", fix_operation_tags_and_summaries),
    ("schema-description", fix_schema_descriptions),
)


# --- walking the document -------------------------------------------------------------------------


def _plain_copy(value: Any) -> Any:
    if isinstance(value, Mapping):
        return {key: _plain_copy(item) for key, item in value.items()}
    if isinstance(value, list | tuple):
        return [_plain_copy(item) for item in value]
    return value


def _mapping(value: Any) -> dict[str, Any]:
    return value if isinstance(value, dict) else {}


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


def _content_owners(doc: Doc) -> Iterator[tuple[str, dict[str, Any]]]:
    """Every request body and response (operations and components) with where it is."""
    for item_where, item in _path_items(doc, ("paths", "webhooks")):
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
