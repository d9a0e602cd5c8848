"""The vendor-style stand-in for the live document (tests/vendorize.py): same routes and wire shapes as the
pinned openapi/upstream.json, vendor names, and a clean run through normalization and the generator."""

from __future__ import annotations

import copy
import json
import re
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from specpipe.generate import Prepared, Source, check_one_module_per_operation, prepare, run_generator
from specpipe.normalize import normalize, summarize
from vendorize import (
    SCHEMA_REF,
    operations,
    remove_property,
    response_schema,
    schema_renames,
    vendor_operation_ids,
    vendorize,
)

REPO = Path(__file__).resolve().parents[2]
NAMING = frozenset({"operationId", "x-vendor-operation-id"})  # names, not wire shapes
UPSTREAM: dict[str, Any] = json.loads((REPO / "openapi" / "upstream.json").read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def vendor() -> dict[str, Any]:
    return vendorize(UPSTREAM)


@pytest.fixture(scope="module")
def prepared(vendor: dict[str, Any]) -> Prepared:
    return prepare(Source(label="vendorized", content=json.dumps(vendor).encode("utf-8"), fetched=False))


def schemas(doc: dict[str, Any]) -> dict[str, Any]:
    found: dict[str, Any] = doc["components"]["schemas"]
    return found


def refs(node: Any) -> list[str]:
    if isinstance(node, dict):
        own = [node["$ref"]] if isinstance(node.get("$ref"), str) else []
        return own + [ref for value in node.values() for ref in refs(value)]
    if isinstance(node, list):
        return [ref for value in node for ref in refs(value)]
    return []


def test_same_routes_and_the_pinned_document_untouched(vendor: dict[str, Any]) -> None:
    assert set(operations(vendor)) == set(operations(UPSTREAM))
    assert len(set(operations(vendor))) == len(list(operations(vendor))) > 100
    assert vendorize(UPSTREAM) == vendor  # deterministic
    assert json.loads((REPO / "openapi" / "upstream.json").read_text(encoding="utf-8")) == UPSTREAM


def test_every_schema_is_renamed_and_every_ref_follows(vendor: dict[str, Any]) -> None:
    renames = schema_renames(UPSTREAM)
    assert set(schemas(vendor)) == set(renames.values())
    assert not set(schemas(vendor)) & set(schemas(UPSTREAM))
    assert len(schemas(vendor)) == len(schemas(UPSTREAM))
    found = refs(vendor)
    assert found and all(
        ref.removeprefix(SCHEMA_REF) in schemas(vendor) for ref in found if SCHEMA_REF in ref
    )
    assert renames["Category"] == "CategoryDto"
    assert renames["CategoryListItem"] == "CategorySummaryDto"
    assert renames["NotificationPage"] == "NotificationDtoPagedResult"
    assert renames["MutationResponse"] == "WriteResponse"
    assert renames["TaskType"] == "TaskKind" and renames["Importance"] == "ImportanceKind"
    text = json.dumps(vendor)
    assert '"#/components/schemas/CategoryListItem"' not in text
    assert "(see WriteResponseContent)" in schemas(vendor)["WriteResponse"]["description"]


def test_vendor_style_operation_ids_on_most_operations(vendor: dict[str, Any]) -> None:
    ids = [vendor["paths"][path][method].get("operationId") for method, path in operations(vendor)]
    given = [operation_id for operation_id in ids if operation_id is not None]
    assert 0.85 <= len(given) / len(ids) <= 0.95
    folded = {re.sub(r"[^a-z0-9]", "", operation_id.lower()) for operation_id in given}
    assert len(folded) == len(given)  # unique even as the normalizer compares them
    assert all(re.fullmatch(r"[A-Z][A-Za-z]*_[A-Z][A-Za-z]*", operation_id) for operation_id in given)
    assert vendor["paths"]["/category"]["get"]["operationId"] == "Category_Get"
    assert vendor["paths"]["/category"]["post"]["operationId"] == "Category_Post"
    assert vendor["paths"]["/job/{jobNo}"]["get"]["operationId"] == "Job_GetJobByJobNo"


def test_asp_net_quirks_are_there_and_normalized_away(vendor: dict[str, Any], prepared: Prepared) -> None:
    body_types = {tuple(vendor["paths"][p][m]["requestBody"]["content"]) for m, p in operations(vendor)
                  if "requestBody" in vendor["paths"][p][m]}  # fmt: skip
    assert body_types == {("application/json", "text/json", "application/*+json")}
    category = vendor["paths"]["/category"]["get"]["responses"]["200"]["content"]
    assert "text/plain" in category and "application/json" in category
    text = json.dumps(vendor)
    unions = text.count('"type": ["integer", "string"]') + text.count('"type": ["integer", "string", "null"]')
    nullable_refs = sum(1 for schema in schemas(vendor).values() for prop in schema.get("properties", {}).values()
                        if "allOf" in prop and (prop.get("nullable") is True or prop.get("type") == "null"))  # fmt: skip
    assert unions >= 3 and nullable_refs >= 3
    pinned, found = summarize(normalize(UPSTREAM)[1]), summarize(prepared.fixups)
    assert found["numeric-string-union"] == unions + pinned.get("numeric-string-union", 0)
    assert found["nullable-ref"] == nullable_refs + pinned.get("nullable-ref", 0)
    assert found["operation-id"] >= len(list(operations(UPSTREAM))) - len(vendor_operation_ids(UPSTREAM))
    named = {"numeric-string-union", "nullable-ref", "operation-id", "model-class-name"}
    assert {rule: n for rule, n in found.items() if rule not in named} == {
        rule: n for rule, n in pinned.items() if rule not in named
    }
    # each vendor id survives normalization, as the operationId or beside the one the pipeline derives
    normalized = prepared.normalized
    for (method, path), operation_id in vendor_operation_ids(UPSTREAM).items():
        operation = normalized["paths"][path][method]
        assert operation_id in (operation["operationId"], operation.get("x-vendor-operation-id"))


def test_wire_shapes_are_the_pinned_ones(prepared: Prepared) -> None:
    """Normalized, with the names put back and the nullable refs made plain again, the vendor-style document
    is the normalized pinned one but for operationIds and descriptions."""
    pinned = prepare(Source(label="pinned", content=json.dumps(UPSTREAM).encode("utf-8"), fetched=False))
    back = {new: old for old, new in schema_renames(UPSTREAM).items()}
    # the named arrays of one-or-many bodies (rule named-body-array) are named after their renamed entity
    back |= {f"{new}List": f"{old}List" for new, old in list(back.items())}

    def plain(node: Any, names: dict[str, str]) -> Any:
        if isinstance(node, dict):
            any_of = node.get("anyOf")
            if isinstance(any_of, list) and len(any_of) == 2 and any_of[1] == {"type": "null"}:
                node = {"$ref": any_of[0]["$ref"], **{k: v for k, v in node.items() if k != "anyOf"}}
            out = {key: plain(value, names) for key, value in node.items() if key not in NAMING}
            if isinstance(out.get("$ref"), str) and out["$ref"].startswith(SCHEMA_REF):
                out["$ref"] = SCHEMA_REF + names[out["$ref"].removeprefix(SCHEMA_REF)]
            return out
        return [plain(value, names) for value in node] if isinstance(node, list) else node

    def without_descriptions(doc: dict[str, Any]) -> dict[str, Any]:
        out = copy.deepcopy(doc)
        for schema in schemas(out).values():
            schema.pop("description", None)
            schema.pop("title", None)
        for method, path in operations(out):
            out["paths"][path][method].pop("description", None)
        return out

    vendor = plain(prepared.normalized, back)
    vendor["components"]["schemas"] = {back[name]: schema for name, schema in schemas(vendor).items()}
    same = {name: name for name in schemas(pinned.normalized)}
    assert without_descriptions(vendor) == without_descriptions(plain(pinned.normalized, same))


def test_remove_property_from_the_read_model_of_a_route(vendor: dict[str, Any]) -> None:
    read_model = response_schema(vendor, "get", "/category")
    assert read_model == "CategorySummaryDto"
    assert response_schema(vendor, "get", "/notification") == "NotificationDtoPagedResult"
    without = remove_property(vendor, read_model, "name")
    assert "name" not in schemas(without)[read_model]["properties"]
    assert "name" in schemas(vendor)[read_model]["properties"]  # a copy was changed
    assert "displayName" in schemas(without)[read_model]["properties"]
    required = remove_property(vendor, "CategoryDto", "name")
    assert schemas(required)["CategoryDto"]["required"] == ["displayName", "color"]
    with pytest.raises(KeyError):
        remove_property(vendor, read_model, "nope")
    prepare(Source(label="without name", content=json.dumps(without).encode("utf-8"), fetched=False))


IMPORT_ALL = """
import importlib, pkgutil, sys
sys.path.insert(0, sys.argv[1])
import dimescheduler_raw
assert dimescheduler_raw.__file__.startswith(sys.argv[1]), dimescheduler_raw.__file__
names = [m.name for m in pkgutil.walk_packages(dimescheduler_raw.__path__, "dimescheduler_raw.")]
for name in names:
    importlib.import_module(name)
from dimescheduler_raw.models import CategorySummaryDto, NotificationDtoPagedResult, WriteResponse
print(len(names))
"""


@pytest.mark.slow
def test_the_client_generates_and_every_module_imports(prepared: Prepared, tmp_path: Path) -> None:
    package = run_generator(prepared.normalized_text, tmp_path)
    check_one_module_per_operation(package, prepared.normalized)
    proc = subprocess.run(
        [sys.executable, "-I", "-c", IMPORT_ALL, str(tmp_path)],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert proc.returncode == 0, proc.stderr
    assert int(proc.stdout) > 300
