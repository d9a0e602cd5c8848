"""Repairs of published documents (scripts/specpipe/repairs.py), each on a small document of its own.

Every construct is checked twice: normalize gives the exact repaired piece and names the rule, and the
repaired document passes the validator the pipeline uses (it refused every one of them before). The
constructs the generator or the route table tripped on are generated end to end in test_repairs_generate.py.
"""

from __future__ import annotations

import copy
from pathlib import Path
from typing import Any

import pytest
from specpipe.generate import validate
from specpipe.normalize import RULES, FixUp, normalize, summarize
from specpipe.repairs import REPAIRS
from specpipe.routes import build_routes

CONFIG = Path(__file__).resolve().parents[2] / "scripts" / "openapi-python-client.yaml"
OK = {"200": {"description": "OK"}}


def doc(paths: dict[str, Any], version: str = "3.0.3", **components: Any) -> dict[str, Any]:
    document: dict[str, Any] = {"openapi": version, "info": {"title": "t", "version": "1"}, "paths": paths}
    if components:
        document["components"] = components
    return document


def json_answer(schema: dict[str, Any]) -> dict[str, Any]:
    return {"200": {"description": "OK", "content": {"application/json": {"schema": schema}}}}


def repaired(document: dict[str, Any], rule: str) -> tuple[dict[str, Any], list[FixUp]]:
    """Normalize, check the result validates, return it and the fix-ups of ``rule``."""
    out, fixups = normalize(document)
    validate(out, "test document")
    return out, [fixup for fixup in fixups if fixup.rule == rule]


def test_repairs_run_first_and_are_counted_by_name() -> None:
    names = [name for name, _rule in RULES]
    assert names[: len(REPAIRS)] == [
        "ref-into-document",
        "equivalent-paths",
        "version-keys",
        "openapi31-idioms",
        "duplicate-values",
        "allof-non-object",
        "boolean-enum",
        "inline-object-hoist",
    ]
    assert names[-1] == "default-type"  # checked against the schemas as the other rules leave them
    assert len(set(names)) == len(names)


# --- equivalent-paths ----------------------------------------------------------------------------


def path_param(name: str, kind: str = "string") -> dict[str, Any]:
    return {"name": name, "in": "path", "required": True, "schema": {"type": kind}}


SHELVES = doc(
    {
        "/shelves/{shelfId}/books/{bookId}": {
            "parameters": [path_param("shelfId")],
            "get": {"parameters": [path_param("bookId")], "responses": OK},
        },
        "/shelves/{shelf}/books/{isbn}": {
            "parameters": [
                path_param("shelf"),
                {"name": "lang", "in": "query", "schema": {"type": "string"}},
            ],
            "delete": {"parameters": [{"$ref": "#/components/parameters/Isbn"}], "responses": OK},
            "get": {"parameters": [path_param("isbn")], "responses": OK},
        },
    },
    parameters={"Isbn": path_param("isbn")},
)


def test_paths_equal_up_to_placeholder_names_are_merged_into_the_first() -> None:
    out, fixups = repaired(SHELVES, "equivalent-paths")

    assert list(out["paths"]) == ["/shelves/{shelfId}/books/{bookId}"]
    item = out["paths"]["/shelves/{shelfId}/books/{bookId}"]
    assert "parameters" not in item
    assert [p["name"] for p in item["get"]["parameters"]] == ["shelfId", "bookId"]
    # the referenced path parameter is copied under the first path's name; the component stays as it was
    assert [(p["name"], p["in"]) for p in item["delete"]["parameters"]] == [
        ("shelfId", "path"),
        ("lang", "query"),
        ("bookId", "path"),
    ]
    assert out["components"]["parameters"]["Isbn"]["name"] == "isbn"
    assert fixups == [
        FixUp(
            "equivalent-paths",
            "paths./shelves/{shelf}/books/{isbn}",
            "merged into /shelves/{shelfId}/books/{bookId} ({shelf} -> {shelfId}, {isbn} -> {bookId}): "
            "DELETE; dropped GET (/shelves/{shelfId}/books/{bookId} has it already)",
        )
    ]


def test_the_route_table_takes_paths_equal_up_to_placeholder_names_without_a_repair() -> None:
    # What normalize would merge, given to the route table as it is: each operation finds its own path.
    document = doc(
        {
            "/items/{id}": {"get": {"parameters": [path_param("id")], "responses": OK}},
            "/items/{itemId}": {"delete": {"parameters": [path_param("itemId")], "responses": OK}},
        }
    )

    routes = build_routes(document, CONFIG)

    assert sorted((route.method, route.path, route.success) for route in routes) == [
        ("DELETE", "/items/{itemId}", ("200",)),
        ("GET", "/items/{id}", ("200",)),
    ]


# --- ref-into-document -----------------------------------------------------------------------------


def test_refs_into_paths_and_into_component_parts_become_copies() -> None:
    document = doc(
        {
            "/me": {"put": {"responses": {"204": {"description": "Saved."}}}},
            "/users/{id}": {
                "delete": {
                    "parameters": [path_param("id")],
                    "responses": {"204": {"$ref": "#/paths/~1me/put/responses/204"}},
                }
            },
            "/tags": {
                "get": {"responses": json_answer({"$ref": "#/components/schemas/Post/properties/tags"})}
            },
        },
        schemas={
            "Post": {"type": "object", "properties": {"tags": {"type": "array", "items": {"type": "string"}}}}
        },
    )

    out, fixups = repaired(document, "ref-into-document")

    assert out["paths"]["/users/{id}"]["delete"]["responses"]["204"] == {"description": "Saved."}
    schema = out["paths"]["/tags"]["get"]["responses"]["200"]["content"]["application/json"]["schema"]
    assert schema == {"type": "array", "items": {"type": "string"}}
    assert [fixup.location for fixup in fixups] == [
        "paths./tags.get.responses.200.content.application/json.schema",
        "paths./users/{id}.delete.responses.204",
    ]


def test_a_ref_that_points_into_itself_or_nowhere_is_left_for_the_validator() -> None:
    child_ref = {"$ref": "#/components/schemas/Node/properties/child"}
    node = {"type": "object", "properties": {"child": {"type": "object", "properties": {"next": child_ref}}}}
    document = doc({}, schemas={"Node": node, "Lost": {"$ref": "#/components/schemas/Gone/properties/x"}})

    out, fixups = normalize(document)

    assert out["components"]["schemas"]["Lost"]["$ref"] == "#/components/schemas/Gone/properties/x"
    child = out["components"]["schemas"]["Node"]["properties"]["child"]
    # one level is copied in; the copy's own reference to where it came from stays a reference
    assert child["properties"]["next"]["properties"]["next"] == child_ref
    assert [fixup.location for fixup in fixups if fixup.rule == "ref-into-document"] == [
        "components.schemas.Node.properties.child.properties.next"
    ]


# --- version-keys ----------------------------------------------------------------------------------


def test_keys_the_version_does_not_define_are_dropped() -> None:
    stream = {"description": "Server-sent events.", "x-kind": "sse"}
    document = doc(
        {
            "/events": {
                "post": {
                    "consumes": ["application/json"],
                    "parameters": [
                        {"name": "q", "in": "query", "type": "string", "schema": {"type": "string"}}
                    ],
                    "responses": {
                        "200": {"description": "OK", "schema": {}, "content": {"text/event-stream": stream}}
                    },
                }
            }
        },
        version="3.1.0",
    )

    out, fixups = repaired(document, "version-keys")

    operation = out["paths"]["/events"]["post"]
    assert "consumes" not in operation
    assert operation["parameters"] == [{"name": "q", "in": "query", "schema": {"type": "string"}}]
    assert operation["responses"]["200"] == {
        "description": "OK",
        "content": {"text/event-stream": {"x-kind": "sse"}},
    }
    assert sorted(fixup.detail for fixup in fixups) == [
        "consumes not defined on an OpenAPI 3.1 operation object: dropped",
        "description not defined on an OpenAPI 3.1 media type object: dropped",
        "schema not defined on an OpenAPI 3.1 response object: dropped",
        "type not defined on an OpenAPI 3.1 parameter object: dropped",
    ]


def test_a_31_schema_keyword_no_vocabulary_defines_is_dropped() -> None:
    schemas = {
        "Mode": {"type": "string", "summary": "Mode", "x-order": 1, "$comment": "kept", "examples": ["a"]}
    }

    out, fixups = repaired(doc({}, version="3.1.0", schemas=schemas), "version-keys")

    assert out["components"]["schemas"]["Mode"] == {
        "type": "string",
        "x-order": 1,
        "$comment": "kept",
        "examples": ["a"],
        "description": "Mode (no description in the vendor document).",
    }
    assert [fixup.detail for fixup in fixups] == ["summary not defined by the OpenAPI 3.1 dialect: dropped"]


def test_json_schema_keywords_in_a_30_schema_become_30_ones_or_go() -> None:
    schemas = {
        "Mode": {"const": "fast", "examples": ["fast"], "$schema": "x"},
        "Note": {"type": ["string", "null"], "x-order": 1},
    }

    out, fixups = repaired(doc({}, schemas=schemas), "version-keys")

    assert out["components"]["schemas"]["Mode"] == {
        "enum": ["fast"],
        "example": "fast",
        "description": "Mode (no description in the vendor document).",
    }
    assert out["components"]["schemas"]["Note"]["type"] == "string"
    assert out["components"]["schemas"]["Note"]["nullable"] is True
    assert len(fixups) == 4


# --- openapi31-idioms ------------------------------------------------------------------------------


def test_30_idioms_in_a_31_document_are_converted() -> None:
    schemas = {
        "Range": {
            "type": "object",
            "properties": {
                "low": {"type": "integer", "minimum": 0, "exclusiveMinimum": True},
                "high": {"type": "number", "maximum": 10, "exclusiveMaximum": False},
                "label": {"type": "string", "nullable": True, "enum": ["a", "b"]},
                "owner": {"$ref": "#/components/schemas/Range", "nullable": True},
                "either": {"oneOf": [{"type": "string"}, {"type": "integer"}], "nullable": True},
                "flag": {"type": "boolean", "nullable": False},
            },
        },
        "Tree": {
            "$recursiveAnchor": True,
            "type": "object",
            "properties": {"children": {"type": "array", "items": {"$recursiveRef": "#"}}},
        },
    }

    out, fixups = repaired(doc({}, version="3.1.0", schemas=schemas), "openapi31-idioms")

    props = out["components"]["schemas"]["Range"]["properties"]
    assert props["low"] == {"type": "integer", "exclusiveMinimum": 0}
    assert props["high"] == {"type": "number", "maximum": 10}
    assert props["label"] == {"type": ["string", "null"], "enum": ["a", "b", None]}
    assert props["owner"] == {"anyOf": [{"$ref": "#/components/schemas/Range"}, {"type": "null"}]}
    assert props["either"] == {"oneOf": [{"type": "string"}, {"type": "integer"}, {"type": "null"}]}
    assert props["flag"] == {"type": "boolean"}
    tree = out["components"]["schemas"]["Tree"]
    assert "$recursiveAnchor" not in tree
    assert tree["properties"]["children"]["items"] == {"$ref": "#/components/schemas/Tree"}
    assert len(fixups) == 8


def test_30_documents_keep_their_idioms() -> None:
    schemas = {"N": {"type": "integer", "minimum": 0, "exclusiveMinimum": True, "nullable": True}}

    out, fixups = repaired(doc({}, schemas=schemas), "openapi31-idioms")

    assert out["components"]["schemas"]["N"]["exclusiveMinimum"] is True
    assert fixups == []


# --- duplicate-values ------------------------------------------------------------------------------


def test_values_listed_twice_are_listed_once() -> None:
    status = {
        "type": "string",
        "enum": ["open", "paid", "open"],
        "x-enum-varnames": ["Open", "Paid", "OpenAgain"],
    }
    schemas = {
        "Invoice": {
            "type": "object",
            "required": ["id", "status", "id"],
            "properties": {"id": {"type": "string"}, "status": status},
        }
    }
    query = {"name": "q", "in": "query", "schema": {"type": "string"}}
    paths = {"/invoices": {"get": {"parameters": [query, dict(query, description="again")], "responses": OK}}}

    out, fixups = repaired(doc(paths, schemas=schemas), "duplicate-values")

    invoice = out["components"]["schemas"]["Invoice"]
    assert invoice["required"] == ["id", "status"]
    assert invoice["properties"]["status"]["enum"] == ["open", "paid"]
    assert invoice["properties"]["status"]["x-enum-varnames"] == ["Open", "Paid"]
    assert out["paths"]["/invoices"]["get"]["parameters"] == [query]
    assert sorted(fixup.detail for fixup in fixups) == [
        'enum value "open" listed twice: kept once',
        "parameter 'q' (in query) declared twice: the first declaration kept",
        'required "id" listed twice: kept once',
    ]


# --- default-type ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("schema", "expected"),
    [
        ({"type": "integer", "default": "25"}, 25),
        ({"type": "number", "default": "2.5"}, 2.5),
        ({"type": "boolean", "default": "False"}, False),
        ({"type": "string", "default": 10}, "10"),
        ({"type": "string", "enum": ["auto", "manual"], "default": ["auto"]}, "auto"),
        ({"type": "array", "items": {"type": "string"}, "default": "all"}, ["all"]),
        ({"type": "integer", "default": ""}, None),
        ({"type": "integer", "default": False}, None),
        ({"type": "array", "items": {"type": "integer"}, "default": ""}, None),
        ({"type": "string", "format": "date", "default": "today"}, None),
        ({"type": "string", "default": ["a", "b"]}, None),
    ],
)
def test_a_default_of_the_wrong_type_is_converted_when_obvious_else_dropped(
    schema: dict[str, Any], expected: Any
) -> None:
    paths = {
        "/things": {"get": {"parameters": [{"name": "v", "in": "query", "schema": schema}], "responses": OK}}
    }

    out, fixups = repaired(doc(paths), "default-type")

    kept = out["paths"]["/things"]["get"]["parameters"][0]["schema"]
    assert kept.get("default") == expected and ("default" in kept) == (expected is not None)
    assert [fixup.location for fixup in fixups] == ["paths./things.get.parameters.0.schema.default"]
    assert fixups[0].detail.endswith(": dropped") == (expected is None)


def test_defaults_that_fit_are_left_alone_including_null_where_null_is_allowed() -> None:
    schemas = {
        "A": {"type": "integer", "default": 3},
        "B": {"type": "string", "nullable": True, "default": None},
        "C": {"$ref": "#/components/schemas/A"},
        "D": {"type": "object", "properties": {"a": {"$ref": "#/components/schemas/A"}}, "default": {"a": 1}},
    }

    out, fixups = repaired(doc({}, schemas=schemas), "default-type")

    assert fixups == []
    assert out["components"]["schemas"]["D"]["default"] == {"a": 1}


def test_a_null_default_on_a_31_schema_without_null_is_dropped() -> None:
    schemas = {"S": {"type": "object", "properties": {"n": {"type": "object", "default": None}}}}

    out, fixups = repaired(doc({}, version="3.1.0", schemas=schemas), "default-type")

    assert out["components"]["schemas"]["S"]["properties"]["n"] == {"type": "object"}
    assert [fixup.detail for fixup in fixups] == ["default null does not fit the schema: dropped"]


# --- allof-non-object and boolean-enum --------------------------------------------------------------


def test_an_allof_that_only_describes_one_schema_becomes_that_schema() -> None:
    source = {"oneOf": [{"$ref": "#/components/schemas/File"}, {"$ref": "#/components/schemas/Folder"}]}
    schemas = {
        "File": {"type": "object", "properties": {"name": {"type": "string"}}},
        "Folder": {"type": "object", "properties": {"path": {"type": "string"}}},
        "Event": {
            "type": "object",
            "properties": {
                "source": {"allOf": [source, {"description": "What changed."}]},
                "owner": {"allOf": [{"$ref": "#/components/schemas/File"}, {"description": "Its owner."}]},
                "both": {
                    "allOf": [{"$ref": "#/components/schemas/File"}, {"$ref": "#/components/schemas/Folder"}]
                },
                "size": {"allOf": [{"type": "integer", "nullable": True}], "readOnly": True},
                "file": {"allOf": [{"$ref": "#/components/schemas/File"}], "readOnly": True},
            },
        },
    }

    out, fixups = repaired(doc({}, schemas=schemas), "allof-non-object")

    props = out["components"]["schemas"]["Event"]["properties"]
    assert props["source"] == {**source, "description": "What changed."}
    assert props["owner"] == {"allOf": [{"$ref": "#/components/schemas/File"}], "description": "Its owner."}
    assert len(props["both"]["allOf"]) == 2
    assert props["size"] == {"readOnly": True, "type": "integer", "nullable": True}
    assert props["file"] == {"allOf": [{"$ref": "#/components/schemas/File"}], "readOnly": True}
    assert len(fixups) == 3


def test_an_enum_of_both_booleans_is_a_boolean() -> None:
    flag = {"name": "accepted", "in": "query", "schema": {"enum": [True, False]}}
    only_true = {"type": "boolean", "enum": [True]}
    paths = {"/search": {"get": {"parameters": [flag], "responses": OK}}}

    out, fixups = repaired(doc(paths, schemas={"T": only_true}), "boolean-enum")

    assert out["paths"]["/search"]["get"]["parameters"][0]["schema"] == {"type": "boolean"}
    assert out["components"]["schemas"]["T"]["enum"] == [True]
    assert [fixup.detail for fixup in fixups] == ["enum [true, false] -> a boolean"]


# --- inline-object-hoist ---------------------------------------------------------------------------


def test_inline_objects_below_a_union_member_become_components_named_as_the_generator_names_them() -> None:
    schemas = {
        "Index": {
            "oneOf": [
                {"type": "object", "properties": {"options": {"type": "object"}}},
                {"type": "object", "properties": {"kind": {"type": "string"}}},
            ]
        },
        "Result": {"type": "object", "nullable": True, "properties": {"detail": {"type": "object"}}},
        "Plain": {"type": "object", "properties": {"inner": {"type": "object"}}},
        "IndexType0Options": {"type": "string"},
    }

    out, fixups = repaired(doc({}, schemas=schemas), "inline-object-hoist")

    components = out["components"]["schemas"]
    assert components["Index"]["oneOf"][0]["properties"]["options"] == {
        "$ref": "#/components/schemas/IndexType0Options2"
    }
    assert components["Result"]["properties"]["detail"] == {"$ref": "#/components/schemas/ResultType0Detail"}
    assert components["Plain"]["properties"]["inner"]["type"] == "object"
    assert [fixup.detail for fixup in fixups] == [
        "inline object below a union member -> component IndexType0Options2",
        "inline object below a union member -> component ResultType0Detail",
    ]


# --- all repairs together --------------------------------------------------------------------------


def test_repairs_are_idempotent_deterministic_and_leave_the_input_alone() -> None:
    original = copy.deepcopy(SHELVES)

    once, fixups = normalize(SHELVES)
    twice, again = normalize(once)

    assert original == SHELVES
    assert twice == once and again == []
    assert normalize(SHELVES) == (once, fixups)
    assert summarize(fixups)["equivalent-paths"] == 1


# --- same-Python-name schemas (rule model-class-name) -------------------------------------------------


def test_a_schema_named_like_an_alias_component_gets_another_class_name() -> None:
    # `Visitor` is only a $ref: the generator still names a class `Visitor` after it, so `visitor` cannot be.
    schemas = {
        "Visitor": {"$ref": "#/components/schemas/VisitorModel"},
        "VisitorModel": {"type": "object", "properties": {"id": {"type": "string"}}},
        "visitor": {"type": "object", "properties": {"name": {"type": "string"}}},
    }

    out, fixups = repaired(doc({}, schemas=schemas), "model-class-name")

    assert "title" not in out["components"]["schemas"]["Visitor"]
    assert out["components"]["schemas"]["visitor"]["title"] == "Visitor2"
    assert [fixup.location for fixup in fixups] == ["components.schemas.visitor"]


def test_repairs_take_any_shape_without_an_exception() -> None:
    weird: dict[str, Any] = {
        "openapi": "3.1.0",
        "info": {"title": "t", "version": "1"},
        "paths": {
            "/a/{x}": {"parameters": {"not": "a list"}, "get": {"parameters": "none", "responses": OK}},
            "/a/{y}": {"parameters": [7, None], "get": [], "delete": {"responses": {"204": 5}}},
            "/b": {"get": {"responses": json_answer({"type": "integer", "default": "9" * 5000})}},
        },
        "components": {
            "schemas": {
                "E": {"enum": "abc", "required": "x", "type": ["a", "a"], "default": {"$ref": 3}},
                "U": {"oneOf": [None, {"properties": {"p": {"type": "object"}}}], "nullable": "yes"},
                "R": {"$ref": "#/paths/~1a~1{x}/get/responses/200", "allOf": "no"},
            },
            "parameters": [],
        },
    }

    out, fixups = normalize(weird)

    assert (
        "default"
        not in out["paths"]["/b"]["get"]["responses"]["200"]["content"]["application/json"]["schema"]
    )
    assert {"default-type", "duplicate-values", "equivalent-paths"} <= {fixup.rule for fixup in fixups}


def test_the_30_twin_of_a_repaired_31_document_is_valid_30() -> None:
    from specpipe.openapi30 import to_openapi30, validate_openapi30

    attributes = {"type": "object", "maxProperties": 4, "propertyNames": {"maxLength": 8}, "$comment": "map"}
    schemas = {"Attributes": {**attributes, "summary": "Attributes", "nullable": True}}
    out, _fixups = repaired(
        doc({"/a": {"get": {"responses": json_answer(attributes)}}}, "3.1.0", schemas=schemas), ""
    )

    twin = to_openapi30(out)

    validate_openapi30(twin)
    assert twin["components"]["schemas"]["Attributes"]["nullable"] is True
    assert "propertyNames" not in twin["components"]["schemas"]["Attributes"]
