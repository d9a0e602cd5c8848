"""What a bulk import run reports: one `ChunkOutcome` per chunk, a `BulkReport` over all of them, and the
live `BulkProgress` the runners fill as chunks are read, sent and answered."""

from __future__ import annotations

import threading
from dataclasses import dataclass, field
from typing import Literal

from .._errors import InvalidRequestError
from .._parsing import MutationResult
from ._rows import RowRanges

__all__ = ["BulkProgress", "BulkReport", "ChunkOutcome", "ChunkStatus"]

ChunkStatus = Literal["succeeded", "failed", "unknown"]
"""succeeded: a 2xx write envelope reporting success came back. failed: the chunk was not written: an error
status the server gives before writing (4xx, 3xx, a 5xx other than 502/504), an envelope reporting failure,
a connection never made, a refused item, or never sent. unknown: the chunk was sent and may have been
written, but no usable answer says so: the answer was cut off or timed out, a 2xx body is not the envelope,
a gateway answered 502/504, or the run was interrupted (task cancelled, Ctrl-C) before the answer was read.
Check unknown records before sending them again: re-sending may write them twice."""


@dataclass(frozen=True, slots=True)
class ChunkOutcome:
    """One chunk: its position and what became of it.

    `rows` are the input rows it holds (inclusive ranges, from 1: the position in the input, or the row a
    NumberedRequest carries); `first_row`/`last_row` bound them. `index` (from 0) orders the chunks;
    `first_record`/`last_record` (from 0) count only the records handed to the runner."""

    index: int
    first_record: int
    last_record: int
    record_count: int
    status: ChunkStatus
    result: MutationResult | None = None
    error: str | None = None
    exception: BaseException | None = field(default=None, repr=False, compare=False)
    rows: RowRanges = ()

    @property
    def succeeded(self) -> bool:
        return self.status == "succeeded"

    @property
    def first_row(self) -> int:
        return self.rows[0][0] if self.rows else self.first_record + 1

    @property
    def last_row(self) -> int:
        return self.rows[-1][1] if self.rows else self.last_record + 1


@dataclass(frozen=True, slots=True)
class BulkReport:
    """Every chunk's outcome in input order. succeeded + failed + unknown records == records read."""

    chunks: tuple[ChunkOutcome, ...]
    stopped_early: bool = False
    interrupted: bool = False

    @property
    def records(self) -> int:
        return sum(c.record_count for c in self.chunks)

    @property
    def succeeded_records(self) -> int:
        return sum(c.record_count for c in self.chunks if c.succeeded)

    @property
    def failed_records(self) -> int:
        return sum(c.record_count for c in self.chunks if c.status == "failed")

    @property
    def unknown_records(self) -> int:
        """Records of chunks that may or may not have been written (see ChunkStatus)."""
        return sum(c.record_count for c in self.chunks if c.status == "unknown")

    @property
    def failures(self) -> tuple[ChunkOutcome, ...]:
        """Every chunk that did not succeed (failed or unknown)."""
        return tuple(c for c in self.chunks if not c.succeeded)

    @property
    def ok(self) -> bool:
        return not self.failures and not self.stopped_early and not self.interrupted

    def summary(self) -> str:
        line = (
            f"{len(self.chunks)} chunks, {self.records} records: {self.succeeded_records} succeeded,"
            f" {self.failed_records} failed"
        )
        if self.unknown_records or self.interrupted:
            line += f", {self.unknown_records} unknown (sent, no usable answer: check before re-sending)"
        if self.stopped_early:
            line += " (stopped after a failure; any later input was not read)"
        return line


class BulkProgress:
    """A live record of one bulk run, filled as chunks are read, sent and answered; safe to read from any
    thread while the run goes on, and complete after it ended in any way: returned, raised, cancelled
    (`task.cancel()`) or interrupted (Ctrl-C). Pass a new one as `progress=` to `run_bulk` /
    `run_bulk_sync` to keep the outcome of an interrupted run:

        progress = BulkProgress()
        try:
            run_bulk_sync(client, requests, progress=progress)
        except KeyboardInterrupt:
            print(progress.report().summary())  # what was written, what was not, what is unknown

    An outcome reported "unknown" at an interruption of `run_bulk_sync` is replaced by the real one if that
    chunk's answer still arrives (worker threads cannot be stopped mid-request).
    """

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._claimed = False
        self._read: dict[int, tuple[int, int, RowRanges]] = {}  # index -> (first record, count, rows)
        self._sent: set[int] = set()
        self._outcomes: dict[int, ChunkOutcome] = {}
        self._stopped_early = False
        self._interrupted = False

    @property
    def records_read(self) -> int:
        with self._lock:
            return sum(count for _, count, _ in self._read.values())

    @property
    def sent(self) -> tuple[int, ...]:
        """Indexes of the chunks sent so far (their request was started)."""
        with self._lock:
            return tuple(sorted(self._sent))

    @property
    def in_flight(self) -> tuple[int, ...]:
        """Indexes of the chunks sent and not answered yet."""
        with self._lock:
            return tuple(sorted(self._sent - self._outcomes.keys()))

    @property
    def finished(self) -> tuple[ChunkOutcome, ...]:
        """The outcomes so far, in input order."""
        with self._lock:
            return tuple(self._outcomes[index] for index in sorted(self._outcomes))

    @property
    def interrupted(self) -> bool:
        return self._interrupted

    def report(self) -> BulkReport:
        """The outcomes so far as a report (after the run: the run's report)."""
        with self._lock:
            chunks = tuple(self._outcomes[index] for index in sorted(self._outcomes))
            return BulkReport(chunks, stopped_early=self._stopped_early, interrupted=self._interrupted)

    def __repr__(self) -> str:
        report = self.report()
        return f"<BulkProgress {len(self._sent)} chunks sent: {report.summary()}>"

    # --- for the runners --------------------------------------------------------------------------------

    def _claim(self) -> None:
        with self._lock:
            if self._claimed:
                raise InvalidRequestError("a BulkProgress records one run: pass a new one to each run")
            self._claimed = True

    def _chunk_read(self, index: int, first: int, count: int, rows: RowRanges) -> None:
        with self._lock:
            self._read[index] = (first, count, rows)

    def _chunk_sent(self, index: int) -> None:
        with self._lock:
            self._sent.add(index)

    def _chunk_done(self, outcome: ChunkOutcome) -> None:
        with self._lock:
            self._outcomes[outcome.index] = outcome

    def _stop_early(self) -> None:
        self._stopped_early = True

    def _interrupt(self, reason: BaseException) -> list[ChunkOutcome]:
        """Mark the run interrupted: chunks sent without an answer become "unknown", chunks read but never
        sent "failed". Returns those new outcomes."""
        added: list[ChunkOutcome] = []
        with self._lock:
            self._interrupted = True
            for index, (first, count, rows) in sorted(self._read.items()):
                if index in self._outcomes:
                    continue
                sent = index in self._sent
                error = (
                    f"{type(reason).__name__}: interrupted after sending, before the answer was read"
                    if sent
                    else f"{type(reason).__name__}: interrupted before this chunk was sent"
                )
                status: ChunkStatus = "unknown" if sent else "failed"
                outcome = ChunkOutcome(index, first, first + count - 1, count, status, error=error, rows=rows)
                self._outcomes[index] = outcome
                added.append(outcome)
        return added
