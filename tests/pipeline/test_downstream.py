"""Downstream generators: the fix-ups they need (named body arrays, safe enum names, TimeSpan patterns), the
OpenAPI 3.0 twin, and `nox -s downstream`'s quick checks on a document regenerated from a vendor-style one."""

from __future__ import annotations

import json
import shutil
from pathlib import Path
from typing import Any

import pytest
import yaml
from specpipe.downstream import BY_NAME, CONTROL, normalized_lines, run_checks
from specpipe.generate import Source, dump_json, prepare
from specpipe.normalize import TIME_SPAN_PATTERN, normalize
from specpipe.openapi30 import (
    OPENAPI_30_FILE,
    for_generators,
    openapi30_twin,
    to_openapi30,
    validate_openapi30,
)
from vendorize import vendorize

REPO = Path(__file__).resolve().parents[2]
DOCUMENT: dict[str, Any] = json.loads((REPO / "openapi" / "dimescheduler.json").read_text(encoding="utf-8"))
REF = "#/components/schemas/"


def small() -> dict[str, Any]:
    body = {"oneOf": [{"$ref": REF + "Job"}, {"type": "array", "items": {"$ref": REF + "Job"}}]}
    return {
        "openapi": "3.1.0",
        "info": {"title": "t", "version": "1"},
        "paths": {
            "/job": {
                "post": {
                    "operationId": "jobPostJob",
                    "tags": ["Job"],
                    "summary": "s",
                    "requestBody": {"content": {"application/json": {"schema": body}}},
                    "responses": {
                        "200": {
                            "description": "ok",
                            "content": {
                                "application/json": {
                                    "schema": {"type": "array", "items": {"$ref": REF + "Job"}}
                                }
                            },
                        }
                    },
                }
            }
        },
        "components": {
            "schemas": {
                "Job": {
                    "type": "object",
                    "description": "A job.",
                    "properties": {
                        "lasts": {"type": ["string", "null"], "format": "time-span", "description": "d"},
                        "kind": {"anyOf": [{"$ref": REF + "Kind"}, {"type": "null"}], "description": "k"},
                    },
                },
                "Kind": {
                    "type": "integer",
                    "description": "Kind.",
                    "enum": [0, 1, 2],
                    "x-enum-varnames": ["None", "Basic", "NoneValue"],
                },
                "JobList": {"type": "string", "description": "Taken by something else."},
            }
        },
    }


def fixed() -> tuple[dict[str, Any], list[str]]:
    document, fixups = normalize(small())
    return document, [fixup.rule for fixup in fixups]


def test_a_one_or_many_body_names_its_array_and_responses_stay_inline() -> None:
    document, rules = fixed()
    operation = document["paths"]["/job"]["post"]
    body = operation["requestBody"]["content"]["application/json"]["schema"]
    assert body == {"oneOf": [{"$ref": REF + "Job"}, {"$ref": REF + "JobList2"}]}
    assert document["components"]["schemas"]["JobList2"]["items"] == {"$ref": REF + "Job"}
    assert operation["responses"]["200"]["content"]["application/json"]["schema"]["type"] == "array"
    assert rules.count("named-body-array") == 1


def test_reserved_enum_names_get_value_and_keep_the_vendor_spelling() -> None:
    document, rules = fixed()
    kind = document["components"]["schemas"]["Kind"]
    assert kind["x-enum-varnames"] == ["NoneValue2", "Basic", "NoneValue"]
    assert kind["x-enum-descriptions"] == ["None", "Basic", "NoneValue"]
    assert kind["description"].endswith("`None` -> `NoneValue2`.")
    assert "enum-varnames" in rules


def test_time_span_becomes_a_patterned_string() -> None:
    document, rules = fixed()
    lasts = document["components"]["schemas"]["Job"]["properties"]["lasts"]
    assert lasts == {
        "type": ["string", "null"],
        "x-format": "time-span",
        "pattern": TIME_SPAN_PATTERN,
        "example": "01:30:00",
        "description": "d",
    }
    assert "time-span-format" in rules


def test_the_new_rules_are_idempotent_and_the_committed_document_needs_none() -> None:
    document, _ = fixed()
    assert normalize(document) == (document, [])
    assert normalize(DOCUMENT)[1] == []


def test_openapi30_twin_converts_31_constructs_and_validates() -> None:
    document, _ = fixed()
    twin = to_openapi30(document)
    validate_openapi30(twin)
    properties = twin["components"]["schemas"]["Job"]["properties"]
    assert twin["openapi"] == "3.0.3"
    assert properties["lasts"]["type"] == "string" and properties["lasts"]["nullable"] is True
    assert properties["kind"] == {"description": "k", "nullable": True, "allOf": [{"$ref": REF + "Kind"}]}
    schema = {"type": "number", "const": 3, "examples": [3], "exclusiveMinimum": 0}
    document["components"]["schemas"]["N"] = dict(schema, description="n")
    converted = to_openapi30(document)["components"]["schemas"]["N"]
    assert converted == {
        "type": "number",
        "enum": [3],
        "example": 3,
        "minimum": 0,
        "exclusiveMinimum": True,
        "description": "n",
    }


def test_the_twin_for_generators_takes_lists_and_answers_default_for_a_lone_range() -> None:
    document, _ = fixed()
    operation = document["paths"]["/job"]["post"]
    operation["responses"]["5XX"] = {"description": "server error"}
    twin = for_generators(to_openapi30(document))
    shaped = twin["paths"]["/job"]["post"]
    assert shaped["requestBody"]["content"]["application/json"]["schema"] == {"$ref": REF + "JobList2"}
    assert "a single Job" in shaped["requestBody"]["description"]
    assert list(shaped["responses"]) == ["200", "default"]
    assert shaped["responses"]["default"] == {"description": "server error"}
    # the client's own document keeps both forms and the range
    assert operation["requestBody"]["content"]["application/json"]["schema"]["oneOf"][0] == {
        "$ref": REF + "Job"
    }
    assert "5XX" in operation["responses"]
    validate_openapi30(twin)


def test_list_bodies_of_entities_without_fields_are_inline_arrays_of_objects() -> None:
    """OpenAPI Generator's TypeScript generators warn on items that are a $ref to a free-form object."""
    twin = json.loads((REPO / "openapi" / "dimescheduler.openapi-3.0.json").read_text(encoding="utf-8"))
    free = [
        name
        for name, schema in twin["components"]["schemas"].items()
        if schema.get("type") == "object" and not schema.get("properties") and "allOf" not in schema
    ]
    bodies = {
        (path, method): operation["requestBody"]["content"]["application/json"]["schema"]
        for path, item in twin["paths"].items()
        for method, operation in item.items()
        if isinstance(operation, dict)
        and "application/json" in operation.get("requestBody", {}).get("content", {})
    }
    shaped = [where for where, schema in bodies.items() if schema.get("type") == "array"]
    assert ("/taskBudgetEntry", "post") in shaped and ("/timeEntry", "put") in shaped
    for where in shaped:
        items = bodies[where]["items"]
        assert "$ref" not in items and items["type"] == "object" and items["additionalProperties"] is True, (
            where
        )
    for schema in bodies.values():  # no body lists a free-form entity by reference any more
        target = twin["components"]["schemas"].get(str(schema.get("$ref", "")).rsplit("/", 1)[-1], {})
        if target.get("type") == "array":
            assert target["items"]["$ref"].rsplit("/", 1)[-1] not in free


def test_a_union_that_is_not_one_or_many_and_several_ranges_stay() -> None:
    document, _ = fixed()
    operation = document["paths"]["/job"]["post"]
    body = operation["requestBody"]["content"]["application/json"]
    body["schema"] = {"oneOf": [{"$ref": REF + "Kind"}, {"$ref": REF + "JobList2"}]}
    operation["responses"].update({"4XX": {"description": "c"}, "5XX": {"description": "s"}})
    shaped = for_generators(to_openapi30(document))["paths"]["/job"]["post"]
    assert shaped["requestBody"]["content"]["application/json"]["schema"] == body["schema"]
    assert "4XX" in shaped["responses"] and "5XX" in shaped["responses"]


def test_output_lines_compare_without_paths_title_numbers_or_progress() -> None:
    ours = "\x1b[32m[Job 1] \x1b[39m✓ /w/out/client · 16 files · 19s\n[main] INFO  writing file x\nDime API done\n"
    control = "[Job 1] ✓ /c/out/client · 4 files · 363ms\ncontrol done\n"
    assert normalized_lines(ours, ["/w/out"], "Dime API") == normalized_lines(control, ["/c/out"], "control")
    assert normalized_lines("WARN something new", [], "Dime API") == ["WARN something new"]
    assert CONTROL["openapi"] == "3.0.3"


def test_committed_openapi30_twin_is_up_to_date() -> None:
    path = REPO / "openapi" / OPENAPI_30_FILE
    assert path.read_text(encoding="utf-8") == openapi30_twin(DOCUMENT), "run `nox -s generate -- --offline`"


@pytest.mark.node
@pytest.mark.slow
def test_every_generator_passes_on_a_regenerated_vendor_style_document(tmp_path: Path) -> None:
    if shutil.which("java") is None:
        pytest.skip("OpenAPI Generator needs Java 11+")
    pytest.importorskip("datamodel_code_generator", reason="needs the `downstream` extra")
    upstream = json.loads((REPO / "openapi" / "upstream.json").read_text(encoding="utf-8"))
    vendor = json.dumps(vendorize(upstream)).encode()
    prepared = prepare(Source(label="vendorized", content=vendor, fetched=False))
    spec = tmp_path / "vendor-normalized.json"
    spec.write_text(dump_json(prepared.normalized), encoding="utf-8")
    assert "JobDtoList" in prepared.normalized["components"]["schemas"]
    assert yaml.safe_load(prepared.normalized_yaml) == prepared.normalized
    results = run_checks(spec, tmp_path / "out", list(BY_NAME))
    assert [(r.name, r.ok, r.problems) for r in results if not r.ok] == []
    names = {r.name.split("@")[0] for r in results}
    assert names == set(BY_NAME) and len(results) == len(BY_NAME) + 3  # three generators read 3.1 too
