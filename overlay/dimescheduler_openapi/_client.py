"""The two clients. Each wraps one long-lived httpx client (thread-safe / task-safe) carrying the auth,
headers, retries and logging; resources build Calls and `execute` sends them.
"""

from __future__ import annotations

from collections.abc import Mapping
from functools import cached_property
from types import TracebackType
from typing import TYPE_CHECKING, Any, Self, TypeVar

import httpx

from ._auth import TokenSource
from ._base_client import (
    DEFAULT_TIMEOUT,
    ClientBase,
    Timeout,
    build_request,
    check_httpx_kwargs,
    check_injected,
    raise_for_status,
    wire_async,
    wire_sync,
)
from ._call import Call
from ._config import resolve_settings
from ._environment import Environment
from ._errors import ConfigurationError, connection_error
from ._parsing import parse_with
from ._resources import AsyncResources, SyncResources
from ._resources._resolve import check_documented
from ._transports.limit import DEFAULT_MAX_RESPONSE_BYTES
from ._transports.retry import RetryConfig

if TYPE_CHECKING:
    import dimescheduler_raw

__all__ = ["AsyncDimeSchedulerClient", "DimeSchedulerClient"]

T = TypeVar("T")


class DimeSchedulerClient(ClientBase, SyncResources):
    """Sync client for the Dime.Scheduler API.

    Authenticate with exactly one of `api_key=`, `username=` + `password=` (JWT from `POST /token`) or
    `token=` (a bearer token, or a callable returning one); with none, `DIMESCHEDULER_API_KEY` or
    `DIMESCHEDULER_USERNAME` + `DIMESCHEDULER_PASSWORD` are read. `environment=` is an `Environment`, its name
    or a base URL (default: `DIMESCHEDULER_ENVIRONMENT`, else production).

    `retry=`: None (default policy), a `RetryConfig`, a number of retries, or False/0 for none.
    `timeout=` (seconds or an httpx.Timeout) bounds each network wait: connecting, each read, each write,
    waiting for a pooled connection. `deadline=` (seconds, default None: no limit) bounds each call as a
    whole: the `/token` exchange, every attempt, the waits between retries and reading the answer; past it
    the call raises APITimeoutError. Both can be overridden per call. `max_response_bytes=` (default
    512 MiB; None: no limit) bounds the size of an answer's body: past it the read stops and the call raises
    ResponseTooLargeError (never retried). `strict_responses=` (default False) validates read answers as
    strictly as the document says (a required field absent or a value of another type raises
    UnexpectedResponseError naming the field); by default they are read leniently (see
    `dimescheduler_openapi.strict_responses` for one call).
    `transport=` or extra httpx keyword arguments configure the httpx client built here (`follow_redirects`
    excepted: redirects are never followed); or pass a ready `http_client=` (an httpx.Client): it is
    re-pointed at the API (base URL, auth, headers, `timeout=`, retries) and closed with this client.
    """

    def __init__(
        self,
        api_key: str | None = None,
        environment: Environment | str | None = None,
        *,
        username: str | None = None,
        password: str | None = None,
        token: TokenSource | None = None,
        timeout: Timeout = DEFAULT_TIMEOUT,
        headers: Mapping[str, str] | None = None,
        retry: RetryConfig | bool | int | None = None,
        deadline: float | None = None,
        max_response_bytes: int | None = DEFAULT_MAX_RESPONSE_BYTES,
        strict_responses: bool = False,
        transport: httpx.BaseTransport | None = None,
        http_client: httpx.Client | None = None,
        **httpx_kwargs: Any,
    ) -> None:
        settings = resolve_settings(
            api_key=api_key,
            environment=environment,
            username=username,
            password=password,
            token=token,
            headers=headers,
            retry=retry,
            is_async=False,
        )
        self._init_base(settings, deadline, max_response_bytes, strict_responses)
        if http_client is not None:
            check_injected(transport, httpx_kwargs)
            if not isinstance(http_client, httpx.Client):
                raise ConfigurationError(
                    f"http_client must be an httpx.Client, not {type(http_client).__name__}"
                    + (
                        " (use AsyncDimeSchedulerClient)"
                        if isinstance(http_client, httpx.AsyncClient)
                        else ""
                    )
                )
            http = http_client
        else:
            check_httpx_kwargs(httpx_kwargs)
            if transport is not None and not isinstance(transport, httpx.BaseTransport):
                raise ConfigurationError(
                    f"transport must be an httpx.BaseTransport, not {type(transport).__name__}"
                )
            http = httpx.Client(transport=transport, **httpx_kwargs)
        wire_sync(http, settings, timeout, self)
        self._http = http

    def execute(self, call: Call[T], *, timeout: Timeout = None, deadline: float | None = None) -> T:
        """Send `call`; its parsed answer, or a typed error. `timeout` and `deadline` (seconds) override the
        client's for this call."""
        request = build_request(self._http, call, timeout, self._deadline if deadline is None else deadline)
        try:
            response = self._http.send(request)
        except httpx.RequestError as exc:
            raise connection_error(exc, request) from exc
        raise_for_status(response)
        check_documented(call, response)
        return parse_with(call.parse, response, self._strict_responses)

    @cached_property
    def raw(self) -> dimescheduler_raw.Client:
        """The generated client on this client's httpx client (same auth, retries, logging):
        `dimescheduler_raw.api.job.job_get_job.sync(client=client.raw)`. Do not close it; close this client."""
        from dimescheduler_raw import Client

        return Client(base_url=self.base_url).set_httpx_client(self._http)

    def close(self) -> None:
        self._http.close()

    def __enter__(self) -> Self:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        self.close()


class AsyncDimeSchedulerClient(ClientBase, AsyncResources):
    """Async client for the Dime.Scheduler API; same arguments as `DimeSchedulerClient`, with an
    `httpx.AsyncBaseTransport` / `httpx.AsyncClient`, and `token=` may also be an async callable."""

    def __init__(
        self,
        api_key: str | None = None,
        environment: Environment | str | None = None,
        *,
        username: str | None = None,
        password: str | None = None,
        token: TokenSource | None = None,
        timeout: Timeout = DEFAULT_TIMEOUT,
        headers: Mapping[str, str] | None = None,
        retry: RetryConfig | bool | int | None = None,
        deadline: float | None = None,
        max_response_bytes: int | None = DEFAULT_MAX_RESPONSE_BYTES,
        strict_responses: bool = False,
        transport: httpx.AsyncBaseTransport | None = None,
        http_client: httpx.AsyncClient | None = None,
        **httpx_kwargs: Any,
    ) -> None:
        settings = resolve_settings(
            api_key=api_key,
            environment=environment,
            username=username,
            password=password,
            token=token,
            headers=headers,
            retry=retry,
            is_async=True,
        )
        self._init_base(settings, deadline, max_response_bytes, strict_responses)
        if http_client is not None:
            check_injected(transport, httpx_kwargs)
            if not isinstance(http_client, httpx.AsyncClient):
                raise ConfigurationError(
                    f"http_client must be an httpx.AsyncClient, not {type(http_client).__name__}"
                    + (" (use DimeSchedulerClient)" if isinstance(http_client, httpx.Client) else "")
                )
            http = http_client
        else:
            check_httpx_kwargs(httpx_kwargs)
            if transport is not None and not isinstance(transport, httpx.AsyncBaseTransport):
                raise ConfigurationError(
                    f"transport must be an httpx.AsyncBaseTransport, not {type(transport).__name__}"
                )
            http = httpx.AsyncClient(transport=transport, **httpx_kwargs)
        wire_async(http, settings, timeout, self)
        self._http = http

    async def execute(self, call: Call[T], *, timeout: Timeout = None, deadline: float | None = None) -> T:
        """Send `call`; its parsed answer, or a typed error. `timeout` and `deadline` (seconds) override the
        client's for this call."""
        request = build_request(self._http, call, timeout, self._deadline if deadline is None else deadline)
        try:
            response = await self._http.send(request)
        except httpx.RequestError as exc:
            raise connection_error(exc, request) from exc
        raise_for_status(response)
        check_documented(call, response)
        return parse_with(call.parse, response, self._strict_responses)

    @cached_property
    def raw(self) -> dimescheduler_raw.Client:
        """The generated client on this client's httpx.AsyncClient: `await ....asyncio(client=aclient.raw)`."""
        from dimescheduler_raw import Client

        return Client(base_url=self.base_url).set_async_httpx_client(self._http)

    async def aclose(self) -> None:
        await self._http.aclose()

    async def __aenter__(self) -> Self:
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        await self.aclose()
