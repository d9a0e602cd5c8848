"""Repairs: defects of published documents that the validator or the generator would refuse, fixed before both.

Each repair is a rule of ``normalize`` (they run first, in this order, but for ``default-type``, which runs
last, against the schemas as the other rules leave them) and reports a ``FixUp`` per change;
``nox -s generate`` prints their counts by name. Where the document's meaning is clear the value is
converted; where it is not, the offending piece is dropped, never guessed.

1. ``ref-into-document``: a ``$ref`` to a place that is not a component (``#/paths/~1users~1me/put/
   responses/204``, ``#/components/schemas/X/properties/y``) is replaced by a copy of what it points to
   (its sibling keys kept over the copy's); the generator only follows references to components. A
   reference that points into itself, or nowhere, is left for the validator to name.
2. ``equivalent-paths``: paths equal up to their placeholder names (``/x/{id}`` GET, ``/x/{name}`` DELETE;
   OpenAPI calls them identical) are merged into the first one in document order: the later path's
   placeholders and path parameters take the first path's names (a referenced path parameter is copied
   inline under the new name), path-level parameters move down into the operations, and its operations
   join the first path item. An operation whose method the first path already has is dropped (the
   server cannot tell them apart either).
3. ``version-keys``: fixed fields the document's OpenAPI version does not define on a Media Type, Response,
   Request Body, Parameter, Header, Operation, Path Item, Encoding or Example object (a 3.1 Media Type
   with ``description``), and on a Schema object (3.0's fixed fields; in 3.1 a keyword no vocabulary of
   its dialect defines, such as ``summary``), are dropped; ``x-`` extensions stay. In a 3.0
   schema, 3.1's ``const`` becomes a one-value ``enum``, ``examples`` its first value as ``example`` and a
   type list with ``null`` a ``nullable`` type.
4. ``openapi31-idioms``: in a 3.1 document, 3.0-style boolean ``exclusiveMinimum``/``exclusiveMaximum``
   become the 3.1 numbers (``minimum: 0, exclusiveMinimum: true`` -> ``exclusiveMinimum: 0``) and
   ``nullable: true`` becomes ``null`` in the type list (or a ``{type: "null"}`` alternative beside a
   ``$ref``, ``anyOf`` or ``oneOf``); ``allOf`` + ``nullable`` is left to ``nullable-ref``.
5. ``duplicate-values``: an ``enum`` value, a ``required`` name or a ``type`` listed twice is listed once
   (the ``x-enum-varnames``/``x-enum-descriptions`` entry of a repeated enum value goes with it); a
   parameter declared twice (same name and location) in one list keeps its first declaration.
6. ``default-type``: a ``default`` that does not validate against its schema (checked as the validator
   checks it) is converted when the meaning is obvious (``"100"`` -> ``100`` on an integer, ``"false"`` ->
   ``false`` on a boolean, ``5`` -> ``"5"`` on a string, ``["auto"]`` -> ``"auto"`` on a string, ``"a"``
   -> ``["a"]`` on an array) and dropped otherwise (``''`` or ``false`` on an integer, ``null`` on a
   schema that does not take null).
7. ``allof-non-object``: ``allOf`` of one schema plus members that only annotate it (``description``,
   ``title``, ``example``, ...) is the idiom for a described reference; openapi-python-client cannot
   compose it when that schema is not an object (a ``oneOf``, an enum, a nullable integer). The
   annotations move onto the schema itself and the ``allOf`` keeps the one real member (a ``$ref``) or is
   replaced by it (an inline schema, also when it is the only member).
8. ``boolean-enum``: ``enum: [true, false]`` (every boolean) says nothing a boolean type does not, and the
   generator cannot read a boolean enum: the enum goes and the type is ``boolean``.
9. ``inline-object-hoist``: an inline object inside a union member (a ``oneOf``/``anyOf`` member, or a
   nullable object, which the generator makes a union) of a component makes openapi-python-client 0.29.1
   generate its model twice ("duplicate models ``IndexesType0Options``") and drop the component. Each such
   inline object becomes a component of the name the generator would have given it (``IndexesType0Options``;
   ``2``, ``3``, ... when taken) and a ``$ref`` to it.
"""

from __future__ import annotations

import copy
import json
import re
from collections.abc import Callable, Iterator
from typing import Any
from urllib.parse import unquote

from .docwalk import (
    _PLACEHOLDER,
    _SCHEMA_REF,
    HTTP_METHODS,
    Doc,
    FixUp,
    Schema,
    _all_schemas,
    _collect_schema,
    _content_owners,
    _escape,
    _has_type,
    _is_31,
    _item_operations,
    _list,
    _mapping,
    _path_items,
    _resolve_parameter,
    _unescape,
)

MAX_INLINED = 10_000  # copies made by ref-into-document in one document (a bound, not an expectation)
MAX_NESTED_COPIES = 3  # copies inside copies: keeps the document's depth (and every recursive walk) bounded
_COMPONENT_REF = re.compile(r"^#/components/[^/]+/[^/]+$")
_SKELETON = re.compile(r"\{[^}/]*\}")


# --- 1: ref-into-document -------------------------------------------------------------------------


def fix_refs_into_document(doc: Doc) -> list[FixUp]:
    fixups: list[FixUp] = []
    budget = [MAX_INLINED]

    def visit(value: Any, where: str, chain: tuple[str, ...]) -> Any:
        if isinstance(value, list):
            for index, item in enumerate(value):
                value[index] = visit(item, f"{where}.{index}", chain)
            return value
        if not isinstance(value, dict):
            return value
        ref = value.get("$ref")
        if isinstance(ref, str) and ref.startswith("#/") and not _COMPONENT_REF.match(ref):
            target = _pointer(doc, ref)
            fresh = ref not in chain and len(chain) < MAX_NESTED_COPIES
            if target is not _MISSING and target is not value and fresh and budget[0] > 0:
                budget[0] -= 1
                siblings = {key: item for key, item in value.items() if key != "$ref"}
                inlined = copy.deepcopy(target)
                if isinstance(inlined, dict):
                    inlined.update(copy.deepcopy(siblings))
                fixups.append(FixUp("ref-into-document", where, f"$ref {ref} -> a copy of what it points to"))
                return visit(inlined, where, (*chain, ref))
        for key in list(value):
            value[key] = visit(value[key], f"{where}.{key}", chain)
        return value

    for key in ("paths", "webhooks", "components"):
        if key in doc:
            doc[key] = visit(doc[key], key, ())
    return fixups


_MISSING = object()


def _pointer(doc: Doc, ref: str) -> Any:
    """What the local JSON pointer ``ref`` (``#/a/b``) points to in ``doc``; ``_MISSING`` when nothing."""
    value: Any = doc
    for token in ref[2:].split("/"):
        name = _unescape(unquote(token))
        if isinstance(value, dict) and name in value:
            value = value[name]
        elif isinstance(value, list) and name.isdigit() and int(name) < len(value):
            value = value[int(name)]
        else:
            return _MISSING
    return value


# --- 2: equivalent-paths --------------------------------------------------------------------------


def fix_equivalent_paths(doc: Doc) -> list[FixUp]:
    paths = doc.get("paths")
    if not isinstance(paths, dict):
        return []
    groups: dict[str, list[str]] = {}
    for path, item in paths.items():
        if isinstance(item, dict):
            groups.setdefault(_SKELETON.sub("{}", path), []).append(path)
    fixups: list[FixUp] = []
    for members in groups.values():
        if len(members) < 2:
            continue
        first = members[0]
        target = paths[first]
        _push_down_parameters(target)
        for path in members[1:]:
            renames = dict(zip(_PLACEHOLDER.findall(path), _PLACEHOLDER.findall(first), strict=False))
            item = paths.pop(path)
            _push_down_parameters(item)
            moved, dropped = [], []
            for method, operation in list(_item_operations(item)):
                if method in target:
                    dropped.append(method.upper())
                    continue
                _rename_path_parameters(doc, operation, renames)
                target[method] = operation
                moved.append(method.upper())
            for key, value in item.items():
                if key not in HTTP_METHODS and key != "parameters" and key not in target:
                    target[key] = value
            changed = ", ".join(f"{{{old}}} -> {{{new}}}" for old, new in renames.items() if old != new)
            detail = f"merged into {first} ({changed}): {', '.join(moved) or 'no operation'}"
            if dropped:
                detail += f"; dropped {', '.join(dropped)} ({first} has it already)"
            fixups.append(FixUp("equivalent-paths", f"paths.{path}", detail))
    return fixups


def _push_down_parameters(item: dict[str, Any]) -> None:
    """Move a path item's parameters into each of its operations (an operation's own declaration wins)."""
    shared = item.get("parameters")
    if not isinstance(shared, list):
        return
    del item["parameters"]
    for _method, operation in _item_operations(item):
        own = _list(operation.get("parameters"))
        keys = {_parameter_key(parameter) for parameter in own}
        inherited = [copy.deepcopy(p) for p in shared if _parameter_key(p) not in keys]
        if inherited:
            operation["parameters"] = inherited + own


def _parameter_key(parameter: Any) -> tuple[str, str] | str:
    holder = _mapping(parameter)
    ref = holder.get("$ref")
    if isinstance(ref, str):
        return ref
    return (str(holder.get("name")), str(holder.get("in")))


def _rename_path_parameters(doc: Doc, operation: dict[str, Any], renames: dict[str, str]) -> None:
    parameters = operation.get("parameters")
    if not isinstance(parameters, list):
        return
    for index, parameter in enumerate(parameters):
        resolved = _resolve_parameter(doc, parameter)
        name = resolved.get("name")
        if resolved.get("in") != "path" or not isinstance(name, str) or renames.get(name, name) == name:
            continue
        renamed = copy.deepcopy(resolved) if resolved is not parameter else parameter
        renamed["name"] = renames[name]
        parameters[index] = renamed


# --- 3: version-keys ------------------------------------------------------------------------------

_X = "x-"
_PARAMETER_FIELDS = frozenset(
    {"description", "required", "deprecated", "allowEmptyValue", "style", "explode", "allowReserved"}
    | {"schema", "example", "examples", "content"}
)
# Fixed fields per object (OpenAPI 3.0.3 and 3.1.0 agree on these objects but for the ones in _FIELDS_31).
_FIELDS = {
    "media type": frozenset({"schema", "example", "examples", "encoding"}),
    "response": frozenset({"description", "headers", "content", "links"}),
    "request body": frozenset({"description", "content", "required"}),
    "parameter": _PARAMETER_FIELDS | {"name", "in"},
    "header": _PARAMETER_FIELDS,
    "operation": frozenset(
        {"tags", "summary", "description", "externalDocs", "operationId", "parameters", "requestBody"}
        | {"responses", "callbacks", "deprecated", "security", "servers"}
    ),
    "path item": frozenset({"$ref", "summary", "description", "servers", "parameters", *HTTP_METHODS}),
    "encoding": frozenset({"contentType", "headers", "style", "explode", "allowReserved"}),
    "example": frozenset({"summary", "description", "value", "externalValue"}),
}
SCHEMA_FIELDS_30 = frozenset(
    {"title", "multipleOf", "maximum", "exclusiveMaximum", "minimum", "exclusiveMinimum", "maxLength"}
    | {"minLength", "pattern", "maxItems", "minItems", "uniqueItems", "maxProperties", "minProperties"}
    | {"required", "enum", "type", "not", "allOf", "oneOf", "anyOf", "items", "properties"}
    | {"additionalProperties", "description", "format", "default", "nullable", "discriminator"}
    | {"readOnly", "writeOnly", "example", "externalDocs", "deprecated", "xml", "$ref"}
)

# JSON Schema 2020-12 (core, applicator, unevaluated, validation, meta-data, format, content) and OpenAPI
# 3.1's own schema keywords, plus the older forms openapi31-idioms and nullable-ref convert.
SCHEMA_FIELDS_31 = frozenset(
    {"$schema", "$id", "$ref", "$anchor", "$dynamicRef", "$dynamicAnchor", "$vocabulary", "$comment", "$defs"}
    | {"prefixItems", "items", "contains", "additionalProperties", "properties", "patternProperties"}
    | {"dependentSchemas", "propertyNames", "if", "then", "else", "allOf", "anyOf", "oneOf", "not"}
    | {"unevaluatedItems", "unevaluatedProperties", "type", "const", "enum", "multipleOf", "maximum"}
    | {"exclusiveMaximum", "minimum", "exclusiveMinimum", "maxLength", "minLength", "pattern", "maxItems"}
    | {"minItems", "uniqueItems", "maxContains", "minContains", "maxProperties", "minProperties", "required"}
    | {"dependentRequired", "title", "description", "default", "deprecated", "readOnly", "writeOnly"}
    | {"examples", "format", "contentEncoding", "contentMediaType", "contentSchema"}
    | {"discriminator", "xml", "externalDocs", "example"}
    | {"nullable", "$recursiveRef", "$recursiveAnchor", "definitions", "dependencies"}
)


def fix_version_keys(doc: Doc) -> list[FixUp]:
    version = "3.1" if _is_31(doc) else "3.0"
    fixups: list[FixUp] = []
    for kind, where, holder in _typed_objects(doc):
        if "$ref" in holder and kind != "path item":
            continue
        extra = [key for key in holder if not key.startswith(_X) and key not in _FIELDS[kind]]
        for key in extra:
            del holder[key]
        if extra:
            detail = f"{', '.join(extra)} not defined on an OpenAPI {version} {kind} object: dropped"
            fixups.append(FixUp("version-keys", where, detail))
    for where, schema in _all_schemas(doc):
        fixups += _schema_keys_30(where, schema) if version == "3.0" else _schema_keys_31(where, schema)
    return fixups


def _schema_keys_31(where: str, schema: Schema) -> list[FixUp]:
    """3.1 lets a schema carry any keyword; one that no vocabulary defines (``summary``) means nothing to a
    validator or a generator, and the 3.0 twin of the document could not carry it."""
    extra = [key for key in schema if not key.startswith(_X) and key not in SCHEMA_FIELDS_31]
    for key in extra:
        del schema[key]
    if not extra:
        return []
    return [
        FixUp("version-keys", where, f"{', '.join(extra)} not defined by the OpenAPI 3.1 dialect: dropped")
    ]


def _schema_keys_30(where: str, schema: Schema) -> list[FixUp]:
    if "$ref" in schema:
        return []
    converted = []
    types = schema.get("type")
    if isinstance(types, list) and all(isinstance(item, str) for item in types):
        kept = [item for item in types if item != "null"]
        if len(kept) == 1:
            schema["type"] = kept[0]
            if "null" in types:
                schema["nullable"] = True
            converted.append(
                f"type {json.dumps(types)} -> {kept[0]!r}{' + nullable' if 'null' in types else ''}"
            )
    if "const" in schema:
        value = schema.pop("const")
        if "enum" not in schema:
            schema["enum"] = [value]
            converted.append("const -> a one-value enum")
    if isinstance(schema.get("examples"), list):
        examples = schema.pop("examples")
        if examples and "example" not in schema:
            schema["example"] = examples[0]
            converted.append("examples -> example (the first)")
    extra = [key for key in schema if not key.startswith(_X) and key not in SCHEMA_FIELDS_30]
    for key in extra:
        del schema[key]
    if extra:
        converted.append(f"{', '.join(extra)} not defined on an OpenAPI 3.0 schema: dropped")
    return [FixUp("version-keys", where, detail) for detail in converted]


def _typed_objects(doc: Doc) -> Iterator[tuple[str, str, dict[str, Any]]]:
    """``(kind, where, object)`` for every object ``version-keys`` checks (not schemas)."""
    components = _mapping(doc.get("components"))
    for where, item in _path_items(doc, ("paths", "webhooks")):
        yield "path item", where, item
        holders = [(where, item)]
        for method, operation in _item_operations(item):
            yield "operation", f"{where}.{method}", operation
            holders.append((f"{where}.{method}", operation))
        for holder_where, holder in holders:
            for index, parameter in enumerate(_list(holder.get("parameters"))):
                if isinstance(parameter, dict):
                    yield from _parameter_like("parameter", f"{holder_where}.parameters.{index}", parameter)
    for kind, section in (("parameter", "parameters"), ("header", "headers")):
        for name, holder in _mapping(components.get(section)).items():
            if isinstance(holder, dict):
                yield from _parameter_like(kind, f"components.{section}.{name}", holder)
    for name, example in _mapping(components.get("examples")).items():
        if isinstance(example, dict):
            yield "example", f"components.examples.{name}", example
    for where, owner in _content_owners(doc):
        yield ("request body" if _is_body(where) else "response"), where, owner
        for name, header in _mapping(owner.get("headers")).items():
            if isinstance(header, dict):
                yield from _parameter_like("header", f"{where}.headers.{name}", header)
        yield from _media_types(where, owner)


def _is_body(where: str) -> bool:
    return where.endswith(".requestBody") or where.startswith("components.requestBodies.")


def _parameter_like(
    kind: str, where: str, holder: dict[str, Any]
) -> Iterator[tuple[str, str, dict[str, Any]]]:
    yield kind, where, holder
    yield from _media_types(where, holder)
    yield from _examples(where, holder)


def _media_types(where: str, owner: dict[str, Any]) -> Iterator[tuple[str, str, dict[str, Any]]]:
    for media_type, media in _mapping(owner.get("content")).items():
        if isinstance(media, dict):
            media_where = f"{where}.content.{media_type}"
            yield "media type", media_where, media
            yield from _examples(media_where, media)
            for name, encoding in _mapping(media.get("encoding")).items():
                if isinstance(encoding, dict):
                    yield "encoding", f"{media_where}.encoding.{name}", encoding


def _examples(where: str, holder: dict[str, Any]) -> Iterator[tuple[str, str, dict[str, Any]]]:
    for name, example in _mapping(holder.get("examples")).items():
        if isinstance(example, dict):
            yield "example", f"{where}.examples.{name}", example


# --- 4: openapi31-idioms --------------------------------------------------------------------------


def fix_openapi31_idioms(doc: Doc) -> list[FixUp]:
    if not _is_31(doc):
        return []
    fixups: list[FixUp] = []
    for where, schema in _all_schemas(doc):
        for bound, limit in (("exclusiveMinimum", "minimum"), ("exclusiveMaximum", "maximum")):
            flag = schema.get(bound)
            if not isinstance(flag, bool):
                continue
            del schema[bound]
            value = schema.get(limit)
            if flag and isinstance(value, int | float) and not isinstance(value, bool):
                schema[bound] = schema.pop(limit)
                detail = f"{limit}: {value}, {bound}: true -> {bound}: {value}"
            else:
                detail = f"{bound}: {json.dumps(flag)} -> dropped (3.1 takes a number)"
            fixups.append(FixUp("openapi31-idioms", where, detail))
        if "nullable" in schema and "allOf" not in schema:
            converted = _nullable_31(schema)
            if converted:
                fixups.append(FixUp("openapi31-idioms", where, converted))
    for name, schema in _mapping(_mapping(doc.get("components")).get("schemas")).items():
        fixups += _recursive_refs(name, schema)
    return fixups


def _recursive_refs(name: str, schema: Any) -> list[FixUp]:
    """JSON Schema 2019-09's ``$recursiveAnchor: true`` + ``$recursiveRef: "#"`` (the component itself) ->
    a ``$ref`` to the component, which 3.1's dialect (2020-12) and the generator read."""
    if not isinstance(schema, dict):
        return []
    found: list[tuple[str, Schema]] = []
    _collect_schema(f"components.schemas.{name}", schema, found)
    fixups = []
    if schema.pop("$recursiveAnchor", None) is not None:
        detail = "$recursiveAnchor (JSON Schema 2019-09) -> dropped; $recursiveRef -> $ref to the component"
        fixups.append(FixUp("openapi31-idioms", f"components.schemas.{name}", detail))
    for where, inner in found:
        if "$recursiveRef" in inner:
            inner.pop("$recursiveRef")
            inner["$ref"] = _SCHEMA_REF + _escape(name)
            fixups.append(FixUp("openapi31-idioms", where, f'$recursiveRef -> $ref "{inner["$ref"]}"'))
    return fixups


def _nullable_31(schema: Schema) -> str | None:
    nullable = schema.pop("nullable")
    if nullable is not True:
        return f"nullable: {json.dumps(nullable)} -> dropped"
    types = schema.get("type")
    if isinstance(types, str) or (isinstance(types, list) and all(isinstance(t, str) for t in types)):
        listed = [types] if isinstance(types, str) else list(types)
        if "null" not in listed:
            schema["type"] = [*listed, "null"]
        enum = schema.get("enum")
        if isinstance(enum, list) and None not in enum:
            enum.append(None)
        return f"nullable: true -> type {json.dumps(schema['type'])}"
    for key in ("anyOf", "oneOf"):
        members = schema.get(key)
        if isinstance(members, list):
            if not any(_has_type(_mapping(member), "null") for member in members):
                members.append({"type": "null"})
            return f'nullable: true -> {{"type": "null"}} in {key}'
    if isinstance(schema.get("$ref"), str):
        schema["anyOf"] = [{"$ref": schema.pop("$ref")}, {"type": "null"}]
        return 'nullable: true beside $ref -> anyOf [$ref, {"type": "null"}]'
    return "nullable: true on a schema without a type (it takes null already) -> dropped"


# --- 5: duplicate-values --------------------------------------------------------------------------


def fix_duplicate_values(doc: Doc) -> list[FixUp]:
    fixups: list[FixUp] = []
    for where, schema in _all_schemas(doc):
        enum = schema.get("enum")
        if isinstance(enum, list):
            keep = _first_indexes(enum)
            if len(keep) < len(enum):
                repeated = [json.dumps(enum[i]) for i in range(len(enum)) if i not in keep]
                for key in ("x-enum-varnames", "x-enum-descriptions"):
                    names = schema.get(key)
                    if isinstance(names, list) and len(names) == len(enum):
                        schema[key] = [names[i] for i in keep]
                schema["enum"] = [enum[i] for i in keep]
                detail = f"enum value {', '.join(repeated)} listed twice: kept once"
                fixups.append(FixUp("duplicate-values", f"{where}.enum", detail))
        for key in ("required", "type"):
            values = schema.get(key)
            if isinstance(values, list):
                keep = _first_indexes(values)
                if len(keep) < len(values):
                    repeated = [json.dumps(values[i]) for i in range(len(values)) if i not in keep]
                    schema[key] = [values[i] for i in keep]
                    detail = f"{key} {', '.join(repeated)} listed twice: kept once"
                    fixups.append(FixUp("duplicate-values", f"{where}.{key}", detail))
    for where, holder in _parameter_lists(doc):
        parameters = holder["parameters"]
        seen: set[tuple[str, str]] = set()
        kept = []
        for index, parameter in enumerate(parameters):
            resolved = _resolve_parameter(doc, parameter)
            declared = (str(resolved.get("name")), str(resolved.get("in")))
            if "name" in resolved and declared in seen:
                detail = (
                    f"parameter {declared[0]!r} (in {declared[1]}) declared twice: the first declaration kept"
                )
                fixups.append(FixUp("duplicate-values", f"{where}.parameters.{index}", detail))
                continue
            seen.add(declared)
            kept.append(parameter)
        holder["parameters"] = kept
    return fixups


def _first_indexes(values: list[Any]) -> list[int]:
    seen: set[str] = set()
    keep = []
    for index, value in enumerate(values):
        key = json.dumps(value, sort_keys=True)
        if key not in seen:
            seen.add(key)
            keep.append(index)
    return keep


def _parameter_lists(doc: Doc) -> Iterator[tuple[str, dict[str, Any]]]:
    for where, item in _path_items(doc, ("paths", "webhooks")):
        if isinstance(item.get("parameters"), list):
            yield where, item
        for method, operation in _item_operations(item):
            if isinstance(operation.get("parameters"), list):
                yield f"{where}.{method}", operation


# --- 6: default-type ------------------------------------------------------------------------------


def fix_default_types(doc: Doc) -> list[FixUp]:
    checker = _DefaultChecker(doc)
    fixups: list[FixUp] = []
    for where, schema in _all_schemas(doc):
        if "default" not in schema or checker.fits(schema, schema["default"]):
            continue
        old = schema.pop("default")
        new = next((value for value in _conversions(old) if checker.fits(schema, value)), _MISSING)
        shown = json.dumps(old)[:60]
        if new is _MISSING:
            detail = f"default {shown} does not fit the schema: dropped"
        else:
            schema["default"] = new
            detail = f"default {shown} -> {json.dumps(new)[:60]}"
        fixups.append(FixUp("default-type", f"{where}.default", detail))
    return fixups


def _conversions(value: Any) -> Iterator[Any]:
    """What a wrongly typed default obviously means, most likely first."""
    if isinstance(value, str) and len(value) <= 40:  # a number longer than that is no obvious meaning
        text = value.strip()
        if text.lower() in ("true", "false"):
            yield text.lower() == "true"
        if re.fullmatch(r"-?\d+", text):
            yield int(text)
        if re.fullmatch(r"-?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?", text):
            yield float(text)
        if text != value:
            yield text
    elif isinstance(value, bool):
        yield "true" if value else "false"
    elif isinstance(value, int | float):
        yield str(value)
    if isinstance(value, list) and len(value) == 1:
        yield value[0]
    if value is not None and not isinstance(value, list):
        yield [value]


class _DefaultChecker:
    """Validates a default against its schema the way openapi-spec-validator does (same validator classes,
    same format checkers, references resolved within the document)."""

    def __init__(self, doc: Doc) -> None:
        from openapi_schema_validator import (
            OAS30Validator,
            OAS31Validator,
            oas30_format_checker,
            oas31_format_checker,
        )

        is_31 = _is_31(doc)
        self._cls: Any = OAS31Validator if is_31 else OAS30Validator
        self._formats = oas31_format_checker if is_31 else oas30_format_checker
        self._components = doc.get("components")

    def fits(self, schema: Schema, value: Any) -> bool:
        # The validator lets a null default pass on a nullable 3.0 schema without checking it.
        if value is None and schema.get("nullable") is True:
            return True
        root = dict(schema)
        if "components" not in root and isinstance(self._components, dict):
            root["components"] = self._components
        try:
            return bool(self._cls(root, format_checker=self._formats).is_valid(value))
        except Exception:  # an unresolvable $ref, a bad pattern: the validator names those itself
            return True


# --- 7: allof-non-object --------------------------------------------------------------------------

_ANNOTATIONS = frozenset(
    {"description", "title", "example", "examples", "default", "deprecated", "readOnly", "writeOnly"}
    | {"externalDocs", "nullable"}
)


def fix_allof_non_object(doc: Doc) -> list[FixUp]:
    fixups: list[FixUp] = []
    for where, schema in _all_schemas(doc):
        members = schema.get("allOf")
        if not isinstance(members, list) or not members or not all(isinstance(m, dict) for m in members):
            continue
        real = [m for m in members if not _annotation_only(m)]
        if len(real) != 1 or (len(members) == 1 and "$ref" in real[0]):
            continue
        notes = [m for m in members if m is not real[0]]
        for note in notes:
            for key, value in note.items():
                if key not in schema:
                    schema[key] = value
        kept = real[0]
        if "$ref" in kept:
            schema["allOf"] = [kept]
            shape = "allOf [$ref]"
        elif not _annotation_only({key: value for key, value in schema.items() if key != "allOf"}):
            continue  # the schema says more than the allOf (a type, another composition): left as it is
        else:
            del schema["allOf"]
            schema.update({key: value for key, value in kept.items() if key not in schema})
            shape = "the schema itself"
        moved = sorted({key for note in notes for key in note})
        what = f"one schema and annotations ({', '.join(moved)})" if notes else "one inline schema"
        detail = f"allOf of {what} -> {shape}"
        fixups.append(FixUp("allof-non-object", f"{where}.allOf", detail))
    return fixups


def _annotation_only(schema: dict[str, Any]) -> bool:
    return all(key in _ANNOTATIONS or key.startswith(_X) for key in schema)


# --- 8: boolean-enum ------------------------------------------------------------------------------


def fix_boolean_enums(doc: Doc) -> list[FixUp]:
    fixups: list[FixUp] = []
    for where, schema in _all_schemas(doc):
        enum = schema.get("enum")
        if not (isinstance(enum, list) and enum and all(isinstance(v, bool) or v is None for v in enum)):
            continue
        if not {True, False} <= {v for v in enum if v is not None}:
            continue
        del schema["enum"]
        if "type" not in schema:
            schema["type"] = "boolean"
        fixups.append(FixUp("boolean-enum", f"{where}.enum", f"enum {json.dumps(enum)} -> a boolean"))
    return fixups


# --- 9: inline-object-hoist -----------------------------------------------------------------------


def fix_inline_object_hoist(doc: Doc) -> list[FixUp]:
    schemas = _mapping(doc.get("components")).get("schemas")
    if not isinstance(schemas, dict):
        return []
    fixups: list[FixUp] = []
    taken = {name.lower() for name in schemas}
    for name in list(schemas):
        schema = schemas[name]
        if isinstance(schema, dict):
            _hoist_walk(schemas, taken, schema, f"components.schemas.{name}", _pascal(name), False, fixups)
    return fixups


def _hoist_walk(
    schemas: dict[str, Any],
    taken: set[str],
    schema: Schema,
    where: str,
    prefix: str,
    in_union: bool,
    fixups: list[FixUp],
) -> None:
    """Walk ``schema`` naming each part the way openapi-python-client does (``Holder`` -> property ``x`` ->
    ``HolderX``, its ``oneOf`` member 0 -> ``HolderXType0``); below a union member, hoist inline objects."""
    if "$ref" in schema:
        return
    if _nullable_object(schema) and not in_union:
        types = schema.get("type")
        index = types.index("object") if isinstance(types, list) and "object" in types else 0
        prefix, in_union = f"{prefix}Type{index}", True
    for key in ("oneOf", "anyOf"):
        for index, member in enumerate(_list(schema.get(key))):
            if isinstance(member, dict):
                _hoist_walk(
                    schemas, taken, member, f"{where}.{key}.{index}", f"{prefix}Type{index}", True, fixups
                )
    children: list[tuple[dict[str, Any], str, str, str]] = [
        (_mapping(schema.get("properties")), prop, f"properties.{prop}", _pascal(prop))
        for prop in _mapping(schema.get("properties"))
    ]
    if isinstance(schema.get("items"), dict):
        children.append((schema, "items", "items", "Item"))
    if isinstance(schema.get("additionalProperties"), dict):
        children.append((schema, "additionalProperties", "additionalProperties", "AdditionalProperty"))
    for holder, key, step, suffix in children:
        child = holder[key]
        if not isinstance(child, dict):
            continue
        if in_union and _inline_object(child):
            name = _free_name(taken, prefix + suffix)
            schemas[name] = child
            holder[key] = {"$ref": _SCHEMA_REF + _escape(name)}
            detail = f"inline object below a union member -> component {name}"
            fixups.append(FixUp("inline-object-hoist", f"{where}.{step}", detail))
            _hoist_walk(schemas, taken, child, f"components.schemas.{name}", name, False, fixups)
        else:
            _hoist_walk(schemas, taken, child, f"{where}.{step}", prefix + suffix, in_union, fixups)


def _inline_object(schema: Schema) -> bool:
    if "$ref" in schema or any(key in schema for key in ("oneOf", "anyOf", "allOf", "enum")):
        return False
    return _has_type(schema, "object") or "properties" in schema


def _nullable_object(schema: Schema) -> bool:
    types = schema.get("type")
    nullable = schema.get("nullable") is True or (isinstance(types, list) and "null" in types)
    return nullable and _inline_object(schema)


def _free_name(taken: set[str], wanted: str) -> str:
    name, suffix = wanted, 2
    while name.lower() in taken:
        name, suffix = f"{wanted}{suffix}", suffix + 1
    taken.add(name.lower())
    return name


def _pascal(source: str) -> str:
    from openapi_python_client.strings import pascal_case

    return pascal_case(source) or "Field"


REPAIRS: tuple[tuple[str, Callable[[Doc], list[FixUp]]], ...] = (
    ("ref-into-document", fix_refs_into_document),
    ("equivalent-paths", fix_equivalent_paths),
    ("version-keys", fix_version_keys),
    ("openapi31-idioms", fix_openapi31_idioms),
    ("duplicate-values", fix_duplicate_values),
    ("allof-non-object", fix_allof_non_object),
    ("boolean-enum", fix_boolean_enums),
    ("inline-object-hoist", fix_inline_object_hoist),
)
# Run after every other rule: a default is checked against the schema as it will be validated (the
# vendor's `allOf [$ref] + type: "null"` only becomes nullable in nullable-ref).
LAST_REPAIRS: tuple[tuple[str, Callable[[Doc], list[FixUp]]], ...] = (("default-type", fix_default_types),)
