"""The transport stack under every client: retries (optional) around per-attempt logging around the
per-attempt deadline around the answer-size limit (counted after decoding) around the real transport (httpx's
connection pool, a proxy, or whatever the caller injected). httpx's own pools also get every socket wait
shortened to the call's deadline (`bound_network_waits`), and async ones a queue of our own in front
(`gated`)."""

from __future__ import annotations

import httpx

from .deadline import (
    DEADLINE,
    DEADLINE_MARGIN,
    AsyncDeadlineTransport,
    Deadline,
    DeadlineExceeded,
    DeadlineTransport,
    bound_network_waits,
    gated,
)
from .limit import (
    DEFAULT_MAX_RESPONSE_BYTES,
    MAX_BYTES,
    AsyncSizeLimitTransport,
    ResponseTooLarge,
    SizeLimitTransport,
)
from .logged import AsyncLoggingTransport, LoggingTransport
from .retry import AsyncRetryTransport, RetryConfig, RetryTransport, parse_retry_after, retry_config

__all__ = [
    "DEADLINE",
    "DEADLINE_MARGIN",
    "DEFAULT_MAX_RESPONSE_BYTES",
    "MAX_BYTES",
    "AsyncDeadlineTransport",
    "AsyncLoggingTransport",
    "AsyncRetryTransport",
    "Deadline",
    "DeadlineExceeded",
    "DeadlineTransport",
    "LoggingTransport",
    "ResponseTooLarge",
    "RetryConfig",
    "RetryTransport",
    "instrument",
    "instrument_async",
    "parse_retry_after",
    "retry_config",
]

_OURS = (RetryTransport, LoggingTransport, DeadlineTransport)
_AOURS = (AsyncRetryTransport, AsyncLoggingTransport, AsyncDeadlineTransport)


def instrument(inner: httpx.BaseTransport, retry: RetryConfig | None) -> httpx.BaseTransport:
    if isinstance(inner, _OURS):
        return inner  # already ours (the same httpx client handed to a second SDK client)
    bound_network_waits(inner)
    logged = LoggingTransport(DeadlineTransport(SizeLimitTransport(inner)))
    return RetryTransport(logged, retry) if retry is not None else logged


def instrument_async(inner: httpx.AsyncBaseTransport, retry: RetryConfig | None) -> httpx.AsyncBaseTransport:
    if isinstance(inner, _AOURS):
        return inner
    logged = AsyncLoggingTransport(AsyncDeadlineTransport(AsyncSizeLimitTransport(gated(inner))))
    return AsyncRetryTransport(logged, retry) if retry is not None else logged
