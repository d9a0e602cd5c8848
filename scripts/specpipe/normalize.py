"""Fix-ups that make the vendor's OpenAPI document generate a clean client.

``normalize`` deep-copies the document, applies the repairs of ``repairs.py`` (defects of published
documents: ``ref-into-document``, ``equivalent-paths``, ``version-keys``, ``openapi31-idioms``,
``duplicate-values``, ``allof-non-object``, ``boolean-enum``, ``inline-object-hoist``), then each rule
below in this order, then ``default-type`` (also in ``repairs.py``), and reports every change as a
``FixUp``: sorted by rule (this order), then by location. The same input always gives the same output
document and the same fix-up list; a normalized document needs no further fix-ups.

1. ``single-json-content-type``: a request body or response whose ``content`` offers several JSON-ish
   media types (``application/json``, ``application/json; charset=...``, ``text/json``,
   ``application/*+json``, any ``application/...+json``), or ``text/plain`` next to one, keeps one
   ``application/json`` entry (the ``application/json`` media object if there is one, else the first
   of the others); other media types (XML, multipart, ...) stay. A lone ``text/json``,
   ``application/*+json`` or ``application/json; charset=...`` is renamed to ``application/json``;
   a lone concrete ``+json`` type (``application/json-patch+json``) is left alone.
2. ``unsupported-media-type``: media types openapi-python-client cannot write (request bodies: anything
   but JSON, ``+json``, form, multipart and ``application/octet-stream``) or read (responses: anything
   but JSON, ``+json``, ``application/octet-stream`` and ``text/*``) are dropped when the body or
   response also offers one it can (XML beside JSON). A request body offering only such types keeps the
   first (one raw body per request).
3. ``binary-media-type``: the media types left that the generator cannot handle (``binary_media_types``:
   a ``text/plain`` or ``image/jpeg`` request body, an ``image/*`` or ``application/pdf`` response, ...)
   are generated as ``application/octet-stream`` through the generator's ``content_type_overrides``
   (computed per run by ``generate.generate_once``), so the client sends and receives raw bytes while
   the request still carries the original Content-Type. The override holds for every body and response
   using that media type, so each of their schemas becomes ``{type: string, format: binary}`` (its
   description kept): a ``text/plain`` response in a document that also has a ``text/plain`` request body
   is then read as bytes, not text.
4. ``path-parameters``: a path parameter whose name is not a ``{placeholder}`` of its path is dropped
   (from the operation or path item that declares it); a placeholder no parameter declares gets a
   required string path parameter on each operation; a path parameter not marked required is marked.
   A parameter declared with ``content`` (a media type) instead of ``schema``, which openapi-python-client
   leaves out of the function without a word, becomes a string parameter: the caller passes the value
   already serialized in that media type (JSON text, say), which is what goes on the wire.
5. ``numeric-string-union``: .NET 10 declares numbers as ``type: [integer, string]`` (or ``number``,
   optionally with ``null``) plus a ``pattern``; this becomes ``integer``/``number`` (``null`` kept)
   and the pattern goes. Only applied when a ``pattern`` or a numeric ``format`` marks it as a number.
6. ``array-items``: an array schema without ``items`` (3.0 ``type: array``, 3.1 ``type: [array, null]``)
   gets ``items: {}``, an array of any value; the generator cannot read it otherwise.
7. ``nullable-ref``: ``allOf: [{$ref}]`` next to ``type: "null"``, ``type: ["null"]`` or
   ``nullable: true``. In OpenAPI 3.1 it becomes ``anyOf: [{$ref}, {type: "null"}]`` (other keys such
   as description and default kept); in 3.0 ``type: "null"`` becomes ``nullable: true``, and
   ``allOf`` + ``nullable: true`` is left as it is. openapi-python-client 0.29.1 reads both results as
   ``Model | None``, while it reads ``allOf`` + ``type: "null"`` as a plain ``Model``.
8. ``allof-nullable-object``: the generator cannot compose (``allOf``) a nullable object (3.0
   ``nullable: true``, 3.1 ``type: [object, null]``). Such a component schema becomes non-nullable and
   every other reference to it (outside an ``allOf``, not already beside a null alternative) becomes
   nullable instead: ``anyOf: [{$ref}, {type: "null"}]`` in 3.1, ``allOf: [{$ref}], nullable: true`` in
   3.0. A nullable inline object inside an ``allOf`` just loses its nullability.
9. ``operation-tag-summary``: an operation without tags gets its first literal path segment,
   capitalised (``default`` if there is none); one without a summary gets ``"GET /job/{jobNo}"``.
10. ``operation-id``: every operation is named from the contract, never from the vendor's operationId, so
    a generated function keeps its name when the vendor renames an operationId. The id is lower camelCase
    of: the first tag (``default`` when it has no letters or digits), the HTTP method, then each path
    segment, where a parameter ``{jobNo}`` becomes ``ByJobNo``; non-alphanumerics separate words and are
    dropped. ``GET /job/{jobNo}`` tagged ``Job`` -> ``jobGetJobByJobNo``; ``POST
    /optimization/dailyRoute`` tagged ``Optimization`` -> ``optimizationPostOptimizationDailyRoute``.
    Ids that clash (compared case- and punctuation-insensitively, as the generator's Python names do) get
    ``2``, ``3``, ... in (path, method) order, so the result does not depend on the order of the document.
    A vendor operationId that differs is kept as ``x-vendor-operation-id`` and named in a sentence
    appended to the description (``Vendor operationId: `getJob`.``), which the generated docstring shows.
11. ``model-class-name``: component schemas the generator turns into classes (objects and enums) get a
    ``title`` where their class name (computed with openapi-python-client's own ``ClassName``) would be
    a Python builtin or keyword, a name the generated modules import (``Any``, ``File``, ``Response``,
    ``UNSET``, ...; ``RESERVED_CLASS_NAMES``) or already taken by another schema (same title, or keys
    such as ``job_item`` and ``JobItem`` that convert to one name or one module, or by a component that is
    only a ``$ref``, an alias the generator names after its key): ``Any`` -> ``AnyModel``, a second ``S``
    -> ``S2``. Schemas are visited in key order; the first keeps its name, an alias always does.
12. ``schema-description``: a schema under ``components.schemas`` without a description gets
    ``"<Name> (no description in the vendor document)."``.

13. ``named-body-array``: in a request body (the body's schema, or a member of its ``oneOf``/``anyOf``), an
    inline array of one component ``{type: array, items: {$ref: X}}`` becomes ``{$ref: XList}``, a component
    schema added for it (``XList2``, ... when the name is taken by another schema), so a one-or-many body
    reads ``oneOf: [{$ref: X}, {$ref: XList}]``: one object or a named array of it. OpenAPI Generator
    otherwise names such bodies after the operation, and loses the entity of an untyped one (an object
    without documented fields). Response arrays stay inline: every generator reads those fine, and
    ``ROUTES`` describes them as ``list`` answers.
14. ``enum-varnames``: an ``x-enum-varnames`` entry that is a keyword, builtin constant or primitive type name
    in Python, TypeScript/JavaScript, C#, Java or Go (``RESERVED_ENUM_NAMES``, compared case-sensitively:
    ``None``, ``True``, ``default``, ``string``, ...) gets ``Value`` appended (``None`` -> ``NoneValue``;
    digits after that on a clash). The vendor's names stay in ``x-enum-descriptions`` (written from the
    vendor's names when absent) and the rename is named in a sentence appended to the description.
15. ``time-span-format``: a string schema with the .NET ``format: time-span`` (``timespan``, any case) loses
    the format, which no generator knows, and gets the pattern ASP.NET itself writes for a TimeSpan
    (``TIME_SPAN_PATTERN``) unless it has a pattern already, and an ``example`` (``01:30:00``) unless it has
    one (mock servers answer ``"string"`` otherwise); the vendor's format is kept as ``x-format``.

Unknown enum values are not a document rewrite: the client templates tolerate them.
"""

from __future__ import annotations

import json
import re
from collections import Counter
from collections.abc import Callable, Mapping
from email.message import Message
from keyword import iskeyword
from typing import Any

from . import servers
from .docwalk import (
    _PLACEHOLDER,
    _SCHEMA_REF,
    HTTP_METHODS,
    Doc,
    Schema,
    _all_schemas,
    _content_owners,
    _escape,
    _has_type,
    _is_31,
    _item_operations,
    _list,
    _mapping,
    _operations,
    _plain_copy,
    _plain_mapping,
    _resolve_parameter,
    _schema_ref_name,
)
from .docwalk import (
    FixUp as FixUp,  # re-exported: generate.py and the tests import it from here
)
from .repairs import LAST_REPAIRS, REPAIRS

JSON = "application/json"
NUMERIC_FORMATS = frozenset({"int8", "int16", "int32", "int64", "float", "double", "decimal"})
BINARY_SCHEMA: dict[str, Any] = {"type": "string", "format": "binary"}
# What openapi-python-client 0.29.1 can send (bodies.py) and read (responses.py), besides any +json type.
_WRITABLE = frozenset(
    {JSON, "application/x-www-form-urlencoded", "multipart/form-data", "application/octet-stream"}
)
_READABLE = frozenset({JSON, "application/octet-stream"})
# Names the generated modules import or define at module level (generator templates and ours): a model class
# of that name would shadow them or be shadowed (`models.Any` would be `typing.Any`). Lower-case ones cannot
# come out of the generator's ClassName but are listed for completeness.
RESERVED_CLASS_NAMES = frozenset(
    {
        "Any", "AuthenticatedClient", "BinaryIO", "BytesIO", "Callable", "Client", "Dict", "Enum", "File",
        "FileContent", "FileTypes", "Generator", "Generic", "HTTPStatus", "IO", "IntEnum", "List", "Literal",
        "Mapping", "MutableMapping", "Optional", "RequestFiles", "Response", "Self", "Set", "StrEnum", "T",
        "TYPE_CHECKING", "TextIO", "Tuple", "Type", "TypeAlias", "TypeVar", "UNSET", "UUID", "Union", "Unset",
        "cast", "date", "datetime", "errors", "httpx", "importlib", "json", "operator", "quote", "types",
    }
)  # fmt: skip
# The generator's field_prefix (scripts/openapi-python-client.yaml): it also prefixes invalid class names.
GENERATOR_PREFIX = "field_"


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


# --- rule 2: unsupported-media-type ---------------------------------------------------------------


def generator_handles(media_type: str, *, request: bool) -> bool:
    """Whether openapi-python-client can write (a request body) or read (a response) this media type."""
    message = Message()
    message.add_header("Content-Type", media_type)
    parsed = message.get_content_type()
    if not media_type.startswith(parsed):  # the generator's own test (strings.get_content_type)
        return False
    if parsed.endswith("+json"):
        return True
    return parsed in _WRITABLE if request else parsed in _READABLE or parsed.startswith("text/")


def fix_unsupported_media_types(doc: Doc) -> list[FixUp]:
    fixups = []
    for location, owner in _content_owners(doc, sections=("paths",)):
        content = owner.get("content")
        if not isinstance(content, dict) or not content:
            continue
        request = _is_request_body(location)
        handled = [mt for mt in content if generator_handles(mt, request=request)]
        if handled:
            dropped = [mt for mt in content if mt not in handled]
        else:
            dropped = list(content)[1:] if request else []
        if dropped:
            for media_type in dropped:
                del content[media_type]
            detail = f"kept {', '.join(content)}; dropped {', '.join(dropped)}"
            fixups.append(FixUp("unsupported-media-type", location, detail))
    return fixups


# --- rule 3: binary-media-type --------------------------------------------------------------------


def binary_media_types(doc: Mapping[str, Any]) -> list[str]:
    """Media types the generator must treat as application/octet-stream (its ``content_type_overrides``)."""
    found: set[str] = set()
    for location, owner in _content_owners(_plain_mapping(doc), sections=("paths",)):
        request = _is_request_body(location)
        found.update(
            mt for mt in _mapping(owner.get("content")) if not generator_handles(mt, request=request)
        )
    return sorted(found)


def fix_binary_media_types(doc: Doc) -> list[FixUp]:
    binary = set(binary_media_types(doc))
    fixups = []
    for location, owner in _content_owners(doc, sections=("paths",)):
        for media_type, media in _mapping(owner.get("content")).items():
            if media_type not in binary or not isinstance(media, dict) or _is_binary(media.get("schema")):
                continue
            old = _mapping(media.get("schema"))
            description = old.get("description")
            media["schema"] = dict(BINARY_SCHEMA, **({"description": description} if description else {}))
            detail = "schema -> {type: string, format: binary}: sent and read as raw bytes"
            fixups.append(FixUp("binary-media-type", f"{location}.content.{media_type}.schema", detail))
    return fixups


def _is_binary(schema: Any) -> bool:
    return isinstance(schema, dict) and schema.get("type") == "string" and schema.get("format") == "binary"


def _is_request_body(location: str) -> bool:
    return location.endswith(".requestBody") or location.startswith("components.requestBodies.")


# --- rule 4: path-parameters ----------------------------------------------------------------------


def fix_path_parameters(doc: Doc) -> list[FixUp]:
    fixups = []
    for name, parameter in _mapping(_mapping(doc.get("components")).get("parameters")).items():
        fixups += _require_path_parameter(parameter, f"components.parameters.{name}")
    for name, parameter in _mapping(_mapping(doc.get("components")).get("parameters")).items():
        fixups += _content_parameter(parameter, f"components.parameters.{name}")
    for path, item in _mapping(doc.get("paths")).items():
        if not isinstance(item, dict):
            continue
        holders = [(f"paths.{path}", item)]
        holders += [(f"paths.{path}.{method}", operation) for method, operation in _item_operations(item)]
        for where, holder in holders:
            parameters = holder.get("parameters")
            for index, parameter in enumerate(parameters if isinstance(parameters, list) else []):
                fixups += _content_parameter(parameter, f"{where}.parameters.{index}")
        placeholders = _PLACEHOLDER.findall(path)
        where = f"paths.{path}"
        fixups += _drop_unknown_path_parameters(doc, item, where, placeholders)
        shared = _path_parameter_names(doc, item)
        for method, operation in _item_operations(item):
            fixups += _drop_unknown_path_parameters(doc, operation, f"{where}.{method}", placeholders)
            declared = shared | _path_parameter_names(doc, operation)
            fixups += _declare_missing_path_parameters(operation, f"{where}.{method}", placeholders, declared)
    return fixups


def _content_parameter(parameter: Any, where: str) -> list[FixUp]:
    """``content: {media type: ...}`` instead of ``schema`` -> a string the caller serializes."""
    if (
        not isinstance(parameter, dict)
        or "schema" in parameter
        or not isinstance(parameter.get("content"), dict)
    ):
        return []
    media_type = next(iter(parameter["content"]), "")
    note = f"Sent as given: the value serialized as {media_type} (the document declares it with `content`)."
    description = parameter.get("description")
    parameter.pop("content")
    parameter["schema"] = {"type": "string"}
    parameter["description"] = (
        f"{description} {note}" if isinstance(description, str) and description else note
    )
    detail = f"parameter {parameter.get('name')!r} declared by content {media_type}: a string"
    return [FixUp("path-parameters", where, detail)]


def _drop_unknown_path_parameters(
    doc: Doc, holder: dict[str, Any], where: str, names: list[str]
) -> list[FixUp]:
    parameters = holder.get("parameters")
    if not isinstance(parameters, list):
        return []
    fixups, kept = [], []
    for index, parameter in enumerate(parameters):
        resolved = _resolve_parameter(doc, parameter)
        location = f"{where}.parameters.{index}"
        if resolved.get("in") == "path" and resolved.get("name") not in names:
            detail = f"path parameter {resolved.get('name')!r} is not in the path template: dropped"
            fixups.append(FixUp("path-parameters", location, detail))
            continue
        if resolved is parameter:
            fixups += _require_path_parameter(parameter, location)
        kept.append(parameter)
    if len(kept) != len(parameters):
        holder["parameters"] = kept
        if not kept:
            del holder["parameters"]
    return fixups


def _require_path_parameter(parameter: Any, location: str) -> list[FixUp]:
    if not isinstance(parameter, dict) or parameter.get("in") != "path" or parameter.get("required") is True:
        return []
    parameter["required"] = True
    return [FixUp("path-parameters", location, "path parameter marked required")]


def _declare_missing_path_parameters(
    operation: dict[str, Any], where: str, names: list[str], declared: set[str]
) -> list[FixUp]:
    parameters = operation.setdefault("parameters", [])
    if not isinstance(parameters, list):
        return []
    fixups = []
    for name in names:
        if name in declared:
            continue
        declared.add(name)
        parameters.append({"name": name, "in": "path", "required": True, "schema": {"type": "string"}})
        detail = f"placeholder {{{name}}} has no parameter: added a required string path parameter"
        fixups.append(FixUp("path-parameters", f"{where}.parameters.{len(parameters) - 1}", detail))
    if not parameters:
        del operation["parameters"]
    return fixups


def _path_parameter_names(doc: Doc, holder: dict[str, Any]) -> set[str]:
    parameters = holder.get("parameters")
    resolved = [_resolve_parameter(doc, p) for p in (parameters if isinstance(parameters, list) else [])]
    return {str(p.get("name")) for p in resolved if p.get("in") == "path"}


# --- rule 5: numeric-string-union -----------------------------------------------------------------


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


# --- rule 6: array-items --------------------------------------------------------------------------


def fix_array_items(doc: Doc) -> list[FixUp]:
    fixups = []
    for location, schema in _all_schemas(doc):
        if _has_type(schema, "array") and "items" not in schema:
            schema["items"] = {}
            fixups.append(FixUp("array-items", location, "array without items -> items: {} (any value)"))
    return fixups


# --- rule 7: nullable-ref -------------------------------------------------------------------------


def fix_nullable_refs(doc: Doc) -> list[FixUp]:
    is_31 = _is_31(doc)
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


# --- rule 8: allof-nullable-object ----------------------------------------------------------------


def fix_allof_nullable_objects(doc: Doc) -> list[FixUp]:
    components = _mapping(_mapping(doc.get("components")).get("schemas"))
    schemas = _all_schemas(doc)
    fixups: list[FixUp] = []
    composed: set[str] = set()
    for location, schema in schemas:
        all_of = _list(schema.get("allOf"))
        for index, member in enumerate(all_of):
            name = _schema_ref_name(_mapping(member).get("$ref"))
            if name is not None:
                # A lone allOf [$ref] is read as the referenced schema itself, which works.
                if len(all_of) > 1 and _is_nullable_object(components.get(name)):
                    composed.add(name)
            elif _is_nullable_object(member):
                _drop_null(member)
                detail = "nullable object inside allOf -> not nullable"
                fixups.append(FixUp("allof-nullable-object", f"{location}.allOf.{index}", detail))
    if composed:
        keep_plain = _refs_needing_no_wrapper(schemas)
        for name in sorted(composed):
            _drop_null(components[name])
            wrapped = _make_references_nullable(schemas, name, keep_plain, is_31=_is_31(doc))
            detail = (
                f"nullable object used in allOf -> not nullable; {wrapped} other reference(s) made nullable"
            )
            fixups.append(FixUp("allof-nullable-object", f"components.schemas.{name}", detail))
    return fixups


def _is_nullable_object(schema: Any) -> bool:
    if not isinstance(schema, dict):
        return False
    types = schema.get("type")
    nullable = schema.get("nullable") is True or (isinstance(types, list) and "null" in types)
    return nullable and (_has_type(schema, "object") or "properties" in schema or "allOf" in schema)


def _drop_null(schema: Schema) -> None:
    if schema.get("nullable") is True:
        del schema["nullable"]
    types = schema.get("type")
    if isinstance(types, list) and "null" in types:
        kept = [item for item in types if item != "null"]
        schema["type"] = kept[0] if len(kept) == 1 else kept


def _refs_needing_no_wrapper(schemas: list[tuple[str, Schema]]) -> set[int]:
    """ids of schemas that must stay a plain $ref: allOf members, and members beside a null alternative."""
    found: set[int] = set()
    for _location, schema in schemas:
        all_of = schema.get("allOf")
        found.update(id(member) for member in (all_of if isinstance(all_of, list) else []))
        for key in ("anyOf", "oneOf"):
            members = schema.get(key)
            if not isinstance(members, list):
                continue
            if schema.get("nullable") is True or any(_has_type(_mapping(m), "null") for m in members):
                found.update(id(member) for member in members)
    return found


def _make_references_nullable(
    schemas: list[tuple[str, Schema]], name: str, keep: set[int], *, is_31: bool
) -> int:
    count = 0
    for _location, schema in schemas:
        if _schema_ref_name(schema.get("$ref")) != name or id(schema) in keep:
            continue
        ref = {"$ref": schema.pop("$ref")}
        wrapper = {"anyOf": [ref, {"type": "null"}]} if is_31 else {"allOf": [ref], "nullable": True}
        schema.update(wrapper)
        count += 1
    return count


# --- rule 9: operation-tag-summary ----------------------------------------------------------------


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


# --- rule 10: operation-id ------------------------------------------------------------------------


def fix_operation_ids(doc: Doc) -> list[FixUp]:
    operations = sorted(
        _operations(doc, sections=("paths",)), key=lambda item: (item[0], HTTP_METHODS.index(item[1]))
    )
    taken: set[str] = set()
    fixups = []
    for path, method, operation in operations:
        base = derive_operation_id(_first_tag(operation) or "default", method, path)
        candidate, suffix = base, 2
        while _id_key(candidate) in taken:
            candidate, suffix = f"{base}{suffix}", suffix + 1
        taken.add(_id_key(candidate))
        old = operation.get("operationId")
        if old == candidate:
            continue
        operation["operationId"] = candidate
        if isinstance(old, str) and old.strip():
            operation["x-vendor-operation-id"] = old
            _append_sentence(operation, f"Vendor operationId: `{old}`.")
            why = "vendor " + json.dumps(old)
        else:
            why = "missing operationId"
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


def _append_sentence(operation: dict[str, Any], sentence: str) -> None:
    description = operation.get("description")
    text = description.rstrip() if isinstance(description, str) else ""
    operation["description"] = f"{text}\n\n{sentence}" if text else sentence


# --- rule 11: model-class-name --------------------------------------------------------------------


def fix_model_class_names(doc: Doc) -> list[FixUp]:
    from openapi_python_client.strings import ClassName, PythonIdentifier

    schemas = _mapping(_mapping(doc.get("components")).get("schemas"))
    # A component that is only a $ref is an alias: the generator names it after its key, and a title
    # beside the $ref would be ignored, so its name is taken before any other schema is named.
    aliases = [name for name, schema in schemas.items() if isinstance(schema, dict) and "$ref" in schema]
    taken_classes = {ClassName(name, GENERATOR_PREFIX) for name in aliases}
    taken_modules = {PythonIdentifier(name, GENERATOR_PREFIX) for name in taken_classes}
    fixups = []
    for name in sorted(schemas):
        source = _class_source(name, schemas[name])
        if source is None:
            continue
        current = ClassName(source, GENERATOR_PREFIX)
        wanted, why = current, ""
        if _reserved_class_name(source):
            wanted, why = ClassName(f"{_pascal(source)}Model", GENERATOR_PREFIX), "is reserved"
        base, suffix = wanted, 2
        while wanted in taken_classes or PythonIdentifier(wanted, GENERATOR_PREFIX) in taken_modules:
            wanted, suffix = ClassName(f"{base}{suffix}", GENERATOR_PREFIX), suffix + 1
            why = why or "is taken by another schema"
        taken_classes.add(wanted)
        taken_modules.add(PythonIdentifier(wanted, GENERATOR_PREFIX))
        if wanted != current:
            schemas[name]["title"] = str(wanted)
            detail = f"class name {current} {why} -> title {wanted}"
            fixups.append(FixUp("model-class-name", f"components.schemas.{name}", detail))
    return fixups


def _class_source(name: str, schema: Any) -> str | None:
    """The text the generator makes this component's class name from; None when it makes no class."""
    if not isinstance(schema, dict):
        return None
    title = schema.get("title")
    titled = isinstance(title, str) and bool(title)
    named = title if titled else name
    if "enum" in schema:
        return named
    combined = [*_list(schema.get("allOf")), *_list(schema.get("anyOf")), *_list(schema.get("oneOf"))]
    if (len(combined) == 1 and "$ref" in _mapping(combined[0])) or "anyOf" in schema or "oneOf" in schema:
        return None
    if not (_has_type(schema, "object") or "properties" in schema or "allOf" in schema):
        return None
    types = schema.get("type")
    if not titled and ((isinstance(types, list) and len(types) > 1) or schema.get("nullable") is True):
        # An untitled nullable object is a union; its model is named like the generator's union members.
        index = types.index("object") if isinstance(types, list) and "object" in types else 0
        return f"{name}_type_{index}"
    return named


def _reserved_class_name(source: str) -> bool:
    from openapi_python_client.strings import RESERVED_WORDS

    pascal = _pascal(source)
    return pascal in RESERVED_WORDS or iskeyword(pascal) or pascal in RESERVED_CLASS_NAMES


def _pascal(source: str) -> str:
    from openapi_python_client.strings import pascal_case

    return pascal_case(source)


# --- rule 12: schema-description ------------------------------------------------------------------


def fix_schema_descriptions(doc: Doc) -> list[FixUp]:
    fixups = []
    for name, schema in _mapping(_mapping(doc.get("components")).get("schemas")).items():
        description = schema.get("description") if isinstance(schema, dict) else None
        if isinstance(schema, dict) and not (isinstance(description, str) and description.strip()):
            schema["description"] = f"{name} (no description in the vendor document)."
            fixups.append(FixUp("schema-description", f"components.schemas.{name}", "added a description"))
    return fixups


# --- rule 13: named-body-array ---------------------------------------------------------------------


def fix_named_body_arrays(doc: Doc) -> list[FixUp]:
    schemas = _mapping(doc.get("components")).get("schemas")
    if not isinstance(schemas, dict):
        return []
    fixups = []
    for location, owner in _content_owners(doc, sections=("paths", "webhooks")):
        if not _is_request_body(location):
            continue
        for media_type, media in _mapping(owner.get("content")).items():
            schema = _mapping(media).get("schema")
            if not isinstance(schema, dict):
                continue
            where = f"{location}.content.{media_type}.schema"
            slots: list[tuple[str, dict[str, Any], str | int]] = [(where, media, "schema")]
            for key in ("oneOf", "anyOf"):
                members = schema.get(key)
                if isinstance(members, list):
                    slots += [(f"{where}.{key}.{index}", schema, index) for index in range(len(members))]
            for slot_where, holder, slot in slots:
                container: Any = holder if isinstance(slot, str) else _slot_list(holder)
                item = _inline_array_item(container[slot])
                if item is None:
                    continue
                name = _named_array(schemas, item)
                container[slot] = {"$ref": _SCHEMA_REF + _escape(name)}
                detail = f"inline array of {item} -> $ref {name}"
                fixups.append(FixUp("named-body-array", slot_where, detail))
    return fixups


def _slot_list(schema: dict[str, Any]) -> list[Any]:
    members = schema.get("oneOf") if isinstance(schema.get("oneOf"), list) else schema.get("anyOf")
    return members if isinstance(members, list) else []


def _inline_array_item(schema: Any) -> str | None:
    """X when ``schema`` is exactly ``{type: array, items: {$ref: X}}`` (a description may sit beside it)."""
    if (
        not isinstance(schema, dict)
        or schema.get("type") != "array"
        or set(schema) - {"type", "items", "description"}
    ):
        return None
    items = _mapping(schema.get("items"))
    return _schema_ref_name(items.get("$ref")) if set(items) == {"$ref"} else None


def _named_array(schemas: dict[str, Any], item: str) -> str:
    wanted = {"type": "array", "items": {"$ref": _SCHEMA_REF + _escape(item)}}
    name, suffix = f"{item}List", 2
    while name in schemas:
        existing = _mapping(schemas[name])
        if {key: value for key, value in existing.items() if key != "description"} == wanted:
            return name
        name, suffix = f"{item}List{suffix}", suffix + 1
    schemas[name] = {**wanted, "description": f"A list of {item} (the array form of a one-or-many body)."}
    return name


# --- rule 14: enum-varnames ----------------------------------------------------------------------

# Compared case-sensitively: enum members live in their own scope in every target language, so only names
# that cannot be identifiers there (keywords) or that read as a language constant or type count.
RESERVED_ENUM_NAMES = frozenset(
    {
        # Python keywords and builtin constants
        "False", "None", "True", "and", "as", "assert", "async", "await", "break", "class", "continue", "def",
        "del", "elif", "else", "except", "finally", "for", "from", "global", "if", "import", "in", "is",
        "lambda", "nonlocal", "not", "or", "pass", "raise", "return", "try", "while", "with", "yield",
        "match", "case", "type", "NotImplemented", "Ellipsis",
        # TypeScript / JavaScript
        "any", "boolean", "const", "debugger", "declare", "delete", "do", "enum", "export", "extends", "false",
        "function", "implements", "instanceof", "interface", "let", "module", "namespace", "never", "new",
        "null", "number", "object", "package", "private", "protected", "public", "require", "static",
        "super", "switch", "symbol", "this", "throw", "true", "typeof", "undefined", "unknown", "var", "void",
        "NaN", "Infinity",
        # C#
        "abstract", "base", "bool", "byte", "catch", "char", "checked", "decimal", "default", "delegate",
        "double", "event", "explicit", "extern", "fixed", "float", "foreach", "goto", "implicit", "int",
        "internal", "lock", "long", "operator", "out", "override", "params", "readonly", "ref", "sbyte",
        "sealed", "short", "sizeof", "stackalloc", "string", "struct", "uint", "ulong", "unchecked", "unsafe",
        "ushort", "using", "virtual", "volatile",
        # Java
        "final", "native", "strictfp", "synchronized", "throws", "transient", "Object", "String",
        # Go
        "chan", "defer", "fallthrough", "func", "go", "map", "range", "select", "nil", "iota", "error",
        "int8", "int16", "int32", "int64", "uint8", "uint16", "uint32", "uint64", "float32", "float64",
        "complex64", "complex128", "rune", "uintptr",
    }
)  # fmt: skip


def fix_enum_varnames(doc: Doc) -> list[FixUp]:
    fixups = []
    for location, schema in _all_schemas(doc):
        names = schema.get("x-enum-varnames")
        if not (isinstance(names, list) and all(isinstance(name, str) for name in names)):
            continue
        reserved = [name for name in names if name in RESERVED_ENUM_NAMES]
        if not reserved:
            continue
        taken = set(names)
        renamed: dict[str, str] = {}
        for name in reserved:
            candidate, suffix = f"{name}Value", 2
            while candidate in taken:
                candidate, suffix = f"{name}Value{suffix}", suffix + 1
            taken.add(candidate)
            renamed[name] = candidate
        if not isinstance(schema.get("x-enum-descriptions"), list):
            schema["x-enum-descriptions"] = list(names)
        schema["x-enum-varnames"] = [renamed.get(name, name) for name in names]
        pairs = ", ".join(f"`{old}` -> `{new}`" for old, new in renamed.items())
        _append_sentence(schema, f"Member names made safe for code generators: {pairs}.")
        fixups.append(FixUp("enum-varnames", f"{location}.x-enum-varnames", pairs.replace("`", "")))
    return fixups


# --- rule 15: time-span-format -------------------------------------------------------------------

# What System.Text.Json's schema exporter (and so Microsoft.AspNetCore.OpenApi) writes for a TimeSpan.
TIME_SPAN_PATTERN = r"^-?(\d+\.)?\d{2}:\d{2}:\d{2}(\.\d{1,7})?$"
TIME_SPAN_EXAMPLE = "01:30:00"
_TIME_SPAN_FORMATS = frozenset({"time-span", "timespan"})


def fix_time_span_formats(doc: Doc) -> list[FixUp]:
    fixups = []
    for location, schema in _all_schemas(doc):
        fmt = schema.get("format")
        if not (isinstance(fmt, str) and fmt.lower() in _TIME_SPAN_FORMATS and _has_type(schema, "string")):
            continue
        rebuilt: Schema = {}
        for key, value in schema.items():
            if key == "format":
                rebuilt["x-format"] = value
                if "pattern" not in schema:
                    rebuilt["pattern"] = TIME_SPAN_PATTERN
                if "example" not in schema and "examples" not in schema:
                    # mock servers (Prism) otherwise answer "string", which the pattern rejects
                    rebuilt["example"] = TIME_SPAN_EXAMPLE
            else:
                rebuilt[key] = value
        schema.clear()
        schema.update(rebuilt)
        fixups.append(
            FixUp("time-span-format", location, f"format {fmt} -> string with the TimeSpan pattern")
        )
    return fixups


RULES: tuple[tuple[str, Callable[[Doc], list[FixUp]]], ...] = (
    *REPAIRS,
    ("single-json-content-type", fix_json_content_types),
    ("unsupported-media-type", fix_unsupported_media_types),
    ("binary-media-type", fix_binary_media_types),
    ("path-parameters", fix_path_parameters),
    ("numeric-string-union", fix_numeric_string_unions),
    ("array-items", fix_array_items),
    ("nullable-ref", fix_nullable_refs),
    ("allof-nullable-object", fix_allof_nullable_objects),
    ("operation-tag-summary", fix_operation_tags_and_summaries),
    ("operation-id", fix_operation_ids),
    ("model-class-name", fix_model_class_names),
    ("schema-description", fix_schema_descriptions),
    ("named-body-array", fix_named_body_arrays),
    ("enum-varnames", fix_enum_varnames),
    ("time-span-format", fix_time_span_formats),
    (servers.RULE, lambda doc: servers.fix_server_urls(doc, FixUp)),  # see servers.py
    *LAST_REPAIRS,
)
