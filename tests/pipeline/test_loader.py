"""Loading the vendor document: parsing, version checks, Swagger 2.0 conversion."""

from __future__ import annotations

import copy
import json
import time
from pathlib import Path
from typing import Any

import pytest
from openapi_spec_validator import validate
from specpipe.errors import SpecError
from specpipe.loader import MAX_DEPTH, MAX_NODES, ensure_openapi3, parse_document
from specpipe.normalize import normalize

DATA = Path(__file__).parent / "data"
VENDOR_SWAGGER2 = DATA / "vendor-powerplatform-swagger2.json"
SCRIPTS = Path(__file__).resolve().parents[2] / "scripts"
SOURCE = "https://example.test/swagger.json"
ACCEPTS = "this pipeline accepts OpenAPI 3.0/3.1 and Swagger 2.0"
LIKE = "expected a string like '3.0.3'"


def minimal(version_key: str = "openapi", version: Any = "3.0.3") -> dict[str, Any]:
    return {version_key: version, "info": {"title": "t", "version": "1"}, "paths": {}}


def pinned_converter_version() -> str:
    package = json.loads((SCRIPTS / "package.json").read_text(encoding="utf-8"))
    version: str = package["dependencies"]["swagger2openapi"]
    return version


def error_of(call: Any, *args: Any) -> str:
    with pytest.raises(SpecError) as caught:
        call(*args)
    message = str(caught.value)
    assert "\n" not in message
    return message


# --- parse_document -------------------------------------------------------------------------------


def test_parses_json() -> None:
    doc = parse_document(json.dumps(minimal()).encode(), SOURCE)

    assert doc == minimal()


def test_parses_yaml_with_numeric_response_codes_and_dates_as_json_data() -> None:
    text = """\ufeffopenapi: 3.1.0
info: {title: t, version: '1'}
paths:
  /job:
    get:
      responses:
        200:
          description: ok
          content:
            application/json:
              example: {created: 2024-05-01}
"""
    doc = parse_document(text.encode("utf-8"), SOURCE)

    assert doc["openapi"] == "3.1.0"
    response = doc["paths"]["/job"]["get"]["responses"]["200"]
    assert response["content"]["application/json"]["example"] == {"created": "2024-05-01"}
    assert json.loads(json.dumps(doc)) == doc


@pytest.mark.parametrize(
    ("data", "expected"),
    [
        (b"", f"{SOURCE} is empty: expected an OpenAPI document (JSON or YAML)"),
        (b"  \n\t\n", f"{SOURCE} is empty: expected an OpenAPI document (JSON or YAML)"),
        (b"[1, 2]", f"{SOURCE} is not an OpenAPI document: top level is a list, expected a mapping"),
        (
            b"<html><body>Swagger UI</body></html>",
            f"{SOURCE} is not an OpenAPI document: top level is a string, expected a mapping",
        ),
        (b"null", f"{SOURCE} is not an OpenAPI document: top level is null, expected a mapping"),
        (
            b'{"info": {"title": "t"}, "paths": {}}',
            f"{SOURCE} is not an OpenAPI document: it has neither an 'openapi' nor a 'swagger' key",
        ),
        (b"\xff\xfeo\x00", f"{SOURCE} is not UTF-8 text (byte 0: invalid start byte)"),
        (b"openapi: 3.0.0\ntrue: 1\n", f"{SOURCE} has a non-string key True at the top level"),
        (
            b"openapi: 3.0.0\nloop: &x [*x]\n",
            f"{SOURCE} is nested too deeply or refers to itself (a YAML alias loop?)",
        ),
        (b"openapi: 3.0.0\npaths:\n  1.5: {}\n", f"{SOURCE} has a non-string key 1.5 at paths"),
    ],
)
def test_unusable_input_is_refused_with_one_line(data: bytes, expected: str) -> None:
    assert error_of(parse_document, data, SOURCE) == expected


def test_truncated_json_names_line_and_column() -> None:
    whole = json.dumps(minimal() | {"paths": {"/job": {"get": {"responses": {}}}}}, indent=2).encode()
    truncated = whole[: whole.index(b'"responses"')]

    message = error_of(parse_document, truncated, SOURCE)

    assert message.startswith(f"{SOURCE} is not valid JSON: ")
    last_line = truncated.decode().count("\n") + 1
    assert f"at line {last_line} column " in message
    assert message.endswith("(truncated document?)")


def test_invalid_yaml_names_line_and_column() -> None:
    text = b"openapi: 3.0.3\ninfo:\n  title: t\n   version: 1\npaths: {}\n"

    message = error_of(parse_document, text, SOURCE)

    assert message == f"{SOURCE} is not valid YAML: mapping values are not allowed here at line 4 column 11"


# --- bounded parsing ------------------------------------------------------------------------------

HEAD = "openapi: 3.0.3\ninfo: {title: t, version: '1'}\npaths: {}\n"
TOO_DEEP = f"{SOURCE} is nested more than {MAX_DEPTH} levels deep: refused"


def billion_laughs(levels: int = 9) -> str:
    lines = [HEAD, 'l0: &l0 ["lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol"]']
    for level in range(1, levels + 1):
        lines.append(f"l{level}: &l{level} [{', '.join([f'*l{level - 1}'] * 10)}]")
    return "\n".join(lines) + "\n"


def nested(levels: int, kind: str) -> str:
    if kind == "json":
        return '{"openapi": "3.0.3", "x": ' + "[" * levels + "]" * levels + "}"
    if kind == "yaml-flow":
        return HEAD + "x: " + "[" * levels + "]" * levels + "\n"
    return HEAD + "x:\n" + "".join(" " * (2 * level) + "-\n" for level in range(1, levels + 1))


def refused_quickly(text: str) -> str:
    started = time.monotonic()
    message = error_of(parse_document, text.encode(), SOURCE)
    assert time.monotonic() - started < 3, "took too long to refuse"
    return message


def test_a_yaml_alias_bomb_is_refused_in_one_line() -> None:
    message = refused_quickly(billion_laughs())

    assert message == (
        f"{SOURCE} expands to more than {MAX_NODES:,} nodes (YAML aliases?): refused as a likely alias bomb"
    )


@pytest.mark.parametrize("kind", ["json", "yaml-flow", "yaml-block"])
def test_a_document_nested_5000_levels_deep_is_refused_in_one_line(kind: str) -> None:
    assert refused_quickly(nested(5000, kind)) == TOO_DEEP


@pytest.mark.parametrize("kind", ["json", "yaml-flow", "yaml-block"])
def test_nesting_is_allowed_up_to_the_limit(kind: str) -> None:
    parse_document(nested(MAX_DEPTH - 1, kind).encode(), SOURCE)  # the top-level mapping is the first level

    assert error_of(parse_document, nested(MAX_DEPTH, kind).encode(), SOURCE) == TOO_DEEP


def test_an_alias_counts_as_the_levels_it_stands_for() -> None:
    deep = "[" * (MAX_DEPTH - 1) + "]" * (MAX_DEPTH - 1)  # below the top-level mapping: just fits
    fits = f"{HEAD}a: &a {deep}\nb: *a\n"
    too_deep = f"{HEAD}a: &a {deep}\nb: [*a]\n"

    assert parse_document(fits.encode(), SOURCE)["b"] == parse_document(fits.encode(), SOURCE)["a"]
    assert error_of(parse_document, too_deep.encode(), SOURCE) == TOO_DEEP


def test_ordinary_yaml_aliases_are_expanded() -> None:
    text = HEAD + "x-shared: &shared {type: string, maxLength: 5}\nx-a: *shared\nx-b: [*shared, *shared]\n"

    doc = parse_document(text.encode(), SOURCE)

    assert doc["x-a"] == doc["x-b"][1] == {"type": "string", "maxLength": 5}


# --- ensure_openapi3 ------------------------------------------------------------------------------


@pytest.mark.parametrize("version", ["3.0.0", "3.0.3", "3.0", "3.1.0", "3.1.1"])
def test_openapi_3_0_and_3_1_pass_through_unchanged(version: str) -> None:
    doc = minimal(version=version)

    result, notes = ensure_openapi3(doc, SOURCE)

    assert result == minimal(version=version)
    assert notes == []


@pytest.mark.parametrize(
    ("doc", "expected"),
    [
        (
            minimal(version="3.2.0"),
            f"unsupported OpenAPI version 3.2.0 in {SOURCE}: {ACCEPTS}",
        ),
        (
            minimal(version="4.0.0"),
            f"unsupported OpenAPI version 4.0.0 in {SOURCE}: {ACCEPTS}",
        ),
        (
            minimal(version="2.0"),
            f"unsupported OpenAPI version 2.0 in {SOURCE}: {ACCEPTS}",
        ),
        (
            minimal(version="1.0.0"),
            f"unsupported OpenAPI version 1.0.0 in {SOURCE}: {ACCEPTS}",
        ),
        (
            minimal(version="three"),
            f"{SOURCE} has a garbled OpenAPI version 'three': {LIKE}",
        ),
        (
            minimal(version="3.0.x"),
            f"{SOURCE} has a garbled OpenAPI version '3.0.x': {LIKE}",
        ),
        (
            minimal(version=3.1),
            f"{SOURCE} has a garbled OpenAPI version 3.1 (a float, not a string): {LIKE}",
        ),
        (
            minimal(version=None),
            f"{SOURCE} has no 'openapi' version string: {ACCEPTS}",
        ),
        (
            minimal("swagger", "1.2"),
            f"unsupported Swagger version 1.2 in {SOURCE}: {ACCEPTS}",
        ),
        (
            minimal("swagger", "3.0"),
            f"unsupported Swagger version 3.0 in {SOURCE}: {ACCEPTS}",
        ),
        (
            minimal() | {"swagger": "2.0"},
            f"{SOURCE} has both an 'openapi' and a 'swagger' key: cannot tell which version it is",
        ),
        (
            {"openapi": "3.0.3", "info": {"title": "t", "version": "1"}},
            f"{SOURCE} is truncated or not an OpenAPI document: it has no 'paths' object",
        ),
        (
            {"openapi": "3.1.0", "paths": {}},
            f"{SOURCE} is truncated or not an OpenAPI document: it has no 'info' object",
        ),
        (
            {"swagger": "2.0", "info": {"title": "t", "version": "1"}, "paths": []},
            f"{SOURCE} is truncated or not an OpenAPI document: it has no 'paths' object",
        ),
    ],
)
def test_unsupported_or_incomplete_documents_are_refused(doc: dict[str, Any], expected: str) -> None:
    assert error_of(ensure_openapi3, doc, SOURCE) == expected


def test_parse_then_ensure_refuses_yaml_with_an_unquoted_version() -> None:
    doc = parse_document(b"openapi: 3.1\ninfo: {title: t, version: '1'}\npaths: {}\n", "spec.yaml")

    message = error_of(ensure_openapi3, doc, "spec.yaml")

    assert message == f"spec.yaml has a garbled OpenAPI version 3.1 (a float, not a string): {LIKE}"


# --- Swagger 2.0 conversion -----------------------------------------------------------------------

SMALL_SWAGGER2: dict[str, Any] = {
    "swagger": "2.0",
    "info": {"title": "Small", "version": "1"},
    "host": "api.example.test",
    "basePath": "/v1",
    "schemes": ["https"],
    "consumes": ["application/json"],
    "produces": ["application/json"],
    "paths": {
        "/job": {
            "post": {
                "operationId": "createJob",
                "parameters": [
                    {"in": "body", "name": "job", "required": True, "schema": {"$ref": "#/definitions/Job"}}
                ],
                "responses": {"200": {"description": "ok", "schema": {"$ref": "#/definitions/Job"}}},
            }
        }
    },
    "definitions": {"Job": {"type": "object", "properties": {"no": {"type": "string"}}}},
}


@pytest.mark.node
def test_small_swagger2_document_is_converted() -> None:
    doc = copy.deepcopy(SMALL_SWAGGER2)

    result, notes = ensure_openapi3(doc, SOURCE)

    assert doc == SMALL_SWAGGER2
    assert notes == [
        f"converted Swagger 2.0 to OpenAPI 3.0.0 with swagger2openapi {pinned_converter_version()}"
    ]
    assert result["openapi"] == "3.0.0"
    assert result["servers"] == [{"url": "https://api.example.test/v1"}]
    assert result["components"]["schemas"] == {
        "Job": {"type": "object", "properties": {"no": {"type": "string"}}}
    }
    post = result["paths"]["/job"]["post"]
    job_ref = {"$ref": "#/components/schemas/Job"}
    assert post["requestBody"]["content"] == {"application/json": {"schema": job_ref}}
    assert post["requestBody"]["required"] is True
    assert post["responses"]["200"]["content"] == {"application/json": {"schema": job_ref}}
    assert "definitions" not in result
    assert "swagger" not in result


@pytest.mark.node
def test_swagger2_document_the_converter_cannot_handle_is_refused() -> None:
    doc = copy.deepcopy(SMALL_SWAGGER2)
    doc["definitions"] = {}

    message = error_of(ensure_openapi3, doc, SOURCE)

    assert message.startswith(f"swagger2openapi could not convert {SOURCE}: ")
    assert "Could not resolve reference #/definitions/Job" in message


@pytest.mark.node
def test_vendor_power_platform_swagger2_document_converts_and_normalizes() -> None:
    swagger = parse_document(VENDOR_SWAGGER2.read_bytes(), VENDOR_SWAGGER2.name)
    assert swagger["swagger"] == "2.0"

    converted, notes = ensure_openapi3(swagger, VENDOR_SWAGGER2.name)

    assert notes == [
        f"converted Swagger 2.0 to OpenAPI 3.0.0 with swagger2openapi {pinned_converter_version()}"
    ]
    validate(converted)
    assert list(converted["paths"]) == list(swagger["paths"])
    assert set(converted["components"]["schemas"]) == set(swagger["definitions"])
    assert converted["servers"] == [{"url": "https://api.dimescheduler.com"}]

    normalized, fixups = normalize(converted)
    validate(normalized)
    assert fixups
    assert normalize(normalized)[1] == []
    operation_ids = [
        operation["operationId"]
        for item in normalized["paths"].values()
        for operation in item.values()
        if isinstance(operation, dict) and "responses" in operation
    ]
    assert len(operation_ids) == len(set(operation_ids))


def minimal_with(schema: dict[str, Any]) -> dict[str, Any]:
    return {
        "openapi": "3.1.0",
        "info": {"title": "t", "version": "1"},
        "paths": {},
        "components": {"schemas": {"Thing": {"type": "object", "properties": {"a": schema}}}},
    }


@pytest.mark.parametrize(
    "ref",
    [
        "file:///etc/passwd",
        "http://127.0.0.1:9/x.json",
        "other.json#/components/schemas/X",
        "https://user:pw@example.test/s.json?api_key=sk-1",
    ],
)
def test_an_external_ref_is_refused_before_anything_reads_it(ref: str) -> None:
    data = json.dumps(minimal_with({"$ref": ref})).encode()
    with pytest.raises(SpecError) as raised:
        parse_document(data, SOURCE)
    message = str(raised.value)
    assert "external $ref" in message and "components.schemas.Thing.properties.a" in message
    assert "\n" not in message and "pw" not in message and "sk-1" not in message


@pytest.mark.parametrize("value", ["NaN", "Infinity", "-Infinity"])
def test_non_finite_numbers_are_refused_in_json(value: str) -> None:
    data = json.dumps(minimal_with({"type": "number", "default": 0})).replace(
        '"default": 0', f'"default": {value}'
    )
    with pytest.raises(SpecError, match=f"holds {value}, which is not JSON"):
        parse_document(data.encode(), SOURCE)


def test_non_finite_numbers_are_refused_in_yaml() -> None:
    text = "openapi: 3.1.0\ninfo: {title: t, version: '1'}\npaths: {}\nx-limit: .nan\n"
    with pytest.raises(SpecError, match="holds nan at x-limit, which is not JSON"):
        parse_document(text.encode(), SOURCE)


def test_an_integer_beyond_the_digit_limit_is_one_line() -> None:
    data = json.dumps(minimal_with({"type": "integer", "default": 0})).replace(
        '"default": 0', '"default": ' + "9" * 5000
    )
    with pytest.raises(SpecError) as raised:
        parse_document(data.encode(), SOURCE)
    assert "is not usable JSON" in str(raised.value) and "\n" not in str(raised.value)
