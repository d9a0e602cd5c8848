"""The pipeline's comparison of two normalized OpenAPI 3.x documents, rated for a client by drift_rules.

It walks servers, security, paths and operations (parameters, bodies, responses, headers), following
``$ref``s into components so that every schema change is seen where it travels: in a request (the
client sends it) or in a response (the client reads it). Each finding names a rule of
`drift_rules.RULES` (oasdiff's rule ID where one matches), whose level depends on that direction: a
request accepting more and a response promising more do not break, the opposite directions do.
A component shared by many operations yields a finding per operation using it (as oasdiff reports).
"""

from __future__ import annotations

import json
from collections.abc import Iterator, Mapping
from dataclasses import replace
from typing import Any, Final

from .drift_changes import MISSING, Change, child, pointer, resolve
from .drift_rules import BOUNDS, KEYWORDS

Node = Mapping[str, Any]

HTTP_METHODS: Final = ("get", "put", "post", "delete", "options", "head", "patch", "trace")
COMBINATORS: Final = {"anyOf": "any-of", "oneOf": "one-of", "allOf": "all-of"}
SERIALIZATION: Final = ("in", "style", "explode", "allowReserved")
# media types the generated client sends (request) and reads (response); others it never uses
_SENT_MEDIA: Final = ("multipart/form-data", "application/x-www-form-urlencoded", "application/octet-stream")
_SCHEMA_VALUED: Final = frozenset(
    {"contains", "if", "then", "else", "not", "propertyNames", "unevaluatedItems", "unevaluatedProperties",
     "contentSchema", "dependentSchemas", "patternProperties"}
)  # fmt: skip
_EMPTY: Final[Mapping[str, Any]] = {}
_MAX_DEPTH: Final = 40


def compare_documents(
    base: Node, live: Node, left_out: Mapping[tuple[str, str], str] | None = None
) -> list[Change]:
    """Every contract difference between ``base`` (pinned) and ``live``, rated for a client.

    ``left_out``: (METHOD, path) -> reason, for operations generation leaves out of the client; their
    changes are reported like any other, their messages saying that they are left out."""
    comparison = _Comparison(base, live, left_out or {})
    comparison.servers()
    comparison.security()
    comparison.paths()
    comparison.webhooks()
    comparison.components()
    return comparison.changes


def is_json_media(media: str) -> bool:
    kind = media.split(";", 1)[0].strip().lower()
    return kind == "application/json" or kind.endswith("+json") or kind == "*/*"


class _Comparison:
    def __init__(self, base: Node, live: Node, left_out: Mapping[tuple[str, str], str]) -> None:
        self.base = base
        self.live = live
        self.left_out = left_out
        self.changes: list[Change] = []
        self.via: set[str] = set()  # components followed through $ref in the current operation
        self.renamed: dict[str, str] = {}  # old path -> new path, for paths whose parameters were renamed
        self.note = ""  # appended to messages about an operation left out of the client

    def add(self, rule_id: str, location: str, message: str) -> None:
        change = Change.of(rule_id, location, message + self.note)
        # components reached through $ref on the way: the safety net (drift_other) counts them explained
        self.changes.append(replace(change, covers=tuple(sorted(self.via))))

    # servers and security

    def servers(self) -> None:
        old, new = _server_urls(self.base), _server_urls(self.live)
        if old != new:
            self.add(
                "servers-changed",
                pointer("servers"),
                f"Servers changed from {_show_list(old)} to {_show_list(new)} (the client never reads them).",
            )

    def security(self) -> None:
        self.requirements(self.base.get("security"), self.live.get("security"), pointer("security"), None)
        old_schemes = _dict(_dict(self.base.get("components")).get("securitySchemes"))
        new_schemes = _dict(_dict(self.live.get("components")).get("securitySchemes"))
        for name in old_schemes.keys() | new_schemes.keys():
            at = pointer("components", "securitySchemes", name)
            old, new = old_schemes.get(name), new_schemes.get(name)
            if new is None:
                self.add("api-security-component-removed", at, f"Security scheme `{name}` was removed.")
            elif old is None:
                self.add("api-security-component-added", at, f"Security scheme `{name}` was added.")
            else:
                self.scheme(name, at, _dict(old), _dict(new))

    def scheme(self, name: str, at: str, old: Node, new: Node) -> None:
        if _credential(old) != _credential(new):
            self.add(
                "api-security-component-credentials-changed",
                at,
                f"Security scheme `{name}` changed from {_show_scheme(old)} to {_show_scheme(new)}: "
                "the credential travels another way.",
            )
        elif (old.get("type"), old.get("scheme")) != (new.get("type"), new.get("scheme")):
            self.add(
                "api-security-component-type-changed",
                at,
                f"Security scheme `{name}` changed from {_show_scheme(old)} to {_show_scheme(new)} "
                "(the client sends the same credential).",
            )
        old_flows, new_flows = _dict(old.get("flows")), _dict(new.get("flows"))
        for flow in old_flows.keys() & new_flows.keys():
            before, after = _dict(old_flows[flow]), _dict(new_flows[flow])
            for key, rule_id in (
                ("authorizationUrl", "api-security-component-oauth-url-changed"),
                ("tokenUrl", "api-security-component-oauth-token-url-changed"),
            ):
                if before.get(key) != after.get(key):
                    message = f"`{key}` of the {flow} flow of `{name}`: {_show(before.get(key))} -> {_show(after.get(key))}."
                    self.add(rule_id, child(at, "flows", flow, key), message)
            old_scopes, new_scopes = set(_dict(before.get("scopes"))), set(_dict(after.get("scopes")))
            for scope in sorted(old_scopes - new_scopes):
                message = f"Scope `{scope}` was removed from the {flow} flow of `{name}`."
                self.add("api-security-component-oauth-scope-removed", child(at, "flows", flow), message)
            for scope in sorted(new_scopes - old_scopes):
                message = f"Scope `{scope}` was added to the {flow} flow of `{name}`."
                self.add("api-security-component-oauth-scope-added", child(at, "flows", flow), message)

    def requirements(self, old: Any, new: Any, at: str, operation: str | None) -> None:
        """Security requirements: each alternative (a set of scheme names) and its scopes."""
        scope_kind = "api-security-scope" if operation else "api-global-security-scope"
        kind = "api-security" if operation else "api-global-security"
        where = f"`{operation}`" if operation else "the API"
        old_map, new_map = _alternatives(old), _alternatives(new)
        change = f" (security: {_show_security(old_map)} -> {_show_security(new_map)})"
        for names, scopes in old_map.items():
            if names not in new_map:
                message = f"Security {_show_alt(names, scopes)} was removed from {where}{change}."
                self.add(f"{kind}-removed", at, message)
                continue
            for scheme, scope in sorted(scopes - new_map[names]):
                message = f"Scope `{scope}` of `{scheme}` was removed from the security of {where}{change}."
                self.add(f"{scope_kind}-removed", at, message)
            for scheme, scope in sorted(new_map[names] - scopes):
                message = f"Scope `{scope}` of `{scheme}` was added to the security of {where}{change}."
                self.add(f"{scope_kind}-added", at, message)
        for names, scopes in new_map.items():
            if names not in old_map:
                message = f"Security {_show_alt(names, scopes)} was added to {where}{change}."
                self.add(f"{kind}-added", at, message)

    # paths and operations

    def paths(self) -> None:
        old_paths, new_paths = _dict(self.base.get("paths")), _dict(self.live.get("paths"))
        # a path whose parameters were only renamed is the same route: compare it under its old name
        old_shapes = {_shape(path): path for path in old_paths}
        renamed = {
            old_shapes[_shape(path)]: path
            for path in new_paths
            if path not in old_paths and old_shapes.get(_shape(path)) not in (None, *new_paths)
        }
        self.renamed = renamed
        new_paths = {
            **{path: item for path, item in new_paths.items() if path not in renamed.values()},
            **{old: new_paths[new] for old, new in renamed.items()},
        }
        for path, item in old_paths.items():
            if path not in new_paths:
                methods = [m for m in HTTP_METHODS if m in _dict(item)]
                self.note = self.left_out_note(path, methods)
                deprecated = bool(methods) and all(_dict(_dict(item)[m]).get("deprecated") for m in methods)
                rule_id = f"api-path-removed-{'with' if deprecated else 'without'}-deprecation"
                self.add(rule_id, pointer("paths", path), f"Path `{path}` was removed.")
                continue
            self.path_item(path, _dict(item), _dict(new_paths[path]))
        for path, item in new_paths.items():
            if path not in old_paths:
                for method in HTTP_METHODS:
                    if method in _dict(item):
                        self.note = self.left_out_note(path, [method])
                        at = pointer("paths", path, method)
                        self.add("endpoint-added", at, f"Operation `{method.upper()} {path}` was added.")
        self.note = ""

    def left_out_note(self, path: str, methods: list[str]) -> str:
        reasons = [self.left_out[(m.upper(), path)] for m in methods if (m.upper(), path) in self.left_out]
        return f" (left out of the generated client: {reasons[0]})" if reasons else ""

    def path_item(self, path: str, old_item: Node, new_item: Node) -> None:
        for method in HTTP_METHODS:
            name = f"{method.upper()} {path}"
            at = pointer("paths", path, method)
            self.note = self.left_out_note(path, [method])
            if method in old_item and method not in new_item:
                deprecated = bool(_dict(old_item[method]).get("deprecated"))
                rule_id = f"api-removed-{'with' if deprecated else 'without'}-deprecation"
                self.add(rule_id, at, f"Operation `{name}` was removed.")
            elif method in new_item and method not in old_item:
                self.add("endpoint-added", at, f"Operation `{name}` was added.")
            elif method in old_item:
                self.operation(path, method, old_item, new_item)

    def operation(self, path: str, method: str, old_item: Node, new_item: Node) -> None:
        name = f"{method.upper()} {path}"
        at = pointer("paths", path, method)
        self.via = set()
        old_op, new_op = _dict(old_item[method]), _dict(new_item[method])
        old_id, new_id = old_op.get("operationId"), new_op.get("operationId")
        if old_id != new_id:
            rule_id = (
                "api-operation-id-added"
                if old_id is None
                else "api-operation-id-removed"
                if new_id is None
                else "api-operation-id-changed"
            )
            self.add(
                rule_id,
                child(at, "operationId"),
                f"operationId of `{name}`: {_show(old_id)} -> {_show(new_id)}.",
            )
        if not old_op.get("deprecated") and new_op.get("deprecated"):
            self.add("endpoint-deprecated", child(at, "deprecated"), f"`{name}` was deprecated.")
        elif old_op.get("deprecated") and not new_op.get("deprecated"):
            self.add("endpoint-reactivated", child(at, "deprecated"), f"`{name}` is no longer deprecated.")
        old_security = old_op.get("security", self.base.get("security"))
        new_security = new_op.get("security", self.live.get("security"))
        if ("security" in old_op or "security" in new_op) and _alternatives(old_security) != _alternatives(
            new_security
        ):
            self.requirements(old_security, new_security, child(at, "security"), name)
        self.parameters(name, path, method, old_item, new_item)
        self.request_body(name, at, old_op, new_op)
        self.responses(name, at, old_op, new_op)

    def parameters(self, name: str, path: str, method: str, old_item: Node, new_item: Node) -> None:
        for item in (old_item, new_item):
            for owner in (item, _dict(item.get(method))):
                self.via.update(_ref_of(param) for param in _list(owner.get("parameters")) if _ref_of(param))
        old_params = _parameters(self.base, path, method, old_item)
        new_params = _parameters(self.live, self.renamed.get(path, path), method, new_item)
        for key, (old, at) in old_params.items():
            label = f"`{key[1]}` {key[0]} parameter of `{name}`"
            if key not in new_params:
                self.add("request-parameter-removed", at, f"The {label} was removed.")
                continue
            new, new_at = new_params[key]
            self.parameter(label, old, new, new_at)
        for key, (new, at) in new_params.items():
            if key in old_params:
                continue
            label = f"`{key[1]}` {key[0]} parameter"
            if key[0] == "path":
                self.add(
                    "new-request-path-parameter", at, f"Path parameter `{key[1]}` was added to `{name}`."
                )
            elif new.get("required") is True:
                self.add("new-required-request-parameter", at, f"Required {label} was added to `{name}`.")
            else:
                self.add("new-optional-request-parameter", at, f"Optional {label} was added to `{name}`.")

    def parameter(self, label: str, old: Node, new: Node, at: str) -> None:
        was, now = old.get("required") is True, new.get("required") is True
        if now and not was:
            self.add(
                "request-parameter-became-required", child(at, "required"), f"The {label} became required."
            )
        elif was and not now:
            self.add(
                "request-parameter-became-optional", child(at, "required"), f"The {label} became optional."
            )
        for key in SERIALIZATION:
            if old.get(key) != new.get(key):
                message = f"`{key}` of the {label}: {_show(old.get(key))} -> {_show(new.get(key))}."
                self.add("request-parameter-serialization-changed", child(at, key), message)
        old_schema, new_schema = (
            self.deref(self.base, old.get("schema")),
            self.deref(self.live, new.get("schema")),
        )
        if new.get("in") != "path" and _scalar_to_array(_dict(old_schema), _dict(new_schema)):
            message = f"The {label} became an array of {_show_type(_dict(_dict(new_schema).get('items')))}."
            self.add("request-parameter-type-generalized", child(at, "schema", "type"), message)
            return
        self.schema(
            old.get("schema"), new.get("schema"), child(at, "schema"), "request", "parameter", f"the {label}"
        )

    def request_body(self, name: str, at: str, old_op: Node, new_op: Node) -> None:
        old = self.deref(self.base, old_op.get("requestBody"))
        new = self.deref(self.live, new_op.get("requestBody"))
        body_at = child(at, "requestBody")
        if old is None and new is None:
            return
        if new is None:
            self.add("request-body-removed", body_at, f"The request body of `{name}` was removed.")
            return
        if old is None:
            required = new.get("required") is True
            rule_id = "request-body-added-required" if required else "request-body-added-optional"
            self.add(
                rule_id,
                body_at,
                f"`{name}` now takes a{' required' if required else 'n optional'} request body.",
            )
            return
        label = f"the request body of `{name}`"
        if new.get("required") is True and old.get("required") is not True:
            self.add(
                "request-body-became-required", child(body_at, "required"), f"{_cap(label)} became required."
            )
        elif old.get("required") is True and new.get("required") is not True:
            self.add(
                "request-body-became-optional", child(body_at, "required"), f"{_cap(label)} became optional."
            )
        self.content(label, old, new, body_at, "request")

    def responses(self, name: str, at: str, old_op: Node, new_op: Node) -> None:
        old_responses, new_responses = _dict(old_op.get("responses")), _dict(new_op.get("responses"))
        for status, response in old_responses.items():
            status_at = child(at, "responses", status)
            label = f"the `{status}` response of `{name}`"
            success = str(status).startswith("2")
            if status not in new_responses:
                rule_id = (
                    "response-success-status-removed" if success else "response-non-success-status-removed"
                )
                self.add(rule_id, status_at, f"{_cap(label)} was removed.")
                continue
            old, new = self.deref(self.base, response), self.deref(self.live, new_responses[status])
            if old is None or new is None:
                continue
            self.content(label, old, new, status_at, "response")
            self.headers(label, old, new, status_at)
        for status in new_responses:
            if status not in old_responses:
                success = str(status).startswith("2")
                rule_id = "response-success-status-added" if success else "response-non-success-status-added"
                self.add(
                    rule_id, child(at, "responses", status), f"A `{status}` response was added to `{name}`."
                )

    def headers(self, label: str, old: Node, new: Node, at: str) -> None:
        old_headers, new_headers = _lower_keys(old.get("headers")), _lower_keys(new.get("headers"))
        for key, (header, value) in old_headers.items():
            header_at = child(at, "headers", header)
            old_header = _dict(self.deref(self.base, value))
            required = old_header.get("required") is True
            if key not in new_headers:
                rule_id = (
                    "required-response-header-removed" if required else "optional-response-header-removed"
                )
                self.add(rule_id, header_at, f"Header `{header}` of {label} was removed.")
                continue
            new_header = _dict(self.deref(self.live, new_headers[key][1]))
            now = new_header.get("required") is True
            if required and not now:
                message = f"Header `{header}` of {label} became optional (required: true -> false)."
                self.add("response-header-became-optional", child(header_at, "required"), message)
            elif now and not required:
                message = f"Header `{header}` of {label} became required (required: false -> true)."
                self.add("response-header-became-required", child(header_at, "required"), message)
            self.schema(
                old_header.get("schema"),
                new_header.get("schema"),
                child(header_at, "schema"),
                "response",
                "header",
                f"header `{header}` of {label}",
            )
        for key, (header, _) in new_headers.items():
            if key not in old_headers:
                self.add(
                    "response-header-added",
                    child(at, "headers", header),
                    f"Header `{header}` was added to {label}.",
                )

    def content(self, label: str, old: Node, new: Node, at: str, direction: str) -> None:
        old_content, new_content = _dict(old.get("content")), _dict(new.get("content"))
        for media, media_object in old_content.items():
            media_at = child(at, "content", media)
            if media not in new_content:
                used = is_json_media(media) or (direction == "request" and media.lower() in _SENT_MEDIA)
                rule_id = (
                    "request-body-media-type-removed"
                    if direction == "request"
                    else "response-media-type-removed"
                )
                if not used:
                    rule_id += "-unused"
                self.add(rule_id, media_at, f"Media type `{media}` of {label} was removed.")
                continue
            if direction == "response" and not is_json_media(media):
                continue  # the client never reads it
            self.schema(
                _dict(media_object).get("schema"),
                _dict(new_content[media]).get("schema"),
                child(media_at, "schema"),
                direction,
                "body",
                label,
            )
        for media in new_content:
            if media not in old_content:
                rule_id = (
                    "request-body-media-type-added" if direction == "request" else "response-media-type-added"
                )
                self.add(rule_id, child(at, "content", media), f"Media type `{media}` was added to {label}.")

    # schemas

    def deref(self, doc: Node, node: Any) -> Node | None:
        """``node`` with ``$ref``s followed (at most a few hops), or None when it is not an object."""
        for _ in range(8):
            if not isinstance(node, dict):
                return None
            ref = node.get("$ref")
            if not (isinstance(ref, str) and ref.startswith("#/")):
                return node
            self.via.add(ref)
            found = resolve(doc, ref)
            node = None if found is MISSING else found
        return None

    def schema(
        self,
        old_raw: Any,
        new_raw: Any,
        at: str,
        direction: str,
        subject: str,
        label: str,
        seen: frozenset[tuple[str, str]] = frozenset(),
    ) -> None:
        if old_raw is None and new_raw is None:
            return
        pair = (_ref_of(old_raw), _ref_of(new_raw))
        if (pair[0] and pair[1] and pair in seen) or len(seen) > _MAX_DEPTH:
            return  # a recursive schema: this pair is being compared further up
        if pair[0] and pair[1]:
            seen = seen | {pair}
        old, new = self.deref(self.base, old_raw), self.deref(self.live, new_raw)
        prefix = f"{direction}-{subject}"
        if old is None or new is None:
            if (old is None) != (new is None) and isinstance(old_raw if new is None else new_raw, dict):
                what = "removed" if new is None else "added"
                rule_id = f"{prefix}-type-{'generalized' if what == 'removed' else 'specialized'}"
                self.add(rule_id, at, f"The schema of {label} was {what}.")
            return
        text = _canonical(old)
        if text == _canonical(new) and '"$ref"' not in text:
            return  # equal, and no reference inside that could lead to a component that changed
        for key, name in (("oneOf", "one-of"), ("anyOf", "any-of")):
            if key in new and key not in old and not any(k in old for k in COMBINATORS) and "type" not in new:
                message = f"{_cap(label)} was wrapped in `{key}` of {len(_list(new[key]))} subschemas."
                self.add(f"{prefix}-wrapped-in-{name}", child(at, key), message)
                return
        self.types(old, new, at, prefix, label)
        self.enum(old, new, at, prefix, label)
        self.bounds(old, new, at, prefix, label)
        self.keywords(old, new, at, prefix, label)
        self.annotations(old, new, at, prefix, label)
        inner = "parameter-property" if subject in ("parameter", "parameter-property") else "property"
        self.properties(old, new, at, direction, inner, label, seen)
        for key, what in (("items", "items"), ("additionalProperties", "values")):
            if isinstance(old.get(key), dict) and isinstance(new.get(key), dict):
                self.schema(
                    old[key], new[key], child(at, key), direction, subject, f"the {what} of {label}", seen
                )
        self.combinators(old, new, at, direction, subject, label, seen)

    def types(self, old: Node, new: Node, at: str, prefix: str, label: str) -> None:
        old_types, new_types = _types(old), _types(new)
        old_null, new_null = (
            "null" in old_types or old.get("nullable") is True,
            "null" in new_types or new.get("nullable") is True,
        )
        old_types, new_types = old_types - {"null"}, new_types - {"null"}
        if new_null and not old_null:
            self.add(f"{prefix}-became-nullable", at, f"{_cap(label)} became nullable.")
        elif old_null and not new_null:
            self.add(f"{prefix}-became-not-nullable", at, f"{_cap(label)} is no longer nullable.")
        old_key = (old_types, old.get("format"))
        new_key = (new_types, new.get("format"))
        if old_key == new_key:
            return
        shown = f"from {_show_type(old)} to {_show_type(new)}"
        kind = _type_change(old_types, old.get("format"), new_types, new.get("format"))
        if prefix.startswith("request-parameter") and new_types == {"string"} and new.get("format") is None:
            kind = "generalized"  # parameters travel as text: every old value is a string on the wire
        self.add(f"{prefix}-type-{kind}", child(at, "type"), f"Type of {label} changed {shown}.")

    def enum(self, old: Node, new: Node, at: str, prefix: str, label: str) -> None:
        old_extensible, new_extensible = (
            _list(old.get("x-extensible-enum")),
            _list(new.get("x-extensible-enum")),
        )
        for value in old_extensible:
            if value not in new_extensible and prefix.startswith("request-") and prefix.count("-") == 1:
                message = f"Extensible enum value {_show(value)} of {label} was removed."
                self.add(f"{prefix}-x-extensible-enum-value-removed", child(at, "x-extensible-enum"), message)
        if "enum" not in old and "enum" not in new:
            return
        if "enum" not in old:
            values = ", ".join(_show(value) for value in _list(new["enum"]))
            self.add(f"{prefix}-became-enum", child(at, "enum"), f"{_cap(label)} was restricted to {values}.")
            return
        if "enum" not in new:
            self.add(f"{prefix}-enum-removed", child(at, "enum"), f"{_cap(label)} is no longer an enum.")
            return
        old_values, new_values = _list(old["enum"]), _list(new["enum"])
        for value in old_values:
            if value not in new_values:
                self.add(
                    f"{prefix}-enum-value-removed",
                    child(at, "enum"),
                    f"Enum value {_show(value)} of {label} was removed.",
                )
        for value in new_values:
            if value not in old_values:
                self.add(
                    f"{prefix}-enum-value-added",
                    child(at, "enum"),
                    f"Enum value {_show(value)} was added to {label}.",
                )

    def bounds(self, old: Node, new: Node, at: str, prefix: str, label: str) -> None:
        for keyword, (name, _) in BOUNDS.items():
            before, after = _number(old.get(keyword)), _number(new.get(keyword))
            if before == after:
                continue
            if before is None:
                what = "set"
            elif after is None:
                what = "removed"
            else:
                what = "increased" if after > before else "decreased"
            message = f"`{keyword}` of {label}: {_show(old.get(keyword))} -> {_show(new.get(keyword))}."
            self.add(f"{prefix}-{name}-{what}", child(at, keyword), message)
        old_pattern, new_pattern = old.get("pattern") or None, new.get("pattern") or None  # '' matches all
        if old_pattern != new_pattern:
            what = "added" if old_pattern is None else "removed" if new_pattern is None else "changed"
            message = f"`pattern` of {label}: {_show(old_pattern)} -> {_show(new_pattern)}."
            self.add(f"{prefix}-pattern-{what}", child(at, "pattern"), message)

    def keywords(self, old: Node, new: Node, at: str, prefix: str, label: str) -> None:
        direction, subject = prefix.split("-", 1)
        for keyword, name in KEYWORDS.items():
            before, after = old.get(keyword), new.get(keyword)
            if _canonical(before) == _canonical(after) or (
                keyword == "uniqueItems" and not before and not after
            ):
                continue
            if keyword in _SCHEMA_VALUED and isinstance(before, dict) and isinstance(after, dict):
                if keyword in ("dependentSchemas", "patternProperties"):
                    for key in before.keys() & after.keys():
                        self.schema(
                            before[key],
                            after[key],
                            child(at, keyword, key),
                            direction,
                            subject,
                            f"`{keyword}` `{key}` of {label}",
                        )
                    if before.keys() == after.keys():
                        continue
                else:
                    self.schema(
                        before, after, child(at, keyword), direction, subject, f"`{keyword}` of {label}"
                    )
                    continue
            what = "added" if before is None else "removed" if after is None else "changed"
            self.add(f"{prefix}-{name}-{what}", child(at, keyword), f"`{keyword}` of {label} was {what}.")
        old_prefix, new_prefix = old.get("prefixItems"), new.get("prefixItems")
        if (
            isinstance(old_prefix, list)
            and isinstance(new_prefix, list)
            and len(old_prefix) == len(new_prefix)
        ):
            for index, (before, after) in enumerate(zip(old_prefix, new_prefix, strict=True)):
                item_label = f"`prefixItems` #{index} of {label}"
                self.schema(before, after, child(at, "prefixItems", index), direction, subject, item_label)
        elif _canonical(old_prefix) != _canonical(new_prefix):
            what = "added" if old_prefix is None else "removed" if new_prefix is None else "changed"
            self.add(
                f"{prefix}-prefix-items-{what}",
                child(at, "prefixItems"),
                f"`prefixItems` of {label} was {what}.",
            )

    def annotations(self, old: Node, new: Node, at: str, prefix: str, label: str) -> None:
        if "default" in old or "default" in new:
            before, after = old.get("default"), new.get("default")
            if _canonical(before) != _canonical(after):
                what = "added" if "default" not in old else "removed" if "default" not in new else "changed"
                message = f"Default of {label}: {_show(before)} -> {_show(after)}."
                self.add(f"{prefix}-default-value-{what}", child(at, "default"), message)
        old_disc, new_disc = old.get("discriminator"), new.get("discriminator")
        if _canonical(old_disc) != _canonical(new_disc):
            what = "added" if old_disc is None else "removed" if new_disc is None else "changed"
            self.add(
                f"{prefix}-discriminator-{what}",
                child(at, "discriminator"),
                f"The discriminator of {label} was {what}.",
            )
        if bool(old.get("deprecated")) != bool(new.get("deprecated")):
            state = "deprecated" if new.get("deprecated") else "no longer deprecated"
            self.add(f"{prefix}-deprecated", child(at, "deprecated"), f"{_cap(label)} is {state}.")
        for key, rule in (("readOnly", "read-only-changed"), ("writeOnly", "write-only-changed")):
            if bool(old.get(key)) != bool(new.get(key)):
                message = f"`{key}` of {label}: {_show(old.get(key))} -> {_show(new.get(key))}."
                self.add(f"{prefix}-{rule}", child(at, key), message)

    def properties(
        self,
        old: Node,
        new: Node,
        at: str,
        direction: str,
        subject: str,
        label: str,
        seen: frozenset[tuple[str, str]],
    ) -> None:
        old_props, new_props = _dict(old.get("properties")), _dict(new.get("properties"))
        old_required = {name for name in _list(old.get("required")) if isinstance(name, str)}
        new_required = {name for name in _list(new.get("required")) if isinstance(name, str)}
        request = direction == "request"
        for name, schema in old_props.items():
            prop_at = child(at, "properties", name)
            if name not in new_props:
                if request:
                    rule_id = "request-property-removed"
                elif name in old_required:
                    rule_id = "response-required-property-removed"
                else:
                    rule_id = "response-optional-property-removed"
                self.add(rule_id, prop_at, f"Property `{name}` of {label} was removed.")
                continue
            self.schema(schema, new_props[name], prop_at, direction, subject, f"`{name}` of {label}", seen)
            if name in new_required and name not in old_required:
                rule_id = f"{direction}-property-became-required"
                self.add(rule_id, child(at, "required"), f"Property `{name}` of {label} became required.")
            elif name in old_required and name not in new_required:
                self.add(
                    f"{direction}-property-became-optional",
                    child(at, "required"),
                    f"Property `{name}` of {label} became optional.",
                )
        for name in new_props:
            if name in old_props:
                continue
            required = name in new_required
            if request:
                with_default = "default" in _dict(self.deref(self.live, new_props[name]))
                rule_id = "new-optional-request-property"
                if required:
                    rule_id = "new-required-request-property" + ("-with-default" if with_default else "")
            else:
                rule_id = f"response-{'required' if required else 'optional'}-property-added"
            kind = "Required" if required else "Optional"
            self.add(
                rule_id, child(at, "properties", name), f"{kind} property `{name}` was added to {label}."
            )

    def combinators(
        self,
        old: Node,
        new: Node,
        at: str,
        direction: str,
        subject: str,
        label: str,
        seen: frozenset[tuple[str, str]],
    ) -> None:
        prefix = f"{direction}-{subject}"
        for key, name in COMBINATORS.items():
            old_list, new_list = _list(old.get(key)), _list(new.get(key))
            if not old_list and not new_list:
                continue
            old_keys = [self.identity(self.base, item) for item in old_list]
            new_keys = [self.identity(self.live, item) for item in new_list]
            for index, item_key in enumerate(old_keys):
                if item_key in new_keys:
                    other = new_keys.index(item_key)
                    self.schema(
                        old_list[index], new_list[other], child(at, key, other), direction, subject,
                        f"{label} (`{key}` #{other})", seen,
                    )  # fmt: skip
                else:
                    self.add(
                        f"{prefix}-{name}-removed",
                        child(at, key),
                        f"A subschema of `{key}` of {label} was removed.",
                    )
            for item_key in new_keys:
                if item_key not in old_keys:
                    self.add(
                        f"{prefix}-{name}-added",
                        child(at, key),
                        f"A subschema was added to `{key}` of {label}.",
                    )

    def identity(self, doc: Node, item: Any) -> str:
        """What a subschema of anyOf/oneOf/allOf is matched by: its $ref name, its title, else its content."""
        ref = _ref_of(item)
        if ref:
            return "ref:" + ref.rsplit("/", 1)[-1]
        node = _dict(item)
        title = node.get("title")
        if isinstance(title, str):
            return "title:" + title
        return "json:" + _canonical(node)

    # webhooks and components

    def webhooks(self) -> None:
        old_hooks, new_hooks = _dict(self.base.get("webhooks")), _dict(self.live.get("webhooks"))
        for name in old_hooks.keys() - new_hooks.keys():
            self.add("webhook-removed", pointer("webhooks", name), f"Webhook `{name}` was removed.")
        for name in new_hooks.keys() - old_hooks.keys():
            self.add("webhook-added", pointer("webhooks", name), f"Webhook `{name}` was added.")

    def components(self) -> None:
        old_schemas = _dict(_dict(self.base.get("components")).get("schemas"))
        new_schemas = _dict(_dict(self.live.get("components")).get("schemas"))
        for name in old_schemas.keys() - new_schemas.keys():
            self.add(
                "api-schema-removed", pointer("components", "schemas", name), f"Schema `{name}` was removed."
            )
        for name in new_schemas.keys() - old_schemas.keys():
            self.add(
                "api-schema-added", pointer("components", "schemas", name), f"Schema `{name}` was added."
            )


# --- helpers -------------------------------------------------------------------------------------


def _parameters(doc: Node, path: str, method: str, item: Node) -> dict[tuple[str, str], tuple[Node, str]]:
    """(in, name) -> (parameter, where); operation-level parameters override path-level ones. Path
    parameters are keyed by position in the path template, so a renamed one is the same parameter."""
    found: dict[tuple[str, str], tuple[Node, str]] = {}
    slots = [
        segment[1:-1] for segment in path.split("/") if segment.startswith("{") and segment.endswith("}")
    ]
    for level in (("paths", path), ("paths", path, method)):
        owner = item if len(level) == 2 else _dict(item.get(method))
        for index, param in enumerate(_list(owner.get("parameters"))):
            node = param
            for _ in range(8):
                ref = _ref_of(node)
                if not ref:
                    break
                target = resolve(doc, ref)
                node = None if target is MISSING else target
            if not isinstance(node, dict):
                continue
            location, name = str(node.get("in", "?")), str(node.get("name", "?"))
            if location == "path" and name in slots:
                name = f"#{slots.index(name) + 1}"
            key = (location, name.lower() if location == "header" else name)
            found[key] = (node, pointer(*level, "parameters", index))
    return found


def _scalar_to_array(old: Node, new: Node) -> bool:
    """A query, header or cookie parameter that became an array accepting every old value: one value is
    sent the same way as an array of one (``?q=5``), so old calls stay valid."""
    old_types = _types(old) - {"null"}
    if not old_types or "array" in old_types or "object" in old_types or _types(new) != {"array"}:
        return False
    items = _dict(new.get("items"))
    constrained = set(items) - {"type", "description", "title", "example", "examples"}
    if constrained or any(key in new for key in ("minItems", "maxItems", "enum", "const")):
        return False
    accepted = _types(items)
    return "string" in accepted or all(
        t in accepted or (t == "integer" and "number" in accepted) for t in old_types
    )


def _shape(path: str) -> str:
    return "/".join("{}" if part.startswith("{") and part.endswith("}") else part for part in path.split("/"))


def _type_change(old: frozenset[str], old_format: Any, new: frozenset[str], new_format: Any) -> str:
    """generalized (new accepts every old value), specialized (the reverse) or changed."""
    old_set = old or frozenset({"any"})
    new_set = new or frozenset({"any"})
    if old_format == new_format or old_format is None or new_format is None:
        widened = "any" in new_set or all(
            t in new_set or (t == "integer" and "number" in new_set) for t in old_set
        )
        narrowed = "any" in old_set or all(
            t in old_set or (t == "integer" and "number" in old_set) for t in new_set
        )
        if old_format is not None and new_format is None and widened:
            return "generalized"
        if old_format is None and new_format is not None and narrowed:
            return "specialized"
        if old_format == new_format:
            if widened and not narrowed:
                return "generalized"
            if narrowed and not widened:
                return "specialized"
    return "changed"


def _types(schema: Node) -> frozenset[str]:
    declared = schema.get("type")
    if isinstance(declared, str):
        return frozenset({declared})
    return frozenset(t for t in _list(declared) if isinstance(t, str))


def _show_type(schema: Node) -> str:
    types = sorted(_types(schema)) or ["any"]
    fmt = schema.get("format")
    return "`" + " | ".join(types) + (f" ({fmt})" if fmt else "") + "`"


def _credential(scheme: Node) -> tuple[str, str, str]:
    """How the client sends the credential for a scheme: (where, name, prefix)."""
    kind = str(scheme.get("type", "")).lower()
    if kind == "apikey":
        return (str(scheme.get("in", "")).lower(), str(scheme.get("name", "")).lower(), "")
    if kind == "http" and str(scheme.get("scheme", "")).lower() != "bearer":
        return ("header", "authorization", str(scheme.get("scheme", "")).lower())
    if kind in ("http", "oauth2", "openidconnect"):
        return ("header", "authorization", "bearer")
    return (kind, "", "")


def _show_scheme(scheme: Node) -> str:
    kind = scheme.get("type")
    if kind == "apiKey":
        return f"`apiKey` ({scheme.get('in')} `{scheme.get('name')}`)"
    if kind == "http":
        return f"`http {scheme.get('scheme')}`"
    return f"`{kind}`"


def _alternatives(security: Any) -> dict[frozenset[str], frozenset[tuple[str, str]]]:
    """Each requirement object as (scheme names) -> {(scheme, scope)}; empty for none declared."""
    found: dict[frozenset[str], frozenset[tuple[str, str]]] = {}
    for requirement in _list(security):
        node = _dict(requirement)
        scopes = frozenset(
            (str(name), str(scope)) for name, values in node.items() for scope in _list(values)
        )
        found[frozenset(map(str, node))] = scopes
    return found


def _show_alt(names: frozenset[str], scopes: frozenset[tuple[str, str]]) -> str:
    if not names:
        return "`anonymous`"
    parts = []
    for name in sorted(names):
        own = sorted(scope for scheme, scope in scopes if scheme == name)
        parts.append(f"{name}: [{', '.join(own)}]" if own else name)
    return "`" + " + ".join(parts) + "`"


def _show_security(alternatives: dict[frozenset[str], frozenset[tuple[str, str]]]) -> str:
    shown = [_show_alt(names, scopes) for names, scopes in alternatives.items()]
    return "[" + " | ".join(shown) + "]" if shown else "(none)"


def _server_urls(doc: Node) -> list[str]:
    return [str(_dict(server).get("url", "?")) for server in _list(doc.get("servers"))]


def _show_list(values: list[str]) -> str:
    return "[" + ", ".join(f"`{value}`" for value in values) + "]" if values else "(none)"


def _lower_keys(headers: Any) -> dict[str, tuple[str, Any]]:
    return {str(name).lower(): (str(name), value) for name, value in _dict(headers).items()}


def _ref_of(node: Any) -> str:
    ref = node.get("$ref") if isinstance(node, dict) else None
    return ref if isinstance(ref, str) else ""


def _number(value: Any) -> float | None:
    return float(value) if isinstance(value, int | float) and not isinstance(value, bool) else None


def _dict(value: Any) -> Mapping[str, Any]:
    return value if isinstance(value, dict) else _EMPTY


def _list(value: Any) -> list[Any]:
    return value if isinstance(value, list) else []


def _canonical(value: Any) -> str:
    return json.dumps(value, sort_keys=True, ensure_ascii=False, default=str)


def _show(value: Any) -> str:
    return (
        "(none)"
        if value is None
        else f"`{value}`"
        if isinstance(value, str)
        else f"`{json.dumps(value, default=str)}`"
    )


def _cap(text: str) -> str:
    return text[:1].upper() + text[1:]


def operations(doc: Node) -> Iterator[tuple[str, str, Node]]:
    """(path, method, operation) for every operation of ``doc``."""
    for path, item in _dict(doc.get("paths")).items():
        for method in HTTP_METHODS:
            operation = _dict(item).get(method)
            if isinstance(operation, dict):
                yield path, method, operation
