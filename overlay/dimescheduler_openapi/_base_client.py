"""What the sync and async clients share: settings, wiring an httpx client (auth, headers, the transport
stack, the origin guard, the capture hook), building requests from Calls, mapping failures to typed errors,
the repr."""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from contextvars import ContextVar
from http.cookiejar import Cookie, DefaultCookiePolicy
from typing import Any, Final
from urllib.request import Request

import httpx

from ._call import Call
from ._config import Settings
from ._environment import Environment
from ._errors import ConfigurationError, InvalidRequestError, connection_error, status_error
from ._json_body import encode_json
from ._scrub import safe_url, scrub_response
from ._transports import (
    DEADLINE,
    DEFAULT_MAX_RESPONSE_BYTES,
    MAX_BYTES,
    Deadline,
    instrument,
    instrument_async,
    parse_retry_after,
)

__all__ = [
    "DEFAULT_TIMEOUT",
    "CapturedResponse",
    "ClientBase",
    "Timeout",
    "build_request",
    "checked_deadline",
    "connection_error",
    "raise_for_status",
]

DEFAULT_TIMEOUT: Final = 30.0
MAX_URL_LENGTH: Final = 65536  # httpx refuses longer URLs (httpx._urlparse.MAX_URL_LENGTH)

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


def checked_deadline(deadline: float | None, error: type[Exception]) -> float | None:
    """`deadline` in seconds (more than 0, finite) or None; anything else raises `error`."""
    if deadline is None:
        return None
    if isinstance(deadline, bool) or not isinstance(deadline, int | float) or not 0 < deadline < float("inf"):
        raise error(f"deadline must be a number of seconds more than 0, or None; not {deadline!r}")
    return float(deadline)


# Set by the client itself; letting callers pass them would silently undo the client's wiring.
_RESERVED_HTTPX_KWARGS = frozenset({"base_url", "auth", "headers", "timeout", "transport"})
_NO_REDIRECTS = (
    "the client does not follow redirects: a redirect could carry the API key, token or password to "
    "another host; a 3xx answer raises RedirectError naming its target"
)


class CapturedResponse:
    """Filled by `client.capture_response()`: the last answer the client received in that block, as a
    scrubbed copy (status, reason, headers with credentials redacted, body; no request body, no history),
    so nothing secret is kept in it."""

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
    _deadline: float | None
    _max_response_bytes: int | None
    _strict_responses: bool

    def _init_base(
        self,
        settings: Settings,
        deadline: float | None,
        max_response_bytes: int | None = DEFAULT_MAX_RESPONSE_BYTES,
        strict_responses: bool = False,
    ) -> None:
        self._settings = settings
        if not isinstance(strict_responses, bool):
            raise ConfigurationError(f"strict_responses must be True or False, not {strict_responses!r}")
        self._strict_responses = strict_responses
        self._deadline = checked_deadline(deadline, ConfigurationError)
        if max_response_bytes is not None and (
            isinstance(max_response_bytes, bool)
            or not isinstance(max_response_bytes, int)
            or max_response_bytes < 1
        ):
            raise ConfigurationError(
                f"max_response_bytes must be a positive number of bytes, or None; not {max_response_bytes!r}"
            )
        self._max_response_bytes = max_response_bytes
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

    @property
    def deadline(self) -> float | None:
        """Seconds each call may take in all (retries and reading the answer included); None: no limit."""
        return self._deadline

    @contextmanager
    def capture_response(self) -> Iterator[CapturedResponse]:
        """`with client.capture_response() as captured: ...` -> `captured.response` is (a scrubbed copy of)
        the last answer received inside the block by this thread or task (also for `client.raw` calls)."""
        captured = CapturedResponse()
        reset = self._capture.set(captured)
        try:
            yield captured
        finally:
            self._capture.reset(reset)

    def _record(self, response: httpx.Response) -> None:
        captured = self._capture.get()
        if captured is not None:
            response.read()  # the copy keeps the body; httpx reads it anyway, this only reads it earlier
            captured.response = scrub_response(response)

    async def _arecord(self, response: httpx.Response) -> None:
        if self._capture.get() is not None:
            await response.aread()
            self._record(response)

    def _with_deadline(self, request: httpx.Request) -> None:
        """Request hook: a raw call gets the client's deadline (overlay calls already carry theirs), and
        every request the client's answer-size limit."""
        if self._deadline is not None and DEADLINE not in request.extensions:
            request.extensions[DEADLINE] = Deadline.after(self._deadline)
        request.extensions[MAX_BYTES] = self._max_response_bytes

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
    if httpx_kwargs.get("follow_redirects"):
        raise ConfigurationError(f"follow_redirects=True is refused: {_NO_REDIRECTS}")


def check_injected(transport: object, httpx_kwargs: Mapping[str, Any]) -> None:
    if transport is not None or httpx_kwargs:
        given = "transport=" if transport is not None else f"{sorted(httpx_kwargs)[0]}="
        raise ConfigurationError(f"pass either http_client= or {given}, not both: configure the httpx client")


def origin_guard(base_url: str) -> Callable[[httpx.Request], None]:
    """A request hook refusing any request (a redirect hop included) to another origin than the API's, so
    credentials only ever go where the environment (checked for https) points."""
    base = httpx.URL(base_url)
    origin = (base.scheme, base.host, base.port)

    def guard(request: httpx.Request) -> None:
        url = request.url
        if (url.scheme, url.host, url.port) != origin:
            target = safe_url(url).copy_with(query=None, fragment=None)
            raise InvalidRequestError(
                f"refusing to send {request.method} {target}: the client only talks to {base_url} "
                "(credentials never go to another origin)"
            )

    return guard


class _NoNewCookies(DefaultCookiePolicy):
    """Keeps no cookie a server sets: an API client has no use for them, and a server setting a new one on
    every answer would otherwise grow the `Cookie` header of every later request without bound. Cookies the
    caller put on an injected httpx client are still sent."""

    def set_ok(self, cookie: Cookie, request: Request) -> bool:
        return False


def _refuse_cookies(http: httpx.Client | httpx.AsyncClient) -> None:
    http.cookies.jar.set_policy(_NoNewCookies())


def _check_redirects(http: httpx.Client | httpx.AsyncClient) -> None:
    if http.follow_redirects:
        raise ConfigurationError(f"http_client has follow_redirects=True: {_NO_REDIRECTS}")


def wire_sync(http: httpx.Client, settings: Settings, timeout: Timeout, client: ClientBase) -> None:
    """Point an httpx.Client (ours or injected) at the API with our auth, headers, retries and logging."""
    _check_redirects(http)
    _refuse_cookies(http)
    http.base_url = httpx.URL(settings.target.base_url)
    http.auth = settings.auth
    http.timeout = checked_timeout(timeout, ConfigurationError)
    http.headers.update(settings.headers)
    http.event_hooks["request"].extend([origin_guard(settings.target.base_url), client._with_deadline])
    http.event_hooks["response"].append(client._record)
    # httpx picks a transport per URL: the default one, or a mount (proxies). Wrap them all.
    http._transport = instrument(http._transport, settings.retry)
    http._mounts = {
        pattern: None if inner is None else instrument(inner, settings.retry)
        for pattern, inner in http._mounts.items()
    }


def wire_async(http: httpx.AsyncClient, settings: Settings, timeout: Timeout, client: ClientBase) -> None:
    _check_redirects(http)
    _refuse_cookies(http)
    http.base_url = httpx.URL(settings.target.base_url)
    http.auth = settings.auth
    http.timeout = checked_timeout(timeout, ConfigurationError)
    http.headers.update(settings.headers)
    guard = origin_guard(settings.target.base_url)

    async def request_hook(request: httpx.Request) -> None:
        guard(request)
        client._with_deadline(request)

    http.event_hooks["request"].append(request_hook)
    http.event_hooks["response"].append(client._arecord)
    http._transport = instrument_async(http._transport, settings.retry)
    http._mounts = {
        pattern: None if inner is None else instrument_async(inner, settings.retry)
        for pattern, inner in http._mounts.items()
    }


def build_request(
    http: httpx.Client | httpx.AsyncClient, call: Call[Any], timeout: Timeout, deadline: float | None = None
) -> httpx.Request:
    """The request for `call`; `timeout`/`deadline` (seconds) apply to it alone. A body JSON cannot carry,
    a bad timeout or a bad deadline raises InvalidRequestError (nothing is sent)."""
    content: bytes | None = None
    headers: dict[str, str] | None = None
    if call.has_body:
        content = encode_json(call.json, f"{call.method} {call.path}")
        headers = {"Content-Type": "application/json"}
    seconds = checked_deadline(deadline, InvalidRequestError)
    where = f"{call.method} {call.path[:60]}{'…' if len(call.path) > 60 else ''}"
    try:
        return http.build_request(
            call.method,
            call.path,
            params=list(call.params) or None,
            content=content,
            headers=headers,
            timeout=httpx.USE_CLIENT_DEFAULT
            if timeout is None
            else checked_timeout(timeout, InvalidRequestError),
            extensions=None if seconds is None else {DEADLINE: Deadline.after(seconds)},
        )
    except httpx.InvalidURL as exc:
        if "too long" in str(exc):
            raise InvalidRequestError(
                f"{where}: the URL would be longer than {MAX_URL_LENGTH} characters, the most httpx sends "
                "(shorten the path or query values)"
            ) from None
        raise InvalidRequestError(f"{where}: not a valid URL ({exc})") from None
    except UnicodeEncodeError:
        raise InvalidRequestError(
            f"{where}: a query value holds a lone surrogate (text that is not valid Unicode)"
        ) from None


def raise_for_status(response: httpx.Response) -> None:
    """Raise the typed error for any answer that is not 2xx (a 3xx included: redirects are not followed)."""
    if not 200 <= response.status_code < 300:
        retry_after = None
        if response.status_code == 429:
            retry_after = parse_retry_after(response.headers.get("retry-after"))
        raise status_error(response, retry_after=retry_after)
