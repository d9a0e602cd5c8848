"""Secrets (API key, password, tokens, cookies) never reach a log line, a repr or an error message."""

from __future__ import annotations

import base64
import json
import logging
import pickle
import urllib.parse
from collections.abc import Iterator
from typing import Any

import pytest
from click.testing import CliRunner
from dimescheduler_openapi import (
    APIConnectionError,
    AsyncDimeSchedulerClient,
    AuthenticationError,
    ConfigurationError,
    DimeSchedulerClient,
    DimeSchedulerError,
    RetryConfig,
)
from dimescheduler_openapi._call import call
from dimescheduler_openapi._cli import cli
from dimescheduler_openapi._logging import REDACTED, redact_headers
from dimescheduler_openapi._parsing import parse_json
from dimescheduler_openapi._scrub import shorten
from fakeapi import Reply, Script, TokenService, make_jwt, serve_api, unused_port

API_KEY = "ak-SECRET-4f6c1e0b9a"
USERNAME = "dispatcher@example.com"
PASSWORD = "pw-SECRET-9d8c7b6a"
BEARER = make_jwt(None, jti=4242)
COOKIE = "ck-SECRET-session-77"
NO_SLEEP = RetryConfig(sleep=lambda seconds: None)


@pytest.fixture(autouse=True)
def clean_env(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in ("DIMESCHEDULER_API_KEY", "DIMESCHEDULER_USERNAME", "DIMESCHEDULER_PASSWORD"):
        monkeypatch.delenv(name, raising=False)


@pytest.fixture
def debug_logs(caplog: pytest.LogCaptureFixture) -> Iterator[pytest.LogCaptureFixture]:
    caplog.set_level(logging.DEBUG)  # every logger, httpx and httpcore included
    yield caplog


def ping(path: str = "/ping") -> Any:
    return call("GET", path, parse_json)


def assert_no_secret(text: str, secrets: list[str]) -> None:
    leaked = [secret for secret in secrets if secret in text]
    assert leaked == [], f"secrets leaked: {leaked}"


def everything_logged(caplog: pytest.LogCaptureFixture) -> str:
    return "\n".join([caplog.text, *(repr(record.args) for record in caplog.records)])


def test_redact_headers() -> None:
    headers = [
        ("X-Api-Key", "k"),
        ("authorization", "Bearer t"),
        ("Cookie", "a=1"),
        ("Set-Cookie", "b=2"),
        ("Set-Cookie", "c=3"),
        ("Accept", "application/json"),
    ]
    assert redact_headers(headers) == {
        "X-Api-Key": REDACTED,
        "authorization": REDACTED,
        "Cookie": REDACTED,
        "Set-Cookie": f"{REDACTED}, {REDACTED}",
        "Accept": "application/json",
    }


def test_api_key_requests_and_retries_are_logged_without_secrets(
    debug_logs: pytest.LogCaptureFixture,
) -> None:
    replies = Script(
        [Reply(503, headers={"Set-Cookie": f"session={COOKIE}"})],
        then=Reply.json({"ok": True}, headers={"Set-Cookie": f"session={COOKIE}"}),
    )
    with serve_api(replies) as api:
        client = DimeSchedulerClient(API_KEY, api.base_url, headers={"Cookie": f"s={COOKIE}"}, retry=NO_SLEEP)
        with client:
            client.execute(ping())
    # httpcore's own DEBUG trace prints response headers (Set-Cookie too); that logger is not ours to change.
    ours = [r.getMessage() for r in debug_logs.records if r.name == "dimescheduler_openapi"]
    assert_no_secret(everything_logged(debug_logs), [API_KEY])
    assert_no_secret("\n".join(ours), [API_KEY, COOKIE])
    assert any(m.startswith(f"request GET {api.base_url}/ping headers=") and REDACTED in m for m in ours)
    assert any("-> 503 Service Unavailable in" in m for m in ours)
    assert any(m.startswith("retrying GET /ping after HTTP 503") for m in ours)
    assert any("-> 200 OK in" in m and "'set-cookie': '[redacted]'" in m for m in ours)


def test_jwt_flow_is_logged_without_password_or_tokens(debug_logs: pytest.LogCaptureFixture) -> None:
    tokens = TokenService(USERNAME, PASSWORD)
    with serve_api(tokens) as api:
        with DimeSchedulerClient(environment=api.base_url, username=USERNAME, password=PASSWORD) as client:
            client.execute(ping())
            tokens.revoke_all()  # forces a 401, a refresh and a repeat
            client.execute(ping())
            tokens.reject_all = True
            with pytest.raises(AuthenticationError) as rejected:
                client.execute(ping())
        wrong = DimeSchedulerClient(environment=api.base_url, username=USERNAME, password=PASSWORD + "-wrong")
        with wrong, pytest.raises(AuthenticationError) as refused:
            wrong.execute(ping())
    assert len(tokens.issued) == 3  # first, after the 401, after the second 401
    secrets = [PASSWORD, *tokens.issued]
    logged = everything_logged(debug_logs)
    assert_no_secret(logged, secrets)
    assert f"request POST {api.base_url}/token" in logged
    for error in (rejected.value, refused.value):
        assert_no_secret(f"{error} {error!r} {error.args}", secrets)
    assert_no_secret(repr(client) + repr(wrong) + repr(client.raw), secrets)


def test_bearer_token_is_not_logged(debug_logs: pytest.LogCaptureFixture) -> None:
    with (
        serve_api(lambda r: Reply.json({"ok": True})) as api,
        DimeSchedulerClient(environment=api.base_url, token=lambda: BEARER) as client,
    ):
        client.execute(ping())
    assert api.received[0].headers["authorization"] == f"Bearer {BEARER}"  # it was sent...
    assert_no_secret(everything_logged(debug_logs), [BEARER])  # ...but never logged


@pytest.mark.asyncio
async def test_async_client_logs_without_secrets(debug_logs: pytest.LogCaptureFixture) -> None:
    with serve_api(Script([Reply(500)])) as api:
        async with AsyncDimeSchedulerClient(API_KEY, api.base_url, retry=NO_SLEEP) as client:
            await client.execute(ping())
    logged = everything_logged(debug_logs)
    assert_no_secret(logged, [API_KEY])
    assert "retrying GET" in logged


@pytest.mark.parametrize(
    ("kwargs", "kind"),
    [
        ({"api_key": API_KEY}, "api_key"),
        ({"username": USERNAME, "password": PASSWORD}, "jwt"),
        ({"token": BEARER}, "token"),
    ],
)
def test_client_repr_shows_environment_and_auth_kind_only(kwargs: dict[str, Any], kind: str) -> None:
    client = DimeSchedulerClient(environment="sandbox", **kwargs)
    text = repr(client)
    assert text == (
        f"DimeSchedulerClient(environment=SANDBOX, base_url='https://sandbox.api.dimescheduler.com', auth='{kind}')"
    )
    internals = [str(client), repr(client._settings), repr(client._http.headers), repr(client._http.auth)]
    assert_no_secret(" ".join([text, *internals]), [API_KEY, PASSWORD, BEARER])
    client.close()


def test_error_messages_carry_no_secret() -> None:
    errors: list[DimeSchedulerError] = []
    bad: list[dict[str, Any]] = [
        {"api_key": API_KEY + "\n"},
        {"api_key": API_KEY, "token": BEARER},
        {"username": USERNAME + PASSWORD},
        {"api_key": API_KEY, "environment": f"http://user:{PASSWORD}@example.com"},
        {"api_key": API_KEY, "environment": "http://example.com"},
    ]
    for kwargs in bad:
        with pytest.raises(ConfigurationError) as caught:
            DimeSchedulerClient(**kwargs)
        errors.append(caught.value)
    with (
        DimeSchedulerClient(API_KEY, f"http://127.0.0.1:{unused_port()}", retry=False) as client,
        pytest.raises(APIConnectionError) as failed,
    ):
        client.execute(ping())
    errors.append(failed.value)
    for error in errors:
        text = f"{error} {error!r}"
        assert_no_secret(text, [API_KEY, PASSWORD, BEARER])
        assert "\n" not in str(error)


# --- text cut short never keeps a piece of a secret ---------------------------------------------------------

LONG_KEY = "ak-SECRET-0123456789abcdef0123456789ab"  # 38 characters, like a real key


def pieces(secret: str, size: int = 6) -> list[str]:
    """Every run of `size` characters of `secret`: a leak of any part of it is found."""
    return [secret[start : start + size] for start in range(len(secret) - size + 1)]


def assert_no_piece(text: str, secret: str) -> None:
    found = [piece for piece in pieces(secret) if piece in text]
    assert found == [], f"pieces of the secret leaked: {found[:3]}"


@pytest.mark.parametrize("offset", [250, 270, 280, 290, 299, 300])
def test_an_echoed_key_at_the_cut_of_a_status_message_is_masked(offset: int) -> None:
    message = "x" * offset + " " + LONG_KEY + " rest of the message"
    with (
        serve_api(lambda received: Reply.json({"message": message}, status=400)) as api,
        DimeSchedulerClient(LONG_KEY, api.base_url, retry=False) as client,
        pytest.raises(DimeSchedulerError) as caught,
    ):
        client.execute(ping())
    error = caught.value
    for text in (str(error), repr(error), pickle.dumps(error).decode("latin-1")):
        assert_no_piece(text, LONG_KEY)
    assert "[redacted]" in str(error) or len(str(error)) < 300 + offset


@pytest.mark.parametrize("offset", [90, 100, 110, 119])
def test_an_echoed_key_at_the_cut_of_an_unexpected_body_is_masked(offset: int) -> None:
    page = "<html>" + "y" * offset + LONG_KEY + "</html>"
    with (
        serve_api(lambda received: Reply(200, page.encode(), {"Content-Type": "text/html"})) as api,
        DimeSchedulerClient(LONG_KEY, api.base_url, retry=False) as client,
        pytest.raises(DimeSchedulerError) as caught,
    ):
        client.categories.get_all()
    assert_no_piece(str(caught.value), LONG_KEY)
    assert_no_piece(pickle.dumps(caught.value).decode("latin-1"), LONG_KEY)


def test_a_key_the_server_itself_cut_short_is_masked() -> None:
    message = "invalid key " + LONG_KEY[:25]  # the server truncated its own echo
    with (
        serve_api(lambda received: Reply.json({"message": message}, status=401)) as api,
        DimeSchedulerClient(LONG_KEY, api.base_url, retry=False) as client,
        pytest.raises(DimeSchedulerError) as caught,
    ):
        client.execute(ping())
    assert_no_piece(str(caught.value), LONG_KEY)


@pytest.mark.parametrize("offset", [270, 290])
def test_a_write_failure_echoing_the_key_at_the_cut_is_masked(offset: int) -> None:
    content = {"Success": False, "Error": "e" * offset + LONG_KEY, "Description": "d"}
    answer = {"content": json.dumps(content), "contentType": "application/json", "statusCode": 400}
    with (
        serve_api(lambda received: Reply.json(answer)) as api,
        DimeSchedulerClient(LONG_KEY, api.base_url, retry=False) as client,
        pytest.raises(DimeSchedulerError) as caught,
    ):
        client.categories.create({"name": "A", "displayName": "A", "color": "#000000"})
    assert_no_piece(str(caught.value), LONG_KEY)
    assert_no_piece(pickle.dumps(caught.value).decode("latin-1"), LONG_KEY)


def test_cli_stderr_never_shows_a_piece_of_an_echoed_key() -> None:
    message = "x" * 285 + " " + LONG_KEY
    with serve_api(lambda received: Reply.json({"message": message}, status=400)) as api:
        result = CliRunner().invoke(
            cli,
            ["categories", "get-all"],
            env={"DIMESCHEDULER_API_KEY": LONG_KEY, "DIMESCHEDULER_ENVIRONMENT": api.base_url},
            catch_exceptions=False,
        )
    assert result.exit_code != 0
    assert "Traceback" not in result.output
    assert_no_piece(result.output + (result.stderr_bytes or b"").decode(), LONG_KEY)


def test_shorten_masks_before_it_cuts() -> None:
    secrets = (LONG_KEY,)
    for limit in range(5, 80):
        text = "z" * 20 + LONG_KEY + "z" * 20
        assert_no_piece(shorten(text, limit, secrets), LONG_KEY)
        assert len(shorten(text, limit, secrets)) <= max(limit, len("[redacted]") + 21)


ODD_KEY = "ak+SECRET/4f6c1e0b9a=z&q%x9"  # characters that URL- and base64-encoding change


def _echoes(secret: str) -> dict[str, str]:
    return {
        "url-encoded": urllib.parse.quote(secret, safe=""),
        "form-encoded": urllib.parse.quote_plus(secret),
        "base64": base64.b64encode(secret.encode()).decode(),
        "base64 inside user:key": base64.b64encode(f"me:{secret}".encode()).decode(),
    }


@pytest.mark.parametrize("offset", [110, 290, 590])
@pytest.mark.parametrize("form", ["url-encoded", "form-encoded", "base64", "base64 inside user:key"])
def test_encoded_echo_of_the_key_is_masked_in_errors_and_logs(
    form: str, offset: int, debug_logs: pytest.LogCaptureFixture
) -> None:
    echoed = _echoes(ODD_KEY)[form]
    body = ("x" * offset + echoed + " tail").encode()
    reply = Reply(400, body, {"Content-Type": "text/plain", "X-Echo": echoed})
    with (
        serve_api(lambda r: reply) as api,
        DimeSchedulerClient(ODD_KEY, api.base_url, retry=NO_SLEEP) as client,
        pytest.raises(DimeSchedulerError) as caught,
    ):
        client.execute(ping())
    error = caught.value
    pieces = [echoed[i : i + 10] for i in range(0, len(echoed) - 10, 3) if "=" not in echoed[i : i + 10]]
    ours = "\n".join(r.getMessage() for r in debug_logs.records if r.name == "dimescheduler_openapi")
    kept = f"{error} {error!r} {error.args} {pickle.dumps(error)!r} {ours}"
    assert [piece for piece in pieces if piece in kept] == []
    assert ODD_KEY not in kept
