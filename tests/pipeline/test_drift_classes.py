"""Each drift change class on a pair of small documents: the pipeline's own check, redocly diff and the merge."""

from __future__ import annotations

import json
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Final

import pytest
from drift_docs import Doc, base, edited, op, schema
from specpipe.drift import _document_changes
from specpipe.drift_changes import (
    BREAKING,
    NON_BREAKING,
    Change,
    merge,
    named_segments,
    pointer,
    resolve,
    subject,
)
from specpipe.drift_compare import compare_documents, component_directions
from specpipe.drift_other import other_differences
from specpipe.drift_redocly import RedoclyError, changes_from_report, located, redocly_diff

B: Final = BREAKING
N: Final = NON_BREAKING
GET_JOB, POST_JOB = "#/paths/~1job/get", "#/paths/~1job/post"
JOB, ITEM = "#/components/schemas/Job", "#/components/schemas/JobListItem"


@dataclass(frozen=True)
class Case:
    id: str
    edit: Callable[[Doc], object]
    own: list[tuple[str, str, str]]  # (class, severity, location) from the pipeline's check alone
    merged: list[tuple[str, str, str, str]]  # (class, severity, source, location) after merging redocly's


def _set(target: Doc, key: str, value: object) -> None:
    target[key] = value


def _rename_property(doc: Doc) -> None:
    props = schema(doc, "JobListItem")["properties"]
    schema(doc, "JobListItem")["properties"] = {
        ("jobNumber" if k == "jobNo" else k): v for k, v in props.items()
    }


CASES = [
    Case("identical", lambda d: None, [], []),
    Case(
        "path-removed",
        lambda d: d["paths"].pop("/job/{jobNo}"),
        [("path-removed", B, "#/paths/~1job~1{jobNo}")],
        [("path-removed", B, "redocly", "#/paths/~1job~1{jobNo}")],
    ),
    Case(
        "path-added",
        lambda d: _set(
            d["paths"],
            "/site",
            {"get": {"operationId": "siteGet", "responses": {"200": {"description": "ok"}}}},
        ),
        [("path-added", N, "#/paths/~1site")],
        [("path-added", N, "pipeline", "#/paths/~1site")],
    ),
    Case(
        "operation-removed",
        lambda d: d["paths"]["/job"].pop("post"),
        [("operation-removed", B, POST_JOB)],
        [("operation-removed", B, "redocly", POST_JOB)],
    ),
    Case(
        "operation-added",
        lambda d: _set(
            d["paths"]["/job"], "put", {"operationId": "jobPut", "responses": {"200": {"description": "ok"}}}
        ),
        [("operation-added", N, "#/paths/~1job/put")],
        [("operation-added", N, "pipeline", "#/paths/~1job/put")],
    ),
    Case(
        "operation-id-changed",
        lambda d: _set(op(d, "/job", "get"), "operationId", "jobListJobs"),
        [("operation-id-changed", B, f"{GET_JOB}/operationId")],
        [("operation-id-changed", B, "redocly", f"{GET_JOB}/operationId")],
    ),
    Case(
        "parameter-removed",
        lambda d: _set(op(d, "/job", "get"), "parameters", []),
        [("parameter-removed", B, f"{GET_JOB}/parameters/0")],
        [("parameter-removed", B, "redocly", f"{GET_JOB}/parameters/0")],
    ),
    Case(
        "parameter-renamed",
        lambda d: _set(op(d, "/job", "get")["parameters"][0], "name", "pageNo"),
        [
            ("parameter-removed", B, f"{GET_JOB}/parameters/0"),
            ("parameter-added", N, f"{GET_JOB}/parameters/0"),
        ],
        # redocly pairs the two and says "renamed"; the pipeline's "added pageNo" is accounted for by it
        [("parameter-removed", B, "redocly", f"{GET_JOB}/parameters/0/name")],
    ),
    Case(
        "required-parameter-added",
        lambda d: op(d, "/job", "get")["parameters"].append(
            {"name": "tenant", "in": "query", "required": True, "schema": {"type": "string"}}
        ),
        [("parameter-became-required", B, f"{GET_JOB}/parameters/1/required")],
        [("parameter-became-required", B, "redocly", f"{GET_JOB}/parameters/1/required")],
    ),
    Case(
        "optional-parameter-added",
        lambda d: op(d, "/job", "get")["parameters"].append(
            {"name": "tenant", "in": "query", "schema": {"type": "string"}}
        ),
        [("parameter-added", N, f"{GET_JOB}/parameters/1")],
        [("parameter-added", N, "pipeline", f"{GET_JOB}/parameters/1")],
    ),
    Case(
        "parameter-became-required",
        lambda d: _set(op(d, "/job", "get")["parameters"][0], "required", True),
        [("parameter-became-required", B, f"{GET_JOB}/parameters/0/required")],
        [("parameter-became-required", B, "redocly", f"{GET_JOB}/parameters/0/required")],
    ),
    Case(
        # redocly only reports a request type that narrowed; the generated signature changes either way
        "parameter-type-widened",
        lambda d: _set(op(d, "/job", "get")["parameters"][0]["schema"], "type", "number"),
        [("type-changed", B, f"{GET_JOB}/parameters/0/schema/type")],
        [("type-changed", B, "pipeline", f"{GET_JOB}/parameters/0/schema/type")],
    ),
    Case(
        # redocly only reports removed properties of responses (or closed request schemas)
        "request-property-removed",
        lambda d: schema(d, "Job")["properties"].pop("jobNo"),
        [("property-removed", B, f"{JOB}/properties/jobNo")],
        [("property-removed", B, "pipeline", f"{JOB}/properties/jobNo")],
    ),
    Case(
        "response-property-removed",
        lambda d: schema(d, "JobListItem")["properties"].pop("jobNo"),
        [("property-removed", B, f"{ITEM}/properties/jobNo")],
        [("property-removed", B, "redocly", f"{ITEM}/properties/jobNo")],
    ),
    Case(
        "response-property-renamed",
        _rename_property,
        [
            ("property-removed", B, f"{ITEM}/properties/jobNo"),
            ("property-added", N, f"{ITEM}/properties/jobNumber"),
        ],
        [
            ("property-removed", B, "redocly", f"{ITEM}/properties/jobNo"),
            ("property-added", N, "pipeline", f"{ITEM}/properties/jobNumber"),
        ],
    ),
    Case(
        "response-type-changed",
        lambda d: _set(schema(d, "JobListItem")["properties"]["jobNo"], "type", "integer"),
        [("type-changed", B, f"{ITEM}/properties/jobNo/type")],
        [("type-changed", B, "redocly", f"{ITEM}/properties/jobNo/type")],
    ),
    Case(
        "format-changed",
        lambda d: _set(schema(d, "Job")["properties"]["duration"], "format", "int64"),
        [("format-changed", B, f"{JOB}/properties/duration/format")],
        [("format-changed", B, "redocly", f"{JOB}/properties/duration/format")],
    ),
    Case(
        # redocly also says "All properties of `site` were removed" at #/components/schemas/Site/properties,
        # which did not change; `located` drops that verdict (see the test at the end)
        "became-nullable",
        lambda d: _nullable_site(d),
        [("type-changed", B, f"{ITEM}/properties/site")],
        [("type-changed", B, "redocly", f"{ITEM}/properties/site")],
    ),
    Case(
        "required-request-property",
        lambda d: schema(d, "Job").update(required=["jobNo"]),
        [("property-became-required", B, f"{JOB}/required")],
        [("property-became-required", B, "redocly", f"{JOB}/required")],
    ),
    Case(
        "required-response-property",
        lambda d: schema(d, "JobListItem").update(required=["jobNo"]),
        [("property-became-required", N, f"{ITEM}/required")],
        [("property-became-required", N, "pipeline", f"{ITEM}/required")],
    ),
    Case(
        "optional-request-property-added",
        lambda d: _set(schema(d, "Job")["properties"], "notes", {"type": "string"}),
        [("property-added", N, f"{JOB}/properties/notes")],
        [("property-added", N, "pipeline", f"{JOB}/properties/notes")],
    ),
    Case(
        "response-property-added",
        lambda d: _set(schema(d, "JobListItem")["properties"], "notes", {"type": "string"}),
        [("property-added", N, f"{ITEM}/properties/notes")],
        [("property-added", N, "pipeline", f"{ITEM}/properties/notes")],
    ),
    Case(
        "response-enum-value-added",
        lambda d: schema(d, "JobListItem")["properties"]["status"]["enum"].append("cancelled"),
        [("enum-values-added", B, f"{ITEM}/properties/status/enum")],
        [("enum-values-added", B, "redocly", f"{ITEM}/properties/status/enum")],
    ),
    Case(
        "request-enum-value-added",
        lambda d: schema(d, "Job")["properties"]["priority"]["enum"].append("urgent"),
        [("enum-values-added", N, f"{JOB}/properties/priority/enum")],
        [("enum-values-added", N, "pipeline", f"{JOB}/properties/priority/enum")],
    ),
    Case(
        # redocly only reports enum values removed from requests; the generated enum loses a member either way
        "response-enum-value-removed",
        lambda d: schema(d, "JobListItem")["properties"]["status"]["enum"].remove("done"),
        [("enum-values-removed", B, f"{ITEM}/properties/status/enum")],
        [("enum-values-removed", B, "pipeline", f"{ITEM}/properties/status/enum")],
    ),
    Case(
        "request-enum-value-removed",
        lambda d: schema(d, "Job")["properties"]["priority"]["enum"].remove("high"),
        [("enum-values-removed", B, f"{JOB}/properties/priority/enum")],
        [("enum-values-removed", B, "redocly", f"{JOB}/properties/priority/enum")],
    ),
    Case(
        "security-scheme-changed",
        lambda d: _set(d["components"]["securitySchemes"]["ApiKey"], "name", "X-KEY"),
        [("security-changed", B, "#/components/securitySchemes/ApiKey/name")],
        [("security-changed", B, "redocly", "#/components/securitySchemes/ApiKey/name")],
    ),
    Case(
        # redocly rates only tightened security; the issue rates any change as breaking
        "global-security-changed",
        lambda d: _set(d, "security", [{"ApiKey": []}, {}]),
        [("security-changed", B, "#/security")],
        [("security-changed", B, "pipeline", "#/security")],
    ),
    Case(
        "operation-security-changed",
        lambda d: _set(op(d, "/job", "post"), "security", []),
        [("security-changed", B, f"{POST_JOB}/security")],
        [("security-changed", B, "pipeline", f"{POST_JOB}/security")],
    ),
    Case(
        "server-changed",
        lambda d: _set(d["servers"][0], "url", "https://api2.example.com"),
        [("servers-changed", B, "#/servers/0"), ("servers-changed", N, "#/servers/0")],
        [("servers-changed", B, "redocly", "#/servers/0/url")],
    ),
    Case(
        "server-added",
        lambda d: d["servers"].append({"url": "https://sandbox.example.com"}),
        [("servers-changed", N, "#/servers/1")],
        [("servers-changed", N, "pipeline", "#/servers/1")],
    ),
    Case(
        "schema-added",
        lambda d: _set(d["components"]["schemas"], "Extra", {"type": "object", "description": "x"}),
        [("schema-added", N, "#/components/schemas/Extra")],
        [("schema-added", N, "pipeline", "#/components/schemas/Extra")],
    ),
    Case(
        "schema-removed",
        lambda d: d["components"]["schemas"].pop("Unused"),
        [("schema-removed", B, "#/components/schemas/Unused")],
        [("schema-removed", B, "pipeline", "#/components/schemas/Unused")],
    ),
    Case(
        "request-body-removed",
        lambda d: op(d, "/job", "post").pop("requestBody"),
        [("request-body-removed", B, f"{POST_JOB}/requestBody")],
        [("request-body-removed", B, "redocly", f"{POST_JOB}/requestBody")],
    ),
    Case(
        "request-body-became-required",
        lambda d: _set(op(d, "/job", "post")["requestBody"], "required", True),
        [("request-body-became-required", B, f"{POST_JOB}/requestBody/required")],
        [("request-body-became-required", B, "redocly", f"{POST_JOB}/requestBody/required")],
    ),
    Case(
        "response-removed",
        lambda d: op(d, "/job", "get")["responses"].pop("404"),
        [("response-removed", B, f"{GET_JOB}/responses/404")],
        [("response-removed", B, "redocly", f"{GET_JOB}/responses/404")],
    ),
    Case(
        "media-type-removed",
        lambda d: op(d, "/job", "get")["responses"]["200"].pop("content"),
        [("media-type-removed", B, f"{GET_JOB}/responses/200/content/application~1json")],
        # redocly's "All media types were removed" (one level up) and the pipeline's finding are one
        [("media-type-removed", B, "redocly", f"{GET_JOB}/responses/200/content")],
    ),
    Case(
        "response-header-removed",
        lambda d: op(d, "/job", "get")["responses"]["200"].pop("headers"),
        [("response-header-removed", B, f"{GET_JOB}/responses/200/headers/X-Total")],
        [("response-header-removed", B, "redocly", f"{GET_JOB}/responses/200/headers")],
    ),
    Case(
        "description-only",
        lambda d: _set(op(d, "/job", "get"), "description", "Now documented."),
        [("other", N, GET_JOB)],
        [("other", N, "pipeline", GET_JOB)],
    ),
    Case(
        "info-version",
        lambda d: _set(d["info"], "version", "1.1"),
        [("other", N, "#/info")],
        [("other", N, "pipeline", "#/info")],
    ),
]


def own_changes(old: Doc, new: Doc) -> list[Change]:
    own = compare_documents(old, new)
    return [*own, *other_differences(old, new, own)]


@pytest.mark.parametrize("case", CASES, ids=[case.id for case in CASES])
def test_pipeline_check_rates_each_class(case: Case) -> None:
    found = own_changes(base(), edited(case.edit))
    assert sorted((c.cls, c.severity, c.location) for c in found) == sorted(case.own)
    assert all(c.source == "pipeline" and c.message and "\n" not in c.message for c in found)


@pytest.mark.node
@pytest.mark.parametrize("case", CASES, ids=[case.id for case in CASES])
def test_redocly_and_pipeline_merge_into_one_finding_each(case: Case, tmp_path: Path) -> None:
    old, new = base(), edited(case.edit)
    (tmp_path / "pinned.json").write_text(json.dumps(old), encoding="utf-8")
    (tmp_path / "live.json").write_text(json.dumps(new), encoding="utf-8")
    notes: list[str] = []
    found = _document_changes(tmp_path / "pinned.json", tmp_path / "live.json", old, new, notes)
    assert notes == []
    assert sorted((c.cls, c.severity, c.source, c.location) for c in found) == sorted(case.merged)


def test_messages_name_the_thing_and_its_owner() -> None:
    found = own_changes(base(), edited(lambda d: schema(d, "Job")["properties"].pop("jobNo")))
    assert [c.message for c in found] == ["Property `jobNo` of `Job` was removed."]
    found = own_changes(
        base(), edited(lambda d: _set(op(d, "/job", "get")["parameters"][0]["schema"], "type", "string"))
    )
    assert [c.message for c in found] == [
        "Type of the `page` query parameter of `GET /job` changed from 'integer' to 'string'."
    ]


def test_a_shared_schema_is_compared_once_where_it_is_defined() -> None:
    def share(doc: Doc) -> None:
        op(doc, "/job", "post")["requestBody"]["content"]["application/json"]["schema"] = {
            "$ref": "#/components/schemas/JobListItem"
        }

    old = edited(share)
    new = edited(share)
    new["components"]["schemas"]["JobListItem"]["properties"]["status"]["enum"].append("cancelled")
    found = own_changes(old, new)
    assert [(c.cls, c.severity, c.location) for c in found] == [
        ("enum-values-added", B, f"{ITEM}/properties/status/enum")
    ]


def test_component_directions_follow_references_through_components() -> None:
    directions = component_directions(base())
    assert directions[JOB] == {"request"}
    assert directions[ITEM] == {"response"}
    assert directions["#/components/schemas/Site"] == {"response"}  # only through JobListItem
    assert "#/components/schemas/Unused" not in directions


def test_unused_schema_counts_as_both_directions() -> None:
    def with_enum(doc: Doc) -> None:
        schema(doc, "Unused")["properties"] = {"kind": {"type": "string", "enum": ["a"]}}

    new = edited(with_enum)
    schema(new, "Unused")["properties"]["kind"]["enum"].append("b")
    found = own_changes(edited(with_enum), new)
    assert [(c.cls, c.severity) for c in found] == [("enum-values-added", B)]


def test_other_differences_are_not_reported_inside_a_rated_change() -> None:
    def edit(doc: Doc) -> None:
        schema(doc, "Job")["description"] = "Changed too."
        schema(doc, "Job")["properties"].pop("jobNo")

    found = own_changes(base(), edited(edit))
    assert [c.cls for c in found] == ["property-removed"]


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


def test_merge_keeps_one_finding_and_the_worse_severity() -> None:
    theirs = Change("enum-values-added", N, f"{ITEM}/properties/status/enum", "Enum gained 'x'.", "redocly")
    mine = Change(
        "enum-values-added", B, f"{ITEM}/properties/status/enum", "Enum of `status` gained `x`.", "pipeline"
    )
    assert merge([theirs], [mine]) == [
        Change(
            "enum-values-added",
            B,
            f"{ITEM}/properties/status/enum",
            "Enum of `status` gained `x`.",
            "redocly",
        )
    ]


def test_merge_keeps_removals_of_properties_named_like_keywords_apart() -> None:
    theirs = Change("property-removed", B, f"{ITEM}/properties/jobNo", "jobNo removed", "redocly")
    mine = Change("property-removed", B, f"{ITEM}/properties/name", "name removed", "pipeline")
    assert len(merge([theirs], [mine])) == 2


def test_merge_keeps_findings_of_different_classes_and_places() -> None:
    theirs = Change("type-changed", B, f"{ITEM}/properties/a/type", "t", "redocly")
    mine = [
        Change("format-changed", B, f"{ITEM}/properties/a/format", "f", "pipeline"),
        Change("type-changed", B, f"{ITEM}/properties/b/type", "u", "pipeline"),
    ]
    assert len(merge([theirs], mine)) == 3


def report(*changes: Mapping[str, object]) -> dict[str, object]:
    return {"reportVersion": "1", "changes": list(changes)}


def verdict(rule: str, at: str, impact: str = "major", message: str = "m") -> dict[str, object]:
    return {"ruleId": rule, "impact": impact, "message": message, "location": {"pointer": at}}


def test_report_verdicts_map_to_classes() -> None:
    found = changes_from_report(
        report(
            {
                "kind": "modified",
                "verdicts": [verdict("schema-constraint-changed", f"{JOB}/properties/d/format")],
            },
            {
                "kind": "modified",
                "verdicts": [verdict("schema-constraint-changed", f"{JOB}/properties/d/maxLength")],
            },
            {"kind": "removed", "verdicts": [verdict("server-removed", "#/servers/0")]},
            {"kind": "added", "impact": "minor", "verdicts": []},
            {"kind": "modified", "verdicts": [verdict("some-future-rule", "#/x", impact="minor")]},
        )
    )
    assert [(c.cls, c.severity, c.location) for c in found] == [
        ("format-changed", B, f"{JOB}/properties/d/format"),
        ("constraint-changed", B, f"{JOB}/properties/d/maxLength"),
        ("servers-changed", B, "#/servers/0"),
        ("redocly:some-future-rule", N, "#/x"),
    ]


def test_a_rename_verdict_accounts_for_both_names() -> None:
    entry = {
        "kind": "modified",
        "property": "key",
        "base": {"pointer": f"{ITEM}/properties/a"},
        "revision": {"pointer": f"{ITEM}/properties/b"},
        "verdicts": [verdict("property-removed", f"{ITEM}/properties/b", message="`a` was renamed to `b`.")],
    }
    (found,) = changes_from_report(report(entry))
    mine = [
        Change("property-removed", B, f"{ITEM}/properties/a", "removed a", "pipeline"),
        Change("property-added", N, f"{ITEM}/properties/b", "added b", "pipeline"),
    ]
    assert [(c.cls, c.message) for c in merge([found], mine)] == [
        ("property-removed", "`a` was renamed to `b`.")
    ]


def test_unsupported_report_version_is_refused() -> None:
    with pytest.raises(RedoclyError, match="report version '2'"):
        changes_from_report({"reportVersion": "2", "changes": []})


def test_verdicts_at_unchanged_places_are_dropped() -> None:
    old, new = base(), base()
    new["components"]["schemas"]["Job"]["description"] = "changed"
    kept = Change("other-rule", B, f"{JOB}/description", "m", "redocly")
    dropped = Change("property-removed", B, "#/components/schemas/Site/properties", "m", "redocly")
    assert located([kept, dropped], old, new) == [kept]


def _nullable_site(doc: Doc) -> None:
    schema(doc, "JobListItem")["properties"]["site"] = {
        "anyOf": [{"$ref": "#/components/schemas/Site"}, {"type": "null"}]
    }


@pytest.mark.node
def test_redocly_verdict_at_an_unchanged_component_is_dropped(tmp_path: Path) -> None:
    old, new = base(), edited(_nullable_site)
    (tmp_path / "pinned.json").write_text(json.dumps(old), encoding="utf-8")
    (tmp_path / "live.json").write_text(json.dumps(new), encoding="utf-8")
    raw = redocly_diff(tmp_path / "pinned.json", tmp_path / "live.json")
    misplaced = ("property-removed", "#/components/schemas/Site/properties")
    assert misplaced in [(c.cls, c.location) for c in raw]
    assert misplaced not in [(c.cls, c.location) for c in located(raw, old, new)]
    assert ("type-changed", f"{ITEM}/properties/site") in [
        (c.cls, c.location) for c in located(raw, old, new)
    ]
