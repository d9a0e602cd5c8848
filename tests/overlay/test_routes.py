"""The generated route table and stable names that bind the overlay to method + path, not to schema names."""

from __future__ import annotations

import importlib
from typing import Any

import httpx
import pytest
from dimescheduler_openapi import DimeSchedulerClient, UnsupportedOperationError
from dimescheduler_openapi._resources import _resolve
from dimescheduler_openapi._resources._names import STABLE_MODELS
from dimescheduler_raw import aliases
from dimescheduler_raw.routes import ROUTES
from spec_samples import operations, ref_name, request_schema, resolve, response_schema, spec


def test_every_operation_of_the_document_is_in_the_route_table() -> None:
    assert set(ROUTES) == {(method, path) for method, path, _ in operations()}
    assert all(route.method == method and route.path == path for (method, path), route in ROUTES.items())


@pytest.mark.parametrize("key", sorted(ROUTES), ids=lambda key: f"{key[0]} {key[1]}")
def test_route_names_the_generated_function_and_the_document_models(key: tuple[str, str]) -> None:
    route = ROUTES[key]
    module = importlib.import_module(route.module)
    assert callable(module.sync_detailed) and callable(module.asyncio)
    method, path = key
    answer = response_schema(method, path)
    if answer is not None and "$ref" in answer:
        assert route.response == ref_name(answer)
    elif answer is not None and "$ref" in answer.get("items", {}):
        assert (route.response, route.response_shape) == (ref_name(answer["items"]), "list")
    if "requestBody" in operation_of(method, path):
        schema = resolve(request_schema(method, path))
        single = schema["oneOf"][0] if "oneOf" in schema else schema
        if "$ref" in single:
            assert route.body == (ref_name(single),)


def operation_of(method: str, path: str) -> dict[str, Any]:
    found: dict[str, Any] = spec()["paths"][path][method.lower()]
    return found


def test_the_notification_page_is_described_as_a_page() -> None:
    page = ROUTES["GET", "/notification"]
    answer = response_schema("GET", "/notification")
    assert answer is not None
    item = ref_name(resolve(answer)["properties"]["data"]["items"])
    assert (page.response_shape, page.page_items, page.page_item, page.page_total) == (
        "page",
        "data",
        item,
        "total",
    )


def test_every_stable_name_is_bound_to_the_model_of_its_route() -> None:
    assert aliases.MISSING == {}
    assert set(aliases.__all__) == set(STABLE_MODELS)
    for name, (method, path, role) in STABLE_MODELS.items():
        route = ROUTES[method, path]
        expected = {"body": route.body[0] if route.body else None, "response": route.response}.get(
            role, route.page_item
        )
        assert aliases.TARGETS[name] == expected, name
        model = getattr(aliases, name)
        assert isinstance(model, type) and callable(model.from_dict) and callable(model.to_dict)


def test_the_public_models_module_re_exports_the_stable_names() -> None:
    import dimescheduler_openapi.models as public

    namespace: dict[str, Any] = {}
    exec("from dimescheduler_openapi.models import *", namespace)
    assert set(public.__all__) == {*STABLE_MODELS, "UNSET", "Unset"} <= set(namespace)
    assert public.Job is aliases.Job
    assert isinstance(public.UNSET, public.Unset) and not public.UNSET and repr(public.UNSET) == "UNSET"
    with pytest.raises(AttributeError, match="NoSuchModel"):
        _ = public.NoSuchModel


def test_a_name_the_document_cannot_bind_says_why(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(aliases.MISSING, "Ghost", "GET /ghost is not in the client")
    with pytest.raises(AttributeError, match="GET /ghost is not in the client"):
        _ = aliases.Ghost


def test_a_read_of_a_route_the_client_lacks_raises_a_typed_error(monkeypatch: pytest.MonkeyPatch) -> None:
    """Before anything is sent (tests/overlay/test_entity_bodies.py covers every method kind)."""
    monkeypatch.delitem(ROUTES, ("GET", "/job/{jobNo}"))
    caches = (_resolve.route, _resolve.ensure_route, _resolve.left_out, _resolve.response_model)
    for cached in caches:
        cached.cache_clear()
    sent: list[httpx.Request] = []

    def answer(request: httpx.Request) -> httpx.Response:
        sent.append(request)
        return httpx.Response(200, json={"jobNo": "J1"})

    http = httpx.Client(transport=httpx.MockTransport(answer))
    try:
        with (
            DimeSchedulerClient(api_key="k", environment="http://127.0.0.1:1", http_client=http) as client,
            pytest.raises(
                UnsupportedOperationError, match=r"GET /job/\{jobNo\} is not in the vendor document"
            ),
        ):
            client.jobs.get("J1")
    finally:
        for cached in caches:
            cached.cache_clear()
    assert sent == []
