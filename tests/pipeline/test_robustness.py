"""No traceback on any input; per-operation degradation; every generated module imports (issue 16).

Each construct has a small document of its own here. The property-based tests mutate valid small documents
(placeholders renamed, keys dropped or duplicated, values of the wrong type, schemas nested) and check that
the pipeline either gives a client whose every module imports, or fails in one line changing nothing.
"""

from __future__ import annotations

import contextlib
import copy
import io
import json
import os
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from specpipe import generate as pipeline
from specpipe.bodies import keep_json_bodies
from specpipe.errors import PipelineError
from specpipe.generate import Source, main, prepare, regenerate
from specpipe.import_check import failing_modules, trace
from specpipe.isolate import isolate
from specpipe.leftout import read_generator_output
from specpipe.texts import MAX_TEXT_CHARS, cut_long_texts
from specpipe.validity import first_problem, validate_per_operation

IMPORT_ALL = """
import importlib, pkgutil, sys
import dimescheduler_raw
for module in pkgutil.walk_packages(dimescheduler_raw.__path__, "dimescheduler_raw."):
    importlib.import_module(module.name)
"""


def ok(description: str = "OK", schema: dict[str, Any] | None = None) -> dict[str, Any]:
    response: dict[str, Any] = {"description": description}
    if schema is not None:
        response["content"] = {"application/json": {"schema": schema}}
    return {"200": response}


def ref(name: str) -> dict[str, str]:
    return {"$ref": f"#/components/schemas/{name}"}


BASE: dict[str, Any] = {
    "openapi": "3.0.3",
    "info": {"title": "t", "version": "1"},
    "paths": {
        "/pets": {
            "get": {
                "parameters": [
                    {"name": "limit", "in": "query", "schema": {"type": "integer", "default": 10}}
                ],
                "responses": ok(schema={"type": "array", "items": ref("Pet")}),
            },
            "post": {
                "requestBody": {"content": {"application/json": {"schema": ref("Pet")}}},
                "responses": ok(),
            },
        },
        "/pets/{petId}": {
            "parameters": [{"name": "petId", "in": "path", "required": True, "schema": {"type": "string"}}],
            "get": {"responses": ok(schema=ref("Pet"))},
            "delete": {"responses": ok()},
        },
        "/owners/{ownerId}/pets": {
            "get": {
                "parameters": [
                    {"name": "ownerId", "in": "path", "required": True, "schema": {"type": "integer"}}
                ],
                "responses": ok(schema=ref("Owner")),
            }
        },
    },
    "components": {
        "schemas": {
            "Pet": {
                "type": "object",
                "required": ["name"],
                "properties": {
                    "name": {"type": "string"},
                    "kind": {"type": "string", "enum": ["cat", "dog"]},
                    "tags": {"type": "array", "items": {"type": "string"}},
                },
            },
            "Owner": {
                "type": "object",
                "properties": {"pets": {"type": "array", "items": ref("Pet")}, "age": {"type": "integer"}},
            },
        }
    },
}


def write_doc(folder: Path, document: dict[str, Any]) -> Path:
    path = folder / "doc.json"
    path.write_text(json.dumps(document), encoding="utf-8")
    return path


def imports_everything(root: Path) -> subprocess.CompletedProcess[str]:
    env = dict(os.environ, PYTHONPATH=str(root / "generated"), PYTHONDONTWRITEBYTECODE="1")
    return subprocess.run(
        [sys.executable, "-c", IMPORT_ALL], env=env, capture_output=True, text=True, timeout=120, check=False
    )


def listing(root: Path) -> list[str]:
    return sorted(str(path.relative_to(root)) for path in root.rglob("*"))


# --- mutations ----------------------------------------------------------------------------------


def _nodes(value: Any, where: tuple[Any, ...] = ()) -> list[tuple[tuple[Any, ...], Any]]:
    found = [(where, value)]
    if isinstance(value, dict):
        for key, item in value.items():
            found.extend(_nodes(item, (*where, key)))
    elif isinstance(value, list):
        for index, item in enumerate(value):
            found.extend(_nodes(item, (*where, index)))
    return found


def _parent(document: Any, where: tuple[Any, ...]) -> Any:
    for part in where[:-1]:
        document = document[part]
    return document


WRONG_VALUES = st.sampled_from(["", "x", 0, -1, 1.5, True, None, [], {}, ["a", "a"], {"type": "object"}])


@st.composite
def mutated(draw: st.DrawFn) -> dict[str, Any]:
    """BASE with one to three mutations, each at a place drawn from the document's own nodes."""
    document = copy.deepcopy(BASE)
    for _ in range(draw(st.integers(1, 3))):
        nodes = [(where, value) for where, value in _nodes(document) if where]
        kind = draw(st.sampled_from(["rename", "drop", "duplicate", "retype", "nest", "twin-path"]))
        if kind in ("rename", "twin-path"):
            paths = document.get("paths")
            if not isinstance(paths, dict) or not paths:
                continue
            path = draw(st.sampled_from(sorted(paths)))
            renamed = path.replace("{", "{x").replace("}", "Id}") if "{" in path else path + "/{other}"
            if kind == "rename":
                paths[renamed] = paths.pop(path)
            else:
                paths[renamed] = copy.deepcopy(paths[path])
            continue
        if not nodes:
            continue
        where, value = draw(st.sampled_from(nodes))
        parent = _parent(document, where)
        if kind == "drop":
            del parent[where[-1]]
        elif kind == "duplicate":
            if isinstance(value, list) and value:
                value.append(copy.deepcopy(value[0]))
            elif isinstance(parent, dict):
                parent[f"{where[-1]}_copy" if isinstance(where[-1], str) else where[-1]] = copy.deepcopy(
                    value
                )
        elif kind == "retype":
            parent[where[-1]] = draw(WRONG_VALUES)
        elif kind == "nest" and isinstance(value, dict):
            wrapper = draw(st.sampled_from(["allOf", "oneOf", "property", "items", "nullable"]))
            if wrapper in ("allOf", "oneOf"):
                parent[where[-1]] = {wrapper: [value]}
            elif wrapper == "property":
                parent[where[-1]] = {"type": "object", "properties": {"inner": value}}
            elif wrapper == "items":
                parent[where[-1]] = {"type": "array", "items": value}
            else:
                parent[where[-1]] = {**value, "nullable": True, "type": "object"}
    return document


# --- the properties -----------------------------------------------------------------------------


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(mutated())
def test_preparing_any_mutation_gives_a_document_or_one_line(document: dict[str, Any]) -> None:
    """Parse, convert, normalize and validate in-process: a valid document or a one-line PipelineError."""
    source = Source(label="mutated.json", content=json.dumps(document).encode(), fetched=False)
    try:
        prepared = prepare(source)
    except PipelineError as exc:
        assert "\n" not in str(exc) and str(exc).strip()
        return
    assert first_problem(prepared.normalized) is None
    for operation in prepared.left_out:
        assert operation.reason and "\n" not in operation.reason


@settings(max_examples=3, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(mutated())
def test_any_mutation_gives_an_importable_client_or_one_line(document: dict[str, Any]) -> None:
    """The whole run in-process, generator and import check included: exit 0 with every module importing,
    or exit 1 with one `error:` line and nothing written; never an exception."""
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        root = folder / "project"
        (root / "openapi").mkdir(parents=True)
        url = str(write_doc(folder, document))
        out, err = io.StringIO(), io.StringIO()
        with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
            code = main(["--root", str(root), "--url", url, "--timeout", "2"])
        if code == 0:
            assert imports_everything(root).returncode == 0
        else:
            assert code == 1, err.getvalue()
            lines = err.getvalue().strip().splitlines()
            assert len(lines) == 2 and lines[0].startswith("error: "), lines
            assert listing(root) == ["openapi"]


# --- one test per construct ---------------------------------------------------------------------


def test_a_generator_internal_schema_name_is_traced_to_the_document() -> None:
    """openapi-python-client names `Indexes_type_0` (a oneOf variant of Indexes): Indexes is what goes."""
    stderr = (
        "Unable to process schema /components/schemas/Indexes_type_0:\n\n"
        'Attempted to generate duplicate models with name "IndexesType0Options"\n\n'
        'Failure to process schema has resulted in the removal of:\n\n{\n  "type": "object"\n}\n'
    )
    document = {"components": {"schemas": {"Index": {}, "Indexes": {}, "Holder": {}}}}
    report = read_generator_output(stderr, document)
    assert list(report.components) == [("schemas", "Indexes")]
    assert not report.other


def test_a_json_and_form_body_keeps_json_and_the_client_imports(tmp_path: Path) -> None:
    body = {"content": {"application/json": {"schema": ref("Thing")},
                        "application/x-www-form-urlencoded": {"schema": ref("Thing")}}}  # fmt: skip
    document = {
        "openapi": "3.0.3",
        "info": {"title": "t", "version": "1"},
        "paths": {"/things": {"post": {"requestBody": body, "responses": ok()}}},
        "components": {"schemas": {"Thing": {"type": "object", "properties": {"name": {"type": "string"}}}}},
    }
    root = tmp_path / "project"
    (root / "openapi").mkdir(parents=True)
    summary = regenerate(
        root=root, url=str(write_doc(tmp_path, document)), offline=False, strict=True, timeout=2
    )
    assert summary["fixups"]["json-body-only"] == 1
    assert summary["left_out"] == []
    assert any("json-body-only: paths./things.post.requestBody" in note for note in summary["notes"])
    assert imports_everything(root).returncode == 0


def test_a_form_with_a_schema_of_its_own_stays() -> None:
    content = {"application/json": {"schema": ref("A")}, "multipart/form-data": {"schema": ref("B")}}
    document = {"paths": {"/x": {"post": {"requestBody": {"content": content}}}}}
    assert keep_json_bodies(document) == []
    assert list(content) == ["application/json", "multipart/form-data"]


def invalid_operation_document() -> dict[str, Any]:
    document = copy.deepcopy(BASE)
    # `minimum` must be a number: no fix-up repairs it, so the validator refuses GET /owners/{ownerId}/pets
    document["paths"]["/owners/{ownerId}/pets"]["get"]["parameters"][0]["schema"]["minimum"] = "one"
    return document


def test_an_invalid_operation_is_left_out_and_the_rest_validated() -> None:
    validated = validate_per_operation(invalid_operation_document(), "doc", strict=False)
    assert [(op.method, op.path) for op in validated.left_out] == [("GET", "/owners/{ownerId}/pets")]
    reason = validated.left_out[0].reason
    assert reason == (
        "is not valid OpenAPI: 'one' is not of type 'number' "
        "(at #/paths/~1owners~1{ownerId}~1pets/get/parameters/0/schema/minimum)"
    )
    assert sorted(validated.document["paths"]) == ["/pets", "/pets/{petId}"]


def test_an_invalid_schema_is_left_out_with_what_depends_on_it() -> None:
    document = copy.deepcopy(BASE)
    document["components"]["schemas"]["Owner"]["properties"]["age"]["maximum"] = "old"
    validated = validate_per_operation(document, "doc", strict=False)
    assert [(op.method, op.path) for op in validated.left_out] == [("GET", "/owners/{ownerId}/pets")]
    assert validated.left_out[0].reason == (
        "schema Owner is not valid OpenAPI: 'old' is not of type 'number' "
        "(at #/components/schemas/Owner/properties/age/maximum)"
    )
    assert "Owner" not in validated.document["components"]["schemas"]


def test_strict_refuses_an_invalid_operation_naming_its_place() -> None:
    with pytest.raises(PipelineError) as refused:
        validate_per_operation(invalid_operation_document(), "doc", strict=True)
    message = str(refused.value)
    assert (
        "not valid OpenAPI at #/paths/~1owners~1{ownerId}~1pets/get: 'one' is not of type 'number'" in message
    )
    assert message.endswith("--strict does not leave operations out")


def test_isolate_finds_single_parts_and_parts_failing_only_together() -> None:
    document = copy.deepcopy(BASE)
    document["paths"]["/pets"]["post"]["x-bad"] = True

    def check(part: dict[str, Any]) -> str | None:
        paths = part["paths"]
        if any("x-bad" in item.get("post", {}) for item in paths.values()):
            return "bad post"
        if "/pets/{petId}" in paths and "/owners/{ownerId}/pets" in paths:
            return "pair"
        return None

    found = isolate(document, check)
    assert found.operations[("post", "/pets")] == "bad post"
    assert (
        found.operations[("get", "/owners/{ownerId}/pets")] == "pair (together with an operation before it)"
    )
    assert len(found.operations) == 2 and found.complete


def test_modules_that_do_not_import_are_found_and_traced(tmp_path: Path) -> None:
    package = tmp_path / "dimescheduler_raw"
    for folder in (package, package / "models", package / "api", package / "api" / "pets"):
        folder.mkdir(parents=True)
        (folder / "__init__.py").write_text("", encoding="utf-8")
    (package / "models" / "owner.py").write_text("x: Unset = 1\n", encoding="utf-8")
    (package / "models" / "owner_pets_item.py").write_text("raise ValueError('inline')\n", encoding="utf-8")
    (package / "models" / "pet.py").write_text("class Pet: ...\n", encoding="utf-8")
    (package / "api" / "pets" / "pets_get.py").write_text("import nowhere_to_be_found\n", encoding="utf-8")

    failed = failing_modules(package)
    assert failed == {
        "dimescheduler_raw.api.pets.pets_get": "ModuleNotFoundError: No module named 'nowhere_to_be_found'",
        "dimescheduler_raw.models.owner": "NameError: name 'Unset' is not defined",
        "dimescheduler_raw.models.owner_pets_item": "ValueError: inline",
    }
    report, untraced = trace(failed, "dimescheduler_raw", {}, BASE)
    assert list(report.components) == [("schemas", "Owner")]  # models first: the endpoint may fail by them
    assert untraced == []
    endpoints = {"dimescheduler_raw.api.pets.pets_get": ("GET", "/pets")}
    report, untraced = trace(
        {k: v for k, v in failed.items() if ".api." in k}, "dimescheduler_raw", endpoints, BASE
    )
    assert report.operations == {
        ("get", "/pets"): "generated module api.pets.pets_get does not import: "
        "ModuleNotFoundError: No module named 'nowhere_to_be_found'"
    }


def test_huge_descriptions_are_cut_and_counted() -> None:
    document = copy.deepcopy(BASE)
    document["paths"]["/pets"]["get"]["description"] = "d" * (MAX_TEXT_CHARS + 5)
    document["info"]["description"] = "short"
    fixups = cut_long_texts(document)
    assert [(f.rule, f.location) for f in fixups] == [("long-text", "paths./pets.get.description")]
    text = document["paths"]["/pets"]["get"]["description"]
    assert text.startswith("d" * MAX_TEXT_CHARS) and text.endswith(
        "[... 5 more characters cut by nox -s generate]"
    )
    assert document["info"]["description"] == "short"


def test_a_generator_timeout_is_one_line(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setattr(pipeline, "GENERATOR_TIMEOUT_SECONDS", 0.01)
    root = tmp_path / "project"
    (root / "openapi").mkdir(parents=True)
    assert main(["--root", str(root), "--url", str(write_doc(tmp_path, BASE))]) == 1
    err = capsys.readouterr().err.splitlines()
    assert err[0].startswith("error: running openapi-python-client failed") or err[0].startswith(
        "error: openapi-python-client did not finish within 0.01 s on a document of "
    ), err
    assert err[1:] == ["nothing in openapi/ or generated/ was changed"]
    assert listing(root) == ["openapi"]


def test_an_unexpected_exception_in_a_step_is_one_line_naming_the_step(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    def broken(*_args: Any) -> Any:
        raise RuntimeError("disk on fire\nsecond line")

    monkeypatch.setattr(pipeline, "finish_package", broken)
    root = tmp_path / "project"
    (root / "openapi").mkdir(parents=True)
    assert main(["--root", str(root), "--url", str(write_doc(tmp_path, BASE))]) == 1
    assert capsys.readouterr().err.splitlines() == [
        "error: finishing the generated package failed: RuntimeError: disk on fire",
        "nothing in openapi/ or generated/ was changed",
    ]
    assert listing(root) == ["openapi"]


def test_a_problem_the_validator_places_only_within_a_schema_gets_its_full_pointer() -> None:
    """openapi-spec-validator says `properties/kind/enum`; the pointer from the document's top is found."""
    document = copy.deepcopy(BASE)
    document["components"]["schemas"]["Pet"]["properties"]["kind"]["enum"] = ["cat", "cat"]
    validated = validate_per_operation(document, "doc", strict=False)
    assert {op.reason for op in validated.left_out} == {
        "schema Pet is not valid OpenAPI: ['cat', 'cat'] has non-unique elements "
        "(at #/components/schemas/Pet/properties/kind/enum)",
        "schema Pet is not valid OpenAPI: ['cat', 'cat'] has non-unique elements "
        "(at #/components/schemas/Pet/properties/kind/enum) (needed by schema Owner)",
    }
    assert list(validated.document["paths"]) == ["/pets/{petId}"]  # DELETE does not use Pet
    assert list(validated.document["components"]["schemas"]) == []
