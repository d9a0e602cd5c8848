"""Sending a large stream of import requests as chunked `POST /import` calls with bounded concurrency.

Each chunk (at most `chunk_size` requests) is one `POST /import` whose answer is read by `parse_mutation`:
it succeeded only when a 2xx answer carried the write envelope reporting success. A chunk the server cannot
have written (an error status, an envelope reporting failure, a connection never made) failed; a chunk it
may have written without a usable answer saying so (an answer cut off or timed out, a 2xx body that is not
the envelope, 502/504 from a gateway) is unknown: see ChunkStatus. The report has one outcome per chunk,
in input order, and never drops a record: every record read from the input is in exactly one chunk, which
succeeded, failed or is unknown. Every outcome names its chunk's input rows (from 1; see NumberedRequest). With `stop_on_error=True` no further input is read once a chunk has failed (chunks already in
flight still finish and are reported) and the report says `stopped_early`.

Progress and interruptions: `on_send` is called with a chunk's index and rows just before its request
is sent (a journal records them there: if it raises, the chunk is not sent and the run stops as for
`on_chunk`); `on_chunk` is called with each chunk's outcome as it finishes, and a
`BulkProgress` passed as `progress=` is filled as chunks are read, sent and answered. When the run is
cancelled (`task.cancel()`) or interrupted (Ctrl-C), the cancellation or KeyboardInterrupt propagates as
usual, but first every chunk sent and not answered is recorded as "unknown" and every chunk read and not
sent as "failed", so `progress.report()` still says, chunk by chunk, what was written. `run_bulk` cancels
its chunks in flight; `run_bulk_sync` cannot stop its worker threads mid-request, so it waits for their
answers (each bounded by the client's timeout and deadline; a second Ctrl-C stops waiting).

Memory: the input is read lazily, one chunk at a time, and a chunk is only read once a concurrency slot is
free, so at most `concurrency` chunks are held at once whatever the input's length.

`run_bulk` runs on the event loop (asyncio.Semaphore) and needs the async client; `run_bulk_sync` sends from
a pool of `concurrency` threads (httpx clients are thread-safe), or with `concurrency=1` in the calling
thread, and needs the sync client. The wrong kind of client is refused before anything is read or sent.
"""

from __future__ import annotations

import asyncio
import contextlib
import inspect
import threading
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import Future, ThreadPoolExecutor
from itertools import islice
from typing import Any, Protocol, TypeVar

import httpx

from .._call import Call
from .._errors import (
    APIConnectionError,
    APIStatusError,
    DimeSchedulerError,
    InvalidRequestError,
    MutationFailedError,
)
from .._parsing import MutationResult, parse_mutation
from .._parsing import _failure as _says_failed
from ._chunks import DEFAULT_CHUNK_SIZE, check_positive, chunked
from ._report import BulkProgress, BulkReport, ChunkOutcome, ChunkStatus
from ._request import as_import_request
from ._rows import NumberedRequest, RowRanges, iter_rows, to_ranges

__all__ = [
    "AsyncImportExecutor",
    "BulkImportError",
    "BulkProgress",
    "BulkReport",
    "ChunkOutcome",
    "ImportExecutor",
    "OnChunk",
    "OnSend",
    "import_call",
    "outcome_of",
    "run_bulk",
    "run_bulk_sync",
]

T = TypeVar("T")

DEFAULT_CONCURRENCY = 8
IMPORT_PATH = "/import"

OnChunk = Callable[[ChunkOutcome], object]
"""Called with each chunk's outcome as it finishes: from a worker thread (`run_bulk_sync`) or on the event
loop (`run_bulk`); keep it quick. If it raises, no further input is read, the chunks in flight finish and
the run raises BulkImportError (with the report) from that exception."""


OnSend = Callable[[int, RowRanges], object]
"""Called with a chunk's index and its input rows just before its request is sent, from the thread that
sends it; if it raises, that chunk is not sent (it fails) and the run stops as when `on_chunk` raises."""


class ImportExecutor(Protocol):
    """What `run_bulk_sync` needs: the sync client's `execute`."""

    def execute(self, call: Call[T], *, timeout: float | httpx.Timeout = ...) -> T: ...


class AsyncImportExecutor(Protocol):
    """What `run_bulk` needs: the async client's `execute`."""

    async def execute(self, call: Call[T], *, timeout: float | httpx.Timeout = ...) -> T: ...


class BulkImportError(DimeSchedulerError):
    """Reading the input failed part-way, or `on_chunk` raised; `report` holds the chunks sent before."""

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
    on_chunk: OnChunk | None = None,
    progress: BulkProgress | None = None,
    on_send: OnSend | None = None,
) -> BulkReport:
    """Send `requests` in chunks over the async client, at most `concurrency` chunks in flight.

    `client` is an AsyncDimeSchedulerClient (a sync client is refused with InvalidRequestError before
    anything is sent). `timeout` (seconds or an httpx.Timeout) applies to each chunk's call; None keeps the
    client's own (and the client's deadline applies to each chunk's call). `on_chunk` and `progress`: see
    the module docstring.
    """
    _require(client, asynchronous=True)
    check_positive("concurrency", concurrency)
    numbered = _Numbered(requests, chunk_size)
    run = _Run(progress, stop_on_error, on_chunk, on_send)
    slots = asyncio.Semaphore(concurrency)
    running: set[asyncio.Task[None]] = set()

    async def send(index: int, first: int, chunk: list[object], rows: RowRanges) -> None:
        try:
            try:
                call = run.prepare(index, chunk, rows)
            except Exception as exc:
                run.finish(_outcome(index, first, chunk, rows, "failed", exc))
                return
            try:
                answer: Any = (
                    client.execute(call) if timeout is None else client.execute(call, timeout=timeout)
                )
                result = await answer if inspect.isawaitable(answer) else answer
            except Exception as exc:
                run.finish(_outcome(index, first, chunk, rows, outcome_of(exc), exc))
            else:
                run.finish(_succeeded(index, first, chunk, rows, result))
        finally:
            slots.release()

    input_error: Exception | None = None
    try:
        while True:
            await slots.acquire()
            item, input_error = _take(numbered, run)
            if item is None:
                slots.release()
                break
            task = asyncio.create_task(send(*item))
            running.add(task)
            task.add_done_callback(running.discard)
        if running:
            await asyncio.gather(*running)
    except BaseException as interruption:
        for task in running:
            task.cancel()
        await asyncio.gather(*running, return_exceptions=True)
        run.interrupt(interruption)
        raise
    return run.report(numbered, input_error)


def run_bulk_sync(
    client: ImportExecutor,
    requests: Iterable[object],
    *,
    chunk_size: int = DEFAULT_CHUNK_SIZE,
    concurrency: int = DEFAULT_CONCURRENCY,
    timeout: float | httpx.Timeout | None = None,
    stop_on_error: bool = False,
    on_chunk: OnChunk | None = None,
    progress: BulkProgress | None = None,
    on_send: OnSend | None = None,
) -> BulkReport:
    """Send `requests` in chunks over the sync client from `concurrency` worker threads (1 = in this thread).

    `client` is a DimeSchedulerClient (an async client is refused with InvalidRequestError before anything
    is sent: its calls would never run). Other arguments as for `run_bulk`.
    """
    _require(client, asynchronous=False)
    check_positive("concurrency", concurrency)
    numbered = _Numbered(requests, chunk_size)
    run = _Run(progress, stop_on_error, on_chunk, on_send)

    def send(index: int, first: int, chunk: list[object], rows: RowRanges) -> None:
        try:
            call = run.prepare(index, chunk, rows)
        except Exception as exc:
            run.finish(_outcome(index, first, chunk, rows, "failed", exc))
            return
        try:
            result: Any = client.execute(call) if timeout is None else client.execute(call, timeout=timeout)
            if inspect.isawaitable(result):  # an execute that only looked sync: nothing was sent
                if inspect.iscoroutine(result):
                    result.close()
                run.finish(
                    _outcome(
                        index,
                        first,
                        chunk,
                        rows,
                        "failed",
                        InvalidRequestError(_WRONG_CLIENT["sync"].format(name=type(client).__name__)),
                    )
                )
                return
        except Exception as exc:
            run.finish(_outcome(index, first, chunk, rows, outcome_of(exc), exc))
        else:
            run.finish(_succeeded(index, first, chunk, rows, result))

    input_error: Exception | None = None
    if concurrency == 1:
        try:
            while True:
                item, input_error = _take(numbered, run)
                if item is None:
                    break
                send(*item)
        except BaseException as interruption:
            run.interrupt(interruption)
            raise
        return run.report(numbered, input_error)

    slots = threading.BoundedSemaphore(concurrency)

    def work(index: int, first: int, chunk: list[object], rows: RowRanges) -> None:
        try:
            send(index, first, chunk, rows)
        finally:
            slots.release()

    futures: list[Future[None]] = []
    pool = ThreadPoolExecutor(max_workers=concurrency, thread_name_prefix="dimescheduler-import")
    try:
        while True:
            slots.acquire()
            item, input_error = _take(numbered, run)
            if item is None:
                slots.release()
                break
            futures.append(pool.submit(work, *item))
        for future in futures:
            future.result()  # `work` catches Exception; this only surfaces what must not be swallowed
    except BaseException as interruption:
        run.stop = True
        _wait_for(pool)
        run.interrupt(interruption)
        raise
    finally:
        pool.shutdown(wait=False, cancel_futures=True)
    return run.report(numbered, input_error)


def _wait_for(pool: ThreadPoolExecutor) -> None:
    """Let the chunks in flight finish so their outcome is known, and drop the ones queued (never sent); a
    second Ctrl-C stops waiting (the first interruption is the one re-raised). Waiting on the pool, not on
    the futures list: an interruption inside `submit` can start a chunk whose future never reached the list.
    """
    with contextlib.suppress(BaseException):
        pool.shutdown(wait=True, cancel_futures=True)


_WRONG_CLIENT = {
    "sync": "run_bulk_sync needs the sync DimeSchedulerClient; {name}.execute is async, so its calls would "
    "never be sent: use `await run_bulk(client, ...)`",
    "async": "run_bulk needs the AsyncDimeSchedulerClient; {name}.execute is not async, so each chunk would "
    "block the event loop: use run_bulk_sync(client, ...)",
}


def _require(client: object, *, asynchronous: bool) -> None:
    """Refuse, before anything is read or sent, a client of the wrong kind (or none at all)."""
    name = type(client).__name__
    execute = getattr(client, "execute", None)
    if not callable(execute):
        wanted = "AsyncDimeSchedulerClient" if asynchronous else "DimeSchedulerClient"
        raise InvalidRequestError(
            f"{'run_bulk' if asynchronous else 'run_bulk_sync'} needs a {wanted}, not {name}"
        )
    if _is_async(execute) != asynchronous:
        raise InvalidRequestError(_WRONG_CLIENT["async" if asynchronous else "sync"].format(name=name))


def _is_async(function: object) -> bool:
    call = getattr(function, "__call__", None)  # noqa: B004 - instances with an async __call__ count too
    return inspect.iscoroutinefunction(function) or inspect.iscoroutinefunction(call)


class _Run:
    """One run's shared state: the progress it fills, whether to stop reading input, the callback."""

    def __init__(
        self,
        progress: BulkProgress | None,
        stop_on_error: bool,
        on_chunk: OnChunk | None,
        on_send: OnSend | None = None,
    ) -> None:
        self.progress = progress if progress is not None else BulkProgress()
        self.progress._claim()
        self._stop_on_error = stop_on_error
        self._on_chunk = on_chunk
        self._on_send = on_send
        self._lock = threading.Lock()
        self.callback_error: Exception | None = None
        self.stop = False

    def prepare(self, index: int, chunk: list[object], rows: RowRanges) -> Call[MutationResult]:
        """The chunk's call, after `on_send` has recorded it; the chunk counts as sent from here."""
        call = _chunk_call(chunk, rows)
        if self._on_send is not None:
            try:
                self._on_send(index, rows)
            except Exception as exc:
                with self._lock:
                    self.callback_error = self.callback_error or exc
                self.stop = True
                raise
        self.progress._chunk_sent(index)
        return call

    def finish(self, outcome: ChunkOutcome) -> None:
        self.progress._chunk_done(outcome)
        if not outcome.succeeded and self._stop_on_error:
            self.stop = True
            self.progress._stop_early()
        if self._on_chunk is not None:
            try:
                self._on_chunk(outcome)
            except Exception as exc:
                with self._lock:
                    self.callback_error = self.callback_error or exc
                self.stop = True

    def interrupt(self, reason: BaseException) -> None:
        """Record the chunks the interruption left without an answer, then note the summary on it."""
        for outcome in self.progress._interrupt(reason):
            if self._on_chunk is not None:
                with contextlib.suppress(Exception):  # the interruption is what the caller must see
                    self._on_chunk(outcome)
        summary = self.progress.report().summary()
        reason.add_note(
            f"bulk import interrupted: {summary} (pass progress=BulkProgress() to keep the outcome)"
        )

    def report(self, numbered: _Numbered, input_error: Exception | None) -> BulkReport:
        report = self.progress.report()
        if input_error is not None:
            raise BulkImportError(
                f"reading the import input failed after {numbered.records_read} records"
                f" ({report.summary()}): {_one_line(input_error)}",
                report=report,
            ) from input_error
        if self.callback_error is not None:
            raise BulkImportError(
                f"on_send or on_chunk raised, so the run stopped ({report.summary()}): {_one_line(self.callback_error)}",
                report=report,
            ) from self.callback_error
        return report


def _take(
    numbered: _Numbered, run: _Run
) -> tuple[tuple[int, int, list[object], RowRanges] | None, Exception | None]:
    """The next chunk to send, or None with the reason to stop: a failure was collected under
    stop_on_error or on_chunk raised, the input ended, or reading it raised (returned as the second item)."""
    if run.stop:
        return None, None
    try:
        item = numbered.next()
    except Exception as exc:
        return None, exc
    if item is not None:
        index, first, chunk, rows = item
        run.progress._chunk_read(index, first, len(chunk), rows)
    return item, None


class _Numbered:
    """The input cut into (chunk index, index of its first record, chunk), counting records read."""

    def __init__(self, requests: Iterable[object], chunk_size: int) -> None:
        self._chunks: Iterator[list[object]] = chunked(requests, chunk_size)
        self.index = 0
        self.records_read = 0

    def next(self) -> tuple[int, int, list[object], RowRanges] | None:
        chunk = next(self._chunks, None)
        if chunk is None:
            return None
        first = self.records_read
        rows: RowRanges
        kinds = set(map(type, chunk))
        if kinds == {NumberedRequest}:  # the usual numbered input: unzipped at C speed
            numbers = [item[0] for item in chunk]  # type: ignore[index]
            chunk = [item[1] for item in chunk]  # type: ignore[index]
            rows = to_ranges(numbers)
        elif NumberedRequest in kinds:
            numbers = []
            for offset, item in enumerate(chunk):
                if isinstance(item, NumberedRequest):
                    numbers.append(item.row)
                    chunk[offset] = item.request
                else:
                    numbers.append(first + offset + 1)
            rows = to_ranges(numbers)
        else:
            rows = ((first + 1, first + len(chunk)),)
        item = (self.index, first, chunk, rows)
        self.index += 1
        self.records_read += len(chunk)
        return item


def _chunk_call(chunk: list[object], rows: RowRanges) -> Call[MutationResult]:
    body = []
    for offset, item in enumerate(chunk):
        try:
            body.append(as_import_request(item).to_dict())
        except InvalidRequestError as exc:
            row = next(islice(iter_rows(rows), offset, None), offset + 1)
            raise InvalidRequestError(f"row {row}: {exc}") from exc
    return _call(body)


def _call(body: list[dict[str, Any]]) -> Call[MutationResult]:
    return Call(
        method="POST",
        path=IMPORT_PATH,
        parse=parse_mutation,
        json=body,
        has_body=True,
        route=("POST", IMPORT_PATH),
    )


def _succeeded(
    index: int, first: int, chunk: list[object], rows: RowRanges, result: MutationResult
) -> ChunkOutcome:
    return ChunkOutcome(
        index, first, first + len(chunk) - 1, len(chunk), "succeeded", result=result, rows=rows
    )


def _outcome(
    index: int, first: int, chunk: list[object], rows: RowRanges, status: ChunkStatus, exc: Exception
) -> ChunkOutcome:
    return ChunkOutcome(
        index,
        first,
        first + len(chunk) - 1,
        len(chunk),
        status,
        error=_one_line(exc),
        exception=exc,
        rows=rows,
    )


# The request never left the client: the server cannot have written anything.
_NOT_SENT = (httpx.ConnectError, httpx.ConnectTimeout, httpx.PoolTimeout, httpx.UnsupportedProtocol)
# A gateway's answer: the server behind it may have written the chunk before the gateway gave up.
_GATEWAY_STATUSES = frozenset({502, 504})


def outcome_of(exc: BaseException) -> ChunkStatus:
    """Whether a chunk whose call raised `exc` was surely not written ("failed") or may have been ("unknown").

    failed: refused before sending, a connection never made, an envelope reporting failure, an error
    status (a 502/504 gateway answer excepted), a 2xx JSON body saying it failed (`errors`, `success:
    false`). unknown: everything else: an answer cut off, a read timeout, a deadline passed, another 2xx
    body that is not the envelope, an exception this package does not raise (nothing says what was sent).
    """
    if isinstance(exc, InvalidRequestError | MutationFailedError):
        return "failed"
    if isinstance(exc, APIStatusError):
        status = exc.status_code
        if 200 <= status < 300:  # not the envelope: failed only when the body itself says so
            return "failed" if _says_failed(exc.body) else "unknown"
        return "unknown" if status in _GATEWAY_STATUSES else "failed"
    if isinstance(exc, APIConnectionError):
        return "failed" if _never_sent(exc) else "unknown"
    return "unknown"


def _never_sent(exc: BaseException) -> bool:
    seen: set[int] = set()
    current: BaseException | None = exc
    while current is not None and id(current) not in seen:
        seen.add(id(current))
        if isinstance(current, _NOT_SENT):
            return True
        current = current.__cause__ or current.__context__
    return False


def _one_line(exc: BaseException) -> str:
    text = " ".join(str(exc).split())
    text = text if len(text) <= 300 else text[:297] + "..."
    return f"{type(exc).__name__}: {text}" if text else type(exc).__name__
