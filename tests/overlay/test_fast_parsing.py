"""Answers parse the same with orjson and with the standard library (values, errors and their messages);
orjson is imported on the first answer, not with the package; writes and errors carry the request id."""

from __future__ import annotations

import json
import subprocess
import sys
from collections.abc import Iterator
from typing import Any

import pytest
from dimescheduler_openapi import (
    BadRequestError,
    DimeSchedulerClient,
    MutationResult,
    UnexpectedResponseError,
    _parsing,
)
from fakeapi import Reply, Script, serve_api

API_KEY = "ak-SECRET-fast-parsing"
CATEGORY = {"name": "Boiler", "displayName": "Boiler", "color": "#FF0000"}
OK_ENVELOPE = {
    "content": json.dumps({"Success": True, "Message": "ok"}),
    "contentType": "application/json",
    "statusCode": 200,
}
ITEM = {"name": "Boiler", "color": "#FF0000", "sourceApp": "BC", "sourceType": "SO"}

ANSWERS: dict[str, Reply] = {
    "a list": Reply.json([ITEM, {**ITEM, "name": "Pump"}]),
    "NaN (json reads it, orjson does not)": Reply(
        200, b'[{"name": NaN}]', {"Content-Type": "application/json"}
    ),
    "byte order mark": Reply(200, b"\xef\xbb\xbf" + json.dumps([ITEM]).encode()),
    "utf-16": Reply(200, json.dumps([ITEM]).encode("utf-16")),
    "truncated": Reply(200, b'[{"name": "Boil', {"Content-Type": "application/json"}),
    "invalid utf-8": Reply(200, b'[{"name": "\xff"}]', {"Content-Type": "application/json"}),
    "html": Reply(200, b"<html><body>Sign in</body></html>", {"Content-Type": "text/html"}),
    "an object": Reply.json({"errors": ["x"]}),
    "a value the model cannot read": Reply.json([{"name": 1, "color": {"a": 1}}]),
}


@pytest.fixture(params=["orjson", "json"])
def loader(request: pytest.FixtureRequest) -> Iterator[str]:
    if request.param == "orjson":
        pytest.importorskip("orjson")
    before = _parsing.fast_loads
    _parsing.fast_loads = _parsing._UNRESOLVED if request.param == "orjson" else None
    try:
        yield request.param
    finally:
        _parsing.fast_loads = before


def outcome(reply: Reply) -> Any:
    with serve_api(Script([], then=reply)) as api, DimeSchedulerClient(API_KEY, api.base_url) as client:
        try:
            return [item.to_dict() for item in client.categories.get_all()]
        except UnexpectedResponseError as exc:
            return (type(exc).__name__, str(exc), exc.body)


@pytest.mark.parametrize("name", sorted(ANSWERS))
def test_orjson_and_json_give_the_same_values_and_errors(name: str) -> None:
    results = {}
    before = _parsing.fast_loads
    try:
        for label, value in (("fast", _parsing._UNRESOLVED), ("json", None)):
            _parsing.fast_loads = value
            results[label] = outcome(ANSWERS[name])
    finally:
        _parsing.fast_loads = before
    assert repr(results["fast"]) == repr(results["json"])  # repr: NaN != NaN


def test_orjson_is_used_when_installed_and_imported_only_on_the_first_answer() -> None:
    pytest.importorskip("orjson")
    code = (
        "import sys, httpx, dimescheduler_openapi\n"
        "from dimescheduler_openapi import _parsing\n"
        "assert 'orjson' not in sys.modules\n"
        "r = httpx.Response(200, content=b'[1]', request=httpx.Request('GET', 'http://x/'))\n"
        "assert _parsing.parse_json(r) == [1]\n"
        "assert 'orjson' in sys.modules and _parsing.fast_loads is sys.modules['orjson'].loads\n"
    )
    subprocess.run([sys.executable, "-c", code], check=True)


def test_write_results_carry_the_request_id_and_headers_without_cookies(loader: str) -> None:
    replies = [
        Reply.json(
            OK_ENVELOPE,
            headers={"X-Request-Id": "req-1", "Set-Cookie": "session=SECRET", "X-Served-By": "node-3"},
        ),
        Reply.json({**OK_ENVELOPE, "traceId": "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-00"}),
        Reply.json(OK_ENVELOPE),
    ]
    with serve_api(Script(replies)) as api, DimeSchedulerClient(API_KEY, api.base_url) as client:
        first, second, third = (client.categories.create(CATEGORY) for _ in range(3))
    assert first.request_id == "req-1" and first.headers["x-served-by"] == "node-3"
    assert "set-cookie" not in first.headers and "SECRET" not in repr(first) + str(first.headers)
    assert second.request_id == "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-00"
    assert third.request_id is None and third.headers["content-type"] == "application/json"
    assert (
        first == second == MutationResult(status_code=200, success=True, message="ok", content=first.content)
    )


def test_errors_read_the_trace_id_of_a_problem_details_body() -> None:
    problem = {
        "type": "https://tools.ietf.org/html/rfc9110#section-15.5.1",
        "title": "One or more validation errors occurred.",
        "status": 400,
        "traceId": "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-00",
    }
    replies = [
        Reply.json(problem, status=400),
        Reply.json(problem, status=400, headers={"X-Request-Id": "r-9"}),
    ]
    with serve_api(Script(replies)) as api, DimeSchedulerClient(API_KEY, api.base_url, retry=False) as client:
        with pytest.raises(BadRequestError) as from_body:
            client.categories.create(CATEGORY)
        with pytest.raises(BadRequestError) as from_header:
            client.categories.create(CATEGORY)
    assert from_body.value.request_id == "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-00"
    assert from_header.value.request_id == "r-9"  # a header wins over the body
    assert str(from_body.value) == (
        "HTTP 400 Bad Request from POST /category: One or more validation errors occurred."
    )
