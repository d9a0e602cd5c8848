"""Transport wrappers that log each attempt (request line, status, elapsed) at DEBUG, headers redacted."""

from __future__ import annotations

import time

import httpx

from .._logging import log_failure, log_request, log_response


class LoggingTransport(httpx.BaseTransport):
    def __init__(self, inner: httpx.BaseTransport) -> None:
        self.inner = inner

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        log_request(request)
        start = time.perf_counter()
        try:
            response = self.inner.handle_request(request)
        except Exception as exc:
            log_failure(request, exc, time.perf_counter() - start)
            raise
        log_response(request, response, time.perf_counter() - start)
        return response

    def close(self) -> None:
        self.inner.close()


class AsyncLoggingTransport(httpx.AsyncBaseTransport):
    def __init__(self, inner: httpx.AsyncBaseTransport) -> None:
        self.inner = inner

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        log_request(request)
        start = time.perf_counter()
        try:
            response = await self.inner.handle_async_request(request)
        except Exception as exc:
            log_failure(request, exc, time.perf_counter() - start)
            raise
        log_response(request, response, time.perf_counter() - start)
        return response

    async def aclose(self) -> None:
        await self.inner.aclose()
