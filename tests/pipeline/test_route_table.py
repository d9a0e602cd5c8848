"""scripts/specpipe/routes.py on small inline documents: the route table, stable names, dropped parameters."""

from __future__ import annotations

import copy
import runpy
from pathlib import Path
from typing import Any

from specpipe.normalize import normalize
from specpipe.routes import bind_aliases, build_routes, render_aliases, render_routes

CONFIG = Path(__file__).resolve().parents[2] / "scripts" / "openapi-python-client.yaml"
ITEM = {
    "type": "object",
    "properties": {"no": {"type": "string"}, "n": {"type": "integer"}},
    "required": ["no"],
}
DOC: dict[str, Any] = {
    "openapi": "3.1.0",
    "info": {"title": "t", "version": "1"},
    "paths": {
        "/thing": {
            "get": {
                "tags": ["Thing"],
                "operationId": "Thing_Get",
                "parameters": [
                    {
                        "name": "filter",
                        "in": "query",
                        "content": {"application/json": {"schema": {"type": "object"}}},
                    }
                ],
                "responses": {
                    "200": {
                        "description": "ok",
                        "content": {
                            "application/json": {
                                "schema": {
                                    "type": "array",
                                    "items": {"$ref": "#/components/schemas/ThingDto"},
                                }
                            }
                        },
                    }
                },
            },
            "post": {
                "tags": ["Thing"],
                "requestBody": {
                    "content": {"application/json": {"schema": {"$ref": "#/components/schemas/ThingDto"}}}
                },
                "responses": {"200": {"description": "ok"}},
            },
        },
        "/page/{pageNo}": {
            "get": {
                "tags": ["Thing"],
                "parameters": [
                    {"name": "pageNo", "in": "path", "required": True, "schema": {"type": "string"}}
                ],
                "responses": {
                    "200": {
                        "description": "ok",
                        "content": {
                            "application/json": {"schema": {"$ref": "#/components/schemas/PageOfThing"}}
                        },
                    }
                },
            }
        },
    },
    "components": {
        "schemas": {
            "ThingDto": ITEM,
            "PageOfThing": {
                "type": "object",
                "properties": {
                    "items": {"type": "array", "items": {"$ref": "#/components/schemas/ThingDto"}},
                    "totalCount": {"type": "integer"},
                },
            },
        }
    },
}


def routes_of(document: dict[str, Any]) -> dict[tuple[str, str], Any]:
    return {route.key: route for route in build_routes(document, CONFIG)}


def test_routes_name_the_generated_models_and_shapes_by_method_and_path() -> None:
    normalized, _ = normalize(copy.deepcopy(DOC))
    routes = routes_of(normalized)
    assert set(routes) == {("GET", "/thing"), ("POST", "/thing"), ("GET", "/page/{pageNo}")}
    listing, create, page = routes["GET", "/thing"], routes["POST", "/thing"], routes["GET", "/page/{pageNo}"]
    assert (listing.response, listing.response_shape, listing.function) == (
        "ThingDto",
        "list",
        "thing_get_thing",
    )
    assert (create.body, create.body_shape, create.body_fields, create.body_required) == (
        ("ThingDto",),
        "one",
        ("no", "n"),
        ("no",),
    )
    assert (page.response_shape, page.page_items, page.page_item, page.page_total) == (
        "page",
        "items",
        "ThingDto",
        "total_count",
    )


def test_rendered_table_is_importable_and_shares_field_names_per_model(tmp_path: Path) -> None:
    normalized, _ = normalize(copy.deepcopy(DOC))
    (tmp_path / "routes.py").write_text(render_routes(build_routes(normalized, CONFIG)), encoding="utf-8")
    module = runpy.run_path(str(tmp_path / "routes.py"))
    assert module["BODY_FIELDS"] == {"ThingDto": (("no", "n"), ("no",))}
    post = module["ROUTES"]["POST", "/thing"]
    assert post.body_fields == ("no", "n") and module["ROUTES"]["GET", "/thing"].body_fields == ()
    assert post.module == "dimescheduler_raw.api.thing.thing_post_thing"


def test_a_parameter_the_generator_leaves_out_is_found() -> None:
    # Not normalized: openapi-python-client drops a `content` parameter without a warning.
    assert routes_of(copy.deepcopy(DOC))["GET", "/thing"].dropped == ("filter (in query)",)


def test_the_normalizer_turns_a_content_parameter_into_a_string() -> None:
    normalized, fixups = normalize(copy.deepcopy(DOC))
    parameter = normalized["paths"]["/thing"]["get"]["parameters"][0]
    assert parameter["schema"] == {"type": "string"} and "content" not in parameter
    assert "serialized as application/json" in parameter["description"]
    assert any("declared by content application/json" in fixup.detail for fixup in fixups)
    assert routes_of(normalized)["GET", "/thing"].dropped == ()


def test_stable_names_bind_by_route_and_missing_ones_are_typed_any() -> None:
    normalized, _ = normalize(copy.deepcopy(DOC))
    names = {
        "Thing": ("POST", "/thing", "body"),
        "ThingListItem": ("GET", "/thing", "response"),
        "ThingPageItem": ("GET", "/page/{pageNo}", "page_item"),
        "Gone": ("DELETE", "/thing", "body"),
    }
    aliases = {alias.name: alias for alias in bind_aliases(build_routes(normalized, CONFIG), names)}
    assert {name: alias.target for name, alias in aliases.items()} == {
        "Thing": "ThingDto",
        "ThingListItem": "ThingDto",
        "ThingPageItem": "ThingDto",
        "Gone": None,
    }
    text = render_aliases(aliases.values())
    assert "Gone: TypeAlias = Any  # DELETE /thing is not in the client" in text
    assert "from .models import ThingDto as Thing  # POST /thing body" in text
