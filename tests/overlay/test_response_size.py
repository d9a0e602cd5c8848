"""Answers larger than `max_response_bytes` stop being read and raise ResponseTooLargeError, never retried."""

from __future__ import annotations

import asyncio
import itertools
import json
import pickle
import tracemalloc
import zlib
from collections.abc import AsyncIterator, Callable, Iterator

import httpx
import pytest
from dimescheduler_openapi import (
    APIConnectionError,
    AsyncDimeSchedulerClient,
    ConfigurationError,
    DimeSchedulerClient,
    ResponseTooLargeError,
    procedures,
)
from dimescheduler_openapi._imports import run_bulk_sync
from dimescheduler_openapi._transports import ResponseTooLarge

MIB = 2**20
CHUNK = b"[" + b" " * (64 * 1024 - 2) + b"]"  # 64 KiB of valid JSON whitespace per chunk, as one list


class Chunks(httpx.SyncByteStream, httpx.AsyncByteStream):
    """`count` chunks of 64 KiB; remembers how many were handed out."""

    def __init__(self, count: int) -> None:
        self.count, self.sent = count, 0

    def _chunks(self) -> Iterator[bytes]:
        for index in range(self.count):
            self.sent += 1
            yield b"[" if index == 0 else (b"]" if index == self.count - 1 else b" " * len(CHUNK))

    def __iter__(self) -> Iterator[bytes]:
        yield from self._chunks()

    async def __aiter__(self) -> AsyncIterator[bytes]:
        for chunk in self._chunks():
            yield chunk


def serve(stream: Chunks, *, declared: int | None = None) -> tuple[httpx.MockTransport, list[httpx.Request]]:
    seen: list[httpx.Request] = []

    def answer(request: httpx.Request) -> httpx.Response:
        seen.append(request)
        headers = {"content-type": "application/json"}
        if declared is not None:
            headers["content-length"] = str(declared)
        return httpx.Response(200, headers=headers, stream=stream)

    return httpx.MockTransport(answer), seen


def test_a_streamed_answer_stops_at_the_limit_and_is_not_retried() -> None:
    stream = Chunks(64)  # 4 MiB
    transport, seen = serve(stream)
    with (
        DimeSchedulerClient(
            api_key="k", environment="http://127.0.0.1:1", transport=transport, max_response_bytes=MIB
        ) as client,
        pytest.raises(ResponseTooLargeError) as raised,
    ):
        client.categories.get_all()
    assert raised.value.max_bytes == MIB
    assert str(raised.value) == (
        "GET http://127.0.0.1:1/category: the answer is larger than 1,048,576 bytes (max_response_bytes); not read"
    )
    assert len(seen) == 1  # a GET is retried after a dropped connection, never after this
    assert stream.sent <= MIB // len(CHUNK) + 2
    again = pickle.loads(pickle.dumps(raised.value))
    assert isinstance(again, ResponseTooLargeError) and again.max_bytes == MIB


def test_a_declared_content_length_over_the_limit_is_refused_before_reading() -> None:
    stream = Chunks(4)
    transport, _ = serve(stream, declared=10 * MIB)
    with (
        DimeSchedulerClient(
            api_key="k", environment="http://127.0.0.1:1", transport=transport, max_response_bytes=MIB
        ) as client,
        pytest.raises(ResponseTooLargeError),
    ):
        client.categories.get_all()
    assert stream.sent == 0


def test_async_answers_are_bounded_too() -> None:
    stream = Chunks(64)
    transport, _ = serve(stream)

    async def run() -> None:
        async with AsyncDimeSchedulerClient(
            api_key="k", environment="http://127.0.0.1:1", transport=transport, max_response_bytes=MIB
        ) as client:
            await client.categories.get_all()

    with pytest.raises(ResponseTooLargeError, match="larger than 1,048,576 bytes"):
        asyncio.run(run())


def test_no_limit_reads_everything_and_the_default_is_512_mib() -> None:
    transport, _ = serve(Chunks(64))
    with DimeSchedulerClient(
        api_key="k", environment="http://127.0.0.1:1", transport=transport, max_response_bytes=None
    ) as client:
        assert client.categories.get_all() == []
    transport, seen = serve(Chunks(64))
    with DimeSchedulerClient(api_key="k", environment="http://127.0.0.1:1", transport=transport) as client:
        assert client.categories.get_all() == []
    assert seen[0].extensions["dimescheduler_openapi.max_response_bytes"] == 512 * MIB


@pytest.mark.parametrize("value", [0, -1, 1.5, True, "1000"])
def test_a_bad_limit_is_a_configuration_error(value: object) -> None:
    with pytest.raises(ConfigurationError, match="max_response_bytes must be a positive number of bytes"):
        DimeSchedulerClient(api_key="k", environment="http://127.0.0.1:1", max_response_bytes=value)  # type: ignore[arg-type]


# --- compressed answers: the limit counts what they decode to ------------------------------------------


def gzipped(plain_parts: Iterator[bytes]) -> bytes:
    """gzip of the concatenated parts, compressed as they come (a large plain text is never built)."""
    packer = zlib.compressobj(9, zlib.DEFLATED, zlib.MAX_WBITS | 16)
    return b"".join([packer.compress(part) for part in plain_parts] + [packer.flush()])


def zeros(size: int) -> Iterator[bytes]:
    block = b" " * MIB
    for _ in range(size // MIB):
        yield block


ENVELOPE_JSON = json.dumps(
    {"content": json.dumps({"Success": True, "Appointments": []}), "statusCode": 200}
).encode()


class Encoded(httpx.SyncByteStream, httpx.AsyncByteStream):
    """A fixed encoded body handed out in 1 KiB pieces (not an httpx.ByteStream: that one httpx would
    read, and decode, in full when the response is made)."""

    def __init__(self, body: bytes) -> None:
        self.body = body

    def __iter__(self) -> Iterator[bytes]:
        for start in range(0, len(self.body), 1024):
            yield self.body[start : start + 1024]

    async def __aiter__(self) -> AsyncIterator[bytes]:
        for piece in self:
            yield piece


def encoded_answer(body: bytes, encoding: str) -> httpx.MockTransport:
    def answer(request: httpx.Request) -> httpx.Response:
        headers = {"content-type": "application/json", "content-encoding": encoding}
        return httpx.Response(
            200, headers={**headers, "content-length": str(len(body))}, stream=Encoded(body)
        )

    return httpx.MockTransport(answer)


# 256 MiB of JSON whitespace, gzipped twice: a few kilobytes on the wire.
DOUBLE_BOMB = gzipped(iter([gzipped(itertools.chain([b"["], zeros(256 * MIB), [b"]"]))]))
SINGLE_BOMB = gzipped(itertools.chain([b"["], zeros(64 * MIB), [b"]"]))


def peak_during(action: Callable[[], object]) -> int:
    tracemalloc.start()
    try:
        action()
    finally:
        peak = tracemalloc.get_traced_memory()[1]
        tracemalloc.stop()
    return peak


def test_a_double_gzip_bomb_stops_at_the_limit_without_inflating() -> None:
    assert len(DOUBLE_BOMB) < 20_000
    with DimeSchedulerClient(
        api_key="k",
        environment="http://127.0.0.1:1",
        transport=encoded_answer(DOUBLE_BOMB, "gzip, gzip"),
        max_response_bytes=MIB,
    ) as client:

        def call() -> None:
            with pytest.raises(ResponseTooLargeError, match=r"larger than 1,048,576 bytes"):
                client.categories.get_all()

        assert peak_during(call) < 16 * MIB


def test_one_gzip_layer_over_the_limit_is_refused_sync_and_async_and_raw() -> None:
    with DimeSchedulerClient(
        api_key="k",
        environment="http://127.0.0.1:1",
        transport=encoded_answer(SINGLE_BOMB, "gzip"),
        max_response_bytes=8 * MIB,
    ) as client:
        with pytest.raises(ResponseTooLargeError):
            client.categories.get_all()
        with pytest.raises(ResponseTooLarge):  # the generated client over the same transport
            client.raw.get_httpx_client().get("/category")

    async def run() -> None:
        async with AsyncDimeSchedulerClient(
            api_key="k",
            environment="http://127.0.0.1:1",
            transport=encoded_answer(SINGLE_BOMB, "gzip"),
            max_response_bytes=8 * MIB,
        ) as client:
            with pytest.raises(ResponseTooLargeError):
                await client.categories.get_all()

    asyncio.run(run())


def test_a_compressed_bulk_answer_over_the_limit_is_not_a_success() -> None:
    padded = gzipped(iter([ENVELOPE_JSON, b" " * (8 * MIB)]))
    body = gzipped(iter([padded]))  # a valid envelope followed by 8 MiB of whitespace, gzipped twice
    with DimeSchedulerClient(
        api_key="k",
        environment="http://127.0.0.1:1",
        transport=encoded_answer(body, "gzip, gzip"),
        max_response_bytes=MIB,
    ) as client:
        report = run_bulk_sync(client, [procedures.pin.append({"name": "P1"})], chunk_size=1)
    assert report.succeeded_records == 0
    assert "max_response_bytes" in str(report.chunks[0].error)


def test_compressed_answers_within_the_limit_decode_as_before() -> None:
    categories = json.dumps([{"name": "A", "displayName": "A"}]).encode()
    for encoding, body in (
        ("gzip", gzipped(iter([categories]))),
        ("deflate", zlib.compress(categories)),
        ("deflate", zlib.compress(categories)[2:-4]),  # raw deflate, which servers also send as "deflate"
        ("gzip, gzip", gzipped(iter([gzipped(iter([categories]))]))),
        ("identity", categories),
        ("gzip, unknown-name", gzipped(iter([categories]))),
    ):
        with DimeSchedulerClient(
            api_key="k", environment="http://127.0.0.1:1", transport=encoded_answer(body, encoding)
        ) as client:
            assert [c.name for c in client.categories.get_all()] == ["A"], encoding


def test_a_broken_compressed_body_is_one_line() -> None:
    with (
        DimeSchedulerClient(
            api_key="k", environment="http://127.0.0.1:1", transport=encoded_answer(b"not gzip", "gzip")
        ) as client,
        pytest.raises(APIConnectionError, match=r"compressed body is broken"),
    ):
        client.categories.get_all()
