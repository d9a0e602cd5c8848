"""Authentication against local servers: API key, JWT from /token (cache, expiry, 401, single-flight),
bearer tokens and callables, credentials from the environment, and refused configurations."""

from __future__ import annotations

import asyncio
import threading
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from typing import Any

import httpx
import pytest
from dimescheduler_openapi import (
    AsyncDimeSchedulerClient,
    AuthenticationError,
    ConfigurationError,
    DimeSchedulerClient,
)
from dimescheduler_openapi._auth import JWTAuth, jwt_expiry
from dimescheduler_openapi._call import Call, call
from dimescheduler_openapi._parsing import parse_json
from fakeapi import Reply, TokenService, make_jwt, serve_api

API_KEY = "ak-SECRET-0123456789abcdef"
USERNAME = "planner@example.com"
PASSWORD = "pw-SECRET-correct-horse-battery"
ENV_VARS = (
    "DIMESCHEDULER_API_KEY",
    "DIMESCHEDULER_USERNAME",
    "DIMESCHEDULER_PASSWORD",
    "DIMESCHEDULER_ENVIRONMENT",
)


@pytest.fixture(autouse=True)
def clean_env(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in ENV_VARS:
        monkeypatch.delenv(name, raising=False)


def ping(path: str = "/ping") -> Call[Any]:
    return call("GET", path, parse_json)


@pytest.fixture
def tokens() -> TokenService:
    return TokenService(USERNAME, PASSWORD)


@pytest.fixture
def jwt_api(tokens: TokenService) -> Iterator[Any]:
    with serve_api(tokens) as api:
        yield api


def jwt_client(base_url: str) -> DimeSchedulerClient:
    return DimeSchedulerClient(environment=base_url, username=USERNAME, password=PASSWORD, retry=False)


# --- API key -------------------------------------------------------------------------------------------


def test_api_key_is_sent_as_x_api_key_header() -> None:
    with (
        serve_api(lambda r: Reply.json({"ok": True})) as api,
        DimeSchedulerClient(API_KEY, api.base_url) as client,
    ):
        assert client.execute(ping()) == {"ok": True}
    [received] = api.received
    assert received.headers["x-api-key"] == API_KEY
    assert "authorization" not in received.headers
    assert client.auth_kind == "api_key"


# --- JWT -----------------------------------------------------------------------------------------------


def test_jwt_is_obtained_once_and_cached(jwt_api: Any, tokens: TokenService) -> None:
    with jwt_client(jwt_api.base_url) as client:
        assert client.execute(ping()) == {"path": "/ping", "ok": True}
        assert client.execute(ping("/other")) == {"path": "/other", "ok": True}
    assert jwt_api.count("/token") == 1
    token_request = next(r for r in jwt_api.received if r.path == "/token")
    assert token_request.method == "POST"
    assert token_request.headers["content-type"] == "application/json"
    assert token_request.json() == {"username": USERNAME, "password": PASSWORD}
    bearer = {r.headers["authorization"] for r in jwt_api.received if r.path != "/token"}
    assert bearer == {f"Bearer {tokens.issued[0]}"}


def test_a_jwt_shorter_than_the_margin_is_used_for_half_its_lifetime(
    jwt_api: Any, tokens: TokenService
) -> None:
    # Changed in issue 9: a 10 s token (inside the 30 s margin) used to be refreshed before every request.
    tokens.lifetime = 10
    with jwt_client(jwt_api.base_url) as client:
        for _ in range(3):
            client.execute(ping())
    assert jwt_api.count("/token") == 1
    used = {r.headers["authorization"] for r in jwt_api.received if r.path == "/ping"}
    assert used == {f"Bearer {tokens.issued[0]}"}


def test_jwt_without_exp_is_kept_until_a_401(jwt_api: Any, tokens: TokenService) -> None:
    tokens.lifetime = None
    with jwt_client(jwt_api.base_url) as client:
        for _ in range(3):
            client.execute(ping())
    assert jwt_api.count("/token") == 1


def test_jwt_refresh_follows_the_exp_claim_with_a_30_second_margin() -> None:
    clock = [1_000_000.0]
    issued: list[str] = []

    def handler(request: httpx.Request) -> httpx.Response:
        if request.url.path == "/token":
            issued.append(make_jwt(clock[0] + 100, jti=len(issued)))
            return httpx.Response(200, json={"token": issued[-1]})
        return httpx.Response(200, json={"auth": request.headers["authorization"]})

    auth = JWTAuth("https://api.test/token", USERNAME, PASSWORD, now=lambda: clock[0])
    with httpx.Client(auth=auth, transport=httpx.MockTransport(handler), base_url="https://api.test") as http:
        http.get("/a")
        clock[0] += 69  # 31 s left: still fresh
        assert http.get("/a").json() == {"auth": f"Bearer {issued[0]}"}
        clock[0] += 2  # 29 s left: inside the margin
        assert http.get("/a").json() == {"auth": f"Bearer {issued[1]}"}
    assert len(issued) == 2


def test_jwt_expiry_reads_the_payload_without_checking_the_signature() -> None:
    assert jwt_expiry(make_jwt(1234567890)) == 1234567890.0
    assert jwt_expiry(make_jwt(None)) is None
    assert jwt_expiry("not-a-jwt") is None
    assert jwt_expiry("a.!!!.c") is None


def test_jwt_401_refreshes_once_and_repeats_the_request(jwt_api: Any, tokens: TokenService) -> None:
    with jwt_client(jwt_api.base_url) as client:
        client.execute(ping())
        tokens.revoke_all()
        assert client.execute(ping()) == {"path": "/ping", "ok": True}
    assert jwt_api.count("/token") == 2
    used = [r.headers["authorization"] for r in jwt_api.received if r.path == "/ping"]
    assert used == [f"Bearer {tokens.issued[0]}", f"Bearer {tokens.issued[0]}", f"Bearer {tokens.issued[1]}"]


def test_jwt_second_401_raises_authentication_error(jwt_api: Any, tokens: TokenService) -> None:
    tokens.reject_all = True
    with jwt_client(jwt_api.base_url) as client, pytest.raises(AuthenticationError) as caught:
        client.execute(ping())
    assert jwt_api.count("/token") == 2
    assert jwt_api.count("/ping") == 2
    assert caught.value.status_code == 401
    assert "\n" not in str(caught.value)


def test_wrong_password_raises_one_line_authentication_error_without_secrets(jwt_api: Any) -> None:
    client = DimeSchedulerClient(environment=jwt_api.base_url, username=USERNAME, password="pw-SECRET-wrong")
    with client, pytest.raises(AuthenticationError) as caught:
        client.execute(ping())
    message = str(caught.value)
    assert message == "could not obtain a token: POST /token answered HTTP 401 Unauthorized"
    assert "pw-SECRET" not in repr(caught.value)
    assert caught.value.response.request.content == b""  # the password is not kept on the error
    assert jwt_api.count("/ping") == 0


@pytest.mark.parametrize("status", [400, 500])
def test_failing_token_endpoint_raises_authentication_error(
    jwt_api: Any, tokens: TokenService, status: int
) -> None:
    tokens.token_status = status
    with jwt_client(jwt_api.base_url) as client, pytest.raises(AuthenticationError, match=f"HTTP {status}"):
        client.execute(ping())


def test_token_answer_without_token_raises_authentication_error() -> None:
    def handler(received: Any) -> Reply:
        return Reply.json({"access_token": "tok-SECRET-elsewhere"})

    with serve_api(handler) as api, jwt_client(api.base_url) as client:
        with pytest.raises(AuthenticationError, match="has no 'token' string") as caught:
            client.execute(ping())
        assert "tok-SECRET" not in str(caught.value)
        assert caught.value.response.content == b""


def test_fifty_threads_with_a_rejected_token_make_one_token_request(tokens: TokenService) -> None:
    # Changed in issue 9: this started from a token already expired on arrival, which is now used until a
    # 401 (test_bounded_waits.py); a revoked token makes all 50 threads need a new one at once instead.
    tokens.token_delay = 0.2  # keep the refresh in flight while the other threads arrive
    with serve_api(tokens) as api, jwt_client(api.base_url) as client:
        client.execute(ping())
        assert api.count("/token") == 1
        tokens.revoke_all()
        barrier = threading.Barrier(50)

        def worker() -> Any:
            barrier.wait(timeout=10)
            return client.execute(ping("/concurrent"))

        with ThreadPoolExecutor(max_workers=50) as pool:
            futures = [pool.submit(worker) for _ in range(50)]
            results = [future.result(timeout=30) for future in futures]
    assert results == [{"path": "/concurrent", "ok": True}] * 50
    assert api.count("/token") == 2
    accepted = {r.headers["authorization"] for r in api.received if r.path == "/concurrent"}
    assert accepted <= {f"Bearer {tokens.issued[0]}", f"Bearer {tokens.issued[1]}"}


@pytest.mark.asyncio
async def test_fifty_tasks_with_a_rejected_token_make_one_token_request(tokens: TokenService) -> None:
    tokens.token_delay = 0.2
    with serve_api(tokens) as api:
        async with AsyncDimeSchedulerClient(
            environment=api.base_url, username=USERNAME, password=PASSWORD, retry=False
        ) as client:
            await client.execute(ping())
            assert api.count("/token") == 1
            tokens.revoke_all()
            results = await asyncio.wait_for(
                asyncio.gather(*(client.execute(ping("/concurrent")) for _ in range(50))), timeout=30
            )
    assert results == [{"path": "/concurrent", "ok": True}] * 50
    assert api.count("/token") == 2


@pytest.mark.asyncio
async def test_async_jwt_refreshes_once_on_401(jwt_api: Any, tokens: TokenService) -> None:
    async with AsyncDimeSchedulerClient(
        environment=jwt_api.base_url, username=USERNAME, password=PASSWORD
    ) as client:
        await client.execute(ping())
        tokens.revoke_all()
        assert await client.execute(ping()) == {"path": "/ping", "ok": True}
        tokens.reject_all = True
        with pytest.raises(AuthenticationError):
            await client.execute(ping())
    assert jwt_api.count("/token") == 3


# --- bearer tokens -------------------------------------------------------------------------------------


def test_bearer_token_string(jwt_api: Any, tokens: TokenService) -> None:
    token = make_jwt(None, jti=99)
    tokens.accept(token)
    with DimeSchedulerClient(environment=jwt_api.base_url, token=token) as client:
        client.execute(ping())
    assert client.auth_kind == "token"
    assert jwt_api.received[0].headers["authorization"] == f"Bearer {token}"
    assert jwt_api.count("/token") == 0


def test_token_callable_is_asked_per_request_and_again_after_a_401(
    jwt_api: Any, tokens: TokenService
) -> None:
    first, second = make_jwt(None, jti=1), make_jwt(None, jti=2)
    tokens.accept(first)
    answers = iter([first, first, first, second])

    with DimeSchedulerClient(environment=jwt_api.base_url, token=lambda: next(answers)) as client:
        client.execute(ping())
        client.execute(ping())
        tokens.revoke_all()  # rotated at the server: only `second` is valid now
        tokens.accept(second)
        assert client.execute(ping()) == {"path": "/ping", "ok": True}
    used = [r.headers["authorization"].removeprefix("Bearer ") for r in jwt_api.received]
    assert used == [first, first, first, second]
    assert next(answers, None) is None


def test_token_callable_with_an_unchanged_token_after_a_401_does_not_repeat(
    jwt_api: Any, tokens: TokenService
) -> None:
    client = DimeSchedulerClient(environment=jwt_api.base_url, token=lambda: "never-valid")
    with client, pytest.raises(AuthenticationError):
        client.execute(ping())
    assert jwt_api.count("/ping") == 1


@pytest.mark.asyncio
async def test_async_token_callable(jwt_api: Any, tokens: TokenService) -> None:
    token = make_jwt(None, jti=7)
    tokens.accept(token)
    calls = 0

    async def current_token() -> str:
        nonlocal calls
        calls += 1
        await asyncio.sleep(0)
        return token

    async with AsyncDimeSchedulerClient(environment=jwt_api.base_url, token=current_token) as client:
        await client.execute(ping())
        await client.execute(ping())
    assert calls == 2
    assert {r.headers["authorization"] for r in jwt_api.received} == {f"Bearer {token}"}


def test_async_token_callable_on_the_sync_client_is_refused() -> None:
    async def current_token() -> str:
        return "t"

    with pytest.raises(ConfigurationError, match="AsyncDimeSchedulerClient"):
        DimeSchedulerClient(token=current_token)


# --- bad, missing and conflicting credentials -----------------------------------------------------------


def test_no_credentials_is_a_configuration_error() -> None:
    with pytest.raises(ConfigurationError, match="no credentials: pass api_key="):
        DimeSchedulerClient()


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"api_key": API_KEY, "token": "t"}, "conflicting credentials api_key= and token="),
        (
            {"api_key": API_KEY, "username": USERNAME, "password": PASSWORD},
            "conflicting credentials api_key=",
        ),
        ({"token": "t", "password": PASSWORD}, "conflicting credentials token= and username=/password="),
        ({"username": USERNAME}, "password= is missing"),
        ({"password": PASSWORD}, "username= is missing"),
        ({"api_key": ""}, "api_key is empty"),
        ({"api_key": "  "}, "api_key is empty"),
        ({"api_key": API_KEY + "\n"}, "api_key contains a line break"),
        ({"api_key": 12345}, "api_key must be a string, not int"),
        ({"username": USERNAME, "password": ""}, "password is empty"),
        ({"token": 42}, "token must be a string or a callable, not int"),
    ],
)
def test_bad_credentials_are_configuration_errors(kwargs: dict[str, Any], message: str) -> None:
    with pytest.raises(ConfigurationError, match=message) as caught:
        DimeSchedulerClient(**kwargs)
    assert API_KEY not in str(caught.value)
    assert PASSWORD not in str(caught.value)
    assert "\n" not in str(caught.value)


def test_token_callable_returning_a_non_string_fails_without_sending(jwt_api: Any) -> None:
    client = DimeSchedulerClient(environment=jwt_api.base_url, token=lambda: None)  # type: ignore[arg-type]
    with client, pytest.raises(ConfigurationError, match="the token callable's result must be a string"):
        client.execute(ping())
    assert jwt_api.received == []


# --- credentials from the environment -------------------------------------------------------------------


def test_api_key_from_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("DIMESCHEDULER_API_KEY", API_KEY)
    with serve_api(lambda r: Reply.json([])) as api, DimeSchedulerClient(environment=api.base_url) as client:
        client.execute(ping())
    assert client.auth_kind == "api_key"
    assert api.received[0].headers["x-api-key"] == API_KEY


def test_username_and_password_from_the_environment(
    monkeypatch: pytest.MonkeyPatch, jwt_api: Any, tokens: TokenService
) -> None:
    monkeypatch.setenv("DIMESCHEDULER_USERNAME", USERNAME)
    monkeypatch.setenv("DIMESCHEDULER_PASSWORD", PASSWORD)
    monkeypatch.setenv("DIMESCHEDULER_ENVIRONMENT", jwt_api.base_url)
    with DimeSchedulerClient() as client:
        assert client.execute(ping()) == {"path": "/ping", "ok": True}
    assert client.auth_kind == "jwt"
    assert jwt_api.count("/token") == 1


def test_explicit_credentials_win_over_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("DIMESCHEDULER_USERNAME", USERNAME)
    monkeypatch.setenv("DIMESCHEDULER_PASSWORD", PASSWORD)
    assert DimeSchedulerClient(API_KEY).auth_kind == "api_key"


@pytest.mark.parametrize(
    ("env", "message"),
    [
        (
            {"DIMESCHEDULER_API_KEY": API_KEY, "DIMESCHEDULER_USERNAME": USERNAME},
            "both DIMESCHEDULER_API_KEY and DIMESCHEDULER_USERNAME are set",
        ),
        ({"DIMESCHEDULER_USERNAME": USERNAME}, "DIMESCHEDULER_PASSWORD is not set"),
        ({"DIMESCHEDULER_PASSWORD": PASSWORD}, "DIMESCHEDULER_USERNAME is not set"),
        ({"DIMESCHEDULER_API_KEY": ""}, "no credentials"),
    ],
)
def test_bad_credentials_in_the_environment(
    monkeypatch: pytest.MonkeyPatch, env: dict[str, str], message: str
) -> None:
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    with pytest.raises(ConfigurationError, match=message) as caught:
        DimeSchedulerClient()
    assert API_KEY not in str(caught.value)
    assert PASSWORD not in str(caught.value)


# --- transport security ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "url", ["http://example.com", "http://10.0.0.1:8080", "http://api.dimescheduler.com"]
)
def test_credentials_over_plain_http_to_a_remote_host_are_refused(url: str) -> None:
    host = httpx.URL(url).host
    with pytest.raises(ConfigurationError, match=f"refusing to send credentials over plain http to {host}"):
        DimeSchedulerClient(API_KEY, url)
    with pytest.raises(ConfigurationError, match="plain http"):
        DimeSchedulerClient(environment=url, username=USERNAME, password=PASSWORD)


def test_plain_http_from_the_environment_variable_is_refused(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("DIMESCHEDULER_ENVIRONMENT", "http://example.org")
    with pytest.raises(ConfigurationError, match=r"plain http to example\.org"):
        DimeSchedulerClient(API_KEY)


@pytest.mark.parametrize(
    "url",
    [
        "http://127.0.0.1:4010",
        "http://127.8.9.10",
        "http://localhost:4010",
        "http://[::1]:4010",
        "https://example.com",
    ],
)
def test_loopback_http_and_any_https_are_allowed(url: str) -> None:
    assert DimeSchedulerClient(API_KEY, url).base_url == url


# --- the command line reads the key from stdin (docs/guides/auth.md) --------------------------------------


def test_api_key_stdin_reads_the_key_from_a_file_fed_to_stdin(tmp_path: Any) -> None:
    from click.testing import CliRunner
    from dimescheduler_openapi._cli import cli

    key_file = tmp_path / "api-key"
    key_file.write_text(API_KEY)  # as `secret-tool lookup` prints it: no line break
    with serve_api(lambda received: Reply.json([])) as api:
        result = CliRunner().invoke(
            cli,
            ["--api-key-stdin", "-o", "json", "categories", "get-all"],
            env={"DIMESCHEDULER_ENVIRONMENT": api.base_url, "DIMESCHEDULER_API_KEY": ""},
            input=key_file.read_text(),
            catch_exceptions=False,
        )
        assert result.exit_code == 0, result.output
        assert [r.headers.get("x-api-key") for r in api.received] == [API_KEY]
    assert API_KEY not in result.output
