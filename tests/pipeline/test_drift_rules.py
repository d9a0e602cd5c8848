"""Table-driven drift rules: a small base document, one edit per rule, the rule ID and level expected."""

from __future__ import annotations

import copy
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "scripts"))

from specpipe.drift_ci import render_github_actions, render_junit
from specpipe.drift_compare import compare_documents
from specpipe.drift_report import DriftReport, render_markdown
from specpipe.drift_rules import RULES

Doc = dict[str, Any]

BASE: Doc = {
    "openapi": "3.1.0",
    "info": {"title": "Rules", "version": "1"},
    "servers": [{"url": "https://api.example.com"}],
    "security": [{"Bearer": ["read"]}],
    "components": {
        "securitySchemes": {
            "Bearer": {
                "type": "oauth2",
                "flows": {"clientCredentials": {"tokenUrl": "/t", "scopes": {"read": ""}}},
            },
            "Unused": {"type": "apiKey", "in": "header", "name": "X-Old"},
        },
        "schemas": {
            "Pet": {
                "type": "object",
                "required": ["id"],
                "properties": {
                    "id": {"type": "integer"},
                    "status": {"type": "string", "enum": ["open", "closed"]},
                    "price": {"type": "number"},
                },
            },
            "NewPet": {
                "type": "object",
                "required": ["name"],
                "properties": {
                    "name": {"type": "string", "maxLength": 50},
                    "age": {"type": "integer"},
                    "kind": {"type": "string", "enum": ["cat", "dog"]},
                },
            },
        },
    },
    "paths": {
        "/pets": {
            "get": {
                "parameters": [
                    {"name": "limit", "in": "query", "schema": {"type": "integer"}},
                    {"name": "q", "in": "query", "required": True, "schema": {"type": "string"}},
                ],
                "responses": {
                    "200": {
                        "description": "ok",
                        "headers": {"X-Total": {"required": True, "schema": {"type": "integer"}}},
                        "content": {
                            "application/json": {
                                "schema": {"type": "array", "items": {"$ref": "#/components/schemas/Pet"}}
                            },
                            "application/xml": {
                                "schema": {"type": "array", "items": {"$ref": "#/components/schemas/Pet"}}
                            },
                        },
                    },
                    "400": {"description": "bad"},
                },
            },
            "post": {
                "requestBody": {
                    "required": True,
                    "content": {"application/json": {"schema": {"$ref": "#/components/schemas/NewPet"}}},
                },
                "responses": {"201": {"description": "made"}},
            },
        },
        "/pets/{petId}": {
            "delete": {
                "parameters": [
                    {"name": "petId", "in": "path", "required": True, "schema": {"type": "string"}}
                ],
                "responses": {"204": {"description": "gone"}},
            }
        },
    },
}

Edit = Callable[[Doc], None]


def _schema(doc: Doc, name: str) -> Doc:
    schema: Doc = doc["components"]["schemas"][name]
    return schema


def _param(doc: Doc, index: int) -> Doc:
    param: Doc = doc["paths"]["/pets"]["get"]["parameters"][index]
    return param


def _set(path: list[str | int], value: Any) -> Edit:
    def edit(doc: Doc) -> None:
        node: Any = doc
        for key in path[:-1]:
            node = node[key]
        if isinstance(node, list) and path[-1] == len(node):
            node.append(value)
        else:
            node[path[-1]] = value

    return edit


def _delete(path: list[str | int]) -> Edit:
    def edit(doc: Doc) -> None:
        node: Any = doc
        for key in path[:-1]:
            node = node[key]
        del node[path[-1]]

    return edit


PET = ["components", "schemas", "Pet"]
NEW = ["components", "schemas", "NewPet"]
GET = ["paths", "/pets", "get"]
OK = [*GET, "responses", "200"]

# (rule ID, level, edit of BASE)
CASES: list[tuple[str, str, Edit]] = [
    ("api-path-removed-without-deprecation", "breaking", _delete(["paths", "/pets/{petId}"])),
    ("api-removed-without-deprecation", "breaking", _delete(["paths", "/pets", "post"])),
    ("endpoint-added", "info", _set(["paths", "/pets", "put"], {"responses": {"200": {"description": "x"}}})),
    (
        "new-required-request-parameter",
        "breaking",
        _set([*GET, "parameters", 2], {"name": "z", "in": "query", "required": True}),
    ),
    ("new-optional-request-parameter", "info", _set([*GET, "parameters", 2], {"name": "z", "in": "query"})),
    ("request-parameter-became-required", "breaking", _set([*GET, "parameters", 0, "required"], True)),
    ("request-parameter-became-optional", "info", _set([*GET, "parameters", 1, "required"], False)),
    ("request-parameter-removed", "warning", _delete([*GET, "parameters", 0])),
    (
        "request-parameter-default-value-added",
        "warning",
        _set([*GET, "parameters", 0, "schema", "default"], 20),
    ),
    ("request-parameter-type-generalized", "info", _set([*GET, "parameters", 0, "schema", "type"], "number")),
    (
        "request-parameter-became-nullable",
        "info",
        _set([*GET, "parameters", 0, "schema", "type"], ["integer", "null"]),
    ),
    ("request-parameter-max-set", "warning", _set([*GET, "parameters", 0, "schema", "maximum"], 100)),
    ("request-parameter-became-enum", "breaking", _set([*GET, "parameters", 1, "schema", "enum"], ["a"])),
    (
        "new-required-request-property",
        "breaking",
        lambda d: (
            _schema(d, "NewPet")["properties"].update(tag={"type": "string"}),
            _schema(d, "NewPet")["required"].append("tag"),
        ),
    ),
    ("new-optional-request-property", "info", _set([*NEW, "properties", "tag"], {"type": "string"})),
    ("request-property-became-required", "breaking", _set([*NEW, "required"], ["name", "age"])),
    ("request-property-became-optional", "info", _set([*NEW, "required"], [])),
    (
        "request-property-max-length-decreased",
        "breaking",
        _set([*NEW, "properties", "name", "maxLength"], 10),
    ),
    ("request-property-max-length-increased", "info", _set([*NEW, "properties", "name", "maxLength"], 99)),
    (
        "request-property-enum-value-added",
        "info",
        _set([*NEW, "properties", "kind", "enum"], ["cat", "dog", "fox"]),
    ),
    ("request-property-enum-value-removed", "breaking", _set([*NEW, "properties", "kind", "enum"], ["cat"])),
    ("request-property-type-generalized", "info", _set([*NEW, "properties", "age", "type"], "number")),
    (
        "request-property-wrapped-in-any-of",
        "info",
        _set([*NEW, "properties", "age"], {"anyOf": [{"type": "integer"}, {"type": "string"}]}),
    ),
    (
        "request-body-became-optional",
        "info",
        _set(["paths", "/pets", "post", "requestBody", "required"], False),
    ),
    ("response-property-type-specialized", "info", _set([*PET, "properties", "price", "type"], "integer")),
    ("response-property-type-generalized", "breaking", _set([*PET, "properties", "id", "type"], "number")),
    ("response-property-became-required", "info", _set([*PET, "required"], ["id", "price"])),
    ("response-property-became-optional", "breaking", _set([*PET, "required"], [])),
    (
        "response-property-became-nullable",
        "breaking",
        _set([*PET, "properties", "price", "type"], ["number", "null"]),
    ),
    (
        "response-property-enum-value-added",
        "warning",
        _set([*PET, "properties", "status", "enum"], ["open", "closed", "new"]),
    ),
    ("response-required-property-removed", "breaking", _delete([*PET, "properties", "id"])),
    ("response-optional-property-removed", "warning", _delete([*PET, "properties", "price"])),
    ("response-optional-property-added", "info", _set([*PET, "properties", "tag"], {"type": "string"})),
    ("response-non-success-status-removed", "info", _delete([*GET, "responses", "400"])),
    ("response-success-status-removed", "breaking", _delete(["paths", "/pets", "post", "responses", "201"])),
    ("response-media-type-removed-unused", "info", _delete([*OK, "content", "application/xml"])),
    ("response-media-type-removed", "breaking", _delete([*OK, "content", "application/json"])),
    ("response-header-became-optional", "breaking", _set([*OK, "headers", "X-Total", "required"], False)),
    ("required-response-header-removed", "breaking", _delete([*OK, "headers", "X-Total"])),
    ("api-global-security-removed", "info", _set(["security"], [])),
    ("api-global-security-scope-removed", "info", _set(["security"], [{"Bearer": []}])),
    ("api-security-component-removed", "info", _delete(["components", "securitySchemes", "Unused"])),
    (
        "api-security-component-type-changed",
        "info",
        _set(["components", "securitySchemes", "Bearer"], {"type": "http", "scheme": "bearer"}),
    ),
    (
        "api-security-component-credentials-changed",
        "breaking",
        _set(["components", "securitySchemes", "Unused", "name"], "X-New"),
    ),
    ("servers-changed", "info", _set(["servers"], [{"url": "https://eu.example.com"}])),
    (
        "webhook-added",
        "info",
        _set(["webhooks"], {"ping": {"post": {"responses": {"200": {"description": "x"}}}}}),
    ),
    ("request-property-contains-added", "breaking", _set([*NEW, "properties", "tags"], None)),
]


def _tags_contains(doc: Doc) -> None:
    doc["components"]["schemas"]["NewPet"]["properties"]["name"]["contains"] = {"const": "x"}


CASES[-1] = ("request-property-contains-added", "breaking", _tags_contains)


@pytest.mark.parametrize(("rule_id", "level", "edit"), CASES, ids=[case[0] for case in CASES])
def test_each_rule_is_found_with_its_level(rule_id: str, level: str, edit: Edit) -> None:
    live = copy.deepcopy(BASE)
    edit(live)
    found = {(change.cls, change.level) for change in compare_documents(BASE, live)}
    assert (rule_id, level) in found, found
    assert RULES[rule_id].level == level
    assert all(RULES[rule].why for rule, _ in found)


def test_identical_documents_have_no_finding() -> None:
    assert compare_documents(BASE, copy.deepcopy(BASE)) == []


def test_every_finding_says_old_and_new_for_defaults_and_servers() -> None:
    live = copy.deepcopy(BASE)
    _param(live, 0)["schema"]["default"] = 20
    live["servers"] = [{"url": "https://eu.example.com"}]
    messages = [change.message for change in compare_documents(BASE, live)]
    assert messages.count("Default of the `limit` query parameter of `GET /pets`: (none) -> `20`.") == 1
    assert (
        "Servers changed from [`https://api.example.com`] to [`https://eu.example.com`] (the client never reads them)."
        in messages
    )


def test_security_findings_say_old_and_new() -> None:
    live = copy.deepcopy(BASE)
    live["paths"]["/pets"]["post"]["security"] = [{"Unused": []}]
    found = {change.cls: change for change in compare_documents(BASE, live)}
    assert {rule: change.level for rule, change in found.items()} == {
        "api-security-added": "info",
        "api-security-removed": "info",
    }
    assert found["api-security-added"].message == (
        "Security `Unused` was added to `POST /pets` (security: [`Bearer: [read]`] -> [`Unused`])."
    )


def test_a_left_out_operation_is_compared_and_said_to_be_left_out() -> None:
    live = copy.deepcopy(BASE)
    live["paths"]["/pets"]["post"]["requestBody"]["required"] = False
    [change] = compare_documents(BASE, live, {("POST", "/pets"): "unsupported body"})
    assert change.cls == "request-body-became-optional"
    assert change.message.endswith("(left out of the generated client: unsupported body)")


def test_a_renamed_path_parameter_is_the_same_route() -> None:
    live = copy.deepcopy(BASE)
    item = live["paths"].pop("/pets/{petId}")
    item["delete"]["parameters"][0]["name"] = "id"
    live["paths"]["/pets/{id}"] = item
    assert compare_documents(BASE, live) == []


def _report() -> DriftReport:
    live = copy.deepcopy(BASE)
    del live["paths"]["/pets"]["post"]
    live["servers"] = []
    report = DriftReport(pinned_path="base.yaml")
    report.changes = compare_documents(BASE, live)
    return report


def test_ci_formats_carry_rule_ids_and_levels() -> None:
    report = _report()
    lines = render_github_actions(report).splitlines()
    removed = "::error title=api-removed-without-deprecation (breaking)::Operation `POST /pets` was removed."
    assert any(line.startswith(removed) for line in lines)
    assert any(line.startswith("::notice title=servers-changed (info)::") for line in lines)
    junit = render_junit(report)
    assert '<testsuite name="drift" tests="2" failures="1" errors="0">' in junit
    assert 'type="api-removed-without-deprecation"' in junit


def test_markdown_says_no_overlay_method_is_affected_once() -> None:
    markdown = render_markdown(_report())
    assert markdown.count("No overlay method is affected") == 1
    assert markdown.count("code using `dimescheduler_openapi` keeps working") == 1


def test_the_guide_lists_every_rule_with_its_level() -> None:
    from specpipe.drift_rules import _NAMED, _SCHEMA

    guide = (Path(__file__).resolve().parents[2] / "docs" / "guides" / "drift.md").read_text(encoding="utf-8")
    for rule_id, (level, _) in _NAMED.items():
        assert f"| `{rule_id}` | {level} |" in guide, rule_id
    for what, (request, response, _) in _SCHEMA.items():
        assert f"| `{what}` | {request} | {response} |" in guide, what
