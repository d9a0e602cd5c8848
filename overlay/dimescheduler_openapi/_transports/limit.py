"""A bound on the size of an answer: each attempt's body stops at `max_response_bytes` (sync and async).

The limit travels on the request (`request.extensions[MAX_BYTES]`, set by the client from its
`max_response_bytes=`); a request without one gets `DEFAULT_MAX_RESPONSE_BYTES`, `None` means no limit. A
`Content-Length` over the limit is refused before the body is read; otherwise the body is counted as it
arrives (raw bytes, before any decompression). Past the limit the read stops with `ResponseTooLarge`, which
is never retried and which the clients raise as `ResponseTooLargeError`.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterator

import httpx

MAX_BYTES = "dimescheduler_openapi.max_response_bytes"
DEFAULT_MAX_RESPONSE_BYTES = 512 * 2**20


class ResponseTooLarge(httpx.DecodingError):
    """The answer's body is larger than the limit (bytes)."""

    def __init__(self, limit: int, *, request: httpx.Request) -> None:
        super().__init__(f"the answer is larger than {limit:,} bytes", request=request)
        self.max_bytes = limit


def limit_of(request: httpx.Request) -> int | None:
    limit = request.extensions.get(MAX_BYTES, DEFAULT_MAX_RESPONSE_BYTES)
    return limit if isinstance(limit, int) and not isinstance(limit, bool) else None


def _declared_too_large(response: httpx.Response, limit: int) -> bool:
    declared = response.headers.get("content-length", "")
    return declared.isdigit() and int(declared) > limit


class SizeLimitTransport(httpx.BaseTransport):
    """Stops reading an answer at the request's limit (sync)."""

    def __init__(self, inner: httpx.BaseTransport) -> None:
        self.inner = inner

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        response = self.inner.handle_request(request)
        limit = limit_of(request)
        if limit is None:
            return response
        if _declared_too_large(response, limit):
            response.close()
            raise ResponseTooLarge(limit, request=request)
        if isinstance(response.stream, httpx.SyncByteStream):
            response.stream = _LimitedStream(response.stream, request, limit)
        return response

    def close(self) -> None:
        self.inner.close()


class _LimitedStream(httpx.SyncByteStream):
    def __init__(self, inner: httpx.SyncByteStream, request: httpx.Request, limit: int) -> None:
        self._inner, self._request, self._limit = inner, request, limit

    def __iter__(self) -> Iterator[bytes]:
        seen = 0
        for chunk in self._inner:
            seen += len(chunk)
            if seen > self._limit:
                raise ResponseTooLarge(self._limit, request=self._request)
            yield chunk

    def close(self) -> None:
        self._inner.close()


class AsyncSizeLimitTransport(httpx.AsyncBaseTransport):
    """Stops reading an answer at the request's limit (async)."""

    def __init__(self, inner: httpx.AsyncBaseTransport) -> None:
        self.inner = inner

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        response = await self.inner.handle_async_request(request)
        limit = limit_of(request)
        if limit is None:
            return response
        if _declared_too_large(response, limit):
            await response.aclose()
            raise ResponseTooLarge(limit, request=request)
        if isinstance(response.stream, httpx.AsyncByteStream):
            response.stream = _AsyncLimitedStream(response.stream, request, limit)
        return response

    async def aclose(self) -> None:
        await self.inner.aclose()


class _AsyncLimitedStream(httpx.AsyncByteStream):
    def __init__(self, inner: httpx.AsyncByteStream, request: httpx.Request, limit: int) -> None:
        self._inner, self._request, self._limit = inner, request, limit

    async def __aiter__(self) -> AsyncIterator[bytes]:
        seen = 0
        async for chunk in self._inner:
            seen += len(chunk)
            if seen > self._limit:
                raise ResponseTooLarge(self._limit, request=self._request)
            yield chunk

    async def aclose(self) -> None:
        await self._inner.aclose()
