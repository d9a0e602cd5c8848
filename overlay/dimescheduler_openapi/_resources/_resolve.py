"""Models resolved by route (method + path), through `dimescheduler_raw.routes`, never by a vendor name.

The generated route table says which class openapi-python-client made for each operation's body and answer;
the overlay asks it when an answer arrives, so a vendor renaming a schema changes nothing here. Loading is
lazy: building a Call imports neither the table nor the models.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable
from functools import cache
from typing import Any

import httpx

from .._call import Call
from .._errors import UnsupportedOperationError, unexpected_response
from .._parsing import parse_json, parse_model, parse_models
from ._endpoint import Endpoint


@cache
def route(method: str, path: str) -> Any:
    """The `dimescheduler_raw.routes.Route` of an operation; UnsupportedOperationError when not generated."""
    table = importlib.import_module("dimescheduler_raw.routes")
    found = table.ROUTES.get((method, path))
    if found is None:
        raise UnsupportedOperationError(_missing(method, path, table))
    return found


def _missing(method: str, path: str, table: Any) -> str:
    reason = getattr(table, "LEFT_OUT", {}).get((method, path))
    if reason is not None:
        return (
            f"{method} {path} is in the vendor document but was left out by `nox -s generate` ({reason}); "
            "the overlay sends it with untyped JSON"
        )
    return (
        f"{method} {path} is not in the vendor document the client was generated from (the vendor removed "
        "it); nothing was sent"
    )


@cache
def left_out(method: str, path: str) -> bool:
    """Whether the vendor documents `method path` but generation left it out (callable, untyped JSON)."""
    table = importlib.import_module("dimescheduler_raw.routes")
    return (method, path) not in table.ROUTES and (method, path) in getattr(table, "LEFT_OUT", {})


@cache
def ensure_route(method: str, path: str) -> None:
    """UnsupportedOperationError, before anything is sent, for an operation the vendor document lacks."""
    table = importlib.import_module("dimescheduler_raw.routes")
    if (method, path) not in table.ROUTES and (method, path) not in getattr(table, "LEFT_OUT", {}):
        raise UnsupportedOperationError(_missing(method, path, table))


# An operation the table lacks, or one whose document lists no 2xx answer, is held to plain 200.
_DEFAULT_SUCCESS = ("200",)


@cache
def documented_success(method: str, path: str) -> tuple[str, ...]:
    """The 2xx status codes the document defines for `method path` ("200", "2XX", ...)."""
    try:
        found = route(method, path)
    except UnsupportedOperationError:
        return _DEFAULT_SUCCESS
    return tuple(code.upper() for code in found.success) or _DEFAULT_SUCCESS


def check_documented(call: Call[Any], response: httpx.Response) -> None:
    """UnexpectedResponseError for a 2xx answer whose status the call's operation does not document: a write
    answered 202 (accepted, maybe never done) or 206 is not done."""
    if call.route is None:
        return
    codes = documented_success(*call.route)
    status = str(response.status_code)
    if status in codes or "2XX" in codes:
        return
    expected = "HTTP " + " or ".join(codes) + " (the status codes the document defines for this operation)"
    raise unexpected_response(response, expected, got=f"HTTP {status}")


@cache
def response_model(method: str, path: str) -> Any:
    """The generated class a success answer of `method path` is parsed into (the item class for lists)."""
    name = route(method, path).response
    if name is None:
        raise UnsupportedOperationError(
            f"{method} {path}: the document gives its answer no model to parse into"
        )
    return getattr(importlib.import_module("dimescheduler_raw.models"), name)


def parse_one(endpoint: Endpoint) -> Callable[[httpx.Response], Any]:
    """Parse an answer of `endpoint` into one model (a page is one model too); untyped JSON for an operation
    generation left out."""
    if left_out(endpoint.method, endpoint.path):
        return parse_json
    return lambda response: parse_model(response_model(endpoint.method, endpoint.path))(response)


def parse_list(endpoint: Endpoint) -> Callable[[httpx.Response], list[Any]]:
    """Parse an answer of `endpoint` into a list of models; untyped JSON for an operation left out."""
    if left_out(endpoint.method, endpoint.path):
        return parse_json
    return lambda response: parse_models(response_model(endpoint.method, endpoint.path))(response)


def page_items(endpoint: Endpoint, page: Any) -> list[Any]:
    """The items of a page answer: the list attribute the route table names (`page_items`)."""
    name = route(endpoint.method, endpoint.path).page_items
    items = getattr(page, name, None) if name else None
    return items if isinstance(items, list) else []


def page_total(endpoint: Endpoint, page: Any) -> int | None:
    """The count a page answer reports, from the attribute the route table names (`page_total`)."""
    name = route(endpoint.method, endpoint.path).page_total
    total = getattr(page, name, None) if name else None
    return total if isinstance(total, int) and not isinstance(total, bool) else None
