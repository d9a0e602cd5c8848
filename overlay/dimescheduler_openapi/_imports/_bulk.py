"""Sending a large stream of import requests as chunked `POST /import` calls with bounded concurrency.

Each chunk (at most `chunk_size` requests) is one `POST /import` whose answer is read by `parse_mutation`;
an HTTP error, a transport error or an envelope that reports failure under HTTP 200 fails that chunk only.
The report has one outcome per chunk, in input order, and never drops a record: every record read from the
input is in exactly one chunk, which either succeeded or failed. With `stop_on_error=True` no further input
is read once a chunk has failed (chunks already in flight still finish and are reported) and the report
says `stopped_early`.

Memory: the input is read lazily, one chunk at a time, and a chunk is only read once a concurrency slot is
free, so at most `concurrency` chunks are held at once whatever the input's length.

`run_bulk` runs on the event loop (asyncio.Semaphore). `run_bulk_sync` sends from a pool of `concurrency`
threads (httpx clients are thread-safe); with `concurrency=1` it sends one chunk after another in the
calling thread.
"""

from __future__ import annotations

import asyncio
import threading
from collections.abc import Iterable, Iterator
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass, field
from typing import Any, Literal, Protocol, TypeVar

import httpx

from .._call import Call
from .._errors import DimeSchedulerError, InvalidRequestError
from .._parsing import MutationResult, parse_mutation
from ._chunks import DEFAULT_CHUNK_SIZE, check_positive, chunked
from ._request import as_import_request

T = TypeVar("T")

DEFAULT_CONCURRENCY = 8
IMPORT_PATH = "/import"


class ImportExecutor(Protocol):
    """What `run_bulk_sync` needs: the sync client's `execute`."""

    def execute(self, call: Call[T], *, timeout: float | httpx.Timeout = ...) -> T: ...


class AsyncImportExecutor(Protocol):
    """What `run_bulk` needs: the async client's `execute`."""

    async def execute(self, call: Call[T], *, timeout: float | httpx.Timeout = ...) -> T: ...


@dataclass(frozen=True, slots=True)
class ChunkOutcome:
    """One chunk: its position (0-based chunk index, inclusive record range) and what became of it."""

    index: int
    first_record: int
    last_record: int
    record_count: int
    status: Literal["succeeded", "failed"]
    result: MutationResult | None = None
    error: str | None = None
    exception: Exception | None = field(default=None, repr=False, compare=False)

    @property
    def succeeded(self) -> bool:
        return self.status == "succeeded"


@dataclass(frozen=True, slots=True)
class BulkReport:
    """Every chunk's outcome in input order. succeeded_records + failed_records == records read."""

    chunks: tuple[ChunkOutcome, ...]
    stopped_early: bool = False

    @property
    def records(self) -> int:
        return sum(c.record_count for c in self.chunks)

    @property
    def succeeded_records(self) -> int:
        return sum(c.record_count for c in self.chunks if c.succeeded)

    @property
    def failed_records(self) -> int:
        return sum(c.record_count for c in self.chunks if not c.succeeded)

    @property
    def failures(self) -> tuple[ChunkOutcome, ...]:
        return tuple(c for c in self.chunks if not c.succeeded)

    @property
    def ok(self) -> bool:
        return not self.failures and not self.stopped_early

    def summary(self) -> str:
        line = (
            f"{len(self.chunks)} chunks, {self.records} records: {self.succeeded_records} succeeded,"
            f" {self.failed_records} failed"
        )
        return line + (
            " (stopped after a failure; any later input was not read)" if self.stopped_early else ""
        )


class BulkImportError(DimeSchedulerError):
    """Reading the input failed part-way; `report` holds the chunks sent before that."""

    def __init__(self, message: str, *, report: BulkReport) -> None:
        super().__init__(message)
        self.report = report


def import_call(requests: Iterable[object]) -> Call[MutationResult]:
    """One `POST /import` with these requests (ImportRequest, wire-form mappings or ImportRequest models)."""
    return _call([as_import_request(item).to_dict() for item in requests])


async def run_bulk(
    client: AsyncImportExecutor,
    requests: Iterable[object],
    *,
    chunk_size: int = DEFAULT_CHUNK_SIZE,
    concurrency: int = DEFAULT_CONCURRENCY,
    timeout: float | httpx.Timeout | None = None,
    stop_on_error: bool = False,
) -> BulkReport:
    """Send `requests` in chunks over the async client, at most `concurrency` chunks in flight.

    `timeout` (seconds or an httpx.Timeout) applies to each chunk's call; None keeps the client's own.
    """
    check_positive("concurrency", concurrency)
    numbered = _Numbered(requests, chunk_size)
    collector = _Collector(stop_on_error)
    slots = asyncio.Semaphore(concurrency)
    running: set[asyncio.Task[None]] = set()

    async def send(index: int, first: int, chunk: list[object]) -> None:
        try:
            call = _chunk_call(first, chunk)
            result = await (
                client.execute(call) if timeout is None else client.execute(call, timeout=timeout)
            )
        except Exception as exc:
            collector.add(_failed(index, first, chunk, exc))
        else:
            collector.add(_succeeded(index, first, chunk, result))
        finally:
            slots.release()

    input_error: Exception | None = None
    try:
        while True:
            await slots.acquire()
            item, input_error = _take(numbered, collector)
            if item is None:
                slots.release()
                break
            task = asyncio.create_task(send(*item))
            running.add(task)
            task.add_done_callback(running.discard)
        if running:
            await asyncio.gather(*running)
    except BaseException:
        for task in running:
            task.cancel()
        await asyncio.gather(*running, return_exceptions=True)
        raise
    return collector.report(numbered, input_error)


def run_bulk_sync(
    client: ImportExecutor,
    requests: Iterable[object],
    *,
    chunk_size: int = DEFAULT_CHUNK_SIZE,
    concurrency: int = DEFAULT_CONCURRENCY,
    timeout: float | httpx.Timeout | None = None,
    stop_on_error: bool = False,
) -> BulkReport:
    """Send `requests` in chunks over the sync client from `concurrency` worker threads (1 = in this thread)."""
    check_positive("concurrency", concurrency)
    numbered = _Numbered(requests, chunk_size)
    collector = _Collector(stop_on_error)

    def send(index: int, first: int, chunk: list[object]) -> None:
        try:
            call = _chunk_call(first, chunk)
            result = client.execute(call) if timeout is None else client.execute(call, timeout=timeout)
        except Exception as exc:
            collector.add(_failed(index, first, chunk, exc))
        else:
            collector.add(_succeeded(index, first, chunk, result))

    input_error: Exception | None = None
    if concurrency == 1:
        while True:
            item, input_error = _take(numbered, collector)
            if item is None:
                break
            send(*item)
        return collector.report(numbered, input_error)

    slots = threading.BoundedSemaphore(concurrency)

    def work(index: int, first: int, chunk: list[object]) -> None:
        try:
            send(index, first, chunk)
        finally:
            slots.release()

    futures: list[Future[None]] = []
    with ThreadPoolExecutor(max_workers=concurrency, thread_name_prefix="dimescheduler-import") as pool:
        while True:
            slots.acquire()
            item, input_error = _take(numbered, collector)
            if item is None:
                slots.release()
                break
            futures.append(pool.submit(work, *item))
    for future in futures:
        future.result()  # `work` catches Exception; this only surfaces what must not be swallowed
    return collector.report(numbered, input_error)


def _take(
    numbered: _Numbered, collector: _Collector
) -> tuple[tuple[int, int, list[object]] | None, Exception | None]:
    """The next chunk to send, or None with the reason to stop: a failure was collected under
    stop_on_error, the input ended, or reading it raised (returned as the second item)."""
    if collector.stop:
        return None, None
    try:
        return numbered.next(), None
    except Exception as exc:
        return None, exc


class _Numbered:
    """The input cut into (chunk index, index of its first record, chunk), counting records read."""

    def __init__(self, requests: Iterable[object], chunk_size: int) -> None:
        self._chunks: Iterator[list[object]] = chunked(requests, chunk_size)
        self.index = 0
        self.records_read = 0

    def next(self) -> tuple[int, int, list[object]] | None:
        chunk = next(self._chunks, None)
        if chunk is None:
            return None
        item = (self.index, self.records_read, chunk)
        self.index += 1
        self.records_read += len(chunk)
        return item


class _Collector:
    def __init__(self, stop_on_error: bool) -> None:
        self._stop_on_error = stop_on_error
        self._lock = threading.Lock()
        self._outcomes: list[ChunkOutcome] = []
        self.stop = False

    def add(self, outcome: ChunkOutcome) -> None:
        with self._lock:
            self._outcomes.append(outcome)
            if not outcome.succeeded and self._stop_on_error:
                self.stop = True

    def report(self, numbered: _Numbered, input_error: Exception | None) -> BulkReport:
        chunks = tuple(sorted(self._outcomes, key=lambda c: c.index))
        report = BulkReport(chunks=chunks, stopped_early=self.stop)
        if input_error is not None:
            raise BulkImportError(
                f"reading the import input failed after {numbered.records_read} records"
                f" ({report.summary()}): {_one_line(input_error)}",
                report=report,
            ) from input_error
        return report


def _chunk_call(first: int, chunk: list[object]) -> Call[MutationResult]:
    body = []
    for offset, item in enumerate(chunk):
        try:
            body.append(as_import_request(item).to_dict())
        except InvalidRequestError as exc:
            raise InvalidRequestError(f"record {first + offset}: {exc}") from exc
    return _call(body)


def _call(body: list[dict[str, Any]]) -> Call[MutationResult]:
    return Call(method="POST", path=IMPORT_PATH, parse=parse_mutation, json=body, has_body=True)


def _succeeded(index: int, first: int, chunk: list[object], result: MutationResult) -> ChunkOutcome:
    return ChunkOutcome(index, first, first + len(chunk) - 1, len(chunk), "succeeded", result=result)


def _failed(index: int, first: int, chunk: list[object], exc: Exception) -> ChunkOutcome:
    return ChunkOutcome(
        index, first, first + len(chunk) - 1, len(chunk), "failed", error=_one_line(exc), exception=exc
    )


def _one_line(exc: BaseException) -> str:
    text = " ".join(str(exc).split())
    text = text if len(text) <= 300 else text[:297] + "..."
    return f"{type(exc).__name__}: {text}" if text else type(exc).__name__
