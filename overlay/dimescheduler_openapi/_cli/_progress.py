"""Import progress on stderr: a rich progress bar (records/s, ETA) on a terminal, plain periodic lines
otherwise (logs, CI), or nothing. Advanced from the bulk runner's worker threads."""

from __future__ import annotations

import sys
import threading
import time
from typing import IO, Any, Protocol


class Progress(Protocol):
    def advance(self, succeeded: int = 0, failed: int = 0) -> None: ...

    def close(self) -> None: ...


class NoProgress:
    def advance(self, succeeded: int = 0, failed: int = 0) -> None:
        pass

    def close(self) -> None:
        pass


class PlainProgress:
    """`import: 5,000/20,000 records (25%), 0 failed, 2,400 records/s, ETA 6 s` every `interval` seconds."""

    def __init__(self, total: int | None, stream: IO[str], interval: float = 2.0) -> None:
        self._total = total
        self._stream = stream
        self._interval = interval
        self._lock = threading.Lock()
        self._started = time.monotonic()
        self._last = self._started
        self.succeeded = 0
        self.failed = 0

    def advance(self, succeeded: int = 0, failed: int = 0) -> None:
        with self._lock:
            self.succeeded += succeeded
            self.failed += failed
            now = time.monotonic()
            if now - self._last >= self._interval:
                self._last = now
                self._line(now)

    def close(self) -> None:
        with self._lock:
            self._line(time.monotonic())

    def _line(self, now: float) -> None:
        done = self.succeeded + self.failed
        elapsed = max(now - self._started, 1e-9)
        rate = done / elapsed
        text = f"import: {done:,}"
        if self._total:
            text += f"/{self._total:,} records ({100 * done // self._total}%)"
            if rate > 0 and done < self._total:
                text += f", ETA {(self._total - done) / rate:.0f} s"
        else:
            text += " records"
        text += f", {self.failed:,} failed, {rate:,.0f} records/s"
        self._stream.write(text + "\n")
        self._stream.flush()


class RichProgress:
    """A rich progress bar on stderr: bar, done/total, records/s, elapsed, ETA, failures so far."""

    def __init__(self, total: int | None, stream: IO[str]) -> None:
        from rich.console import Console
        from rich.progress import (
            BarColumn,
            MofNCompleteColumn,
            ProgressColumn,
            TextColumn,
            TimeElapsedColumn,
            TimeRemainingColumn,
        )
        from rich.progress import (
            Progress as RichBar,
        )
        from rich.text import Text

        class RateColumn(ProgressColumn):
            def render(self, task: Any) -> Text:
                speed = task.finished_speed or task.speed
                return Text(f"{speed or 0:,.0f} records/s")

        self._bar = RichBar(
            TextColumn("[bold]import"),
            BarColumn(),
            MofNCompleteColumn(),
            RateColumn(),
            TimeElapsedColumn(),
            TextColumn("ETA"),
            TimeRemainingColumn(),
            TextColumn("{task.fields[failed]} failed"),
            console=Console(file=stream),
            refresh_per_second=8,
        )
        self._task = self._bar.add_task("import", total=total, failed=0)
        self._failed = 0
        self._lock = threading.Lock()
        self._bar.start()

    def advance(self, succeeded: int = 0, failed: int = 0) -> None:
        with self._lock:
            self._failed += failed
            self._bar.update(self._task, advance=succeeded + failed, failed=self._failed)

    def close(self) -> None:
        self._bar.stop()


def make_progress(mode: str, total: int | None, stream: IO[str] | None = None) -> Progress:
    """mode: "auto" (bar on a terminal, lines otherwise), "bar", "plain" or "none"."""
    out = stream if stream is not None else sys.stderr
    if mode == "auto":
        isatty = getattr(out, "isatty", None)
        mode = "bar" if callable(isatty) and isatty() else "plain"
    if mode == "bar":
        return RichProgress(total, out)
    if mode == "plain":
        return PlainProgress(total, out)
    return NoProgress()
