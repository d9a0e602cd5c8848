"""`import FILE --procedure job.append`: records from a file, sent through the bulk runner in chunks.

Columns are checked against the procedure before anything is sent (unknown -> did-you-mean, missing
required -> named). Records are read lazily and handed to `run_bulk_sync`, which holds at most
`concurrency` chunks at a time, so memory stays flat whatever the file's size. A record that cannot be
written as its import parameters (a bad date, an unknown enum value) fails alone and is not sent; a chunk
the API rejects fails its records. Failed records are written to `--failed FILE` in the input's format with
the reason under `_error`; that column is ignored on reading, so the file can be fixed and re-run as is.
"""

from __future__ import annotations

import difflib
import sys
import time
from array import array
from collections.abc import Iterator
from pathlib import Path
from typing import Any, TypeVar

import click
import httpx

from .._call import Call
from .._errors import DimeSchedulerError
from .._imports import (
    BulkImportError,
    BulkReport,
    ImportRequest,
    build_import,
    import_call,
    procedures,
    run_bulk_sync,
)
from .._imports._procedures import REST_ONLY_FIELDS
from .._imports._spec import ProcedureSpec
from ._dryrun import describe, dry_run_target, print_requests
from ._exit import IMPORT_FAILED, USAGE, one_line
from ._output import FORMATS, dumps, stdout_format
from ._progress import Progress, make_progress
from ._records import ERROR_COLUMN, EXTRA_CELLS, FailedWriter, InputError, RecordFile, detect_format
from ._session import Session

T = TypeVar("T")


def find_procedure(name: str) -> ProcedureSpec:
    """`job.append`, `task_filter_value.clear` or a procedure name (`mboc_upsertJob`, any case)."""
    specs = procedures.specs
    for spec in specs:
        if spec.procedure.lower() == name.lower():
            return spec
    entity, _, transaction = name.partition(".")
    choices = sorted({f"{_snake(s.entity)}.{s.transaction}" for s in specs if s.primary})
    if transaction:
        for spec in specs:
            if spec.primary and _normal(spec.entity) == _normal(entity) and spec.transaction == transaction:
                return spec
    close = difflib.get_close_matches(name, choices + [s.procedure for s in specs], n=1, cutoff=0.5)
    hint = f" (did you mean {close[0]!r}?)" if close else ""
    raise click.BadParameter(
        f"unknown procedure {name!r}{hint}; `procedures` lists them all", param_hint="--procedure"
    )


def check_columns(spec: ProcedureSpec, columns: list[str]) -> None:
    """Refuse unknown columns (with a did-you-mean) and missing required ones, before anything is sent."""
    own = {key.lower() for f in spec.fields for key in (f.json_name, f.parameter)}
    siblings = {
        key.lower()
        for other in procedures.specs
        if other.entity == spec.entity
        for f in other.fields
        for key in (f.json_name, f.parameter)
    }
    siblings |= {name.lower() for name in REST_ONLY_FIELDS.get(spec.entity, ())}
    candidates = [f.json_name for f in spec.fields] + [f.parameter for f in spec.fields]
    problems = []
    for column in columns:
        if column.lower() not in own | siblings:
            close = difflib.get_close_matches(column, candidates, n=1, cutoff=0.6)
            problems.append(f"{column!r}" + (f" (did you mean {close[0]!r}?)" if close else ""))
    if problems:
        raise click.UsageError(
            f"{spec.procedure}: unknown column{'s' if len(problems) > 1 else ''} {', '.join(problems)};"
            f" nothing was sent. Columns are JSON names or parameter names: "
            + ", ".join(f.json_name for f in spec.fields)
        )
    given = {c.lower() for c in columns}
    missing = [
        f"{f.json_name!r} ({f.parameter})"
        for f in spec.fields
        if f.required and f.json_name.lower() not in given and f.parameter.lower() not in given
    ]
    if missing:
        raise click.UsageError(
            f"{spec.procedure}: missing required column {', '.join(missing)}; nothing was sent"
        )


class _Counting:
    """The client's `execute` for the bulk runner, advancing the progress by each chunk's records."""

    def __init__(self, client: Any, progress: Progress) -> None:
        self._client = client
        self._progress = progress

    def execute(self, call: Call[T], *, timeout: float | httpx.Timeout | None = None) -> T:
        size = len(call.json) if isinstance(call.json, list) else 1
        try:
            result: T = (
                self._client.execute(call) if timeout is None else self._client.execute(call, timeout=timeout)
            )
        except BaseException:
            self._progress.advance(failed=size)
            raise
        self._progress.advance(succeeded=size)
        return result


class _Requests:
    """The file's rows as import requests; rows that cannot be built are written to the failed file and
    remembered by their position, so the runner's record numbers can be mapped back to rows."""

    def __init__(
        self, source: RecordFile, spec: ProcedureSpec, failed: FailedWriter | None, progress: Progress
    ):
        self.source = source
        self.spec = spec
        self.failed = failed
        self.progress = progress
        self.skipped = array("q")
        self.first_bad: str | None = None

    def __iter__(self) -> Iterator[ImportRequest]:
        for index, row in enumerate(self.source.rows()):
            try:
                if EXTRA_CELLS in row:
                    raise DimeSchedulerError("the row has more cells than the header has columns")
                yield build_import(self.spec, row)
            except DimeSchedulerError as exc:
                reason = f"record {index + 1}: {' '.join(str(exc).split())}"
                self.first_bad = self.first_bad or reason
                self.skipped.append(index)
                if self.failed is not None:
                    self.failed.write(row, reason)
                self.progress.advance(failed=1)

    def write_failed_chunks(self, report: BulkReport) -> None:
        """Second pass over the file: rows of chunks that failed, each with its chunk's reason."""
        if self.failed is None or not report.failures:
            return
        failures = iter(report.failures)
        current = next(failures, None)
        skipped = iter(self.skipped)
        next_skipped = next(skipped, -1)
        sent = 0  # the runner's number of the next row that was sent
        for index, row in enumerate(self.source.rows()):
            if current is None:
                break
            if index == next_skipped:
                next_skipped = next(skipped, -1)
                continue
            while current is not None and sent > current.last_record:
                current = next(failures, None)
            if current is not None and current.first_record <= sent:
                self.failed.write(row, current.error or "the chunk failed")
            sent += 1


def run_import(
    session: Session,
    file: Path,
    procedure: str,
    *,
    file_format: str | None,
    delimiter: str,
    chunk_size: int,
    concurrency: int,
    failed_path: Path | None,
    dry_run: bool,
    stop_on_error: bool,
    progress_mode: str,
    output: str | None,
) -> int:
    """Run the import command; returns the exit code (0, or 5 when any record failed)."""
    spec = find_procedure(procedure)
    try:
        fmt = detect_format(file, file_format)
        source = RecordFile(file, fmt, delimiter=delimiter)
        columns, total = source.scan()
    except (InputError, OSError, ValueError) as exc:
        raise click.UsageError(f"cannot read {file}: {exc}") from None
    check_columns(spec, columns)
    out = stdout_format(output or session.output)
    if dry_run:
        return _dry_run(session, source, spec, chunk_size, out)
    client = session.client()
    failed = FailedWriter(failed_path, fmt, columns, delimiter=delimiter) if failed_path else None
    progress = make_progress(progress_mode, total)
    requests = _Requests(source, spec, failed, progress)
    started = time.monotonic()
    try:
        try:
            report = run_bulk_sync(
                _Counting(client, progress),
                requests,
                chunk_size=chunk_size,
                concurrency=concurrency,
                stop_on_error=stop_on_error,
            )
        except BulkImportError as exc:
            progress.close()
            _print_report(exc.report, requests, time.monotonic() - started, out, failed)
            click.echo(one_line(exc), err=True)
            return USAGE
        progress.close()
        requests.write_failed_chunks(report)
    finally:
        if failed is not None:
            failed.close()
    _print_report(report, requests, time.monotonic() - started, out, failed)
    return IMPORT_FAILED if report.failed_records or requests.skipped or report.stopped_early else 0


def _dry_run(session: Session, source: RecordFile, spec: ProcedureSpec, chunk_size: int, out: str) -> int:
    target = dry_run_target(session.environment, session.username)  # nothing is sent: no credentials needed
    bad: list[str] = []
    records = 0

    def calls() -> Iterator[Call[Any]]:
        nonlocal records
        chunk: list[ImportRequest] = []
        for index, row in enumerate(source.rows()):
            try:
                if EXTRA_CELLS in row:
                    raise DimeSchedulerError("the row has more cells than the header has columns")
                chunk.append(build_import(spec, row))
                records += 1
            except DimeSchedulerError as exc:
                bad.append(f"record {index + 1}: {' '.join(str(exc).split())}")
            if len(chunk) == chunk_size:
                yield import_call(chunk)
                chunk = []
        if chunk:
            yield import_call(chunk)

    count = print_requests(describe(calls(), *target), out, sys.stdout)
    click.echo(
        f"dry run: {records} records in {count} request{'s' if count != 1 else ''}, nothing sent;"
        f" {len(bad)} record{'s' if len(bad) != 1 else ''} cannot be built",
        err=True,
    )
    for line in bad[:20]:
        click.echo(f"  {line}", err=True)
    return IMPORT_FAILED if bad else 0


def _print_report(
    report: BulkReport, requests: _Requests, seconds: float, out: str, failed: FailedWriter | None
) -> None:
    skipped = len(requests.skipped)
    records = report.records + skipped
    failed_records = report.failed_records + skipped
    data = {
        "procedure": requests.spec.procedure,
        "records": records,
        "succeeded": report.succeeded_records,
        "failed": failed_records,
        "not_sent_invalid": skipped,
        "chunks": len(report.chunks),
        "failed_chunks": [
            {"index": c.index, "first_record": c.first_record, "last_record": c.last_record, "error": c.error}
            for c in report.failures
        ],
        "stopped_early": report.stopped_early,
        "seconds": round(seconds, 3),
        "failed_file": str(failed.path) if failed is not None else None,
    }
    if out in ("json", "ndjson"):
        click.echo(dumps(data, indent=2 if out == "json" else None))
    elif out == "csv":
        click.echo("records,succeeded,failed,chunks,seconds")
        click.echo(
            f"{records},{report.succeeded_records},{failed_records},{len(report.chunks)},{seconds:.3f}"
        )
    else:
        rate = records / seconds if seconds > 0 else 0.0
        click.echo(
            f"{requests.spec.procedure}: {records:,} records, {report.succeeded_records:,} succeeded,"
            f" {failed_records:,} failed ({len(report.chunks)} chunks, {seconds:.1f} s, {rate:,.0f} records/s)"
        )
        for chunk in report.failures[:20]:
            click.echo(
                f"  chunk {chunk.index} (records {chunk.first_record}-{chunk.last_record}): {chunk.error}"
            )
        if requests.first_bad:
            click.echo(f"  {skipped} record(s) not sent, first: {requests.first_bad}")
        if report.stopped_early:
            click.echo("  stopped after the first failure (--stop-on-error)")
    if failed_records and failed is not None:
        click.echo(f"failed records written to {failed.path} (reason in {ERROR_COLUMN!r})", err=True)
    elif failed_records:
        click.echo("give --failed FILE to keep the failed records for a re-run", err=True)


def _normal(name: str) -> str:
    return name.replace("_", "").replace("-", "").lower()


def _snake(name: str) -> str:
    return "".join(f"_{c.lower()}" if c.isupper() and i else c.lower() for i, c in enumerate(name))


__all__ = ["FORMATS", "check_columns", "find_procedure", "run_import"]
