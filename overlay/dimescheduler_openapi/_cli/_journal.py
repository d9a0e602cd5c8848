"""The import journal: an append-only NDJSON file, written as chunks are sent and answered, from which
`import --resume JOURNAL` knows after any interruption (Ctrl-C, a crash, kill -9) which rows were written.

    {"journal": "dimescheduler-import", "version": 1, "input": "/abs/jobs.csv", "size": ..., ...}
    {"sent": "1.0", "rows": [[1, 500]]}           before chunk 0 of run 1 is sent (flushed and fsynced)
    {"done": "1.0", "status": "succeeded"}         after its answer (flushed)

A row is written when a `done` line says its chunk succeeded; it is unknown when its chunk was `sent` with
no `done` line, or with `"status": "unknown"`; every other row (failed, never sent) is to be sent again.
The `sent` line reaches the disk before the request leaves, so no crash can send a row the journal does
not know about: losing a `done` line can only make rows unknown, never send them twice. A last line cut
off by a crash is ignored (its request was not sent yet).
"""

from __future__ import annotations

import bisect
import json
import os
import threading
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Any

from .._imports import RowRanges

MAGIC = "dimescheduler-import"
VERSION = 1


class JournalError(ValueError):
    """The journal cannot be read, or does not fit the input (one line)."""


class RowSet:
    """Row numbers as sorted, merged inclusive ranges: membership by bisection."""

    def __init__(self, ranges: Iterable[tuple[int, int]] = ()) -> None:
        merged: list[tuple[int, int]] = []
        for first, last in sorted(ranges):
            if merged and first <= merged[-1][1] + 1:
                merged[-1] = (merged[-1][0], max(merged[-1][1], last))
            else:
                merged.append((first, last))
        self._firsts = [first for first, _ in merged]
        self._lasts = [last for _, last in merged]

    def __contains__(self, row: int) -> bool:
        at = bisect.bisect_right(self._firsts, row) - 1
        return at >= 0 and row <= self._lasts[at]

    def __len__(self) -> int:
        return sum(last - first + 1 for first, last in zip(self._firsts, self._lasts, strict=True))

    def __bool__(self) -> bool:
        return bool(self._firsts)


@dataclass
class JournalState:
    """What a journal says: its header, the runs it holds, the rows written and the rows unknown."""

    header: dict[str, Any]
    runs: int = 0
    succeeded: RowSet = field(default_factory=RowSet)
    unknown: RowSet = field(default_factory=RowSet)


def input_identity(path: Path) -> dict[str, Any]:
    """What ties a journal to its input: the absolute path, size and modification time."""
    stat = path.stat()
    return {"input": str(path.resolve()), "size": stat.st_size, "mtime_ns": stat.st_mtime_ns}


def read_journal(path: Path) -> JournalState:
    """Read a journal; JournalError when it is not one or a line other than the last is broken."""
    try:
        lines = path.read_text(encoding="utf-8").split("\n")
    except (OSError, UnicodeDecodeError) as exc:
        raise JournalError(f"cannot read the journal {path}: {exc}") from None
    entries: list[dict[str, Any]] = []
    last = len(lines) - 1
    while last >= 0 and not lines[last].strip():
        last -= 1
    for number, line in enumerate(lines[: last + 1], start=1):
        if not line.strip():
            continue
        try:
            entry = json.loads(line)
        except ValueError:
            if number == last + 1:
                break  # cut off by a crash while being written: its request was not sent
            raise JournalError(f"{path}: line {number} is not a journal entry") from None
        if not isinstance(entry, dict):
            raise JournalError(f"{path}: line {number} is not a journal entry")
        entries.append(entry)
    if not entries or entries[0].get("journal") != MAGIC:
        raise JournalError(f"{path} is not an import journal (written by `import --failed/--journal`)")
    header = entries[0]
    if header.get("version") != VERSION:
        raise JournalError(f"{path}: journal version {header.get('version')!r}; this version reads {VERSION}")
    sent: dict[str, list[tuple[int, int]]] = {}
    done: dict[str, str] = {}
    runs = 0
    for entry in entries[1:]:
        if "run" in entry and isinstance(entry["run"], int):
            runs = max(runs, entry["run"])
        elif "sent" in entry:
            sent[str(entry["sent"])] = [(int(a), int(b)) for a, b in entry.get("rows", [])]
        elif "done" in entry:
            done[str(entry["done"])] = str(entry.get("status"))
    succeeded: list[tuple[int, int]] = []
    unknown: list[tuple[int, int]] = []
    for chunk, rows in sent.items():
        status = done.get(chunk)
        if status == "succeeded":
            succeeded.extend(rows)
        elif status is None or status == "unknown":
            unknown.extend(rows)
    written = RowSet(succeeded)
    return JournalState(header, runs, written, RowSet(r for r in unknown if r[0] not in written))


class Journal:
    """An open journal, appended to from the bulk runner's threads."""

    def __init__(self, path: Path, stream: IO[str], run: int) -> None:
        self.path = path
        self.run = run
        self._stream = stream
        self._lock = threading.Lock()

    @classmethod
    def create(cls, path: Path, header: dict[str, Any]) -> Journal:
        """A new journal; refuses one that exists (it may hold an interrupted run: resume or delete it)."""
        try:
            stream = path.open("x", encoding="utf-8")
        except FileExistsError:
            raise JournalError(
                f"the journal {path} exists (an earlier import that did not finish?): resume it with"
                f" `import --resume {path}`, or delete it"
            ) from None
        journal = cls(path, stream, 1)
        journal._write({"journal": MAGIC, "version": VERSION, **header}, sync=True)
        journal._write({"run": 1}, sync=True)
        return journal

    @classmethod
    def append(cls, path: Path, state: JournalState) -> Journal:
        """Continue a journal for one more run (`--resume`)."""
        journal = cls(path, path.open("a", encoding="utf-8"), state.runs + 1)
        journal._write({"run": journal.run}, sync=True)
        return journal

    def sent(self, index: int, rows: RowRanges) -> None:
        """Before chunk `index` is sent: on the disk before the request leaves."""
        self._write({"sent": f"{self.run}.{index}", "rows": [list(r) for r in rows]}, sync=True)

    def done(self, index: int, status: str) -> None:
        self._write({"done": f"{self.run}.{index}", "status": status}, sync=False)

    def close(self) -> None:
        with self._lock:
            self._stream.close()

    def _write(self, entry: dict[str, Any], *, sync: bool) -> None:
        line = json.dumps(entry, separators=(",", ":")) + "\n"
        with self._lock:
            self._stream.write(line)
            self._stream.flush()
            descriptor = self._stream.fileno()
        if sync:  # outside the lock: threads sending other chunks need not queue behind this disk write
            os.fsync(descriptor)
