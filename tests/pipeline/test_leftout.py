"""Reading openapi-python-client's warnings and leaving out what it cannot generate (specpipe.leftout)."""

from __future__ import annotations

from typing import Any

from specpipe.leftout import GeneratorReport, LeftOut, describe, leave_out, read_generator_output

BANNER = "Warning(s) encountered while generating. Client was generated, but some pieces may be missing\n\n"
FOOTER = (
    "If you believe this was a mistake or this tool is missing a feature you need, please open an issue at "
    "https://github.com/openapi-generators/openapi-python-client/issues/new/choose\n"
)
# As openapi-python-client 0.29.1 prints it (k5 and k1 of tests/pipeline/data/cases, one run).
STDERR = (
    BANNER
    + """WARNING parsing GET /item within default.

Cannot parse response for status code <openapi_python_client.schema.untrusted_string.UntrustedString object at 0x7fb623d2fe50> (Could not find reference in parsed models or enums), response will be omitted from generated client

{
  "$ref": "#/components/schemas/B"
}

WARNING parsing GET /a b/{x} within Some Tag/other. Endpoint will not be generated.

Incorrect path templating for /a b/{x} (Path parameters do not match with path)


Unable to process schema /components/schemas/B:

Cannot take allOf a non-object

Failure to process schema has resulted in the removal of:
/components/schemas/B
/components/schemas/C


"""
    + FOOTER
)


def ref(name: str) -> dict[str, str]:
    return {"$ref": f"#/components/schemas/{name}"}


def answer(schema: dict[str, Any]) -> dict[str, Any]:
    return {"200": {"description": "ok", "content": {"application/json": {"schema": schema}}}}


DOCUMENT: dict[str, Any] = {
    "openapi": "3.0.3",
    "info": {"title": "t", "version": "1"},
    "paths": {
        "/item": {"get": {"responses": answer(ref("B"))}, "put": {"responses": answer(ref("A"))}},
        "/a b/{x}": {"get": {"responses": answer({})}},
        "/c": {"parameters": [{"$ref": "#/components/parameters/Filter"}], "get": {"responses": answer({})}},
        "/ok": {"get": {"responses": answer(ref("A"))}},
    },
    "components": {
        "schemas": {
            "A": {"type": "object"},
            "B": {"allOf": [ref("A"), {"type": "object"}]},
            "C": {"type": "array", "items": ref("B")},
            "Unused": {"properties": {"b": ref("B")}},
        },
        "parameters": {
            "Filter": {"name": "f", "in": "query", "content": {"application/json": {"schema": ref("C")}}}
        },
    },
}
ALLOF = "schema B cannot be generated: Cannot take allOf a non-object"


def test_warnings_are_attributed_to_operations_and_components() -> None:
    report = read_generator_output(STDERR, DOCUMENT)

    assert report.operations == {
        ("get", "/item"): "a response cannot be read: Could not find reference in parsed models or enums",
        (
            "get",
            "/a b/{x}",
        ): "Incorrect path templating for /a b/{x} (Path parameters do not match with path)",
    }
    assert report.components == {("schemas", "B"): "Cannot take allOf a non-object"}
    assert (report.other, report.fatal) == ([], False)


def test_what_cannot_be_attributed_is_reported_as_other() -> None:
    stderr = (
        "Error(s) encountered while generating, client was not created\n\nruff failed\n\nboom\nsecond line\n\n"
        + "WARNING parsing GET /nowhere within default.\n\nsomething\n\n"
        + FOOTER
    )

    report = read_generator_output(stderr, DOCUMENT)

    assert report.fatal
    assert report.other == [
        "ruff failed (boom second line)",
        "WARNING parsing GET /nowhere within default. (something)",
    ]
    assert describe([], report.other) == (
        "openapi-python-client failed with 2 problems: ruff failed (boom second line); "
        "WARNING parsing GET /nowhere within default. (something)"
    )


def test_no_warnings_no_report() -> None:
    assert not read_generator_output("", DOCUMENT)
    assert not read_generator_output("\n\n", {"paths": {}})


def test_leave_out_removes_operations_components_and_what_depends_on_them() -> None:
    report = read_generator_output(STDERR, DOCUMENT)

    pruned = leave_out(DOCUMENT, report)

    assert pruned.left_out == [
        LeftOut(
            "GET",
            "/a b/{x}",
            "Incorrect path templating for /a b/{x} (Path parameters do not match with path)",
        ),
        LeftOut("GET", "/c", f"{ALLOF} (needed by schema C) (needed by parameter Filter)"),
        LeftOut("GET", "/item", ALLOF),
    ]
    assert pruned.document["paths"] == {
        "/item": {"put": {"responses": answer(ref("A"))}},
        "/ok": {"get": {"responses": answer(ref("A"))}},
    }
    assert pruned.document["components"] == {"schemas": {"A": {"type": "object"}}, "parameters": {}}
    assert pruned.unused == []
    assert "B" in DOCUMENT["components"]["schemas"]  # the input is left alone


def test_a_removed_component_no_operation_uses_is_named_as_unused() -> None:
    report = GeneratorReport(components={("schemas", "Unused"): "broken"})

    pruned = leave_out(DOCUMENT, report)

    assert pruned.left_out == []
    assert pruned.unused == ["schema Unused cannot be generated: broken (no operation uses it)"]
    assert "Unused" not in pruned.document["components"]["schemas"]


def test_the_error_line_counts_and_names_every_operation() -> None:
    many = [LeftOut("GET", f"/op{i}", "Unsupported content type text/csv") for i in range(12)]

    message = describe(many)

    assert message.startswith(
        "openapi-python-client could not generate 12 operations: GET /op0 (Unsupported content type text/csv), "
    )
    assert message.endswith("GET /op9 (Unsupported content type text/csv), and 2 more")
    assert "\n" not in message


def test_a_detail_that_reads_like_a_generic_header_stays_with_its_schema() -> None:
    stderr = (
        BANNER + "Unable to parse schema /components/schemas/A\n\nProblem creating a Property:\n\n" + FOOTER
    )

    report = read_generator_output(stderr, DOCUMENT)

    assert report.components == {("schemas", "A"): "Problem creating a Property:"}
    assert report.other == []
