"""Answers larger than `max_response_bytes` stop being read and raise ResponseTooLargeError, never retried."""

from __future__ import annotations

import asyncio
import pickle
from collections.abc import AsyncIterator, Iterator

import httpx
import pytest
from dimescheduler_openapi import (
    AsyncDimeSchedulerClient,
    ConfigurationError,
    DimeSchedulerClient,
    ResponseTooLargeError,
)

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
