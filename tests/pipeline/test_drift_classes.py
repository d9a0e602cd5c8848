"""The comparison's building blocks on small documents: messages, directions, pointers, the safety net."""

from __future__ import annotations

from typing import Any

from drift_docs import Doc, base, edited, op, schema
from specpipe.drift import _document_changes
from specpipe.drift_changes import Change, named_segments, pointer, resolve, subject


def own_changes(old: Doc, new: Doc) -> list[Change]:
    return _document_changes(old, new, {})


def _set(node: dict[str, Any], key: str, value: Any) -> None:
    node[key] = value


def test_messages_name_the_thing_and_its_owner() -> None:
    found = own_changes(base(), edited(lambda d: schema(d, "Job")["properties"].pop("jobNo")))
    assert [c.message for c in found] == ["Property `jobNo` of the request body of `POST /job` was removed."]
    found = own_changes(
        base(), edited(lambda d: _set(op(d, "/job", "get")["parameters"][0]["schema"], "type", "string"))
    )
    assert [c.message for c in found] == [
        "Type of the `page` query parameter of `GET /job` changed from `integer` to `string`."
    ]


def test_a_shared_schema_is_rated_in_each_direction_it_travels() -> None:
    def share(doc: Doc) -> None:
        op(doc, "/job", "post")["requestBody"]["content"]["application/json"]["schema"] = {
            "$ref": "#/components/schemas/JobListItem"
        }

    old = edited(share)
    new = edited(share)
    new["components"]["schemas"]["JobListItem"]["properties"]["status"]["enum"].append("cancelled")
    found = {(c.cls, c.level) for c in own_changes(old, new)}
    assert found == {
        ("request-property-enum-value-added", "info"),
        ("response-property-enum-value-added", "warning"),
    }


def test_other_differences_are_not_reported_inside_a_rated_change() -> None:
    def edit(doc: Doc) -> None:
        schema(doc, "Job")["description"] = "Changed too."
        schema(doc, "Job")["properties"].pop("jobNo")

    found = own_changes(base(), edited(edit))
    assert [c.cls for c in found] == ["request-property-removed"]


# --- the model and redocly's report ---------------------------------------------------------------


def test_pointer_escapes_and_subject_drops_the_keyword() -> None:
    assert pointer("paths", "/job/{jobNo}", "get") == "#/paths/~1job~1{jobNo}/get"
    assert pointer("components", "schemas", "a~b") == "#/components/schemas/a~0b"
    assert subject("#/components/schemas/Job/properties/n/format") == "#/components/schemas/Job/properties/n"
    assert (
        subject("#/components/schemas/Job/properties/format") == "#/components/schemas/Job/properties/format"
    )
    assert (
        subject("#/components/schemas/Job/properties/type/type") == "#/components/schemas/Job/properties/type"
    )
    assert subject("#/components/securitySchemes/ApiKey/name") == "#/components/securitySchemes/ApiKey"
    assert subject("#/paths/~1job/get/parameters/0/name") == "#/paths/~1job/get/parameters/0"
    assert resolve(base(), "#/paths/~1job~1{jobNo}/delete/operationId") == "jobDeleteJobByJobNo"


def test_named_segments_walk_names_and_keywords_alike() -> None:
    assert named_segments("#/components/schemas/Job/properties/type/type") == [
        ("schemas", "Job"),
        ("properties", "type"),
    ]
    assert named_segments("#/paths/~1job~1{jobNo}/get/responses/200/content/application~1json/schema") == [
        ("paths", "/job/{jobNo}"),
        ("responses", "200"),
        ("content", "application/json"),
    ]
    assert named_segments("#") == named_segments("#/info") == []
