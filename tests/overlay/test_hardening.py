"""Answers and inputs an attacker controls: undocumented 2xx statuses, JSON nested too deeply, servers
echoing the client's secrets, credential headers outside a fixed list, values the models cannot hold, URLs
too long and text that is not valid Unicode. Every case is a typed error; no secret stays reachable."""

from __future__ import annotations

import json
import logging
import pickle
from collections.abc import Callable
from typing import Any

import httpx
import pytest
from dimescheduler_openapi import (
    AsyncDimeSchedulerClient,
    AuthenticationError,
    DimeSchedulerClient,
    InternalServerError,
    InvalidRequestError,
    MutationFailedError,
    UnexpectedResponseError,
    procedures,
)
from dimescheduler_openapi._call import call
from dimescheduler_openapi._parsing import parse_mutation
from dimescheduler_openapi._resources import _resolve
from dimescheduler_openapi._scrub import TOKEN_BODY_NOTE
from reachable import leaked

API_KEY = "ak-SECRET-hardening-0123"
PASSWORD = "pw-SECRET-hardening-4567"
BASE = "https://api.test"
DEEP = b"[" * 100_000 + b"]" * 100_000
CATEGORY = {"name": "Boiler", "displayName": "Boiler", "color": "#FF0000"}
OK = {"content": json.dumps({"Success": True}), "contentType": "application/json", "statusCode": 200}

Handler = Callable[[httpx.Request], httpx.Response]


def client(handler: Handler, **kwargs: Any) -> DimeSchedulerClient:
    if "username" not in kwargs:
        kwargs["api_key"] = API_KEY
    return DimeSchedulerClient(
        environment=BASE, transport=httpx.MockTransport(handler), retry=False, **kwargs
    )


def answer(status: int, content: bytes = b"", **headers: str) -> Handler:
    return lambda request: httpx.Response(status, content=content, headers=headers)


def raised(handler: Handler, action: Callable[[DimeSchedulerClient], Any], **kwargs: Any) -> Exception:
    with client(handler, **kwargs) as c, pytest.raises(Exception) as caught:
        action(c)
    return caught.value


def nothing_reachable(obj: Any, secrets: list[str]) -> None:
    assert leaked(obj, secrets) == []
    assert leaked(pickle.dumps(obj), secrets) == []


# --- 1. only the 2xx statuses the document defines count ---------------------------------------------------


@pytest.mark.parametrize("status", [202, 203, 206, 299])
def test_a_write_or_read_answered_an_undocumented_2xx_is_not_done(status: int) -> None:
    handler = answer(status, json.dumps(OK).encode())
    for action in (lambda c: c.categories.create(CATEGORY), lambda c: c.categories.get_all()):
        error = raised(handler, action)
        assert type(error) is UnexpectedResponseError
        assert error.status_code == status
        assert f"got HTTP {status}" in str(error) and "expected HTTP 200" in str(error)


def test_documented_codes_come_from_the_route(monkeypatch: pytest.MonkeyPatch) -> None:
    real = _resolve.route("POST", "/category")
    monkeypatch.setattr(_resolve, "route", lambda method, path: _Route(real, ("2XX",)))
    _resolve.documented_success.cache_clear()
    try:
        with client(answer(202, json.dumps(OK).encode())) as c:
            assert c.categories.create(CATEGORY).success
    finally:
        _resolve.documented_success.cache_clear()


class _Route:
    def __init__(self, real: Any, success: tuple[str, ...]) -> None:
        self.real, self.success = real, success


# --- 2. JSON nested too deeply ----------------------------------------------------------------------------


def test_deep_json_answers_are_typed_errors() -> None:
    error = raised(answer(200, DEEP), lambda c: c.categories.get_all())
    assert type(error) is UnexpectedResponseError and "nested too deeply" in str(error)
    error = raised(answer(200, DEEP), lambda c: c.categories.create(CATEGORY))
    assert type(error) is UnexpectedResponseError
    inner = {**OK, "content": DEEP.decode()}
    error = raised(answer(200, json.dumps(inner).encode()), lambda c: c.categories.create(CATEGORY))
    assert type(error) is UnexpectedResponseError
    error = raised(answer(500, DEEP), lambda c: c.categories.get_all())
    assert type(error) is InternalServerError and error.body == DEEP.decode()


def test_a_deep_token_answer_is_an_authentication_error() -> None:
    def handler(request: httpx.Request) -> httpx.Response:
        return httpx.Response(200, content=DEEP)

    error = raised(handler, lambda c: c.categories.get_all(), username="u", password=PASSWORD)
    assert type(error) is AuthenticationError


@pytest.mark.asyncio
async def test_deep_json_async() -> None:
    async with AsyncDimeSchedulerClient(
        API_KEY, BASE, transport=httpx.MockTransport(answer(200, DEEP)), retry=False
    ) as c:
        with pytest.raises(UnexpectedResponseError):
            await c.categories.get_all()


# --- 3. the client's own secrets in server text -----------------------------------------------------------


def test_a_failed_token_answer_is_not_kept() -> None:
    def handler(request: httpx.Request) -> httpx.Response:
        return httpx.Response(400, content=b"bad request: " + request.content)  # echoes the password

    error = raised(handler, lambda c: c.categories.get_all(), username="u", password=PASSWORD)
    assert type(error) is AuthenticationError
    assert error.body == TOKEN_BODY_NOTE and error.response.content == b""
    nothing_reachable(error, [PASSWORD])


def test_a_401_echoing_the_key_is_masked() -> None:
    def handler(request: httpx.Request) -> httpx.Response:
        key = request.headers["x-api-key"]
        return httpx.Response(401, json={"message": f"key {key} is revoked"}, headers={"X-Echo": key})

    error = raised(handler, lambda c: c.categories.get_all())
    assert type(error) is AuthenticationError
    assert "key [redacted] is revoked" in str(error)
    nothing_reachable(error, [API_KEY])


def test_a_write_failure_echoing_the_key_is_masked() -> None:
    def handler(request: httpx.Request) -> httpx.Response:
        content = {"Success": False, "Error": "bad key " + request.headers["x-api-key"]}
        return httpx.Response(200, json={**OK, "content": json.dumps(content), "statusCode": 400})

    error = raised(handler, lambda c: c.categories.create(CATEGORY))
    assert type(error) is MutationFailedError
    nothing_reachable(error, [API_KEY])


# --- 4. credential headers by pattern, URLs without query -------------------------------------------------


def test_credential_headers_are_redacted_by_pattern(caplog: pytest.LogCaptureFixture) -> None:
    headers = {
        "Set-Cookie2": "sid=cookie-SECRET",
        "X-Auth-Token": "tok-SECRET",
        "X-Session-Id": "sess-SECRET",
        "Location": "https://user:pw-SECRET@api.test/next?api_key=key-SECRET#frag",
        "Refresh": "5; url=/x?sig=sig-SECRET",
        "X-Request-Id": "rid-1",
    }
    secrets = ["cookie-SECRET", "tok-SECRET", "sess-SECRET", "pw-SECRET", "key-SECRET", "sig-SECRET"]
    caplog.set_level(logging.DEBUG, logger="dimescheduler_openapi")
    error = raised(answer(500, b"oops", **headers), lambda c: c.categories.get_all())
    assert isinstance(error, InternalServerError)
    nothing_reachable(error, secrets)
    assert error.response.headers["location"] == "https://api.test/next"
    assert error.request_id == "rid-1"
    assert not any(secret in caplog.text for secret in secrets)
    with client(answer(200, json.dumps(OK).encode(), **headers)) as c:
        result = c.categories.create(CATEGORY)
    nothing_reachable(result, secrets)


# --- 5. values the models cannot hold ---------------------------------------------------------------------


@pytest.mark.parametrize("body", [b'[{"name": NaN}]', b'[{"name": Infinity}]', b'[{"name": 1e999}]'])
def test_non_finite_numbers_in_answers_are_refused(body: bytes) -> None:
    error = raised(answer(200, body), lambda c: c.categories.get_all())
    assert type(error) is UnexpectedResponseError


@pytest.mark.parametrize(
    ("body", "kind"),
    [
        (b'{"content": NaN, "statusCode": 200}', UnexpectedResponseError),
        (b'{"content": "NaN", "statusCode": 200}', UnexpectedResponseError),
        (b'{"content": "{}"}', UnexpectedResponseError),
        (b'{"content": "{}", "statusCode": null}', UnexpectedResponseError),
        (b'{"content": "{}", "statusCode": true}', UnexpectedResponseError),
        (b'{"content": "{}", "statusCode": 200, "success": false}', MutationFailedError),
        (b'{"content": "{}", "statusCode": 200, "Success": false}', MutationFailedError),
        (b'{"content": "{}", "statusCode": 200, "error": "no"}', MutationFailedError),
        (b'{"content": "{}", "statusCode": 200, "errors": ["no"]}', MutationFailedError),
        (b'{"content": "{\\"Errors\\": [1]}", "statusCode": 200}', MutationFailedError),
    ],
)
def test_envelopes_that_do_not_say_success_are_not(body: bytes, kind: type[Exception]) -> None:
    assert type(raised(answer(200, body), lambda c: c.categories.create(CATEGORY))) is kind


def test_a_plain_envelope_still_succeeds() -> None:
    body = b'{"content": "{}", "statusCode": 200, "errors": []}'
    response = httpx.Response(200, content=body, request=httpx.Request("POST", BASE + "/x"))
    assert call("POST", "/x", parse_mutation).parse(response).success


# --- 6. inputs httpx or the encoder would refuse with their own exceptions --------------------------------


def test_a_path_too_long_is_an_invalid_request() -> None:
    error = raised(answer(200, b"{}"), lambda c: c.jobs.get("x" * 100_000))
    assert type(error) is InvalidRequestError and "65536" in str(error)


def test_a_lone_surrogate_is_an_invalid_request_naming_the_field() -> None:
    with pytest.raises(InvalidRequestError, match=r"field 'name' .*lone surrogate"):
        procedures.pin.append({"name": "J\ud8001", "color": "#00FF00"})
    error = raised(answer(200, b"{}"), lambda c: c.jobs.get("J\ud8001"))
    assert type(error) is InvalidRequestError
