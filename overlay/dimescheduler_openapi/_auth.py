"""The three ways to authenticate, as httpx `Auth` flows: an API key, a bearer token, or a username/password
exchanged for a JWT at `POST /token` (cached, refreshed before it expires and once after a 401).

None of these objects shows its secret in a repr.
"""

from __future__ import annotations

import asyncio
import base64
import binascii
import inspect
import json
import threading
import time
from collections.abc import AsyncGenerator, Awaitable, Callable, Generator, Mapping
from typing import Any, ClassVar

import httpx

from ._errors import AuthenticationError, ConfigurationError, response_body

__all__ = ["ApiKeyAuth", "BearerTokenAuth", "JWTAuth", "TokenSource", "check_secret", "jwt_expiry"]

TokenSource = str | Callable[[], str] | Callable[[], Awaitable[str]]

API_KEY_HEADER = "X-API-KEY"
# Refresh this many seconds before the token's `exp`, so it does not expire in flight.
REFRESH_MARGIN = 30.0


def check_secret(name: str, value: object) -> str:
    """A usable credential string, else ConfigurationError naming the argument (never the value)."""
    if not isinstance(value, str):
        raise ConfigurationError(f"{name} must be a string, not {type(value).__name__}")
    if not value.strip():
        raise ConfigurationError(f"{name} is empty")
    if any(ord(char) < 32 or ord(char) == 127 for char in value):
        raise ConfigurationError(f"{name} contains a line break or another control character")
    return value


def _bearer(token: str) -> str:
    return f"Bearer {token}"


class _Auth(httpx.Auth):
    kind: ClassVar[str]

    def __repr__(self) -> str:
        return f"{type(self).__name__}()"


class ApiKeyAuth(_Auth):
    """Sends the key as `X-API-KEY` on every request."""

    kind = "api_key"

    def __init__(self, api_key: str) -> None:
        self._api_key = check_secret("api_key", api_key)

    def auth_flow(self, request: httpx.Request) -> Generator[httpx.Request, httpx.Response, None]:
        request.headers[API_KEY_HEADER] = self._api_key
        yield request


class BearerTokenAuth(_Auth):
    """`Authorization: Bearer <token>` from a fixed string or a callable asked before every request.

    With a callable, a 401 asks it once more and repeats the request once if the token changed.
    The async client also accepts an async callable.
    """

    kind = "token"

    def __init__(self, source: TokenSource) -> None:
        if isinstance(source, str):
            check_secret("token", source)
        elif not callable(source):
            raise ConfigurationError(f"token must be a string or a callable, not {type(source).__name__}")
        self._source = source

    def _token(self) -> str:
        source = self._source
        if isinstance(source, str):
            return source
        value: object = source()
        if inspect.isawaitable(value):
            if inspect.iscoroutine(value):
                value.close()
            raise ConfigurationError("the token callable is async: use AsyncDimeSchedulerClient for it")
        return check_secret("the token callable's result", value)

    async def _atoken(self) -> str:
        source = self._source
        if isinstance(source, str):
            return source
        value: object = source()
        if inspect.isawaitable(value):
            value = await value
        return check_secret("the token callable's result", value)

    def sync_auth_flow(self, request: httpx.Request) -> Generator[httpx.Request, httpx.Response, None]:
        token = self._token()
        request.headers["Authorization"] = _bearer(token)
        response = yield request
        if response.status_code == 401 and not isinstance(self._source, str):
            fresh = self._token()
            if fresh != token:
                request.headers["Authorization"] = _bearer(fresh)
                yield request

    async def async_auth_flow(self, request: httpx.Request) -> AsyncGenerator[httpx.Request, httpx.Response]:
        token = await self._atoken()
        request.headers["Authorization"] = _bearer(token)
        response = yield request
        if response.status_code == 401 and not isinstance(self._source, str):
            fresh = await self._atoken()
            if fresh != token:
                request.headers["Authorization"] = _bearer(fresh)
                yield request


def jwt_expiry(token: str) -> float | None:
    """The `exp` claim (epoch seconds) of a JWT, read without checking the signature; None when unreadable."""
    parts = token.split(".")
    if len(parts) != 3:
        return None
    payload = parts[1] + "=" * (-len(parts[1]) % 4)
    try:
        claims: Any = json.loads(base64.urlsafe_b64decode(payload))
    except (ValueError, binascii.Error):
        return None
    exp = claims.get("exp") if isinstance(claims, dict) else None
    if isinstance(exp, bool) or not isinstance(exp, int | float):
        return None
    return float(exp)


class JWTAuth(_Auth):
    """Username + password -> JWT from `POST /token`, sent as a bearer token.

    The token request is yielded through the flow, so it uses the client's own transport (retries, proxies,
    logging). The token is cached; it is refreshed `refresh_margin` seconds before its `exp` (when readable)
    and once after a 401, after which the request is repeated once. Refreshing is single-flight: a
    `threading.Lock` (sync) or `asyncio.Lock` (async) with a re-check inside, so many concurrent callers that
    find the token stale make one `/token` request between them.
    """

    kind = "jwt"

    def __init__(
        self,
        token_url: str,
        username: str,
        password: str,
        *,
        headers: Mapping[str, str] | None = None,
        refresh_margin: float = REFRESH_MARGIN,
        now: Callable[[], float] = time.time,
    ) -> None:
        self._token_url = token_url
        self._username = check_secret("username", username)
        self._password = check_secret("password", password)
        self._headers = dict(headers or {})
        self._refresh_margin = refresh_margin
        self._now = now
        # (token, expires_at) replaced as one object, so readers outside the lock see a consistent pair.
        self._state: tuple[str, float | None] | None = None
        self._lock = threading.Lock()
        self._async_lock = asyncio.Lock()

    def _fresh_token(self) -> str | None:
        state = self._state
        if state is None:
            return None
        token, expires_at = state
        if expires_at is not None and self._now() >= expires_at - self._refresh_margin:
            return None
        return token

    def _current_token(self) -> str | None:
        state = self._state
        return state[0] if state is not None else None

    def _token_request(self, request: httpx.Request) -> httpx.Request:
        extensions = {"timeout": request.extensions["timeout"]} if "timeout" in request.extensions else {}
        return httpx.Request(
            "POST",
            self._token_url,
            json={"username": self._username, "password": self._password},
            headers={**self._headers, "Accept": "application/json"},
            extensions=extensions,
        )

    def _store(self, response: httpx.Response) -> str:
        """Read the /token answer; raise AuthenticationError (one line, no secret) unless it holds a token."""
        where = f"POST {response.request.url.path}"
        if not response.is_success:
            raise AuthenticationError(
                f"could not obtain a token: {where} answered HTTP {response.status_code} "
                f"{response.reason_phrase}".rstrip(),
                response=_without_secrets(response, keep_body=True),
                body=response_body(response),
            )
        try:
            answer: Any = response.json()
        except ValueError:
            answer = None
        token = answer.get("token") if isinstance(answer, dict) else None
        if not isinstance(token, str) or not token.strip() or any(ord(c) < 32 for c in token):
            raise AuthenticationError(
                f"could not obtain a token: the answer of {where} has no 'token' string",
                response=_without_secrets(response, keep_body=False),
                body=None,
            )
        self._state = (token, jwt_expiry(token))
        return token

    def sync_auth_flow(self, request: httpx.Request) -> Generator[httpx.Request, httpx.Response, None]:
        token = self._fresh_token()
        if token is None:
            with self._lock:
                token = self._fresh_token()
                if token is None:
                    token = yield from self._sync_fetch(request)
        request.headers["Authorization"] = _bearer(token)
        response = yield request
        if response.status_code != 401:
            return
        with self._lock:
            current = self._current_token()
            if current is None or current == token:  # nobody has refreshed since this request was sent
                current = yield from self._sync_fetch(request)
        request.headers["Authorization"] = _bearer(current)
        yield request

    def _sync_fetch(self, request: httpx.Request) -> Generator[httpx.Request, httpx.Response, str]:
        response = yield self._token_request(request)
        response.read()
        return self._store(response)

    async def async_auth_flow(self, request: httpx.Request) -> AsyncGenerator[httpx.Request, httpx.Response]:
        token = self._fresh_token()
        if token is None:
            async with self._async_lock:
                token = self._fresh_token()
                if token is None:
                    response = yield self._token_request(request)
                    await response.aread()
                    token = self._store(response)
        request.headers["Authorization"] = _bearer(token)
        response = yield request
        if response.status_code != 401:
            return
        async with self._async_lock:
            current = self._current_token()
            if current is None or current == token:
                token_response = yield self._token_request(request)
                await token_response.aread()
                current = self._store(token_response)
        request.headers["Authorization"] = _bearer(current)
        yield request


def _without_secrets(response: httpx.Response, *, keep_body: bool) -> httpx.Response:
    """A copy of a /token answer for an error: its request carries no body (the password), and the body of a
    successful answer (which may hold a token) is dropped."""
    request = httpx.Request(response.request.method, response.request.url)
    if not keep_body:
        return httpx.Response(response.status_code, request=request)
    # The content is already decoded, and cookies may be a session.
    dropped = {"content-encoding", "content-length", "transfer-encoding", "set-cookie"}
    headers = [(name, value) for name, value in response.headers.multi_items() if name.lower() not in dropped]
    return httpx.Response(response.status_code, headers=headers, content=response.content, request=request)
