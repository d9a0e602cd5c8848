"""The pipeline's own comparison of two normalized OpenAPI 3.x documents, rated for a client.

It walks paths, operations, parameters, bodies, responses, component schemas, security and servers,
and reports each difference once, where it physically is (a component schema shared by twenty operations
is compared once, under ``#/components/schemas``). Whether a schema change breaks a client can depend
on which way the schema travels: a new required property breaks requests, a new enum value breaks
readers of responses. A component's directions are those of every place that references it, directly or
through other components, in either document; a component nothing references counts as both.
"""

from __future__ import annotations

import json
from collections import deque
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from typing import Any, Final

from .drift_changes import (
    BREAKING,
    MISSING,
    NON_BREAKING,
    Change,
    Severity,
    child,
    pointer,
    resolve,
)

Node = Mapping[str, Any]

HTTP_METHODS: Final = ("get", "put", "post", "delete", "options", "head", "patch", "trace")
REQUEST: Final = "request"
RESPONSE: Final = "response"
BOTH: Final = frozenset({REQUEST, RESPONSE})
COMBINATORS: Final = ("allOf", "anyOf", "oneOf")
SERIALIZATION: Final = ("style", "explode", "allowReserved")
SCHEME_FIELDS: Final = ("type", "scheme", "in", "name", "bearerFormat", "openIdConnectUrl", "flows")
_EMPTY: Final[Mapping[str, Any]] = {}


def compare_documents(base: Node, live: Node) -> list[Change]:
    """Every contract difference between ``base`` (pinned) and ``live``, rated for a client."""
    directions = component_directions(base)
    for ref, found in component_directions(live).items():
        directions[ref] = directions.get(ref, frozenset()) | found
    comparison = _Comparison(base, live, directions)
    comparison.servers()
    comparison.security()
    comparison.paths()
    comparison.components()
    return comparison.changes


# --- which way components travel ------------------------------------------------------------------


def component_directions(doc: Node) -> dict[str, frozenset[str]]:
    """``#/components/...`` pointer -> the directions (request, response) it is used in."""
    found: dict[str, set[str]] = {}
    queue: deque[tuple[str, str]] = deque()
    for _, _, item, operation in _operations(doc):
        for param in [*_list(item.get("parameters")), *_list(operation.get("parameters"))]:
            queue.extend((ref, REQUEST) for ref in _refs(param))
        queue.extend((ref, REQUEST) for ref in _refs(operation.get("requestBody")))
        queue.extend((ref, RESPONSE) for ref in _refs(operation.get("responses")))
    while queue:  # bounded: each (component, direction) pair is expanded at most once
        ref, direction = queue.popleft()
        seen = found.setdefault(ref, set())
        if direction in seen:
            continue
        seen.add(direction)
        queue.extend((inner, direction) for inner in _refs(_resolve(doc, ref)))
    return {ref: frozenset(directions) for ref, directions in found.items()}


def _refs(node: Any) -> Iterator[str]:
    stack = [node]
    while stack:
        current = stack.pop()
        if isinstance(current, dict):
            ref = current.get("$ref")
            if isinstance(ref, str) and ref.startswith("#/"):
                yield ref
            stack.extend(current.values())
        elif isinstance(current, list):
            stack.extend(current)


def _resolve(doc: Node, ref: str) -> Any:
    found = resolve(doc, ref)
    return None if found is MISSING else found


# --- the comparison ------------------------------------------------------------------------------


@dataclass(frozen=True)
class _Side:
    """A parameter, body or response where it is used (``at``), with a ``$ref`` to a component resolved."""

    node: Node
    at: str
    ref: str | None = None


class _Comparison:
    def __init__(self, base: Node, live: Node, directions: dict[str, frozenset[str]]) -> None:
        self.base = base
        self.live = live
        self.directions = directions
        self.changes: list[Change] = []

    def add(self, cls: str, severity: Severity, location: str, message: str) -> None:
        self.changes.append(Change(cls, severity, location, message, "pipeline"))

    # servers and security

    def servers(self) -> None:
        base_urls = [_server_key(server) for server in _list(self.base.get("servers"))]
        live_urls = [_server_key(server) for server in _list(self.live.get("servers"))]
        for index, key in enumerate(base_urls):
            if key not in live_urls:
                self.add(
                    "servers-changed", BREAKING, pointer("servers", index), f"Server `{key[0]}` was removed."
                )
        for index, key in enumerate(live_urls):
            if key not in base_urls:
                self.add(
                    "servers-changed",
                    NON_BREAKING,
                    pointer("servers", index),
                    f"Server `{key[0]}` was added.",
                )

    def security(self) -> None:
        base_global, live_global = self.base.get("security"), self.live.get("security")
        if _requirements(base_global) != _requirements(live_global):
            self.add(
                "security-changed",
                BREAKING,
                pointer("security"),
                f"Global security changed from {_show_security(base_global)} to {_show_security(live_global)}.",
            )
        base_schemes = _dict(_dict(self.base.get("components")).get("securitySchemes"))
        live_schemes = _dict(_dict(self.live.get("components")).get("securitySchemes"))
        for name, scheme in base_schemes.items():
            at = pointer("components", "securitySchemes", name)
            if name not in live_schemes:
                self.add("security-changed", BREAKING, at, f"Security scheme `{name}` was removed.")
                continue
            other = _dict(live_schemes[name])
            for key in SCHEME_FIELDS:
                old, new = _dict(scheme).get(key), other.get(key)
                if old != new:
                    self.add(
                        "security-changed",
                        BREAKING,
                        child(at, key),
                        f"`{key}` of security scheme `{name}` changed from {_show(old)} to {_show(new)}.",
                    )
        for name in live_schemes:
            if name not in base_schemes:
                at = pointer("components", "securitySchemes", name)
                self.add("security-scheme-added", NON_BREAKING, at, f"Security scheme `{name}` was added.")

    # paths and operations

    def paths(self) -> None:
        base_paths, live_paths = _dict(self.base.get("paths")), _dict(self.live.get("paths"))
        for path, item in base_paths.items():
            if path not in live_paths:
                self.add("path-removed", BREAKING, pointer("paths", path), f"Path `{path}` was removed.")
                continue
            self.path_item(path, _dict(item), _dict(live_paths[path]))
        for path in live_paths:
            if path not in base_paths:
                self.add("path-added", NON_BREAKING, pointer("paths", path), f"Path `{path}` was added.")

    def path_item(self, path: str, base_item: Node, live_item: Node) -> None:
        for method in HTTP_METHODS:
            name = f"{method.upper()} {path}"
            at = pointer("paths", path, method)
            if method in base_item and method not in live_item:
                self.add("operation-removed", BREAKING, at, f"Operation `{name}` was removed.")
            elif method in live_item and method not in base_item:
                self.add("operation-added", NON_BREAKING, at, f"Operation `{name}` was added.")
            elif method in base_item:
                self.operation(path, method, base_item, live_item)

    def operation(self, path: str, method: str, base_item: Node, live_item: Node) -> None:
        name = f"{method.upper()} {path}"
        at = pointer("paths", path, method)
        base_op, live_op = _dict(base_item[method]), _dict(live_item[method])
        if base_op.get("operationId") != live_op.get("operationId"):
            self.add(
                "operation-id-changed",
                BREAKING,
                child(at, "operationId"),
                f"operationId of `{name}` changed from {_show(base_op.get('operationId'))} to "
                f"{_show(live_op.get('operationId'))} (the Python function is renamed).",
            )
        if ("security" in base_op or "security" in live_op) and _requirements(
            base_op.get("security", self.base.get("security"))
        ) != _requirements(live_op.get("security", self.live.get("security"))):
            self.add("security-changed", BREAKING, child(at, "security"), f"Security of `{name}` changed.")
        self.parameters(name, path, method, base_item, live_item)
        self.request_body(name, at, base_op, live_op)
        self.responses(name, at, base_op, live_op)

    def parameters(self, name: str, path: str, method: str, base_item: Node, live_item: Node) -> None:
        base_params = _effective_parameters(self.base, path, method, base_item)
        live_params = _effective_parameters(self.live, path, method, live_item)
        for key, side in base_params.items():
            label = f"`{key[1]}` {key[0]} parameter of `{name}`"
            if key not in live_params:
                self.add("parameter-removed", BREAKING, side.at, f"The {label} was removed.")
                continue
            self.parameter(label, side, live_params[key])
        for key, side in live_params.items():
            if key in base_params:
                continue
            label = f"`{key[1]}` {key[0]} parameter"
            if side.node.get("required") is True:
                message = f"Required {label} was added to `{name}`."
                self.add("parameter-became-required", BREAKING, child(side.at, "required"), message)
            else:
                self.add("parameter-added", NON_BREAKING, side.at, f"Optional {label} was added to `{name}`.")

    def parameter(self, label: str, base: _Side, live: _Side) -> None:
        if base.ref is not None and base.ref == live.ref:
            return  # compared once under #/components/parameters
        self.parameter_fields(label, base.node, live.node, base.ref or base.at, live.ref or live.at)

    def parameter_fields(self, label: str, base: Node, live: Node, base_at: str, live_at: str) -> None:
        was, now = base.get("required") is True, live.get("required") is True
        if now and not was:
            self.add(
                "parameter-became-required",
                BREAKING,
                child(live_at, "required"),
                f"The {label} became required.",
            )
        elif was and not now:
            message = f"The {label} is no longer required."
            self.add("parameter-no-longer-required", NON_BREAKING, child(live_at, "required"), message)
        for key in ("in", *SERIALIZATION):
            if base.get(key) != live.get(key):
                self.add(
                    "parameter-serialization-changed",
                    BREAKING,
                    child(live_at, key),
                    f"`{key}` of the {label} changed from {_show(base.get(key))} to {_show(live.get(key))}.",
                )
        self.schema(
            base.get("schema"),
            live.get("schema"),
            child(base_at, "schema"),
            child(live_at, "schema"),
            frozenset({REQUEST}),
            f"the {label}",
        )

    def request_body(self, name: str, at: str, base_op: Node, live_op: Node) -> None:
        base_body = _side(self.base, base_op.get("requestBody"), child(at, "requestBody"))
        live_body = _side(self.live, live_op.get("requestBody"), child(at, "requestBody"))
        if base_body is None and live_body is None:
            return
        if live_body is None:
            assert base_body is not None
            self.add(
                "request-body-removed", BREAKING, base_body.at, f"The request body of `{name}` was removed."
            )
            return
        if base_body is None:
            if live_body.node.get("required") is True:
                message = f"`{name}` now requires a request body."
                self.add("request-body-became-required", BREAKING, child(live_body.at, "required"), message)
            else:
                self.add(
                    "request-body-added", NON_BREAKING, live_body.at, f"`{name}` now takes a request body."
                )
            return
        if base_body.ref is not None and base_body.ref == live_body.ref:
            return
        self.body_fields(
            f"the request body of `{name}`",
            base_body.node,
            live_body.node,
            base_body.ref or base_body.at,
            live_body.ref or live_body.at,
        )

    def body_fields(self, label: str, base: Node, live: Node, base_at: str, live_at: str) -> None:
        if live.get("required") is True and base.get("required") is not True:
            self.add(
                "request-body-became-required",
                BREAKING,
                child(live_at, "required"),
                f"{_cap(label)} became required.",
            )
        self.content(label, base, live, base_at, live_at, frozenset({REQUEST}))

    def responses(self, name: str, at: str, base_op: Node, live_op: Node) -> None:
        base_responses, live_responses = _dict(base_op.get("responses")), _dict(live_op.get("responses"))
        for status, response in base_responses.items():
            base_side = _side(self.base, response, child(at, "responses", status))
            label = f"the `{status}` response of `{name}`"
            if status not in live_responses:
                self.add(
                    "response-removed",
                    BREAKING,
                    child(at, "responses", status),
                    f"{_cap(label)} was removed.",
                )
                continue
            live_side = _side(self.live, live_responses[status], child(at, "responses", status))
            if (
                base_side is None
                or live_side is None
                or (base_side.ref is not None and base_side.ref == live_side.ref)
            ):
                continue
            self.response_fields(
                label,
                base_side.node,
                live_side.node,
                base_side.ref or base_side.at,
                live_side.ref or live_side.at,
            )
        for status in live_responses:
            if status not in base_responses:
                message = f"A `{status}` response was added to `{name}`."
                self.add("response-added", NON_BREAKING, child(at, "responses", status), message)

    def response_fields(self, label: str, base: Node, live: Node, base_at: str, live_at: str) -> None:
        self.content(label, base, live, base_at, live_at, frozenset({RESPONSE}))
        base_headers, live_headers = _dict(base.get("headers")), _dict(live.get("headers"))
        for header, value in base_headers.items():
            header_at = child(base_at, "headers", header)
            if header not in live_headers:
                self.add(
                    "response-header-removed",
                    BREAKING,
                    header_at,
                    f"Header `{header}` of {label} was removed.",
                )
                continue
            self.schema(
                _dict(value).get("schema"),
                _dict(live_headers[header]).get("schema"),
                child(header_at, "schema"),
                child(live_at, "headers", header, "schema"),
                frozenset({RESPONSE}),
                f"header `{header}` of {label}",
            )

    def content(
        self, label: str, base: Node, live: Node, base_at: str, live_at: str, directions: frozenset[str]
    ) -> None:
        base_content, live_content = _dict(base.get("content")), _dict(live.get("content"))
        for media, media_object in base_content.items():
            if media not in live_content:
                message = f"Media type `{media}` of {label} was removed."
                self.add("media-type-removed", BREAKING, child(base_at, "content", media), message)
                continue
            self.schema(
                _dict(media_object).get("schema"),
                _dict(live_content[media]).get("schema"),
                child(base_at, "content", media, "schema"),
                child(live_at, "content", media, "schema"),
                directions,
                label,
            )
        for media in live_content:
            if media not in base_content:
                message = f"Media type `{media}` was added to {label}."
                self.add("media-type-added", NON_BREAKING, child(live_at, "content", media), message)

    # schemas

    def schema(
        self, base: Any, live: Any, base_at: str, live_at: str, directions: frozenset[str], label: str
    ) -> None:
        if base is None and live is None:
            return
        if not isinstance(base, dict) or not isinstance(live, dict):
            if base != live:
                message = f"Type of {label} changed from {_describe(base)} to {_describe(live)}."
                self.add("type-changed", BREAKING, live_at if live is not None else base_at, message)
            return
        base_ref, live_ref = base.get("$ref"), live.get("$ref")
        if base_ref is not None or live_ref is not None:
            if base_ref != live_ref:
                message = f"Type of {label} changed from {_describe(base)} to {_describe(live)}."
                self.add("type-changed", BREAKING, live_at, message)
            return
        base_types, live_types = _types(base), _types(live)
        if base_types != live_types:
            message = f"Type of {label} changed from {_show_types(base_types)} to {_show_types(live_types)}."
            self.add("type-changed", BREAKING, child(live_at, "type"), message)
        if base.get("format") != live.get("format"):
            message = f"`format` of {label} changed from {_show(base.get('format'))} to {_show(live.get('format'))}."
            self.add(
                "format-changed", BREAKING, child(live_at if "format" in live else base_at, "format"), message
            )
        self.enum(base, live, base_at, live_at, directions, label)
        self.properties(base, live, base_at, live_at, directions, label)
        for key in ("items", "additionalProperties"):
            if isinstance(base.get(key), dict) and isinstance(live.get(key), dict):
                self.schema(
                    base[key],
                    live[key],
                    child(base_at, key),
                    child(live_at, key),
                    directions,
                    f"the {'items' if key == 'items' else 'values'} of {label}",
                )
        for key in COMBINATORS:
            base_list, live_list = _list(base.get(key)), _list(live.get(key))
            if len(base_list) != len(live_list):
                message = f"`{key}` of {label} changed from {len(base_list)} to {len(live_list)} subschemas."
                self.add(
                    "combinator-changed", BREAKING, child(live_at if key in live else base_at, key), message
                )
                continue
            for index, (old, new) in enumerate(zip(base_list, live_list, strict=True)):
                self.schema(
                    old,
                    new,
                    child(base_at, key, index),
                    child(live_at, key, index),
                    directions,
                    f"{label} (`{key}` #{index})",
                )

    def enum(
        self, base: Node, live: Node, base_at: str, live_at: str, directions: frozenset[str], label: str
    ) -> None:
        if "enum" not in base and "enum" not in live:
            return
        if "enum" not in base:
            values = ", ".join(_show(value) for value in _list(live["enum"]))
            self.add(
                "enum-values-removed",
                BREAKING,
                child(live_at, "enum"),
                f"{_cap(label)} was restricted to {values}.",
            )
            return
        if "enum" not in live:
            self.add(
                "enum-values-added", BREAKING, child(base_at, "enum"), f"{_cap(label)} is no longer an enum."
            )
            return
        old, new = _list(base["enum"]), _list(live["enum"])
        removed = [value for value in old if value not in new]
        added = [value for value in new if value not in old]
        if removed:
            shown = ", ".join(_show(value) for value in removed)
            self.add(
                "enum-values-removed",
                BREAKING,
                child(live_at, "enum"),
                f"Enum of {label} lost values: {shown}.",
            )
        if added:
            shown = ", ".join(_show(value) for value in added)
            severity: Severity = BREAKING if RESPONSE in directions else NON_BREAKING
            where = "" if severity == BREAKING else " (only sent, never read)"
            self.add(
                "enum-values-added",
                severity,
                child(live_at, "enum"),
                f"Enum of {label} gained values: {shown}{where}.",
            )

    def properties(
        self, base: Node, live: Node, base_at: str, live_at: str, directions: frozenset[str], label: str
    ) -> None:
        base_props, live_props = _dict(base.get("properties")), _dict(live.get("properties"))
        for name, schema in base_props.items():
            at = child(base_at, "properties", name)
            if name not in live_props:
                self.add("property-removed", BREAKING, at, f"Property `{name}` of {label} was removed.")
                continue
            self.schema(
                schema,
                live_props[name],
                at,
                child(live_at, "properties", name),
                directions,
                f"`{name}` of {label}",
            )
        for name in live_props:
            if name not in base_props:
                message = f"Property `{name}` was added to {label}."
                self.add("property-added", NON_BREAKING, child(live_at, "properties", name), message)
        base_required = [name for name in _list(base.get("required")) if isinstance(name, str)]
        live_required = [name for name in _list(live.get("required")) if isinstance(name, str)]
        became = [name for name in live_required if name not in base_required]
        dropped = [name for name in base_required if name not in live_required and name in live_props]
        if became:
            severity: Severity = BREAKING if REQUEST in directions else NON_BREAKING
            message = f"Properties of {label} became required: {_names(became)}."
            self.add("property-became-required", severity, child(live_at, "required"), message)
        if dropped:
            severity = BREAKING if RESPONSE in directions else NON_BREAKING
            message = f"Properties of {label} are no longer required: {_names(dropped)}."
            self.add("property-no-longer-required", severity, child(live_at, "required"), message)

    # components compared once

    def components(self) -> None:
        base_components = _dict(self.base.get("components"))
        live_components = _dict(self.live.get("components"))
        base_schemas, live_schemas = (
            _dict(base_components.get("schemas")),
            _dict(live_components.get("schemas")),
        )
        for name, schema in base_schemas.items():
            at = pointer("components", "schemas", name)
            if name not in live_schemas:
                self.add(
                    "schema-removed", BREAKING, at, f"Schema `{name}` was removed (its Python model goes)."
                )
                continue
            self.schema(schema, live_schemas[name], at, at, self.directions.get(at) or BOTH, f"`{name}`")
        for name in live_schemas:
            if name not in base_schemas:
                self.add(
                    "schema-added",
                    NON_BREAKING,
                    pointer("components", "schemas", name),
                    f"Schema `{name}` was added.",
                )
        for kind, compare in (
            ("parameters", self.parameter_fields),
            ("requestBodies", self.body_fields),
            ("responses", self.response_fields),
        ):
            base_kind, live_kind = _dict(base_components.get(kind)), _dict(live_components.get(kind))
            for name in base_kind.keys() & live_kind.keys():
                at = pointer("components", kind, name)
                compare(
                    f"`{name}` (components.{kind})", _dict(base_kind[name]), _dict(live_kind[name]), at, at
                )


def _side(doc: Node, node: Any, at: str) -> _Side | None:
    """A parameter, body or response with a ``$ref`` to a component resolved (pointer: the component's)."""
    if not isinstance(node, dict):
        return None
    ref = node.get("$ref")
    if isinstance(ref, str) and ref.startswith("#/"):
        target = _resolve(doc, ref)
        return _Side(target, at, ref) if isinstance(target, dict) else None
    return _Side(node, at)


def _effective_parameters(doc: Node, path: str, method: str, item: Node) -> dict[tuple[str, str], _Side]:
    """(in, name) -> parameter; operation-level parameters override path-level ones."""
    params: dict[tuple[str, str], _Side] = {}
    for level in (("paths", path), ("paths", path, method)):
        owner = item if len(level) == 2 else _dict(item.get(method))
        for index, param in enumerate(_list(owner.get("parameters"))):
            at = pointer(*level, "parameters", index)
            side = _side(doc, param, at)
            if side is None:
                continue
            location, name = str(side.node.get("in", "?")), str(side.node.get("name", "?"))
            params[(location, name.lower() if location == "header" else name)] = side
    return params


# --- small helpers -------------------------------------------------------------------------------


def _operations(doc: Node) -> Iterator[tuple[str, str, Node, Node]]:
    for path, item in _dict(doc.get("paths")).items():
        for method in HTTP_METHODS:
            operation = _dict(item).get(method) if isinstance(item, dict) else None
            if isinstance(operation, dict):
                yield path, method, item, operation


def _dict(value: Any) -> Mapping[str, Any]:
    return value if isinstance(value, dict) else _EMPTY


def _list(value: Any) -> list[Any]:
    return value if isinstance(value, list) else []


def _types(schema: Node) -> frozenset[str]:
    declared = schema.get("type")
    types = {declared} if isinstance(declared, str) else {t for t in _list(declared) if isinstance(t, str)}
    if schema.get("nullable") is True:
        types.add("null")
    return frozenset(types)


def _show_types(types: frozenset[str]) -> str:
    return "'" + " | ".join(sorted(types)) + "'" if types else "'any'"


def _describe(schema: Any) -> str:
    if not isinstance(schema, dict):
        return _show(schema)
    ref = schema.get("$ref")
    if isinstance(ref, str):
        return f"`{ref.rsplit('/', 1)[-1]}`"
    for key in COMBINATORS:
        if key in schema:
            return f"{key}[{', '.join(_describe(item) for item in _list(schema[key]))}]"
    return _show_types(_types(schema))


def _server_key(server: Any) -> tuple[str, str]:
    node = _dict(server)
    return str(node.get("url", "?")), _canonical(node.get("variables"))


def _requirements(security: Any) -> frozenset[tuple[tuple[str, tuple[str, ...]], ...]]:
    return frozenset(
        tuple(
            sorted((str(name), tuple(sorted(map(str, _list(scopes))))) for name, scopes in _dict(req).items())
        )
        for req in _list(security)
    )


def _show_security(security: Any) -> str:
    if security is None:
        return "none declared"
    alternatives = [" + ".join(sorted(_dict(req))) or "anonymous" for req in _list(security)]
    return "[" + " | ".join(alternatives) + "]"


def _canonical(value: Any) -> str:
    return json.dumps(value, sort_keys=True, ensure_ascii=False)


def _show(value: Any) -> str:
    return "(none)" if value is None else f"`{value}`" if isinstance(value, str) else f"`{json.dumps(value)}`"


def _names(names: list[str]) -> str:
    return ", ".join(f"`{name}`" for name in names)


def _cap(text: str) -> str:
    return text[:1].upper() + text[1:]
