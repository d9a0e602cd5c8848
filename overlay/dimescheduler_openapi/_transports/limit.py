"""A bound on the size of an answer: each attempt's body stops at `max_response_bytes` (sync and async).

The limit travels on the request (`request.extensions[MAX_BYTES]`, set by the client from its
`max_response_bytes=`); a request without one gets `DEFAULT_MAX_RESPONSE_BYTES`, `None` means no limit. A
`Content-Length` over the limit is refused before the body is read; otherwise the body is counted as it
arrives. What is counted is the body as the caller gets it, after `Content-Encoding`: a compressed answer is
decoded here, a piece of at most 64 KiB at a time, so a few kilobytes that inflate to gigabytes stop at the
limit instead of being inflated first (the decoded answer then carries no `Content-Encoding` and no
`Content-Length`). Past the limit the read stops with `ResponseTooLarge`, which is never retried and which
the clients raise as `ResponseTooLargeError`.

Decoded here: gzip, deflate (zlib or raw) and identity, in any number of layers
(`gzip, gzip`). An encoding httpx does not decode (x-gzip, br and zstd unless their optional packages are
installed, any unknown name) is passed on as it came, like httpx does, and counted as it comes; one that httpx would
decode but that cannot be decoded a bounded piece at a time here (br, zstd) is refused with a DecodingError
when a limit is set.
"""

from __future__ import annotations

import zlib
from collections.abc import AsyncIterator, Iterable, Iterator

import httpx
from httpx._decoders import SUPPORTED_DECODERS

MAX_BYTES = "dimescheduler_openapi.max_response_bytes"
DEFAULT_MAX_RESPONSE_BYTES = 512 * 2**20

_PIECE = 64 * 1024  # most bytes one decoding step may produce


class ResponseTooLarge(httpx.DecodingError):
    """The answer's body is larger than the limit (bytes, counted after decoding)."""

    def __init__(self, limit: int, *, request: httpx.Request) -> None:
        super().__init__(f"the answer is larger than {limit:,} bytes", request=request)
        self.max_bytes = limit


def limit_of(request: httpx.Request) -> int | None:
    limit = request.extensions.get(MAX_BYTES, DEFAULT_MAX_RESPONSE_BYTES)
    return limit if isinstance(limit, int) and not isinstance(limit, bool) else None


def _declared_too_large(response: httpx.Response, limit: int) -> bool:
    declared = response.headers.get("content-length", "")
    return declared.isdigit() and int(declared) > limit


class _Inflate:
    """One zlib layer whose output comes a bounded piece at a time. `deflate` accepts zlib-wrapped and raw
    deflate data (servers send both under that name), as httpx does."""

    def __init__(self, encoding: str) -> None:
        self._raw_fallback = encoding == "deflate"
        wbits = zlib.MAX_WBITS | 16 if encoding == "gzip" else zlib.MAX_WBITS
        self._inflater = zlib.decompressobj(wbits)
        self._started = False

    def feed(self, data: bytes, *, final: bool = False) -> Iterator[bytes]:
        while True:
            try:
                piece = self._inflater.decompress(data, _PIECE)
            except zlib.error as exc:
                if self._raw_fallback and not self._started:
                    self._raw_fallback = False
                    self._inflater = zlib.decompressobj(-zlib.MAX_WBITS)
                    continue
                raise httpx.DecodingError(f"the answer's compressed body is broken: {exc}") from None
            self._started = self._started or bool(data)
            if piece:
                yield piece
            data = self._inflater.unconsumed_tail
            if not data and len(piece) < _PIECE:  # all input used and nothing left inside
                break
        if final:
            # The loop above drained the output, so what flush() returns is small.
            rest = self._inflater.flush()
            if rest:
                yield rest


_Layer = _Inflate
_INFLATED = frozenset({"gzip", "deflate"})


def _layers(response: httpx.Response) -> list[_Layer] | None:
    """The decoding steps for the answer's Content-Encoding, outermost first; None when httpx would not
    decode anything (no encoding, identity, or only names it does not know)."""
    if "content-encoding" not in response.headers:  # the common case, kept cheap
        return None
    names = [
        name.strip().lower() for name in response.headers.get_list("content-encoding", split_commas=True)
    ]
    known = [name for name in names if name in SUPPORTED_DECODERS and name != "identity"]
    if not known:
        return None
    unbounded = sorted({name for name in known if name not in _INFLATED})
    if unbounded:
        raise httpx.DecodingError(
            f"the answer is encoded with {', '.join(unbounded)}, which cannot be decoded a bounded piece "
            "at a time (max_response_bytes); the client asks for gzip or deflate"
        )
    return [_Inflate(name) for name in reversed(known)]


def _through(layers: list[_Layer], data: bytes, *, final: bool, start: int = 0) -> Iterator[bytes]:
    """`data` fed through the layers from `start` on; with `final`, every layer is then flushed in turn."""
    if start == len(layers):
        if data:
            yield data
        return
    for piece in layers[start].feed(data, final=final):
        yield from _through(layers, piece, final=False, start=start + 1)
    if final:
        yield from _through(layers, b"", final=True, start=start + 1)


def _decoding(response: httpx.Response) -> list[_Layer] | None:
    layers = _layers(response)
    if layers is not None:
        # The body handed on is decoded: httpx must not decode it again, nor trust the encoded length.
        for name in ("content-encoding", "content-length"):
            if name in response.headers:
                del response.headers[name]
    return layers


def _counted(pieces: Iterable[bytes], seen: int, limit: int, request: httpx.Request) -> Iterator[bytes]:
    for piece in pieces:
        seen += len(piece)
        if seen > limit:
            raise ResponseTooLarge(limit, request=request)
        yield piece


class SizeLimitTransport(httpx.BaseTransport):
    """Stops reading an answer at the request's limit, counted after decoding (sync)."""

    def __init__(self, inner: httpx.BaseTransport) -> None:
        self.inner = inner

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        response = self.inner.handle_request(request)
        limit = limit_of(request)
        if limit is None:
            return response
        try:
            if _declared_too_large(response, limit):
                raise ResponseTooLarge(limit, request=request)
            layers = _decoding(response)
        except httpx.DecodingError:
            response.close()
            raise
        if isinstance(response.stream, httpx.SyncByteStream):
            response.stream = _LimitedStream(response.stream, request, limit, layers)
        return response

    def close(self) -> None:
        self.inner.close()


class _LimitedStream(httpx.SyncByteStream):
    def __init__(
        self, inner: httpx.SyncByteStream, request: httpx.Request, limit: int, layers: list[_Layer] | None
    ) -> None:
        self._inner, self._request, self._limit, self._layers = inner, request, limit, layers

    def __iter__(self) -> Iterator[bytes]:
        layers, seen = self._layers, 0
        for chunk in self._inner:
            pieces = [chunk] if layers is None else _through(layers, chunk, final=False)
            for piece in _counted(pieces, seen, self._limit, self._request):
                seen += len(piece)
                yield piece
        if layers is not None:
            yield from _counted(_through(layers, b"", final=True), seen, self._limit, self._request)

    def close(self) -> None:
        self._inner.close()


class AsyncSizeLimitTransport(httpx.AsyncBaseTransport):
    """Stops reading an answer at the request's limit, counted after decoding (async)."""

    def __init__(self, inner: httpx.AsyncBaseTransport) -> None:
        self.inner = inner

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        response = await self.inner.handle_async_request(request)
        limit = limit_of(request)
        if limit is None:
            return response
        try:
            if _declared_too_large(response, limit):
                raise ResponseTooLarge(limit, request=request)
            layers = _decoding(response)
        except httpx.DecodingError:
            await response.aclose()
            raise
        if isinstance(response.stream, httpx.AsyncByteStream):
            response.stream = _AsyncLimitedStream(response.stream, request, limit, layers)
        return response

    async def aclose(self) -> None:
        await self.inner.aclose()


class _AsyncLimitedStream(httpx.AsyncByteStream):
    def __init__(
        self, inner: httpx.AsyncByteStream, request: httpx.Request, limit: int, layers: list[_Layer] | None
    ) -> None:
        self._inner, self._request, self._limit, self._layers = inner, request, limit, layers

    async def __aiter__(self) -> AsyncIterator[bytes]:
        layers, seen = self._layers, 0
        async for chunk in self._inner:
            pieces = [chunk] if layers is None else _through(layers, chunk, final=False)
            for piece in _counted(pieces, seen, self._limit, self._request):
                seen += len(piece)
                yield piece
        if layers is not None:
            for piece in _counted(_through(layers, b"", final=True), seen, self._limit, self._request):
                yield piece

    async def aclose(self) -> None:
        await self._inner.aclose()
