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
from specpipe.normalize import RULES, FixUp, derive_operation_id, normalize, summarize

REF = {"$ref": "#/components/schemas/Inner"}
NO_CONTENT = {"204": {"description": "No content."}}
DOTNET_INT_PATTERN = "^-?(?:0|[1-9]\\d*)$"
DOTNET_NUMBER_PATTERN = "^-?(?:0|[1-9]\\d*)(?:\\.\\d+)?(?:[eE][+-]?\\d+)?$"


def spec(paths: dict[str, Any] | None = None, version: str = "3.0.3", **components: Any) -> dict[str, Any]:
    """A minimal document; ``components`` keyword arguments become ``components.<name>``."""
    doc: dict[str, Any] = {"openapi": version, "info": {"title": "t", "version": "1"}, "paths": paths or {}}
    if components:
        doc["components"] = components
    return doc


def clean_op(operation_id: str, tag: str = "Job", **fields: Any) -> dict[str, Any]:
    """An operation no rule has anything to say about (unless ``fields`` adds something)."""
    operation: dict[str, Any] = {"tags": [tag], "summary": "Does a thing.", "operationId": operation_id}
    operation.update(fields)
    operation.setdefault("responses", NO_CONTENT)
    return operation


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
    doc = spec({"/job": {"post": clean_op("createJob", requestBody=body)}})

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
        "application/xml": {"schema": {"type": "object"}},
        "text/json": {"schema": {"type": "object", "title": "from text/json"}},
        "application/json": {"schema": {"type": "object", "title": "from application/json"}},
    }
    doc = spec(
        {"/job": {"get": clean_op("getJob", responses={"200": {"description": "ok", "content": content}})}}
    )

    out, fixups = only("single-json-content-type", doc)

    got = out["paths"]["/job"]["get"]["responses"]["200"]["content"]
    assert list(got) == ["application/xml", "application/json"]
    assert got == {
        "application/xml": {"schema": {"type": "object"}},
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
    doc = spec({"/job": {"post": clean_op("createJob", requestBody={"content": content})}})

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
        {"application/json-patch+json": {"schema": {"type": "array"}}},
        {"text/plain": {"schema": {"type": "string"}}},
        {"multipart/form-data": {"schema": {"type": "object"}}, "application/xml": {}},
        {"application/json": {}, "application/xml": {}},
    ],
)
def test_clean_content_is_left_alone(content: dict[str, Any]) -> None:
    doc = spec({"/job": {"post": clean_op("createJob", requestBody={"content": content})}})

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
        "getJob",
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
            "/job/{jobNo}": {"get": {"tags": ["Job"], "summary": "s", "responses": NO_CONTENT}},
            "/optimization/dailyRoute": {"post": clean_op("", tag="Optimization")},
            "/ping": {"get": {"summary": "s", "responses": NO_CONTENT}},
            "/resource": {"get": clean_op("listResources", tag="Resource")},
        }
    )

    out, fixups = normalize(doc)

    ids = {path: next(iter(item.values()))["operationId"] for path, item in out["paths"].items()}
    assert ids == {
        "/job/{jobNo}": "jobGetJobByJobNo",
        "/optimization/dailyRoute": "optimizationPostOptimizationDailyRoute",
        "/ping": "defaultGetPing",  # untagged when the id was derived; the tag comes from rule 5
        "/resource": "listResources",
    }
    assert [(f.rule, f.location, f.detail) for f in fixups] == [
        ("operation-id", "paths./job/{jobNo}.get.operationId", "missing operationId -> jobGetJobByJobNo"),
        (
            "operation-id",
            "paths./optimization/dailyRoute.post.operationId",
            "missing operationId -> optimizationPostOptimizationDailyRoute",
        ),
        ("operation-id", "paths./ping.get.operationId", "missing operationId -> defaultGetPing"),
        ("operation-tag-summary", "paths./ping.get.tags", "added tag 'Ping'"),
    ]


def duplicate_ids_doc(reverse: bool) -> dict[str, Any]:
    paths = {
        "/job": {"get": clean_op("getJob"), "post": clean_op("get_job")},
        "/job/{jobNo}": {"get": clean_op("GetJob")},
        "/job-x": {"get": clean_op("dup")},
        "/jobX": {"get": clean_op("dup")},
        "/jobs": {"get": clean_op("jobGetJob")},
        "/other": {"get": clean_op("listJobs")},
    }
    if reverse:
        paths = {path: dict(reversed(item.items())) for path, item in reversed(paths.items())}
    return spec(paths)


def test_every_member_of_a_duplicate_group_is_renamed_whatever_the_document_order() -> None:
    forward, fixups = only("operation-id", duplicate_ids_doc(reverse=False))
    backward, _ = normalize(duplicate_ids_doc(reverse=True))

    def ids(doc: dict[str, Any]) -> dict[tuple[str, str], str]:
        return {(p, m): op["operationId"] for p, item in doc["paths"].items() for m, op in item.items()}

    assert ids(forward) == {
        ("/job", "get"): "jobGetJob2",  # "jobGetJob" was taken by the unique id on /jobs
        ("/job", "post"): "jobPostJob",
        ("/job/{jobNo}", "get"): "jobGetJobByJobNo",
        ("/job-x", "get"): "jobGetJobX",
        ("/jobX", "get"): "jobGetJobX2",
        ("/jobs", "get"): "jobGetJob",
        ("/other", "get"): "listJobs",
    }
    assert ids(backward) == ids(forward)
    assert [(f.location, f.detail) for f in fixups] == [
        ("paths./job-x.get.operationId", 'duplicate "dup" -> jobGetJobX'),
        ("paths./job.get.operationId", 'duplicate "getJob" -> jobGetJob2'),
        ("paths./job.post.operationId", 'duplicate "get_job" -> jobPostJob'),
        ("paths./job/{jobNo}.get.operationId", 'duplicate "GetJob" -> jobGetJobByJobNo'),
        ("paths./jobX.get.operationId", 'duplicate "dup" -> jobGetJobX2'),
    ]


def test_unique_operation_ids_are_kept() -> None:
    doc = spec({"/job": {"get": clean_op("getJob"), "post": clean_op("createJob")}})

    out, fixups = normalize(doc)

    assert fixups == []
    assert out == doc


# --- operation-tag-summary ------------------------------------------------------------------------


def test_missing_tags_and_summaries_are_filled_in() -> None:
    doc = spec(
        {
            "/job/{jobNo}": {"get": {"operationId": "a", "responses": NO_CONTENT}},
            "/{tenant}/dailyRoute": {
                "post": {"operationId": "b", "tags": [], "summary": " ", "responses": NO_CONTENT}
            },
            "/": {"get": {"operationId": "c", "tags": ["Root"], "responses": NO_CONTENT}},
            "/{id}": {"get": {"operationId": "d", "summary": "Kept.", "responses": NO_CONTENT}},
        }
    )

    out, fixups = only("operation-tag-summary", doc)

    assert out["paths"] == {
        "/job/{jobNo}": {
            "get": {
                "operationId": "a",
                "responses": NO_CONTENT,
                "tags": ["Job"],
                "summary": "GET /job/{jobNo}",
            }
        },
        "/{tenant}/dailyRoute": {
            "post": {
                "operationId": "b",
                "tags": ["DailyRoute"],
                "summary": "POST /{tenant}/dailyRoute",
                "responses": NO_CONTENT,
            }
        },
        "/": {"get": {"operationId": "c", "tags": ["Root"], "responses": NO_CONTENT, "summary": "GET /"}},
        "/{id}": {
            "get": {"operationId": "d", "summary": "Kept.", "responses": NO_CONTENT, "tags": ["default"]}
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


# --- the whole run --------------------------------------------------------------------------------


def messy_doc() -> dict[str, Any]:
    """One of everything the rules fix."""
    body = {"content": {"application/json": {"schema": REF}, "text/json": {"schema": REF}}}
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
                        }
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
            "/job": {"put": {"operationId": "same", "tags": ["Job"], "responses": NO_CONTENT}},
        },
        version="3.1.0",
        schemas={
            "Inner": {"type": "object"},
            "Holder": {"properties": {"inner": {"allOf": [REF], "type": "null"}}},
        },
    )


def test_fixups_come_in_rule_order_then_location_order() -> None:
    _, fixups = normalize(messy_doc())
    rule_names = [name for name, _rule in RULES]

    positions = [(rule_names.index(f.rule), f.location) for f in fixups]

    assert positions == sorted(positions)
    assert summarize(fixups) == {
        "single-json-content-type": 2,
        "numeric-string-union": 1,
        "nullable-ref": 1,
        "operation-id": 3,
        "operation-tag-summary": 5,
        "schema-description": 2,
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
    endpoint = importlib.import_module("tiny_normalized_client.api.job.create_job")
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
