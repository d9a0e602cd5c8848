"""The three ways to authenticate, as httpx `Auth` flows: an API key, a bearer token, or a username/password
exchanged for a JWT at `POST /token` (cached, refreshed before it expires and once after a 401; one shared
`/token` request per refresh round, see `_token_refresh`).

None of these objects shows its secret in a repr.
"""

from __future__ import annotations

import asyncio
import base64
import binascii
import inspect
import json
import math
import threading
import time
from collections.abc import AsyncGenerator, Awaitable, Callable, Generator, Mapping
from typing import Any, ClassVar

import httpx

from ._errors import (
    APIConnectionError,
    AuthenticationError,
    ConfigurationError,
    DimeSchedulerError,
)
from ._scrub import SECRET_EXCHANGE, SECRETS, TOKEN_BODY_NOTE
from ._token_refresh import MAX_ROUNDS, Round, refresh_at, round_error, waited_too_long
from ._transports.deadline import DEADLINE, wait_budget

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
        request.extensions[SECRETS] = (self._api_key,)
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
    """The `exp` claim (epoch seconds) of a JWT, read without checking the signature; None when unreadable,
    nested too deeply to parse, or not a finite number of seconds a float can hold (`10**400`, NaN): such a
    token is used until the API answers 401, like one without `exp`. Never raises."""
    parts = token.split(".")
    if len(parts) != 3:
        return None
    payload = parts[1] + "=" * (-len(parts[1]) % 4)
    try:
        claims: Any = json.loads(base64.urlsafe_b64decode(payload))
    except (ValueError, binascii.Error, RecursionError):
        return None
    exp = claims.get("exp") if isinstance(claims, dict) else None
    if isinstance(exp, bool) or not isinstance(exp, int | float):
        return None
    try:
        seconds = float(exp)
    except OverflowError:
        return None
    return seconds if math.isfinite(seconds) else None


class JWTAuth(_Auth):
    """Username + password -> JWT from `POST /token`, sent as a bearer token.

    The token request is yielded through the flow, so it uses the client's own transport (retries, proxies,
    logging) and the call's timeout and deadline. The token is cached and refreshed before it expires (see
    `_token_refresh.refresh_at`: measured against the server's `Date`; a token already expired on arrival is
    kept until a 401) and once after a 401, after which the request is repeated once. Refreshing is
    single-flight per round (`_token_refresh.Round`): concurrent callers that need a token share one
    `/token` request and its outcome, its error included; a waiter waits no longer than its own deadline or
    timeouts allow, then raises APITimeoutError.
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
        # (token, refresh at) replaced as one object, so readers outside the lock see a consistent pair.
        self._state: tuple[str, float | None] | None = None
        self._lock = threading.Lock()  # guards _state and _round; never held while sending or waiting
        self._round: Round | None = None

    def _usable(self, stale: str | None) -> str | None:
        """The cached token unless there is none, it is `stale` (answered 401) or it is due for a refresh."""
        state = self._state
        if state is None or state[0] == stale:
            return None
        token, due = state
        return None if due is not None and self._now() >= due else token

    def _join(self, stale: str | None, new_event: Callable[[], Any]) -> str | tuple[Round, bool]:
        """A usable token, or the round to wait for and whether this caller started it (and must send)."""
        with self._lock:
            token = self._usable(stale)
            if token is not None:
                return token
            if self._round is not None:
                return self._round, False
            self._round = Round(new_event())
            return self._round, True

    def _end(
        self, round_: Round, *, token: str | None = None, error: DimeSchedulerError | None = None
    ) -> None:
        with self._lock:
            round_.token, round_.error = token, error
            if self._round is round_:
                self._round = None
        round_.event.set()

    def _token_request(self, request: httpx.Request) -> httpx.Request:
        extensions: dict[str, Any] = {SECRET_EXCHANGE: True, SECRETS: (self._password,)}
        if "timeout" in request.extensions:
            extensions["timeout"] = dict(request.extensions["timeout"])
        if DEADLINE in request.extensions:
            extensions[DEADLINE] = request.extensions[DEADLINE]
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
                response=response,
                body=TOKEN_BODY_NOTE,
            )
        try:
            answer: Any = response.json()
        except (ValueError, RecursionError):
            answer = None
        token = answer.get("token") if isinstance(answer, dict) else None
        if not isinstance(token, str) or not token.strip() or any(ord(c) < 32 for c in token):
            raise AuthenticationError(
                f"could not obtain a token: the answer of {where} has no 'token' string",
                response=response,
                body=None,
            )
        due = refresh_at(jwt_expiry(token), response.headers.get("date"), self._now(), self._refresh_margin)
        self._state = (token, due)
        return token

    # --- the flows: token, request, and after a 401 one refresh and one repeat --------------------------

    def sync_auth_flow(self, request: httpx.Request) -> Generator[httpx.Request, httpx.Response, None]:
        stale: str | None = None
        for _ in range(2):
            got = self._sync_wait(request, stale)
            if isinstance(got, str):
                token = got
            else:  # this call owns the round: send the token request through the flow
                token_request = self._token_request(request)
                try:
                    token_response = yield token_request
                    token_response.read()
                    token = self._store(token_response)
                except GeneratorExit as closed:  # httpx closes the flow when sending the request failed
                    self._end(got, error=round_error(closed.__context__, token_request))
                    raise
                except BaseException as exc:
                    self._end(got, error=round_error(exc, token_request))
                    raise
                self._end(got, token=token)
            request.headers["Authorization"] = _bearer(token)
            request.extensions[SECRETS] = (self._password,)
            response = yield request
            if response.status_code != 401:
                return
            stale = token

    def _sync_wait(self, request: httpx.Request, stale: str | None) -> str | Round:
        """A usable token (perhaps after waiting for another caller's round), or a round this call owns."""
        for _ in range(MAX_ROUNDS):
            joined = self._join(stale, threading.Event)
            if isinstance(joined, str):
                return joined
            round_, owner = joined
            if owner:
                return round_
            budget = wait_budget(request)
            assert isinstance(round_.event, threading.Event)
            if not round_.event.wait(budget):
                raise waited_too_long(request, budget or 0.0)
            token = round_.outcome()
            if token is not None:
                return token
        raise _interrupted(request)

    # The async flow is used from one event loop (one client), like the asyncio.Event of its rounds.

    async def async_auth_flow(self, request: httpx.Request) -> AsyncGenerator[httpx.Request, httpx.Response]:
        stale: str | None = None
        for _ in range(2):
            got = await self._async_wait(request, stale)
            if isinstance(got, str):
                token = got
            else:
                token_request = self._token_request(request)
                try:
                    token_response = yield token_request
                    await token_response.aread()
                    token = self._store(token_response)
                except GeneratorExit as closed:
                    self._end(got, error=round_error(closed.__context__, token_request))
                    raise
                except BaseException as exc:
                    self._end(got, error=round_error(exc, token_request))
                    raise
                self._end(got, token=token)
            request.headers["Authorization"] = _bearer(token)
            request.extensions[SECRETS] = (self._password,)
            response = yield request
            if response.status_code != 401:
                return
            stale = token

    async def _async_wait(self, request: httpx.Request, stale: str | None) -> str | Round:
        for _ in range(MAX_ROUNDS):
            joined = self._join(stale, asyncio.Event)
            if isinstance(joined, str):
                return joined
            round_, owner = joined
            if owner:
                return round_
            budget = wait_budget(request)
            assert isinstance(round_.event, asyncio.Event)
            try:
                async with asyncio.timeout(budget):
                    await round_.event.wait()
            except TimeoutError:
                raise waited_too_long(request, budget or 0.0) from None
            token = round_.outcome()
            if token is not None:
                return token
        raise _interrupted(request)


def _interrupted(request: httpx.Request) -> APIConnectionError:
    return APIConnectionError(
        f"could not obtain a token for {request.method} {request.url.path}: the token requests of "
        f"{MAX_ROUNDS} other calls in a row were interrupted",
        request=request,
    )
