"""Normalization fix-ups, each on a small inline document; exact expected documents and fix-up lists."""

from __future__ import annotations

import copy
import importlib
import json
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from types import MappingProxyType
from typing import Any

import pytest
from specpipe.normalize import (
    RULES,
    FixUp,
    binary_media_types,
    derive_operation_id,
    generator_handles,
    normalize,
    summarize,
)

REF = {"$ref": "#/components/schemas/Inner"}
NO_CONTENT = {"204": {"description": "No content."}}
DOTNET_INT_PATTERN = "^-?(?:0|[1-9]\\d*)$"
DOTNET_NUMBER_PATTERN = "^-?(?:0|[1-9]\\d*)(?:\\.\\d+)?(?:[eE][+-]?\\d+)?$"


DERIVED = "<the id rule operation-id derives>"


def spec(paths: dict[str, Any] | None = None, version: str = "3.0.3", **components: Any) -> dict[str, Any]:
    """A minimal document; ``components`` keyword arguments become ``components.<name>``.

    An operationId ``DERIVED`` (``clean_op``'s) becomes the id rule operation-id gives that operation."""
    doc: dict[str, Any] = {"openapi": version, "info": {"title": "t", "version": "1"}, "paths": paths or {}}
    for path, item in doc["paths"].items():
        for method, operation in item.items():
            if isinstance(operation, dict) and operation.get("operationId") == DERIVED:
                operation["operationId"] = derive_operation_id(operation["tags"][0], method, path)
    if components:
        doc["components"] = components
    return doc


def clean_op(tag: str = "Job", **fields: Any) -> dict[str, Any]:
    """An operation no rule has anything to say about (unless ``fields`` adds something)."""
    operation: dict[str, Any] = {"tags": [tag], "summary": "Does a thing.", "operationId": DERIVED}
    operation.update(fields)
    operation.setdefault("responses", NO_CONTENT)
    return operation


def path_param(name: str) -> dict[str, Any]:
    return {"name": name, "in": "path", "required": True, "schema": {"type": "string"}}


def described(schema: dict[str, Any]) -> dict[str, Any]:
    return {"description": "A schema.", **schema}


def only(rule: str, doc: dict[str, Any]) -> tuple[dict[str, Any], list[FixUp]]:
    """Normalize and check that every fix-up came from ``rule``."""
    out, fixups = normalize(doc)
    assert {fixup.rule for fixup in fixups} <= {rule}, fixups
    return out, fixups


# --- single-json-content-type ---------------------------------------------------------------------


def test_request_body_with_dotnet_media_types_keeps_only_application_json() -> None:
    job = {"$ref": "#/components/schemas/Job"}
    body = {
        "description": "The job.",
        "content": {
            "application/json-patch+json": {"schema": job},
            "application/json": {"schema": job, "example": {"no": "1"}},
            "text/json": {"schema": job},
            "application/*+json": {"schema": job},
        },
    }
    doc = spec({"/job": {"post": clean_op(requestBody=body)}})

    out, fixups = only("single-json-content-type", doc)

    assert out["paths"]["/job"]["post"]["requestBody"] == {
        "description": "The job.",
        "content": {"application/json": {"schema": job, "example": {"no": "1"}}},
    }
    assert fixups == [
        FixUp(
            "single-json-content-type",
            "paths./job.post.requestBody",
            "kept application/json; dropped application/json-patch+json, text/json, application/*+json",
        )
    ]


def test_response_drops_text_plain_next_to_json_and_keeps_other_media_types_in_place() -> None:
    content = {
        "text/plain": {"schema": {"type": "string"}},
        "application/octet-stream": {"schema": {"type": "string", "format": "binary"}},
        "text/json": {"schema": {"type": "object", "title": "from text/json"}},
        "application/json": {"schema": {"type": "object", "title": "from application/json"}},
    }
    doc = spec({"/job": {"get": clean_op(responses={"200": {"description": "ok", "content": content}})}})

    out, fixups = only("single-json-content-type", doc)

    got = out["paths"]["/job"]["get"]["responses"]["200"]["content"]
    assert list(got) == ["application/octet-stream", "application/json"]
    assert got == {
        "application/octet-stream": {"schema": {"type": "string", "format": "binary"}},
        "application/json": {"schema": {"type": "object", "title": "from application/json"}},
    }
    assert [(f.location, f.detail) for f in fixups] == [
        ("paths./job.get.responses.200", "kept application/json; dropped text/plain, text/json")
    ]


@pytest.mark.parametrize(
    ("content", "expected_detail"),
    [
        (
            {"text/json": {"schema": {"title": "a"}}, "application/*+json": {"schema": {"title": "b"}}},
            "kept application/json (was text/json); dropped application/*+json",
        ),
        ({"text/json": {"schema": {"title": "a"}}}, "kept application/json (was text/json)"),
        (
            {"application/*+json": {"schema": {"title": "a"}}},
            "kept application/json (was application/*+json)",
        ),
        (
            {"application/json; charset=utf-8": {"schema": {"title": "a"}}},
            "kept application/json (was application/json; charset=utf-8)",
        ),
        (
            {
                "application/*+json": {"schema": {"title": "b"}},
                "application/json; charset=utf-8": {"schema": {"title": "a"}},
            },
            "kept application/json (was application/json; charset=utf-8); dropped application/*+json",
        ),
    ],
)
def test_json_aliases_without_application_json_are_renamed(
    content: dict[str, Any], expected_detail: str
) -> None:
    doc = spec({"/job": {"post": clean_op(requestBody={"content": content})}})

    out, fixups = only("single-json-content-type", doc)

    assert out["paths"]["/job"]["post"]["requestBody"] == {
        "content": {"application/json": {"schema": {"title": "a"}}}
    }
    assert [f.detail for f in fixups] == [expected_detail]


def test_component_request_bodies_and_responses_are_fixed_too() -> None:
    doc = spec(
        None,
        requestBodies={
            "JobBody": {"content": {"application/json": {"schema": {}}, "text/json": {"schema": {}}}}
        },
        responses={"JobList": {"description": "ok", "content": {"text/plain": {}, "application/json": {}}}},
    )

    out, fixups = only("single-json-content-type", doc)

    assert out["components"] == {
        "requestBodies": {"JobBody": {"content": {"application/json": {"schema": {}}}}},
        "responses": {"JobList": {"description": "ok", "content": {"application/json": {}}}},
    }
    assert [f.location for f in fixups] == [
        "components.requestBodies.JobBody",
        "components.responses.JobList",
    ]


@pytest.mark.parametrize(
    "content",
    [
        {"application/json": {"schema": {"type": "object"}}},
        {"application/json-patch+json": {"schema": {"type": "array", "items": {}}}},
        {"application/octet-stream": {"schema": {"type": "string", "format": "binary"}}},
        {"multipart/form-data": {"schema": {"type": "object"}}, "application/x-www-form-urlencoded": {}},
        {"application/json": {}, "application/x-www-form-urlencoded": {}},
    ],
)
def test_clean_content_is_left_alone(content: dict[str, Any]) -> None:
    doc = spec({"/job": {"post": clean_op(requestBody={"content": content})}})

    out, fixups = normalize(doc)

    assert fixups == []
    assert out == doc


# --- numeric-string-union -------------------------------------------------------------------------


def test_dotnet_numeric_string_unions_become_numbers_everywhere() -> None:
    int_union = {"type": ["integer", "string"], "format": "int32", "pattern": DOTNET_INT_PATTERN}
    nullable_number = {
        "type": ["number", "string", "null"],
        "format": "double",
        "pattern": DOTNET_NUMBER_PATTERN,
    }
    null_first = {"type": ["null", "integer", "string"], "pattern": DOTNET_INT_PATTERN}
    schemas = {
        "Job": described(
            {
                "type": "object",
                "properties": {
                    "id": int_union,
                    "rate": nullable_number,
                    "lines": {"type": "array", "items": {"type": "object", "properties": {"qty": int_union}}},
                    "extra": {"type": "object", "additionalProperties": null_first},
                    "combo": {"allOf": [int_union], "anyOf": [int_union], "oneOf": [{"not": int_union}]},
                },
            }
        )
    }
    operation = clean_op(
        parameters=[{"name": "jobNo", "in": "path", "required": True, "schema": int_union}],
        requestBody={"content": {"application/json": {"schema": nullable_number}}},
        responses={"200": {"description": "ok", "headers": {"X-Total": {"schema": int_union}}}},
    )
    doc = spec(
        {
            "/job/{jobNo}": {
                "parameters": [{"name": "v", "in": "query", "schema": null_first}],
                "put": operation,
            }
        },
        version="3.1.0",
        schemas=schemas,
        parameters={"Page": {"name": "page", "in": "query", "schema": int_union}},
    )

    out, fixups = only("numeric-string-union", doc)

    integer = {"type": "integer", "format": "int32"}
    props = out["components"]["schemas"]["Job"]["properties"]
    assert props["id"] == integer
    assert props["rate"] == {"type": ["number", "null"], "format": "double"}
    assert props["lines"]["items"]["properties"]["qty"] == integer
    assert props["extra"]["additionalProperties"] == {"type": ["null", "integer"]}
    assert props["combo"] == {"allOf": [integer], "anyOf": [integer], "oneOf": [{"not": integer}]}
    assert out["components"]["parameters"]["Page"]["schema"] == integer
    item = out["paths"]["/job/{jobNo}"]
    assert item["parameters"][0]["schema"] == {"type": ["null", "integer"]}
    assert item["put"]["parameters"][0]["schema"] == integer
    assert item["put"]["requestBody"]["content"]["application/json"]["schema"] == {
        "type": ["number", "null"],
        "format": "double",
    }
    assert item["put"]["responses"]["200"]["headers"]["X-Total"]["schema"] == integer
    assert [f.location for f in fixups] == [
        "components.parameters.Page.schema",
        "components.schemas.Job.properties.combo.allOf.0",
        "components.schemas.Job.properties.combo.anyOf.0",
        "components.schemas.Job.properties.combo.oneOf.0.not",
        "components.schemas.Job.properties.extra.additionalProperties",
        "components.schemas.Job.properties.id",
        "components.schemas.Job.properties.lines.items.properties.qty",
        "components.schemas.Job.properties.rate",
        "paths./job/{jobNo}.parameters.0.schema",
        "paths./job/{jobNo}.put.parameters.0.schema",
        "paths./job/{jobNo}.put.requestBody.content.application/json.schema",
        "paths./job/{jobNo}.put.responses.200.headers.X-Total.schema",
    ]
    assert fixups[-1].detail == 'type ["integer", "string"] -> "integer" and its pattern'


@pytest.mark.parametrize(
    "schema",
    [
        {"type": ["string", "null"]},
        {"type": ["integer", "string"]},  # a genuine union: no pattern or numeric format says "number"
        {"type": ["integer", "boolean"], "pattern": DOTNET_INT_PATTERN},
        {"type": "integer", "format": "int64"},
        {"type": "string", "pattern": DOTNET_INT_PATTERN},
    ],
)
def test_schemas_that_are_not_dotnet_numbers_are_left_alone(schema: dict[str, Any]) -> None:
    doc = spec(version="3.1.0", schemas={"Thing": described({"properties": {"x": schema}})})

    out, fixups = normalize(doc)

    assert fixups == []
    assert out == doc


# --- nullable-ref ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "null_marker",
    [{"type": "null"}, {"type": ["null"]}, {"nullable": True}],
    ids=["type-null", "type-list-null", "nullable-true"],
)
def test_openapi31_nullable_allof_ref_becomes_anyof_with_null(null_marker: dict[str, Any]) -> None:
    field = {"description": "The inner part.", "allOf": [REF], **null_marker, "default": None}
    doc = spec(
        version="3.1.0",
        schemas={"Inner": described({}), "Holder": described({"properties": {"inner": field}})},
    )

    out, fixups = only("nullable-ref", doc)

    assert out["components"]["schemas"]["Holder"]["properties"]["inner"] == {
        "description": "The inner part.",
        "anyOf": [REF, {"type": "null"}],
        "default": None,
    }
    assert fixups == [
        FixUp(
            "nullable-ref",
            "components.schemas.Holder.properties.inner",
            'allOf [$ref] + null -> anyOf [$ref, {"type": "null"}]',
        )
    ]


def test_openapi30_allof_ref_with_type_null_becomes_nullable() -> None:
    field = {"allOf": [REF], "type": "null", "description": "d"}
    doc = spec(schemas={"Inner": described({}), "Holder": described({"properties": {"inner": field}})})

    out, fixups = only("nullable-ref", doc)

    assert out["components"]["schemas"]["Holder"]["properties"]["inner"] == {
        "allOf": [REF],
        "nullable": True,
        "description": "d",
    }
    assert [f.location for f in fixups] == ["components.schemas.Holder.properties.inner"]


@pytest.mark.parametrize(
    ("version", "field"),
    [
        ("3.0.3", {"allOf": [REF], "nullable": True}),
        ("3.0.3", {"allOf": [REF]}),
        ("3.1.0", {"anyOf": [REF, {"type": "null"}]}),
        ("3.1.0", {"allOf": [REF, {"properties": {"x": {}}}], "type": "null"}),
        ("3.1.0", {"allOf": [REF], "nullable": False}),
    ],
)
def test_clean_or_unrelated_refs_are_left_alone(version: str, field: dict[str, Any]) -> None:
    doc = spec(
        version=version, schemas={"Inner": described({}), "Holder": described({"properties": {"x": field}})}
    )

    out, fixups = normalize(doc)

    assert fixups == []
    assert out == doc


# --- operation-id ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("tag", "method", "path", "expected"),
    [
        ("Job", "get", "/job/{jobNo}", "jobGetJobByJobNo"),
        ("Optimization", "post", "/optimization/dailyRoute", "optimizationPostOptimizationDailyRoute"),
        ("default", "delete", "/job-types/{job_no}/lines", "defaultDeleteJobTypesByJobNoLines"),
        ("API Keys", "put", "/v1.0/{id}", "apiKeysPutV10ById"),
        ("URL", "get", "/", "urlGet"),
        ("2fa", "post", "/x", "op2faPostX"),
    ],
)
def test_derived_operation_ids(tag: str, method: str, path: str, expected: str) -> None:
    assert derive_operation_id(tag, method, path) == expected


def test_missing_operation_ids_are_derived_from_tag_method_and_path() -> None:
    doc = spec(
        {
            "/job/{jobNo}": {
                "parameters": [path_param("jobNo")],
                "get": {"tags": ["Job"], "summary": "s", "responses": NO_CONTENT},
            },
            "/optimization/dailyRoute": {"post": {**clean_op(tag="Optimization"), "operationId": ""}},
            "/ping": {"get": {"summary": "s", "responses": NO_CONTENT}},
            "/resource": {"get": clean_op(tag="Resource")},
        }
    )

    out, fixups = normalize(doc)

    ids = {
        path: op["operationId"]
        for path, item in out["paths"].items()
        for m, op in item.items()
        if m != "parameters"
    }
    assert ids == {
        "/job/{jobNo}": "jobGetJobByJobNo",
        "/optimization/dailyRoute": "optimizationPostOptimizationDailyRoute",
        "/ping": "pingGetPing",  # rule operation-tag-summary tags it first
        "/resource": "resourceGetResource",
    }
    assert [(f.rule, f.location, f.detail) for f in fixups] == [
        ("operation-tag-summary", "paths./ping.get.tags", "added tag 'Ping'"),
        ("operation-id", "paths./job/{jobNo}.get.operationId", "missing operationId -> jobGetJobByJobNo"),
        (
            "operation-id",
            "paths./optimization/dailyRoute.post.operationId",
            "missing operationId -> optimizationPostOptimizationDailyRoute",
        ),
        ("operation-id", "paths./ping.get.operationId", "missing operationId -> pingGetPing"),
    ]


def vendor_ids_doc(reverse: bool) -> dict[str, Any]:
    def vendor(operation_id: str, **fields: Any) -> dict[str, Any]:
        return {**clean_op(**fields), "operationId": operation_id}

    paths = {
        "/job": {
            "get": vendor("getJob", description="Gets a job.  \n"),
            "post": vendor("get_job"),
        },
        "/job/{jobNo}": {"get": vendor("GetJob", parameters=[path_param("jobNo")])},
        "/job-x": {"get": vendor("dup")},
        "/jobX": {"get": vendor("dup")},
        "/jobs": {"get": vendor("jobGetJobs")},  # the vendor's id is the contract's: nothing to do
        "/other": {"get": vendor("listJobs")},
    }
    if reverse:
        paths = {path: dict(reversed(item.items())) for path, item in reversed(paths.items())}
    return spec(paths)


def test_every_operation_is_named_from_the_contract_whatever_the_document_order() -> None:
    forward, fixups = only("operation-id", vendor_ids_doc(reverse=False))
    backward, _ = normalize(vendor_ids_doc(reverse=True))

    def ids(doc: dict[str, Any]) -> dict[tuple[str, str], tuple[str, str | None]]:
        return {
            (p, m): (op["operationId"], op.get("x-vendor-operation-id"))
            for p, item in doc["paths"].items()
            for m, op in item.items()
        }

    assert ids(forward) == {
        ("/job", "get"): ("jobGetJob", "getJob"),
        ("/job", "post"): ("jobPostJob", "get_job"),
        ("/job/{jobNo}", "get"): ("jobGetJobByJobNo", "GetJob"),
        ("/job-x", "get"): ("jobGetJobX", "dup"),
        ("/jobX", "get"): ("jobGetJobX2", "dup"),  # clashes with /job-x, which comes first
        ("/jobs", "get"): ("jobGetJobs", None),
        ("/other", "get"): ("jobGetOther", "listJobs"),
    }
    assert ids(backward) == ids(forward)
    assert [(f.location, f.detail) for f in fixups] == [
        ("paths./job-x.get.operationId", 'vendor "dup" -> jobGetJobX'),
        ("paths./job.get.operationId", 'vendor "getJob" -> jobGetJob'),
        ("paths./job.post.operationId", 'vendor "get_job" -> jobPostJob'),
        ("paths./job/{jobNo}.get.operationId", 'vendor "GetJob" -> jobGetJobByJobNo'),
        ("paths./jobX.get.operationId", 'vendor "dup" -> jobGetJobX2'),
        ("paths./other.get.operationId", 'vendor "listJobs" -> jobGetOther'),
    ]


def test_the_vendor_operation_id_is_kept_beside_and_named_in_the_description() -> None:
    out, _ = normalize(vendor_ids_doc(reverse=False))

    job = out["paths"]["/job"]
    assert job["get"]["description"] == "Gets a job.\n\nVendor operationId: `getJob`."
    assert job["post"]["description"] == "Vendor operationId: `get_job`."
    assert "description" not in out["paths"]["/jobs"]["get"]
    assert normalize(out) == (out, [])


def test_contract_ids_are_kept() -> None:
    doc = spec({"/job": {"get": clean_op(), "post": clean_op()}})

    out, fixups = normalize(doc)

    assert fixups == []
    assert out == doc
    assert [op["operationId"] for op in out["paths"]["/job"].values()] == ["jobGetJob", "jobPostJob"]


# --- operation-tag-summary ------------------------------------------------------------------------


def test_missing_tags_and_summaries_are_filled_in() -> None:
    doc = spec(
        {
            "/job/{jobNo}": {
                "parameters": [path_param("jobNo")],
                "get": {"operationId": "jobGetJobByJobNo", "responses": NO_CONTENT},
            },
            "/{tenant}/dailyRoute": {
                "parameters": [path_param("tenant")],
                "post": {
                    "operationId": "dailyRoutePostByTenantDailyRoute",
                    "tags": [],
                    "summary": " ",
                    "responses": NO_CONTENT,
                },
            },
            "/": {"get": {"operationId": "rootGet", "tags": ["Root"], "responses": NO_CONTENT}},
            "/{id}": {
                "parameters": [path_param("id")],
                "get": {"operationId": "defaultGetById", "summary": "Kept.", "responses": NO_CONTENT},
            },
        }
    )

    out, fixups = only("operation-tag-summary", doc)

    operations = {
        path: {m: op for m, op in item.items() if m != "parameters"} for path, item in out["paths"].items()
    }
    assert operations == {
        "/job/{jobNo}": {
            "get": {
                "operationId": "jobGetJobByJobNo",
                "responses": NO_CONTENT,
                "tags": ["Job"],
                "summary": "GET /job/{jobNo}",
            }
        },
        "/{tenant}/dailyRoute": {
            "post": {
                "operationId": "dailyRoutePostByTenantDailyRoute",
                "tags": ["DailyRoute"],
                "summary": "POST /{tenant}/dailyRoute",
                "responses": NO_CONTENT,
            }
        },
        "/": {
            "get": {"operationId": "rootGet", "tags": ["Root"], "responses": NO_CONTENT, "summary": "GET /"}
        },
        "/{id}": {
            "get": {
                "operationId": "defaultGetById",
                "summary": "Kept.",
                "responses": NO_CONTENT,
                "tags": ["default"],
            }
        },
    }
    assert [(f.location, f.detail) for f in fixups] == [
        ("paths./.get.summary", "added summary 'GET /'"),
        ("paths./job/{jobNo}.get.summary", "added summary 'GET /job/{jobNo}'"),
        ("paths./job/{jobNo}.get.tags", "added tag 'Job'"),
        ("paths./{id}.get.tags", "added tag 'default'"),
        ("paths./{tenant}/dailyRoute.post.summary", "added summary 'POST /{tenant}/dailyRoute'"),
        ("paths./{tenant}/dailyRoute.post.tags", "added tag 'DailyRoute'"),
    ]


# --- schema-description ---------------------------------------------------------------------------


def test_component_schemas_without_description_get_one() -> None:
    doc = spec(
        schemas={
            "Job": {"type": "object", "properties": {"no": {"type": "string"}}},
            "Blank": {"type": "string", "description": "   "},
            "Kept": {"type": "string", "description": "Already described."},
        }
    )

    out, fixups = only("schema-description", doc)

    assert out["components"]["schemas"] == {
        "Job": {
            "type": "object",
            "properties": {"no": {"type": "string"}},  # nested properties are not components: left alone
            "description": "Job (no description in the vendor document).",
        },
        "Blank": {"type": "string", "description": "Blank (no description in the vendor document)."},
        "Kept": {"type": "string", "description": "Already described."},
    }
    assert [f.location for f in fixups] == ["components.schemas.Blank", "components.schemas.Job"]


# --- unsupported-media-type and binary-media-type -------------------------------------------------


def test_media_types_the_generator_cannot_handle_beside_ones_it_can_are_dropped() -> None:
    xml = {"application/xml": {"schema": REF}}
    body = {"content": {"application/xml": {"schema": REF}, "application/json": {"schema": REF}}}
    response = {"description": "ok", "content": {"text/csv": {"schema": {"type": "string"}}, **xml}}
    doc = spec({"/job": {"post": clean_op(requestBody=body, responses={"200": response})}})

    out, fixups = only("unsupported-media-type", doc)

    operation = out["paths"]["/job"]["post"]
    assert operation["requestBody"] == {"content": {"application/json": {"schema": REF}}}
    assert operation["responses"]["200"]["content"] == {"text/csv": {"schema": {"type": "string"}}}
    assert [(f.location, f.detail) for f in fixups] == [
        ("paths./job.post.requestBody", "kept application/json; dropped application/xml"),
        ("paths./job.post.responses.200", "kept text/csv; dropped application/xml"),
    ]


def test_a_body_of_only_unhandled_media_types_keeps_the_first_as_raw_bytes() -> None:
    images = {"image/png": {"schema": {"type": "string", "format": "binary"}}, "image/jpeg": {}}
    response = {"description": "ok", "content": dict(images)}
    doc = spec(
        {"/photo": {"put": clean_op(requestBody={"content": dict(images)}, responses={"200": response})}}
    )

    out, fixups = normalize(doc)

    operation = out["paths"]["/photo"]["put"]
    binary = {"type": "string", "format": "binary"}
    assert operation["requestBody"] == {"content": {"image/png": {"schema": binary}}}
    assert operation["responses"]["200"]["content"] == {
        "image/png": {"schema": binary},
        "image/jpeg": {"schema": binary},
    }
    assert [(f.rule, f.location) for f in fixups] == [
        ("unsupported-media-type", "paths./photo.put.requestBody"),
        ("binary-media-type", "paths./photo.put.responses.200.content.image/jpeg.schema"),
    ]
    assert binary_media_types(out) == ["image/jpeg", "image/png"]


def test_every_body_and_response_of_a_binary_media_type_becomes_binary() -> None:
    text_body = {"content": {"text/plain": {"schema": {"type": "string", "description": "The log."}}}}
    text_answer = {"description": "ok", "content": {"text/plain": {"schema": {"type": "string"}}}}
    pdf = {
        "description": "ok",
        "content": {"application/pdf": {"schema": {"$ref": "#/components/schemas/Pdf"}}},
    }
    doc = spec(
        {
            "/log": {"post": clean_op(requestBody=text_body, responses={"200": text_answer})},
            "/report": {"get": clean_op(responses={"200": pdf})},
        },
        schemas={"Pdf": described({"type": "string"})},
    )

    out, fixups = only("binary-media-type", doc)

    binary = {"type": "string", "format": "binary"}
    assert binary_media_types(out) == ["application/pdf", "text/plain"]
    log = out["paths"]["/log"]["post"]
    assert log["requestBody"]["content"]["text/plain"]["schema"] == {**binary, "description": "The log."}
    assert log["responses"]["200"]["content"]["text/plain"]["schema"] == binary
    assert (
        out["paths"]["/report"]["get"]["responses"]["200"]["content"]["application/pdf"]["schema"] == binary
    )
    assert [f.location for f in fixups] == [
        "paths./log.post.requestBody.content.text/plain.schema",
        "paths./log.post.responses.200.content.text/plain.schema",
        "paths./report.get.responses.200.content.application/pdf.schema",
    ]


def test_text_responses_stay_text_when_no_request_body_sends_text() -> None:
    answer = {"description": "ok", "content": {"text/plain": {"schema": {"type": "string"}}}}
    doc = spec({"/ping": {"get": clean_op(responses={"200": answer})}})

    out, fixups = normalize(doc)

    assert (out, fixups) == (doc, [])
    assert binary_media_types(out) == []


@pytest.mark.parametrize(
    ("media_type", "is_request", "handled"),
    [
        ("application/json", True, True),
        ("application/json; charset=utf-8", True, True),
        ("application/problem+json", False, True),
        ("multipart/form-data", True, True),
        ("application/x-www-form-urlencoded", True, True),
        ("application/octet-stream", True, True),
        ("text/plain", True, False),
        ("text/plain", False, True),
        ("image/*", False, False),
        ("application/xml", True, False),
        ("Application/JSON", True, False),  # the generator's own test is case-sensitive
        ("not a media type", False, False),
    ],
)
def test_generator_handles_what_openapi_python_client_reads_and_writes(
    media_type: str, is_request: bool, handled: bool
) -> None:
    assert generator_handles(media_type, request=is_request) is handled


# --- path-parameters ------------------------------------------------------------------------------


def test_path_parameters_match_the_template() -> None:
    component = {"name": "tenant", "in": "path", "schema": {"type": "string"}}
    doc = spec(
        {
            "/": {"get": clean_op(tag="default", parameters=[path_param("path")])},
            "/job/{jobNo}/lines/{line}": {
                "parameters": [
                    path_param("jobNo"),
                    path_param("stale"),
                    {"$ref": "#/components/parameters/Tenant"},
                ],
                "get": clean_op(parameters=[{"name": "q", "in": "query", "schema": {"type": "string"}}]),
                "put": clean_op(parameters=[{**path_param("line"), "required": False}]),
            },
        },
        parameters={"Tenant": component},
    )

    out, fixups = only("path-parameters", doc)

    assert "parameters" not in out["paths"]["/"]["get"]
    item = out["paths"]["/job/{jobNo}/lines/{line}"]
    assert item["parameters"] == [path_param("jobNo")]
    assert item["get"]["parameters"] == [
        {"name": "q", "in": "query", "schema": {"type": "string"}},
        path_param("line"),
    ]
    assert item["put"]["parameters"] == [path_param("line")]
    assert out["components"]["parameters"]["Tenant"]["required"] is True
    assert [(f.location, f.detail) for f in fixups] == [
        ("components.parameters.Tenant", "path parameter marked required"),
        ("paths./.get.parameters.0", "path parameter 'path' is not in the path template: dropped"),
        (
            "paths./job/{jobNo}/lines/{line}.get.parameters.1",
            "placeholder {line} has no parameter: added a required string path parameter",
        ),
        (
            "paths./job/{jobNo}/lines/{line}.parameters.1",
            "path parameter 'stale' is not in the path template: dropped",
        ),
        (
            "paths./job/{jobNo}/lines/{line}.parameters.2",
            "path parameter 'tenant' is not in the path template: dropped",
        ),
        ("paths./job/{jobNo}/lines/{line}.put.parameters.0", "path parameter marked required"),
    ]


# --- array-items ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("version", "array"),
    [("3.0.3", {"type": "array", "nullable": True}), ("3.1.0", {"type": ["array", "null"]})],
)
def test_arrays_without_items_hold_any_value(version: str, array: dict[str, Any]) -> None:
    answer = {"description": "ok", "content": {"application/json": {"schema": dict(array)}}}
    doc = spec(
        {"/site": {"get": clean_op(responses={"200": answer})}},
        version=version,
        schemas={
            "Site": described({"properties": {"tags": dict(array), "ok": {"type": "array", "items": REF}}})
        },
    )

    out, fixups = only("array-items", doc)

    expected = {**array, "items": {}}
    assert (
        out["paths"]["/site"]["get"]["responses"]["200"]["content"]["application/json"]["schema"] == expected
    )
    assert out["components"]["schemas"]["Site"]["properties"]["tags"] == expected
    assert out["components"]["schemas"]["Site"]["properties"]["ok"] == {"type": "array", "items": REF}
    assert [f.location for f in fixups] == [
        "components.schemas.Site.properties.tags",
        "paths./site.get.responses.200.content.application/json.schema",
    ]


# --- allof-nullable-object ------------------------------------------------------------------------

BASE = {"$ref": "#/components/schemas/Base"}


@pytest.mark.parametrize(
    ("version", "nullable", "wrapped"),
    [
        ("3.0.1", {"type": "object", "nullable": True}, {"allOf": [BASE], "nullable": True}),
        ("3.1.0", {"type": ["object", "null"]}, {"anyOf": [BASE, {"type": "null"}]}),
    ],
)
def test_a_nullable_object_in_allof_becomes_non_nullable_and_its_other_uses_nullable(
    version: str, nullable: dict[str, Any], wrapped: dict[str, Any]
) -> None:
    null = {"type": "null"} if version == "3.1.0" else {"nullable": True}
    answer = {"description": "ok", "content": {"application/json": {"schema": dict(BASE)}}}
    doc = spec(
        {"/base": {"get": clean_op(responses={"200": answer})}},
        version=version,
        schemas={
            "Base": described({**nullable, "properties": {"a": {"type": "string"}}}),
            "Derived": described({"allOf": [dict(BASE), {"type": "object", "properties": {"b": {}}}]}),
            "Holder": described(
                {
                    "properties": {
                        "base": dict(BASE),
                        "either": {"oneOf": [dict(BASE), null]}
                        if version == "3.1.0"
                        else {"oneOf": [dict(BASE)], **null},
                        "alias": {"allOf": [dict(BASE)]},
                    }
                }
            ),
        },
    )

    out, fixups = only("allof-nullable-object", doc)

    schemas = out["components"]["schemas"]
    assert schemas["Base"] == described({"type": "object", "properties": {"a": {"type": "string"}}})
    assert schemas["Derived"] == doc["components"]["schemas"]["Derived"]
    holder = schemas["Holder"]["properties"]
    assert holder["base"] == wrapped
    assert holder["either"] == doc["components"]["schemas"]["Holder"]["properties"]["either"]
    assert holder["alias"] == {"allOf": [BASE]}
    assert (
        out["paths"]["/base"]["get"]["responses"]["200"]["content"]["application/json"]["schema"] == wrapped
    )
    assert [(f.location, f.detail) for f in fixups] == [
        (
            "components.schemas.Base",
            "nullable object used in allOf -> not nullable; 2 other reference(s) made nullable",
        )
    ]


def test_a_nullable_inline_object_in_allof_loses_its_nullability() -> None:
    member = {"type": ["object", "null"], "properties": {"a": {"type": "string"}}}
    doc = spec(
        version="3.1.0", schemas={"Derived": described({"allOf": [REF, member]}), "Inner": described({})}
    )

    out, fixups = only("allof-nullable-object", doc)

    assert out["components"]["schemas"]["Derived"]["allOf"][1] == {
        "type": "object",
        "properties": {"a": {"type": "string"}},
    }
    assert [f.location for f in fixups] == ["components.schemas.Derived.allOf.1"]


# --- model-class-name -----------------------------------------------------------------------------


def test_reserved_and_clashing_class_names_get_a_unique_title() -> None:
    obj = {"type": "object", "properties": {"v": {"type": "string"}}}
    schemas = {
        "Any": described(obj),
        "Exception": described({"type": "string", "enum": ["a"]}),
        "File": described({"type": "string"}),  # makes no class: left alone
        "A": described({**obj, "title": "S"}),
        "B": described({**obj, "title": "S"}),
        "job_item": described(obj),
        "JobItem": described(obj),
        "ABC": described(obj),
        "Abc": described(obj),  # another class name, but the same module abc.py
        "Response": described({**obj, "title": "Answer"}),  # titled: the title names the class
    }
    doc = spec(schemas=schemas)

    out, fixups = only("model-class-name", doc)

    titles = {name: schema.get("title") for name, schema in out["components"]["schemas"].items()}
    assert titles == {
        "Any": "AnyModel",
        "Exception": "ExceptionModel",
        "File": None,
        "A": "S",
        "B": "S2",
        "job_item": "JobItem2",  # keys are visited in order: "JobItem" < "job_item"
        "JobItem": None,
        "ABC": None,
        "Abc": "Abc2",
        "Response": "Answer",
    }
    assert [(f.location, f.detail) for f in fixups] == [
        ("components.schemas.Abc", "class name Abc is taken by another schema -> title Abc2"),
        ("components.schemas.Any", "class name Any is reserved -> title AnyModel"),
        ("components.schemas.B", "class name S is taken by another schema -> title S2"),
        ("components.schemas.Exception", "class name Exception_ is reserved -> title ExceptionModel"),
        ("components.schemas.job_item", "class name JobItem is taken by another schema -> title JobItem2"),
    ]
    assert normalize(out) == (out, [])


# --- the whole run --------------------------------------------------------------------------------


def messy_doc() -> dict[str, Any]:
    """One of everything the rules fix."""
    body = {"content": {"application/json": {"schema": REF}, "text/json": {"schema": REF}}}
    xml_too = {"content": {"application/json": {"schema": REF}, "application/xml": {"schema": REF}}}
    return spec(
        {
            "/job/{jobNo}": {
                "get": {
                    "parameters": [
                        {
                            "name": "jobNo",
                            "in": "path",
                            "required": True,
                            "schema": {"type": ["integer", "string"], "pattern": "x"},
                        },
                        {"name": "unused", "in": "path", "required": True, "schema": {"type": "string"}},
                    ],
                    "responses": {
                        "200": {
                            "description": "ok",
                            "content": {"text/plain": {}, "application/json": {"schema": REF}},
                        }
                    },
                },
                "post": {"operationId": "same", "requestBody": body, "responses": NO_CONTENT},
            },
            "/job": {
                "put": {
                    "operationId": "same",
                    "tags": ["Job"],
                    "requestBody": xml_too,
                    "responses": NO_CONTENT,
                },
                "post": {
                    "tags": ["Job"],
                    "requestBody": {"content": {"image/png": {"schema": {"type": "string"}}}},
                    "responses": {
                        "200": {
                            "description": "ok",
                            "content": {"application/json": {"schema": {"type": ["array", "null"]}}},
                        }
                    },
                },
            },
        },
        version="3.1.0",
        schemas={
            "Inner": {"type": "object"},
            "Holder": {"properties": {"inner": {"allOf": [REF], "type": "null"}}},
            "Base": {"type": ["object", "null"], "properties": {"a": {"type": "string"}}},
            "Any": {
                "allOf": [{"$ref": "#/components/schemas/Base"}, {"properties": {"b": {"type": "string"}}}]
            },
            "Other": {"properties": {"base": {"$ref": "#/components/schemas/Base"}}},
        },
    )


def test_fixups_come_in_rule_order_then_location_order() -> None:
    _, fixups = normalize(messy_doc())
    rule_names = [name for name, _rule in RULES]

    positions = [(rule_names.index(f.rule), f.location) for f in fixups]

    assert positions == sorted(positions)
    assert summarize(fixups) == {
        "single-json-content-type": 2,
        "unsupported-media-type": 1,
        "binary-media-type": 1,
        "path-parameters": 2,
        "numeric-string-union": 1,
        "array-items": 1,
        "nullable-ref": 1,
        "allof-nullable-object": 1,
        "operation-tag-summary": 6,
        "operation-id": 4,
        "model-class-name": 1,
        "schema-description": 5,
    }


def test_normalize_is_idempotent() -> None:
    once, fixups = normalize(messy_doc())
    twice, more = normalize(once)

    assert fixups
    assert more == []
    assert twice == once


def test_normalize_does_not_mutate_its_input() -> None:
    doc = messy_doc()
    before = copy.deepcopy(doc)

    out, _ = normalize(doc)
    out["paths"]["/job"]["put"]["responses"]["204"]["description"] = "changed"

    assert doc == before


def test_normalize_accepts_read_only_mappings() -> None:
    doc = messy_doc()
    frozen = MappingProxyType({**doc, "info": MappingProxyType(doc["info"])})

    out, fixups = normalize(frozen)

    assert (out, fixups) == normalize(doc)
    assert type(out["info"]) is dict


def test_normalize_is_deterministic() -> None:
    first, first_fixups = normalize(messy_doc())
    second, second_fixups = normalize(messy_doc())

    assert json.dumps(first, sort_keys=False) == json.dumps(second, sort_keys=False)
    assert first_fixups == second_fixups


def test_summarize_counts_per_rule_in_rule_order() -> None:
    fixups = [
        FixUp("schema-description", "a", ""),
        FixUp("operation-id", "b", ""),
        FixUp("schema-description", "c", ""),
    ]

    summary = summarize(fixups)

    assert summary == {"operation-id": 1, "schema-description": 2}
    assert list(summary) == ["operation-id", "schema-description"]


# --- what openapi-python-client makes of the result -------------------------------------------------

GENERATOR = Path(sys.executable).parent / "openapi-python-client"


@pytest.fixture
def generate_client(tmp_path: Path) -> Iterator[Any]:
    """Generate a client from a document with openapi-python-client 0.29.1 and import it."""
    imported: list[str] = []

    def generate(doc: dict[str, Any], package: str) -> Any:
        spec_path, config = tmp_path / f"{package}.json", tmp_path / "config.json"
        spec_path.write_text(json.dumps(doc), encoding="utf-8")
        config.write_text(json.dumps({"post_hooks": []}), encoding="utf-8")
        command = [str(GENERATOR), "generate", "--path", str(spec_path), "--meta", "none"]
        command += ["--config", str(config), "--output-path", str(tmp_path / package)]
        proc = subprocess.run(command, capture_output=True, text=True, timeout=60, check=False)
        assert proc.returncode == 0, proc.stdout + proc.stderr
        if str(tmp_path) not in sys.path:
            sys.path.insert(0, str(tmp_path))
        imported.append(package)
        return proc.stdout + proc.stderr

    yield generate
    if str(tmp_path) in sys.path:
        sys.path.remove(str(tmp_path))
    for name in list(sys.modules):
        if name.split(".")[0] in imported:
            del sys.modules[name]


def generator_input() -> dict[str, Any]:
    job = {"$ref": "#/components/schemas/Job"}
    many_types = {
        "content": {
            "application/json": {"schema": job},
            "text/json": {"schema": job},
            "application/*+json": {"schema": job},
        }
    }
    return {
        "openapi": "3.1.0",
        "info": {"title": "tiny", "version": "1"},
        "paths": {
            "/job": {
                "post": {
                    "operationId": "createJob",
                    "tags": ["Job"],
                    "summary": "Create a job.",
                    "requestBody": many_types,
                    "responses": NO_CONTENT,
                }
            }
        },
        "components": {
            "schemas": {
                "Job": {
                    "type": "object",
                    "properties": {
                        "no": {"type": "string"},
                        "owner": {"allOf": [{"$ref": "#/components/schemas/Owner"}], "type": "null"},
                        "priority": {"type": ["integer", "string", "null"], "pattern": DOTNET_INT_PATTERN},
                    },
                    "required": ["no", "owner", "priority"],
                },
                "Owner": {"type": "object", "properties": {"name": {"type": "string"}}},
            }
        },
    }


def union_members(model: type, field: str) -> set[str]:
    """The members of a generated attrs field's annotation (a string: the models use PEP 563)."""
    return set(model.__annotations__[field].split(" | "))


def test_generated_client_from_normalized_document_sends_json(generate_client: Any) -> None:
    raw_output = generate_client(generator_input(), "tiny_raw_client")
    normalized, _ = normalize(generator_input())
    normalized_output = generate_client(normalized, "tiny_normalized_client")

    raw_endpoint = importlib.import_module("tiny_raw_client.api.job.create_job")
    raw_models = importlib.import_module("tiny_raw_client.models")
    endpoint = importlib.import_module("tiny_normalized_client.api.job.job_post_job")
    models = importlib.import_module("tiny_normalized_client.models")

    # Unnormalized: text/json is unsupported, the last media type wins the header, a null owner breaks.
    assert "Unsupported content type text/json" in raw_output
    raw_body = raw_models.Job(no="J1", owner=raw_models.Owner(name="Ann"), priority=1)
    assert raw_endpoint._get_kwargs(body=raw_body)["headers"] == {"Content-Type": "application/*+json"}
    assert union_members(raw_models.Job, "owner") == {"Owner"}
    assert union_members(raw_models.Job, "priority") == {"int", "None", "str"}
    with pytest.raises(AttributeError):
        raw_models.Job(no="J1", owner=None, priority=1).to_dict()

    assert "Warning" not in normalized_output
    assert union_members(models.Job, "owner") == {"Owner", "None"}
    assert union_members(models.Job, "priority") == {"int", "None"}
    body = models.Job(no="J1", owner=models.Owner(name="Ann"), priority=5)
    assert endpoint._get_kwargs(body=body) == {
        "method": "post",
        "url": "/job",
        "json": {"no": "J1", "owner": {"name": "Ann"}, "priority": 5},
        "headers": {"Content-Type": "application/json"},
    }
    no_owner = models.Job(no="J2", owner=None, priority=None)
    assert endpoint._get_kwargs(body=no_owner)["json"] == {"no": "J2", "owner": None, "priority": None}
