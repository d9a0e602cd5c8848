"""The transport stack under every client: retries (optional) around per-attempt logging around the real
transport (httpx's connection pool, a proxy, or whatever the caller injected)."""

from __future__ import annotations

import httpx

from .logged import AsyncLoggingTransport, LoggingTransport
from .retry import AsyncRetryTransport, RetryConfig, RetryTransport, parse_retry_after, retry_config

__all__ = [
    "AsyncLoggingTransport",
    "AsyncRetryTransport",
    "LoggingTransport",
    "RetryConfig",
    "RetryTransport",
    "instrument",
    "instrument_async",
    "parse_retry_after",
    "retry_config",
]


def instrument(inner: httpx.BaseTransport, retry: RetryConfig | None) -> httpx.BaseTransport:
    if isinstance(inner, RetryTransport | LoggingTransport):
        return inner  # already ours (the same httpx client handed to a second SDK client)
    logged = LoggingTransport(inner)
    return RetryTransport(logged, retry) if retry is not None else logged


def instrument_async(inner: httpx.AsyncBaseTransport, retry: RetryConfig | None) -> httpx.AsyncBaseTransport:
    if isinstance(inner, AsyncRetryTransport | AsyncLoggingTransport):
        return inner
    logged = AsyncLoggingTransport(inner)
    return AsyncRetryTransport(logged, retry) if retry is not None else logged
