"""Retries as httpx transport wrappers (sync and async): exponential backoff with full jitter, `Retry-After`.

What gets retried depends on whether repeating the request is safe:

- GET, HEAD, OPTIONS, PUT, DELETE, TRACE (idempotent): on 408, 429 and any 5xx, and on any transport error
  that can be transient (refused/failed connection, read/write errors and timeouts, dropped connection).
- POST, PATCH (not idempotent): only when the server cannot have processed the request: the connection was
  never made (ConnectError, ConnectTimeout, PoolTimeout), 429, or 503 with a `Retry-After` header. Never after
  a read timeout or a dropped connection, never on other 5xx.

The body of an idempotent request's answer is read here, inside the attempt, so an answer cut off mid-body
(dropped connection, read timeout while reading it) is retried like any other dropped connection. A call's
deadline (see `deadline.py`) ends the retries: no attempt starts and no wait begins that would end after it.
"""

from __future__ import annotations

import asyncio
import email.utils
import inspect
import random
import time
import warnings
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC
from typing import Any

import httpx

from .._errors import ConfigurationError
from .._logging import describe, logger
from .._problem import ATTEMPTS
from .deadline import remaining

__all__ = [
    "AsyncRetryTransport",
    "RetryConfig",
    "RetryPolicy",
    "RetryTransport",
    "parse_retry_after",
    "retry_config",
]

IDEMPOTENT_METHODS = frozenset({"GET", "HEAD", "OPTIONS", "PUT", "DELETE", "TRACE"})

# The request never left the client, so repeating it cannot duplicate anything.
NOT_SENT_ERRORS: tuple[type[httpx.TransportError], ...] = (
    httpx.ConnectError,
    httpx.ConnectTimeout,
    httpx.PoolTimeout,
)
TRANSIENT_ERRORS: tuple[type[httpx.TransportError], ...] = (
    *NOT_SENT_ERRORS,
    httpx.ReadError,
    httpx.ReadTimeout,
    httpx.WriteError,
    httpx.WriteTimeout,
    httpx.RemoteProtocolError,
)


@dataclass(frozen=True, slots=True)
class RetryConfig:
    """Retry policy. Attempts are `1 + max_retries`; the n-th retry waits a random time in
    `[0, min(backoff_cap, backoff_base * 2**n)]`, or the server's `Retry-After` capped at `retry_after_cap`.

    `sleep` (called with seconds; for the async client it may return an awaitable) and `jitter` (a number in
    [0, 1)) replace `time.sleep`/`asyncio.sleep` and `random.random`, for tests.
    """

    max_retries: int = 3
    backoff_base: float = 0.5
    backoff_cap: float = 8.0
    retry_after_cap: float = 60.0
    sleep: Callable[[float], object] | None = field(default=None, repr=False, compare=False)
    jitter: Callable[[], float] | None = field(default=None, repr=False, compare=False)

    def __post_init__(self) -> None:
        if (
            isinstance(self.max_retries, bool)
            or not isinstance(self.max_retries, int)
            or self.max_retries < 0
        ):
            raise ConfigurationError(f"max_retries must be an int >= 0, not {self.max_retries!r}")
        for name in ("backoff_base", "backoff_cap", "retry_after_cap"):
            value = getattr(self, name)
            if isinstance(value, bool) or not isinstance(value, int | float) or not value >= 0:
                raise ConfigurationError(f"{name} must be a number >= 0, not {value!r}")


def retry_config(value: RetryConfig | bool | int | None) -> RetryConfig | None:
    """The client's `retry=` argument -> a config, or None when retries are off (`False` or `0`).

    The vendor SDK's `dimescheduler.RetryConfig` is accepted too, translated by `from_vendor` with a
    DeprecationWarning that says what to write instead. Anything else is a ConfigurationError.
    """
    if _is_vendor_config(value):
        return from_vendor(value)
    if value is None or value is True:
        return RetryConfig()
    if value is False:
        return None
    if isinstance(value, RetryConfig):
        return value if value.max_retries > 0 else None
    if isinstance(value, int):
        if value < 0:
            raise ConfigurationError(f"retry must be >= 0, not {value}")
        return RetryConfig(max_retries=value) if value > 0 else None
    raise ConfigurationError(
        f"retry must be None, a RetryConfig, False or a number of retries, not {type(value).__name__}"
    )


def _is_vendor_config(value: object) -> bool:
    cls = type(value)
    return cls.__name__ == "RetryConfig" and cls.__module__.split(".")[0] == "dimescheduler"


VENDOR_RETRY_STATUS_CODES = (408, 429, 500, 502, 503, 504)


def from_vendor(vendor: Any) -> RetryConfig | None:
    """Our config for the vendor SDK's `dimescheduler.RetryConfig` (dimescheduler 0.3.1), with a warning.

    `max_retries` -> `max_retries`; `initial_delay_s` -> `backoff_base`; `max_delay_s` -> `backoff_cap` and
    `retry_after_cap` (the vendor caps both with it). `backoff_multiplier` (we always double),
    `retry_status_codes` (we retry by method: see the module docstring) and `respect_retry_after=False` (we
    always honour it, capped) have no equivalent; the warning names any that differ from the vendor default.
    """
    try:
        ours = RetryConfig(
            max_retries=vendor.max_retries,
            backoff_base=vendor.initial_delay_s,
            backoff_cap=vendor.max_delay_s,
            retry_after_cap=vendor.max_delay_s,
        )
    except AttributeError as exc:
        raise ConfigurationError(f"cannot read the vendor RetryConfig: {exc}") from None
    written = (
        f"RetryConfig(max_retries={ours.max_retries}, backoff_base={ours.backoff_base}, "
        f"backoff_cap={ours.backoff_cap}, retry_after_cap={ours.retry_after_cap})"
    )
    unsupported = []
    if getattr(vendor, "backoff_multiplier", 2.0) != 2.0:
        unsupported.append(f"backoff_multiplier={vendor.backoff_multiplier} (the backoff always doubles)")
    if tuple(getattr(vendor, "retry_status_codes", VENDOR_RETRY_STATUS_CODES)) != VENDOR_RETRY_STATUS_CODES:
        unsupported.append(
            f"retry_status_codes={tuple(vendor.retry_status_codes)} (what is retried depends on the method: "
            "408/429/5xx for GET/PUT/DELETE, only 429 and 503 with Retry-After for POST)"
        )
    if getattr(vendor, "respect_retry_after", True) is not True:
        unsupported.append("respect_retry_after=False (Retry-After is always honoured, capped)")
    message = (
        "retry= got the vendor SDK's dimescheduler.RetryConfig; it is translated to "
        f"dimescheduler_openapi.RetryConfig: write `retry={written}` "
        "(from dimescheduler_openapi import RetryConfig) instead"
    )
    if unsupported:
        message += "; not supported and ignored: " + "; ".join(unsupported)
    warnings.warn(message, DeprecationWarning, stacklevel=_caller_level())
    return ours if ours.max_retries > 0 else None


def _caller_level() -> int:
    """The stacklevel of the first frame outside this package, so the warning points at the user's call."""
    here = inspect.currentframe()
    frame, level = (here.f_back if here is not None else None), 1  # level 1 is the frame calling warn()
    while frame is not None and frame.f_globals.get("__name__", "").startswith("dimescheduler_openapi"):
        frame, level = frame.f_back, level + 1
    return level


def parse_retry_after(value: str | None, *, now: float | None = None) -> float | None:
    """`Retry-After` as seconds from now (delta-seconds or an HTTP date); None when absent or unreadable."""
    if value is None or not value.strip():
        return None
    text = value.strip()
    try:
        seconds = float(text)
    except ValueError:
        pass
    else:
        return max(0.0, seconds) if seconds == seconds else None  # NaN is unreadable
    try:
        when = email.utils.parsedate_to_datetime(text)
    except (TypeError, ValueError, IndexError):
        return None
    if when.tzinfo is None:  # "-0000": UTC by RFC 5322
        when = when.replace(tzinfo=UTC)
    current = time.time() if now is None else now
    return max(0.0, when.timestamp() - current)


class RetryPolicy:
    """The decisions, shared by both transports: `None` means do not retry, else the seconds to wait."""

    def __init__(self, config: RetryConfig, *, now: Callable[[], float] = time.time) -> None:
        self.config = config
        self._jitter = config.jitter or random.random
        self._now = now

    def backoff(self, retry: int) -> float:
        """Full jitter: uniform in [0, min(cap, base * 2**retry)]."""
        config = self.config
        ceiling = min(config.backoff_cap, config.backoff_base * 2.0 ** min(retry, 64))
        return self._jitter() * ceiling

    def after_response(self, request: httpx.Request, response: httpx.Response, retry: int) -> float | None:
        if retry >= self.config.max_retries:
            return None
        status = response.status_code
        retry_after = parse_retry_after(response.headers.get("retry-after"), now=self._now())
        if request.method.upper() in IDEMPOTENT_METHODS:
            retryable = status in (408, 429) or status >= 500
        else:
            retryable = status == 429 or (status == 503 and retry_after is not None)
        if not retryable:
            return None
        if retry_after is not None:
            return min(retry_after, self.config.retry_after_cap)
        return self.backoff(retry)

    def after_error(self, request: httpx.Request, exc: Exception, retry: int) -> float | None:
        if retry >= self.config.max_retries:
            return None
        safe = TRANSIENT_ERRORS if request.method.upper() in IDEMPOTENT_METHODS else NOT_SENT_ERRORS
        return self.backoff(retry) if isinstance(exc, safe) else None


def within_deadline(request: httpx.Request, delay: float | None) -> float | None:
    """`delay`, unless waiting that long and trying again would end after the request's deadline."""
    if delay is None:
        return None
    left = remaining(request)
    return delay if left is None or delay < left else None


def buffers_body(request: httpx.Request) -> bool:
    return request.method.upper() in IDEMPOTENT_METHODS


def _log_retry(request: httpx.Request, reason: str, delay: float, retry: int, max_retries: int) -> None:
    """At INFO: a retry is worth knowing about without turning on DEBUG (path only: no query, no secret)."""
    logger.info(
        "retrying %s %s after %s (attempt %d of %d failed); waiting %.2f s",
        request.method,
        request.url.path,
        reason,
        retry + 1,
        max_retries + 1,
        delay,
    )


def _status_reason(response: httpx.Response) -> str:
    return f"HTTP {response.status_code} {response.reason_phrase}".rstrip()


class RetryTransport(httpx.BaseTransport):
    """Wraps a sync transport; every attempt goes through `inner`."""

    def __init__(self, inner: httpx.BaseTransport, config: RetryConfig) -> None:
        self.inner = inner
        self.policy = RetryPolicy(config)
        self._sleep: Callable[[float], object] = config.sleep or time.sleep

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        max_retries = self.policy.config.max_retries
        for retry in range(max_retries + 1):
            try:
                request.extensions[ATTEMPTS] = retry + 1
                response = self.inner.handle_request(request)
                if buffers_body(request):
                    response = _buffered(response)
            except TRANSIENT_ERRORS as exc:
                delay = within_deadline(request, self.policy.after_error(request, exc, retry))
                if delay is None:
                    raise
                _log_retry(request, describe(exc), delay, retry, max_retries)
            else:
                delay = within_deadline(request, self.policy.after_response(request, response, retry))
                if delay is None:
                    return response
                _log_retry(request, _status_reason(response), delay, retry, max_retries)
                _discard(response)
            self._sleep(delay)
        raise AssertionError("unreachable: the last attempt always returns or raises")

    def close(self) -> None:
        self.inner.close()


class AsyncRetryTransport(httpx.AsyncBaseTransport):
    """Wraps an async transport; every attempt goes through `inner`."""

    def __init__(self, inner: httpx.AsyncBaseTransport, config: RetryConfig) -> None:
        self.inner = inner
        self.policy = RetryPolicy(config)
        self._sleep: Callable[[float], object] = config.sleep or asyncio.sleep

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        max_retries = self.policy.config.max_retries
        for retry in range(max_retries + 1):
            try:
                request.extensions[ATTEMPTS] = retry + 1
                response = await self.inner.handle_async_request(request)
                if buffers_body(request):
                    response = await _abuffered(response)
            except TRANSIENT_ERRORS as exc:
                delay = within_deadline(request, self.policy.after_error(request, exc, retry))
                if delay is None:
                    raise
                _log_retry(request, describe(exc), delay, retry, max_retries)
            else:
                delay = within_deadline(request, self.policy.after_response(request, response, retry))
                if delay is None:
                    return response
                _log_retry(request, _status_reason(response), delay, retry, max_retries)
                await _adiscard(response)
            slept = self._sleep(delay)
            if inspect.isawaitable(slept):
                await slept
        raise AssertionError("unreachable: the last attempt always returns or raises")

    async def aclose(self) -> None:
        await self.inner.aclose()


def _buffered(response: httpx.Response) -> httpx.Response:
    """The answer with its whole body read (raw, still encoded), so a failure reading it happens here."""
    if hasattr(response, "_content"):  # already in memory (a transport that answers from memory)
        return response
    try:
        raw = b"".join(response.iter_raw())
    finally:
        response.close()
    return _with_body(response, raw)


async def _abuffered(response: httpx.Response) -> httpx.Response:
    if hasattr(response, "_content"):
        return response
    try:
        raw = b"".join([chunk async for chunk in response.aiter_raw()])
    finally:
        await response.aclose()
    return _with_body(response, raw)


def _with_body(response: httpx.Response, raw: bytes) -> httpx.Response:
    return httpx.Response(
        response.status_code,
        headers=response.headers,
        stream=httpx.ByteStream(raw),
        extensions=response.extensions,
        request=response._request,
    )


def _discard(response: httpx.Response) -> None:
    """Drain and close an answer we retry past, so its connection can be reused."""
    try:
        response.read()
    except httpx.HTTPError:
        pass
    finally:
        response.close()


async def _adiscard(response: httpx.Response) -> None:
    try:
        await response.aread()
    except httpx.HTTPError:
        pass
    finally:
        await response.aclose()
