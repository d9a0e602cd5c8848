"""Credentials reach nothing but the API's own origin, and nothing the client hands back keeps them:
redirects (refused, and never followed to another origin), errors right after a login, captures of a failing
`/token`, pickled errors, and environment URLs echoed in messages. Against local servers."""

from __future__ import annotations

import pickle
from typing import Any

import httpx
import pytest
from dimescheduler_openapi import (
    APIConnectionError,
    AsyncDimeSchedulerClient,
    AuthenticationError,
    ConfigurationError,
    DimeSchedulerClient,
    InvalidRequestError,
    NotFoundError,
    RedirectError,
)
from dimescheduler_openapi._call import call
from dimescheduler_openapi._parsing import parse_json
from dimescheduler_openapi._scrub import TOKEN_BODY_NOTE
from fakeapi import Received, Reply, TokenService, make_jwt, serve_api, unused_port
from reachable import leaked

API_KEY = "ak-SECRET-credentials-5e1f"
USERNAME = "planner@example.com"
PASSWORD = "pw-SECRET-credentials-77aa"
COOKIE = "ck-SECRET-session-3c2b"


@pytest.fixture(autouse=True)
def clean_env(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in ("DIMESCHEDULER_API_KEY", "DIMESCHEDULER_USERNAME", "DIMESCHEDULER_PASSWORD"):
        monkeypatch.delenv(name, raising=False)


def ping(path: str = "/ping") -> Any:
    return call("GET", path, parse_json)


def secrets_of(tokens: TokenService | None = None) -> list[str]:
    return [API_KEY, PASSWORD, COOKIE, *(tokens.issued if tokens else [])]


def assert_nothing_reachable(obj: Any, secrets: list[str]) -> None:
    assert leaked(obj, secrets) == []
    assert leaked(pickle.dumps(obj), secrets) == [] if _picklable(obj) else True


def _picklable(obj: Any) -> bool:
    try:
        pickle.dumps(obj)
    except (TypeError, pickle.PicklingError, AttributeError):
        return False
    return True


# --- redirects --------------------------------------------------------------------------------------------


def test_follow_redirects_is_refused() -> None:
    with pytest.raises(
        ConfigurationError, match=r"follow_redirects=True is refused: the client does not follow"
    ):
        DimeSchedulerClient(API_KEY, follow_redirects=True)
    with pytest.raises(ConfigurationError, match="follow_redirects=True is refused"):
        AsyncDimeSchedulerClient(API_KEY, follow_redirects=True)
    with pytest.raises(ConfigurationError, match="http_client has follow_redirects=True"):
        DimeSchedulerClient(API_KEY, http_client=httpx.Client(follow_redirects=True))
    with pytest.raises(ConfigurationError, match="http_client has follow_redirects=True"):
        AsyncDimeSchedulerClient(API_KEY, http_client=httpx.AsyncClient(follow_redirects=True))
    DimeSchedulerClient(API_KEY, follow_redirects=False).close()


def test_a_redirect_to_another_origin_gets_neither_key_nor_password() -> None:
    with serve_api(lambda r: Reply.json({"stolen": True})) as elsewhere:

        def redirect(received: Received) -> Reply:
            return Reply(307, headers={"Location": f"{elsewhere.base_url}{received.path}"})

        with serve_api(redirect) as api:
            with DimeSchedulerClient(API_KEY, api.base_url) as client, pytest.raises(RedirectError):
                client.execute(ping())
            jwt = DimeSchedulerClient(environment=api.base_url, username=USERNAME, password=PASSWORD)
            with jwt, pytest.raises(AuthenticationError, match="POST /token answered HTTP 307"):
                jwt.execute(ping())
            # Even a caller who asks httpx itself to follow: no request leaves for the other origin.
            with (
                DimeSchedulerClient(API_KEY, api.base_url) as client,
                pytest.raises(
                    InvalidRequestError, match=r"refusing to send GET http://127\.0\.0\.1:\d+/ping"
                ),
            ):
                client._http.get("/ping", follow_redirects=True)
    assert elsewhere.received == []


@pytest.mark.asyncio
async def test_async_origin_guard() -> None:
    with (
        serve_api(lambda r: Reply.json({})) as elsewhere,
        serve_api(lambda r: Reply(302, headers={"Location": elsewhere.url("/x")})) as api,
    ):
        async with AsyncDimeSchedulerClient(API_KEY, api.base_url) as client:
            with pytest.raises(InvalidRequestError, match="credentials never go to another origin"):
                await client._http.get("/ping", follow_redirects=True)
    assert elsewhere.received == []


# --- errors and captures keep no secret ---------------------------------------------------------------------


def test_an_error_right_after_a_login_holds_no_password_token_or_cookie() -> None:
    tokens = TokenService(USERNAME, PASSWORD)

    def api_with_cookies(received: Received) -> Reply:
        if received.path == "/missing" and received.headers.get("authorization"):
            return Reply.json({"message": "no such thing"}, status=404, headers={"Set-Cookie": f"s={COOKIE}"})
        reply = tokens(received)
        return Reply(reply.status, reply.body, {**reply.headers, "Set-Cookie": f"s={COOKIE}"}, reply.delay)

    with serve_api(api_with_cookies) as api:
        client = DimeSchedulerClient(environment=api.base_url, username=USERNAME, password=PASSWORD)
        with client:
            client.execute(ping())  # logs in; the answers set a session cookie
            with client.capture_response() as captured, pytest.raises(NotFoundError) as caught:
                client.execute(ping("/missing"))
        assert (
            "cookie" not in api.received[-1].headers
        )  # server cookies are never kept (docs/guides/auth.md)...
    error = caught.value
    assert error.response.history == [] and error.status_code == 404
    assert error.headers["set-cookie"] == "[redacted]" and error.request is not None
    assert error.request.headers["authorization"] == "[redacted]" and error.request.content == b""
    secrets = secrets_of(tokens)
    assert_nothing_reachable(error, secrets)  # ...and is kept nowhere
    assert captured.response is not None and captured.response.status_code == 404
    assert_nothing_reachable(captured, secrets)


def test_the_error_of_the_call_that_logged_in_keeps_no_token_exchange() -> None:
    tokens = TokenService(USERNAME, PASSWORD)

    def answer(received: Received) -> Reply:
        reply = tokens(received)
        return (
            Reply.json({"message": "gone"}, status=404)
            if reply.status == 200 and received.path != "/token"
            else reply
        )

    raw: list[httpx.Response] = []
    with serve_api(answer) as api:
        client = DimeSchedulerClient(environment=api.base_url, username=USERNAME, password=PASSWORD)
        client._http.event_hooks["response"].append(raw.append)  # what httpx itself hands out
        with client, pytest.raises(NotFoundError) as caught:
            client.execute(ping("/job"))
    secrets = [PASSWORD, *tokens.issued]
    assert [r.request.url.path for r in raw[-1].history] == ["/token"]
    assert leaked(raw[-1], secrets) == sorted(secrets)  # the search finds them in httpx's own answer...
    assert caught.value.response.history == []
    assert_nothing_reachable(caught.value, secrets)  # ...and not in the error


def test_a_failing_token_request_leaves_no_password_in_the_error_or_the_capture() -> None:
    tokens = TokenService(USERNAME, PASSWORD)
    tokens.token_status = 500
    with serve_api(tokens) as api:
        client = DimeSchedulerClient(
            environment=api.base_url, username=USERNAME, password=PASSWORD, retry=False
        )
        with client, client.capture_response() as captured, pytest.raises(AuthenticationError) as caught:
            client.execute(ping())
    assert captured.response is not None and captured.response.request.url.path == "/token"
    assert captured.response.request.content == b""
    assert caught.value.body == TOKEN_BODY_NOTE  # the answer may echo the password: never kept
    assert_nothing_reachable(caught.value, secrets_of(tokens))
    assert_nothing_reachable(captured, secrets_of(tokens))


def test_a_capture_ending_on_a_successful_token_answer_holds_no_token() -> None:
    issued: list[str] = []

    def handler(request: httpx.Request) -> httpx.Response:
        if request.url.path == "/token":
            issued.append(make_jwt(None, jti=len(issued)))
            return httpx.Response(200, json={"token": issued[-1]})
        raise httpx.ConnectError("connection reset", request=request)

    client = DimeSchedulerClient(
        environment="https://api.test",
        username=USERNAME,
        password=PASSWORD,
        transport=httpx.MockTransport(handler),
    )
    with client, client.capture_response() as captured, pytest.raises(APIConnectionError) as caught:
        client.execute(ping())
    assert captured.response is not None and captured.response.request.url.path == "/token"
    assert captured.response.status_code == 200 and captured.response.content == b""
    assert issued and leaked(captured, [*issued, PASSWORD]) == []
    assert leaked(caught.value, [*issued, PASSWORD]) == []


def test_connection_errors_keep_no_api_key_even_in_their_cause() -> None:
    url = f"http://127.0.0.1:{unused_port()}"
    with (
        DimeSchedulerClient(API_KEY, url, retry=False) as client,
        pytest.raises(APIConnectionError) as caught,
    ):
        client.execute(ping())
    assert isinstance(caught.value.__cause__, httpx.ConnectError)
    assert caught.value.__cause__.request.headers["x-api-key"] == "[redacted]"
    assert_nothing_reachable(caught.value, [API_KEY])


@pytest.mark.asyncio
async def test_async_errors_keep_no_secret() -> None:
    tokens = TokenService(USERNAME, PASSWORD)
    with serve_api(tokens) as api:
        async with AsyncDimeSchedulerClient(
            environment=api.base_url, username=USERNAME, password=PASSWORD
        ) as client:
            tokens.reject_all = True
            with client.capture_response() as captured, pytest.raises(AuthenticationError) as caught:
                await client.execute(ping())
    assert len(tokens.issued) == 2
    assert_nothing_reachable(caught.value, secrets_of(tokens))
    assert_nothing_reachable(captured, secrets_of(tokens))


# --- environment URLs ---------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("url", "shown"),
    [
        ("https://h.example.com/?tenant=1&key=SECRET-q1", "environment 'https://h.example.com/?…' must not"),
        ("https://h.example.com/api#token=SECRET-f1", "environment 'https://h.example.com/api#…' must not"),
        (
            "ftp://files.example.com/?k=SECRET-f2",
            "environment 'ftp://files.example.com/?…' is not an http(s)",
        ),
        ("staging?key=SECRET-s1", "unknown environment 'staging?…'"),
    ],
)
def test_environment_urls_are_masked_in_messages(
    url: str, shown: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    with pytest.raises(ConfigurationError) as caught:
        DimeSchedulerClient(API_KEY, url)
    assert shown in str(caught.value) and "SECRET" not in str(caught.value)
    monkeypatch.setenv("DIMESCHEDULER_ENVIRONMENT", url)
    with pytest.raises(ConfigurationError) as from_env:
        DimeSchedulerClient(API_KEY)
    assert "SECRET" not in str(from_env.value) and str(from_env.value).startswith(
        "DIMESCHEDULER_ENVIRONMENT: "
    )
