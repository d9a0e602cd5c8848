"""An overall deadline per call: one moment by which everything the call does must be over (the `/token`
exchange, every attempt, the waits between retries, the wait for a free connection and reading the body).

httpx timeouts bound each network wait separately (connect, each read, each write, the pool), so a server
that drips its answer a byte at a time never trips them. The client puts a `Deadline` on the request's
extensions; this transport, under the retries, then

- refuses to start an attempt once the deadline has passed (`DeadlineExceeded`);
- shortens every httpx timeout of the attempt to the time left (also the read timeout of the body, again
  when the body starts);
- for httpx's own connection pools (`bound_network_waits`), shortens every single socket wait (each read,
  write, connect, TLS handshake) to the time left at that moment, so a server dripping its status line, its
  headers or its body a byte at a time is cut off at the deadline;
- checks the deadline after every chunk of the body (the async transport also cuts any wait short);
- (async) lets no more requests into an httpx pool than it has connections (`AsyncPoolGate`): the others
  wait in a plain queue, inside their deadline, instead of in httpcore's, whose bookkeeping grows with the
  square of the queue and stalls the event loop for seconds with a thousand waiting calls.

So a call ends within its deadline plus `DEADLINE_MARGIN` (the time to decode what was read, and a DNS
lookup, which no timeout bounds). Over a transport the caller injected that is not httpx's pool (a
`MockTransport`, a custom one), a sync call may exceed it by the one network wait in progress, itself no
longer than the time that was left when it began.
"""

from __future__ import annotations

import asyncio
import ssl
import time
from collections.abc import AsyncIterator, Iterable, Iterator
from contextvars import ContextVar
from dataclasses import dataclass
from typing import Any, Final

import httpcore
import httpx

__all__ = [
    "DEADLINE",
    "DEADLINE_MARGIN",
    "AsyncDeadlineTransport",
    "AsyncPoolGate",
    "Deadline",
    "DeadlineExceeded",
    "DeadlineTransport",
    "bound_network_waits",
    "remaining",
    "wait_budget",
]

DEADLINE: Final = "dimescheduler_openapi.deadline"
"""Request extension holding the call's `Deadline`."""

DEADLINE_MARGIN: Final = 0.5
"""Seconds a call may end after its deadline (decoding what was read, a DNS lookup)."""

# The deadline of the call the current thread or task is making, for the socket waits of httpx's pools.
_CURRENT: ContextVar[Deadline | None] = ContextVar("dimescheduler_openapi_deadline", default=None)


@dataclass(frozen=True, slots=True)
class Deadline:
    """`at` on the `time.monotonic()` clock; `seconds` as configured (for messages)."""

    at: float
    seconds: float

    @classmethod
    def after(cls, seconds: float) -> Deadline:
        return cls(time.monotonic() + seconds, seconds)


class DeadlineExceeded(httpx.TimeoutException):
    """The call's deadline passed. Never retried; the clients raise it as APITimeoutError."""

    def __init__(self, deadline: Deadline, *, request: httpx.Request | None = None) -> None:
        super().__init__(f"the deadline of {deadline.seconds:g} s passed", request=request)
        self.deadline_seconds = deadline.seconds


def remaining(request: httpx.Request) -> float | None:
    """Seconds left before the request's deadline (negative once passed); None without a deadline."""
    deadline = request.extensions.get(DEADLINE)
    return None if deadline is None else deadline.at - time.monotonic()


def wait_budget(request: httpx.Request) -> float | None:
    """How long a caller may wait for something this request depends on (a token another call is fetching):
    the time left before its deadline, else the sum of its httpx timeouts; None when neither bounds it."""
    left = remaining(request)
    timeouts: dict[str, float | None] = request.extensions.get("timeout") or {}
    values = [timeouts.get(name) for name in ("pool", "connect", "write", "read")]
    total = None if not values or None in values else sum(v for v in values if v is not None)
    if left is None:
        return total
    return max(0.0, left if total is None else min(left, total))


# A wait shortened to the time left ends at the deadline; timers may fire a little early.
_EARLY = 0.05


def _passed(deadline: Deadline | None) -> bool:
    return deadline is not None and time.monotonic() >= deadline.at - _EARLY


def _check(request: httpx.Request) -> Deadline | None:
    """The request's deadline after shortening its timeouts to the time left; raises once it has passed."""
    deadline: Deadline | None = request.extensions.get(DEADLINE)
    if deadline is None:
        return None
    left = deadline.at - time.monotonic()
    if left <= 0:
        raise DeadlineExceeded(deadline, request=request)
    timeouts: dict[str, Any] = request.extensions.get("timeout") or {}
    # httpcore reads this dict when it starts each phase, so a new dict changes the phases still to come.
    request.extensions["timeout"] = {
        name: left if timeouts.get(name) is None else min(timeouts[name], left)
        for name in ("connect", "read", "write", "pool")
    }
    return deadline


class DeadlineTransport(httpx.BaseTransport):
    """Applies the request's deadline to one attempt (sync)."""

    def __init__(self, inner: httpx.BaseTransport) -> None:
        self.inner = inner

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        deadline = _check(request)
        token = _CURRENT.set(deadline)
        try:
            response = self.inner.handle_request(request)
        except httpx.TimeoutException as exc:
            if deadline is not None and _passed(deadline):
                raise DeadlineExceeded(deadline, request=request) from exc
            raise
        finally:
            _CURRENT.reset(token)
        if deadline is not None and isinstance(response.stream, httpx.SyncByteStream):
            response.stream = _DeadlineStream(response.stream, request, deadline)
        return response

    def close(self) -> None:
        self.inner.close()


class _DeadlineStream(httpx.SyncByteStream):
    def __init__(self, inner: httpx.SyncByteStream, request: httpx.Request, deadline: Deadline) -> None:
        self._inner = inner
        self._request = request
        self._deadline = deadline

    def __iter__(self) -> Iterator[bytes]:
        _check(self._request)  # the body's read timeout becomes the time left now
        chunks = iter(self._inner)
        while True:
            token = _CURRENT.set(self._deadline)
            try:
                chunk = next(chunks, None)
            except httpx.TimeoutException as exc:
                if _passed(self._deadline):
                    raise DeadlineExceeded(self._deadline, request=self._request) from exc
                raise
            finally:
                _CURRENT.reset(token)
            if chunk is None:
                return
            yield chunk
            if time.monotonic() >= self._deadline.at:
                raise DeadlineExceeded(self._deadline, request=self._request)

    def close(self) -> None:
        self._inner.close()


class AsyncDeadlineTransport(httpx.AsyncBaseTransport):
    """Applies the request's deadline to one attempt (async): every wait is also cut at the deadline."""

    def __init__(self, inner: httpx.AsyncBaseTransport) -> None:
        self.inner = inner

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        deadline = _check(request)
        if deadline is None:
            return await self.inner.handle_async_request(request)
        try:
            async with asyncio.timeout_at(_loop_time(deadline)):
                response = await self.inner.handle_async_request(request)
        except TimeoutError:
            raise DeadlineExceeded(deadline, request=request) from None
        except httpx.TimeoutException as exc:
            if _passed(deadline):
                raise DeadlineExceeded(deadline, request=request) from exc
            raise
        if isinstance(response.stream, httpx.AsyncByteStream):
            response.stream = _AsyncDeadlineStream(response.stream, request, deadline)
        return response

    async def aclose(self) -> None:
        await self.inner.aclose()


class _AsyncDeadlineStream(httpx.AsyncByteStream):
    def __init__(self, inner: httpx.AsyncByteStream, request: httpx.Request, deadline: Deadline) -> None:
        self._inner = inner
        self._request = request
        self._deadline = deadline

    async def __aiter__(self) -> AsyncIterator[bytes]:
        chunks = self._inner.__aiter__()
        while True:
            try:
                async with asyncio.timeout_at(_loop_time(self._deadline)):
                    chunk = await chunks.__anext__()
            except StopAsyncIteration:
                return
            except TimeoutError:
                raise DeadlineExceeded(self._deadline, request=self._request) from None
            except httpx.TimeoutException as exc:
                if _passed(self._deadline):
                    raise DeadlineExceeded(self._deadline, request=self._request) from exc
                raise
            yield chunk

    async def aclose(self) -> None:
        await self._inner.aclose()


def _loop_time(deadline: Deadline) -> float:
    """The deadline on the running loop's clock (usually the same monotonic clock, but not necessarily)."""
    return asyncio.get_running_loop().time() + (deadline.at - time.monotonic())


# --- every socket wait of httpx's own pools shortened to the time left -----------------------------------


def _clamp(timeout: float | None, error: type[Exception]) -> float | None:
    """`timeout` shortened to the time left before the current call's deadline; raises `error` (an httpcore
    timeout, which httpx maps to its own) once it has passed."""
    deadline = _CURRENT.get()
    if deadline is None:
        return timeout
    left = deadline.at - time.monotonic()
    if left <= 0:
        raise error(f"the deadline of {deadline.seconds:g} s passed")
    return left if timeout is None else min(timeout, left)


class _ClampedStream(httpcore.NetworkStream):
    def __init__(self, inner: httpcore.NetworkStream) -> None:
        self._inner = inner

    def read(self, max_bytes: int, timeout: float | None = None) -> bytes:
        return self._inner.read(max_bytes, _clamp(timeout, httpcore.ReadTimeout))

    def write(self, buffer: bytes, timeout: float | None = None) -> None:
        self._inner.write(buffer, _clamp(timeout, httpcore.WriteTimeout))

    def close(self) -> None:
        self._inner.close()

    def start_tls(
        self, ssl_context: ssl.SSLContext, server_hostname: str | None = None, timeout: float | None = None
    ) -> httpcore.NetworkStream:
        inner = self._inner.start_tls(ssl_context, server_hostname, _clamp(timeout, httpcore.ConnectTimeout))
        return _ClampedStream(inner)

    def get_extra_info(self, info: str) -> Any:
        return self._inner.get_extra_info(info)


class _ClampedBackend(httpcore.NetworkBackend):
    def __init__(self, inner: httpcore.NetworkBackend) -> None:
        self._inner = inner

    def connect_tcp(
        self,
        host: str,
        port: int,
        timeout: float | None = None,
        local_address: str | None = None,
        socket_options: Iterable[Any] | None = None,
    ) -> httpcore.NetworkStream:
        stream = self._inner.connect_tcp(
            host, port, _clamp(timeout, httpcore.ConnectTimeout), local_address, socket_options
        )
        return _ClampedStream(stream)

    def connect_unix_socket(
        self, path: str, timeout: float | None = None, socket_options: Iterable[Any] | None = None
    ) -> httpcore.NetworkStream:
        stream = self._inner.connect_unix_socket(
            path, _clamp(timeout, httpcore.ConnectTimeout), socket_options
        )
        return _ClampedStream(stream)

    def sleep(self, seconds: float) -> None:
        self._inner.sleep(seconds)


def bound_network_waits(transport: httpx.BaseTransport) -> None:
    """Make every socket wait of `transport` end by the current call's deadline, when it is httpx's own
    transport (its connection pool, or a proxy's); any other transport is left as it is."""
    pool = getattr(transport, "_pool", None) if isinstance(transport, httpx.HTTPTransport) else None
    backend = getattr(pool, "_network_backend", None)
    if isinstance(backend, httpcore.NetworkBackend) and not isinstance(backend, _ClampedBackend):
        pool._network_backend = _ClampedBackend(backend)  # type: ignore[union-attr]


# --- async: wait for a connection in a queue of our own ----------------------------------------------


class AsyncPoolGate(httpx.AsyncBaseTransport):
    """Lets at most `slots` requests into `inner` at once (an httpx pool's connection count); a slot is
    freed when the answer is closed. The wait for a slot is bounded by the request's pool timeout and, when
    the deadline transport above cancels it, by its deadline."""

    def __init__(self, inner: httpx.AsyncBaseTransport, slots: int) -> None:
        self.inner = inner
        self._slots = asyncio.Semaphore(slots)

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        timeouts: dict[str, Any] = request.extensions.get("timeout") or {}
        try:
            async with asyncio.timeout(timeouts.get("pool")):
                await self._slots.acquire()
        except TimeoutError:
            raise httpx.PoolTimeout("no connection became free in time", request=request) from None
        try:
            response = await self.inner.handle_async_request(request)
        except BaseException:
            self._slots.release()
            raise
        if isinstance(response.stream, httpx.AsyncByteStream):
            response.stream = _Releasing(response.stream, self._slots)
        else:
            self._slots.release()
        return response

    async def aclose(self) -> None:
        await self.inner.aclose()


class _Releasing(httpx.AsyncByteStream):
    def __init__(self, inner: httpx.AsyncByteStream, slots: asyncio.Semaphore) -> None:
        self._inner = inner
        self._slots: asyncio.Semaphore | None = slots

    async def __aiter__(self) -> AsyncIterator[bytes]:
        async for chunk in self._inner:
            yield chunk

    async def aclose(self) -> None:
        try:
            await self._inner.aclose()
        finally:
            if self._slots is not None:
                self._slots.release()
                self._slots = None


def gated(transport: httpx.AsyncBaseTransport) -> httpx.AsyncBaseTransport:
    """`transport` behind an `AsyncPoolGate` sized to its pool when it is httpx's own HTTP/1.1 transport."""
    pool = getattr(transport, "_pool", None) if isinstance(transport, httpx.AsyncHTTPTransport) else None
    slots = getattr(pool, "_max_connections", None)
    if isinstance(slots, int) and slots > 0 and not getattr(pool, "_http2", False):
        return AsyncPoolGate(transport, slots)
    return transport
