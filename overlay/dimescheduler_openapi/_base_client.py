"""What the sync and async clients share: settings, wiring an httpx client (auth, headers, the transport
stack, the capture hook), building requests from Calls, mapping failures to typed errors, the repr."""

from __future__ import annotations

import json
from collections.abc import Awaitable, Callable, Iterator, Mapping
from contextlib import contextmanager
from contextvars import ContextVar
from typing import Any, Final

import httpx

from ._call import Call
from ._config import Settings
from ._environment import Environment
from ._errors import (
    APIConnectionError,
    APITimeoutError,
    ConfigurationError,
    InvalidRequestError,
    status_error,
)
from ._logging import describe
from ._transports import instrument, instrument_async, parse_retry_after

__all__ = ["DEFAULT_TIMEOUT", "CapturedResponse", "ClientBase", "Timeout"]

DEFAULT_TIMEOUT: Final = 30.0

Timeout = float | httpx.Timeout | None


def checked_timeout(timeout: Timeout, error: type[Exception]) -> httpx.Timeout:
    """`timeout` as an httpx.Timeout; a negative or non-numeric number of seconds raises `error`."""
    if isinstance(timeout, httpx.Timeout):
        values = [timeout.connect, timeout.read, timeout.write, timeout.pool]
    elif timeout is None or (isinstance(timeout, int | float) and not isinstance(timeout, bool)):
        values = [timeout]
    else:
        raise error(
            f"timeout must be seconds (a number), an httpx.Timeout or None, not {type(timeout).__name__}"
        )
    for value in values:
        if value is not None and not value > 0:
            raise error(f"timeout must be more than 0 seconds, not {value}")
    return httpx.Timeout(timeout)


# Set by the client itself; letting callers pass them would silently undo the client's wiring.
_RESERVED_HTTPX_KWARGS = frozenset({"base_url", "auth", "headers", "timeout", "transport"})


class CapturedResponse:
    """Filled by `client.capture_response()`: the last httpx.Response the client received in that block."""

    __slots__ = ("response",)

    def __init__(self) -> None:
        self.response: httpx.Response | None = None

    def __repr__(self) -> str:
        if self.response is None:
            return "CapturedResponse(response=None)"
        return f"CapturedResponse(status_code={self.response.status_code})"


class ClientBase:
    """State and helpers common to both clients. Subclasses own `_http` (an httpx.Client or AsyncClient)."""

    _settings: Settings
    _capture: ContextVar[CapturedResponse | None]

    def _init_base(self, settings: Settings) -> None:
        self._settings = settings
        # One variable per client, so a capture block records only this client's answers; a ContextVar keeps
        # concurrent threads and asyncio tasks apart.
        self._capture = ContextVar(f"dimescheduler_openapi_capture_{id(self)}", default=None)

    @property
    def base_url(self) -> str:
        return self._settings.target.base_url

    @property
    def environment(self) -> Environment | None:
        """The named environment, or None for a custom base URL."""
        return self._settings.target.environment

    @property
    def auth_kind(self) -> str:
        """How the client authenticates: "api_key", "jwt" or "token"."""
        return self._settings.auth_kind

    @contextmanager
    def capture_response(self) -> Iterator[CapturedResponse]:
        """`with client.capture_response() as captured: ...` -> `captured.response` is the last answer
        received inside the block by this thread or task (also for `client.raw` calls)."""
        captured = CapturedResponse()
        reset = self._capture.set(captured)
        try:
            yield captured
        finally:
            self._capture.reset(reset)

    def _record(self, response: httpx.Response) -> None:
        captured = self._capture.get()
        if captured is not None:
            captured.response = response

    def __repr__(self) -> str:
        return (
            f"{type(self).__name__}(environment={self._settings.target.label}, "
            f"base_url={self.base_url!r}, auth={self.auth_kind!r})"
        )


def check_httpx_kwargs(httpx_kwargs: Mapping[str, Any]) -> None:
    reserved = sorted(_RESERVED_HTTPX_KWARGS.intersection(httpx_kwargs))
    if reserved:
        raise ConfigurationError(
            f"{reserved[0]}= cannot be passed through to httpx: the client sets it (use environment=, "
            "the credential arguments, headers=, timeout= or transport=)"
        )


def check_injected(transport: object, httpx_kwargs: Mapping[str, Any]) -> None:
    if transport is not None or httpx_kwargs:
        given = "transport=" if transport is not None else f"{sorted(httpx_kwargs)[0]}="
        raise ConfigurationError(f"pass either http_client= or {given}, not both: configure the httpx client")


def wire_sync(
    http: httpx.Client, settings: Settings, timeout: Timeout, record: Callable[[httpx.Response], None]
) -> None:
    """Point an httpx.Client (ours or injected) at the API with our auth, headers, retries and logging."""
    http.base_url = httpx.URL(settings.target.base_url)
    http.auth = settings.auth
    http.timeout = checked_timeout(timeout, ConfigurationError)
    http.headers.update(settings.headers)
    http.event_hooks["response"].append(record)
    # httpx picks a transport per URL: the default one, or a mount (proxies). Wrap them all.
    http._transport = instrument(http._transport, settings.retry)
    http._mounts = {
        pattern: None if inner is None else instrument(inner, settings.retry)
        for pattern, inner in http._mounts.items()
    }


def wire_async(
    http: httpx.AsyncClient,
    settings: Settings,
    timeout: Timeout,
    record: Callable[[httpx.Response], Awaitable[None]],
) -> None:
    http.base_url = httpx.URL(settings.target.base_url)
    http.auth = settings.auth
    http.timeout = checked_timeout(timeout, ConfigurationError)
    http.headers.update(settings.headers)
    http.event_hooks["response"].append(record)
    http._transport = instrument_async(http._transport, settings.retry)
    http._mounts = {
        pattern: None if inner is None else instrument_async(inner, settings.retry)
        for pattern, inner in http._mounts.items()
    }


def build_request(http: httpx.Client | httpx.AsyncClient, call: Call[Any], timeout: Timeout) -> httpx.Request:
    content: bytes | None = None
    headers: dict[str, str] | None = None
    if call.has_body:
        content = json.dumps(call.json, ensure_ascii=False, separators=(",", ":"), allow_nan=False).encode()
        headers = {"Content-Type": "application/json"}
    return http.build_request(
        call.method,
        call.path,
        params=list(call.params) or None,
        content=content,
        headers=headers,
        timeout=httpx.USE_CLIENT_DEFAULT
        if timeout is None
        else checked_timeout(timeout, InvalidRequestError),
    )


def connection_error(exc: httpx.RequestError, request: httpx.Request) -> APIConnectionError:
    """A one-line typed error for a request that got no (usable) answer."""
    target = f"{request.method} {request.url.copy_with(query=None)}"
    if isinstance(exc, httpx.TimeoutException):
        return APITimeoutError(f"{target} timed out ({type(exc).__name__})", request=request)
    return APIConnectionError(f"{target} failed: {describe(exc)}", request=request)


def raise_for_status(response: httpx.Response) -> None:
    if response.status_code >= 400:
        retry_after = None
        if response.status_code == 429:
            retry_after = parse_retry_after(response.headers.get("retry-after"))
        raise status_error(response, retry_after=retry_after)
