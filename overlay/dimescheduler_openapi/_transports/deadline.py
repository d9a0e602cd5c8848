"""An overall deadline per call: one moment by which everything the call does must be over (the `/token`
exchange, every attempt, the waits between retries and reading the body).

httpx timeouts bound each network wait separately (connect, each read, each write, the pool), so a server
that drips its answer a byte at a time never trips them. The client puts a `Deadline` on the request's
extensions; this transport, under the retries, then

- refuses to start an attempt once the deadline has passed (`DeadlineExceeded`);
- shortens every httpx timeout of the attempt to the time left (also the read timeout of the body, again
  when the body starts);
- checks the deadline after every chunk of the body (the async transport also cuts a wait short).

So a sync call ends within its deadline plus at most one network wait, itself no longer than the time that
was left when it began; an async call ends within its deadline.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import AsyncIterator, Iterator
from dataclasses import dataclass
from typing import Any, Final

import httpx

__all__ = [
    "DEADLINE",
    "AsyncDeadlineTransport",
    "Deadline",
    "DeadlineExceeded",
    "DeadlineTransport",
    "remaining",
    "wait_budget",
]

DEADLINE: Final = "dimescheduler_openapi.deadline"
"""Request extension holding the call's `Deadline`."""


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
        try:
            response = self.inner.handle_request(request)
        except httpx.TimeoutException as exc:
            if deadline is not None and _passed(deadline):
                raise DeadlineExceeded(deadline, request=request) from exc
            raise
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
            try:
                chunk = next(chunks, None)
            except httpx.TimeoutException as exc:
                if _passed(self._deadline):
                    raise DeadlineExceeded(self._deadline, request=self._request) from exc
                raise
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
