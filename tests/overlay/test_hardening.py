"""Answers and inputs an attacker controls: undocumented 2xx statuses, JSON nested too deeply, servers
echoing the client's secrets, credential headers outside a fixed list, values the models cannot hold, URLs
too long and text that is not valid Unicode. Every case is a typed error; no secret stays reachable."""

from __future__ import annotations

import asyncio
import base64
import email.utils
import itertools
import json
import logging
import pickle
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
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
from dimescheduler_openapi._auth import jwt_expiry
from dimescheduler_openapi._call import call
from dimescheduler_openapi._parsing import parse_mutation
from dimescheduler_openapi._resources import _resolve
from dimescheduler_openapi._scrub import TOKEN_BODY_NOTE
from fakeapi import Received, Reply, TokenService, serve_api
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


# --- cookies: none kept, whatever the server sets ------------------------------------------------------


def cookie_setting(inner: Callable[[Received], Reply]) -> Callable[[Received], Reply]:
    """`inner`'s answers, each setting a new cookie (as a load balancer or session layer might)."""
    counter = itertools.count()

    def answer(received: Received) -> Reply:
        reply = inner(received)
        cookie = f"s{next(counter)}={'x' * 100}; Path=/"
        return Reply(reply.status, reply.body, {**reply.headers, "Set-Cookie": cookie}, reply.delay)

    return answer


def categories_answer(received: Received) -> Reply:
    return Reply.json([CATEGORY])


def test_cookies_set_by_the_server_are_never_sent_back_sync_async_and_token() -> None:
    with serve_api(cookie_setting(categories_answer)) as api:
        with DimeSchedulerClient(API_KEY, api.base_url) as client:
            for _ in range(20):
                client.categories.get_all()
            client.raw.get_httpx_client().get("/category")

        async def run() -> None:
            async with AsyncDimeSchedulerClient(API_KEY, api.base_url) as client:
                for _ in range(20):
                    await client.categories.get_all()

        asyncio.run(run())
        assert api.count() == 41
        assert [r.headers.get("cookie") for r in api.received] == [None] * 41

    tokens = TokenService("planner", PASSWORD)
    with (
        serve_api(cookie_setting(tokens)) as api,
        DimeSchedulerClient(environment=api.base_url, username="planner", password=PASSWORD) as client,
    ):
        for _ in range(5):
            client.execute(call("GET", "/ping", lambda response: response.json()))
        tokens.revoke_all()  # a 401, a new /token exchange, the call repeated
        client.execute(call("GET", "/ping", lambda response: response.json()))
        assert api.count("/token") == 2
        assert all(r.headers.get("cookie") is None for r in api.received)


def test_cookies_the_caller_put_on_an_injected_client_are_still_sent() -> None:
    with serve_api(cookie_setting(categories_answer)) as api:
        http = httpx.Client(cookies={"gateway": "chosen-by-caller"})
        with DimeSchedulerClient(API_KEY, api.base_url, http_client=http) as client:
            client.categories.get_all()
            client.categories.get_all()
        assert [r.headers.get("cookie") for r in api.received] == ["gateway=chosen-by-caller"] * 2


# --- hostile tokens: used or refused, never a raw exception ---------------------------------------------------


def jwt_with_payload(payload: bytes) -> str:
    def part(data: bytes) -> str:
        return base64.urlsafe_b64encode(data).decode().rstrip("=")

    header = part(b'{"alg": "HS256"}')
    return f"{header}.{part(payload)}.c2lnbmF0dXJl"


HOSTILE_TOKENS = {
    "exp 10**400": jwt_with_payload(b'{"exp": 1' + b"0" * 400 + b"}"),
    "exp -10**400": jwt_with_payload(b'{"exp": -1' + b"0" * 400 + b"}"),
    "exp 1e400": jwt_with_payload(b'{"exp": 1e400}'),
    "exp NaN": jwt_with_payload(b'{"exp": NaN}'),
    "nested 100,000 deep": jwt_with_payload(b'{"exp": ' + b"[" * 100_000 + b"]" * 100_000 + b"}"),
    "payload nested 100,000 deep": jwt_with_payload(b"[" * 100_000 + b"]" * 100_000),
    "payload not base64": "a.%%%.c",
    # 10,000 deep: too deep for json, yet short enough for the test server's 64 KiB header line
    "exp nested 10,000 deep": jwt_with_payload(b'{"exp": ' + b"[" * 10_000 + b"]" * 10_000 + b"}"),
}


@pytest.mark.parametrize("name", sorted(HOSTILE_TOKENS))
def test_jwt_expiry_never_raises(name: str) -> None:
    assert jwt_expiry(HOSTILE_TOKENS[name]) is None


def hostile_token_service(token: str) -> Callable[[Received], Reply]:
    def answer(received: Received) -> Reply:
        if received.path == "/token":
            return Reply.json({"token": token}, headers={"Date": email.utils.formatdate(usegmt=True)})
        if received.headers.get("authorization") == f"Bearer {token}":
            return Reply.json({"ok": True})
        return Reply.json({"message": "no"}, status=401)

    return answer


@pytest.mark.parametrize("name", ["exp 10**400", "exp nested 10,000 deep"])
def test_a_hostile_token_is_used_by_fifty_threads_with_one_exchange(name: str) -> None:
    with (
        serve_api(hostile_token_service(HOSTILE_TOKENS[name])) as api,
        DimeSchedulerClient(environment=api.base_url, username="planner", password=PASSWORD) as client,
        ThreadPoolExecutor(50) as pool,
    ):
        ping = call("GET", "/ping", lambda response: response.json())

        def one(_: int) -> object:
            try:
                return client.execute(ping)
            except Exception as exc:  # any failure is counted, typed or not
                return exc

        results = list(pool.map(one, range(50)))
        assert results == [{"ok": True}] * 50
        assert api.count("/token") == 1
