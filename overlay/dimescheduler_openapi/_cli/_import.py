"""`import FILE --procedure job.append`: records from a file, sent through the bulk runner in chunks.

Columns are checked against the procedure before anything is sent (unknown -> did-you-mean, missing
required -> named, one given twice -> refused), and so is the file (see `_records`). Records are read
lazily and handed to `run_bulk_sync`, which holds at most `concurrency` chunks at a time, so memory stays
flat whatever the file's size. A record that cannot be written as its import parameters (a bad date, an
unknown enum value) fails alone and is not sent; a chunk the API rejects fails its records; a chunk that may
have been written without an answer saying so (cut off, timed out) is unknown.

Every row is named by its row in the original file (from 1; see `_records`). After the run (or an
interruption) one more pass over the file writes, in file order, the rows not written to `--failed FILE`
and the unknown ones to `--unknown FILE` (the input's format, `_row` and `_error` columns, both ignored on
reading, so a failed file can be fixed and re-run as is). A journal beside the failed file (`_journal`)
records each chunk as it is sent and answered, so `import --resume JOURNAL` sends exactly the rows not
known to be written after any interruption, kill -9 included.
"""

from __future__ import annotations

import bisect
import difflib
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any, TypeVar

import click
import httpx

from .._call import Call
from .._errors import DimeSchedulerError
from .._imports import (
    BulkImportError,
    BulkProgress,
    BulkReport,
    ChunkOutcome,
    ImportRequest,
    NumberedRequest,
    build_import,
    import_call,
    procedures,
    run_bulk_sync,
)
from .._imports._procedures import REST_ONLY_FIELDS
from .._imports._spec import ProcedureSpec
from ._dryrun import describe, dry_run_target, print_requests
from ._exit import IMPORT_FAILED, USAGE, one_line
from ._journal import Journal, JournalError, JournalState, input_identity, read_journal
from ._output import FORMATS, dumps, stdout_format
from ._progress import Progress, make_progress
from ._records import (
    ERROR_COLUMN,
    EXTRA_CELLS,
    OWN_COLUMNS,
    ROW_COLUMN,
    FailedWriter,
    InputError,
    RecordFile,
    detect_format,
)
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
    """Refuse unknown columns (with a did-you-mean), a column given twice (by the same name in any case, or
    by its JSON name and its parameter name) and missing required ones, before anything is sent."""
    columns = [c for c in columns if c not in OWN_COLUMNS]
    by_field: dict[str, str] = {}
    for column in columns:
        field = next(
            (
                f.json_name
                for f in spec.fields
                if column.lower() in (f.json_name.lower(), f.parameter.lower())
            ),
            column.lower(),
        )
        if field in by_field:
            raise click.UsageError(
                f"{spec.procedure}: column {column!r} is given twice (also as {by_field[field]!r}), so one"
                " value would be dropped; nothing was sent"
            )
        by_field[field] = column
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
    """The file's rows as numbered import requests. Rows an earlier run wrote (or may have written: unknown)
    are not sent again; rows that cannot be built are not sent and their row numbers are kept as ranges."""

    def __init__(
        self, source: RecordFile, spec: ProcedureSpec, progress: Progress, prior: JournalState | None
    ):
        self.source = source
        self.spec = spec
        self.progress = progress
        self.prior = prior
        self.invalid: list[tuple[int, int]] = []
        self.invalid_count = 0
        self.first_bad: str | None = None
        self.prior_written = 0
        self.prior_unknown = 0

    def __iter__(self) -> Iterator[NumberedRequest]:
        prior = self.prior
        for row, record in self.source.numbered():
            if prior is not None:
                if row in prior.succeeded:
                    self.prior_written += 1
                    continue
                if row in prior.unknown:
                    self.prior_unknown += 1
                    continue
            try:
                request = _build(self.spec, record)
            except DimeSchedulerError as exc:
                self.first_bad = self.first_bad or f"row {row}: {_text(exc)}"
                if self.invalid and self.invalid[-1][1] == row - 1:
                    self.invalid[-1] = (self.invalid[-1][0], row)
                else:
                    self.invalid.append((row, row))
                self.invalid_count += 1
                self.progress.advance(failed=1)
                continue
            yield NumberedRequest(row, request)


def _build(spec: ProcedureSpec, record: dict[str, Any]) -> ImportRequest:
    if EXTRA_CELLS in record:
        raise DimeSchedulerError("the row has more cells than the header has columns")
    return build_import(spec, record)


def _text(exc: BaseException) -> str:
    return " ".join(str(exc).split())


class _Outcomes:
    """Each row's outcome in this run, by bisection over chunk row ranges: (status, reason) or None."""

    def __init__(self, report: BulkReport, invalid: list[tuple[int, int]]) -> None:
        spans: list[tuple[int, int, str, str | None]] = [
            (first, last, chunk.status, chunk.error) for chunk in report.chunks for first, last in chunk.rows
        ]
        spans += [(first, last, "invalid", None) for first, last in invalid]
        spans.sort()
        self._firsts = [span[0] for span in spans]
        self._spans = spans

    def get(self, row: int) -> tuple[str, str | None] | None:
        at = bisect.bisect_right(self._firsts, row) - 1
        if at < 0 or row > self._spans[at][1]:
            return None
        return self._spans[at][2], self._spans[at][3]


def _write_outcomes(
    source: RecordFile,
    spec: ProcedureSpec,
    report: BulkReport,
    requests: _Requests,
    failed: FailedWriter | None,
    unknown: FailedWriter | None,
    not_sent: str,
) -> None:
    """One pass over the file, in its order: rows not written to `failed`, unknown rows to `unknown`."""
    prior = requests.prior
    if failed is None and unknown is None:
        return
    if not (report.failures or requests.invalid or not_sent or (prior is not None and prior.unknown)):
        return
    outcomes = _Outcomes(report, requests.invalid)
    for row, record in source.numbered():
        if prior is not None:
            if row in prior.succeeded:
                continue
            if row in prior.unknown:
                if unknown is not None:
                    unknown.write(row, record, _EARLIER_UNKNOWN)
                continue
        found = outcomes.get(row)
        if found is None:
            if failed is not None and not_sent:
                failed.write(row, record, f"row {row}: {not_sent}")
            continue
        status, error = found
        if status == "succeeded":
            continue
        if status == "unknown":
            if unknown is not None:
                unknown.write(row, record, f"row {row}: {error or 'no answer'}")
        elif failed is not None:
            if status == "invalid":
                try:
                    _build(spec, record)
                    error = "the row could not be built"
                except DimeSchedulerError as exc:
                    error = _text(exc)
            failed.write(row, record, f"row {row}: {error or 'the chunk failed'}")


_EARLIER_UNKNOWN = (
    "sent by an earlier run that ended before its answer was read: check whether it was written before"
    " sending it again"
)


def _refuse_outputs_naming_input(file: Path, outputs: dict[str, Path | None]) -> None:
    """Refuse, before anything is read, an output file that is the input or another output."""
    seen: dict[Path, str] = {file.resolve(): "the input file"}
    for option, path in outputs.items():
        if path is None:
            continue
        resolved = path.resolve()
        same = seen.get(resolved)
        if same is None and path.exists():
            same = next(
                (name for known, name in seen.items() if known.exists() and path.samefile(known)), None
            )
        if same is not None:
            raise click.UsageError(f"{option} {path} names {same}: nothing was read or sent")
        seen[resolved] = option


def run_import(
    session: Session,
    file: Path | None,
    procedure: str | None,
    *,
    file_format: str | None,
    delimiter: str,
    chunk_size: int,
    concurrency: int,
    failed_path: Path | None,
    unknown_path: Path | None = None,
    journal_path: Path | None = None,
    resume: Path | None = None,
    dry_run: bool,
    stop_on_error: bool,
    progress_mode: str,
    output: str | None,
) -> int:
    """Run the import command; returns the exit code (0, or 5 when any record was not written)."""
    prior: JournalState | None = None
    if resume is not None:
        prior = _read_resume(resume)
        header = prior.header
        file, procedure, file_format, delimiter = _resume_arguments(header, file, procedure, resume)
        failed_path = failed_path or _path(header.get("failed"))
        unknown_path = unknown_path or _path(header.get("unknown"))
        journal_path = resume
    if file is None or procedure is None:
        raise click.UsageError("give FILE and --procedure, or --resume JOURNAL")
    spec = find_procedure(procedure)
    if journal_path is None and not dry_run:
        anchor = failed_path or unknown_path
        journal_path = anchor.with_name(anchor.name + ".journal") if anchor is not None else None
    _refuse_outputs_naming_input(
        file,
        {
            "--failed": failed_path,
            "--unknown": unknown_path,
            "--journal": journal_path if resume is None else None,
        },
    )
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
    if prior is not None and input_identity(file) != {
        k: prior.header.get(k) for k in ("input", "size", "mtime_ns")
    }:
        raise click.UsageError(
            f"{file} changed since the journal {resume} was written (size or time differ): its row numbers"
            " may no longer name the same rows; nothing was sent"
        )
    journal = _open_journal(journal_path, prior, file, fmt, delimiter, spec, failed_path, unknown_path)
    progress = make_progress(progress_mode, total)
    requests = _Requests(source, spec, progress, prior)
    runner_progress = BulkProgress()
    started = time.monotonic()
    outputs = _Outputs(fmt, columns, delimiter, failed_path, unknown_path, journal)
    try:
        report = run_bulk_sync(
            _Counting(client, progress),
            requests,
            chunk_size=chunk_size,
            concurrency=concurrency,
            stop_on_error=stop_on_error,
            progress=runner_progress,
            on_send=journal.sent if journal is not None else None,
            on_chunk=(lambda chunk: journal.done(chunk.index, chunk.status)) if journal is not None else None,
        )
    except BulkImportError as exc:
        progress.close()
        outputs.finish(source, spec, exc.report, requests, "not sent: the import stopped on an error")
        _print_report(exc.report, requests, time.monotonic() - started, out, outputs)
        click.echo(one_line(exc), err=True)
        return USAGE
    except KeyboardInterrupt:
        progress.close()
        report = runner_progress.report()
        outputs.finish(source, spec, report, requests, "not sent: the import was interrupted")
        _print_report(report, requests, time.monotonic() - started, out, outputs)
        raise
    except BaseException:
        outputs.close()
        raise
    progress.close()
    not_sent = "not sent: --stop-on-error stopped the import after a failure" if report.stopped_early else ""
    outputs.finish(source, spec, report, requests, not_sent)
    _print_report(report, requests, time.monotonic() - started, out, outputs)
    written = not (
        report.failures or requests.invalid_count or report.stopped_early or requests.prior_unknown
    )
    if written:
        outputs.drop_journal()
    return 0 if written else IMPORT_FAILED


class _Outputs:
    """The failed and unknown files (written once the outcome of every row is known) and the journal."""

    def __init__(
        self,
        fmt: Any,
        columns: list[str],
        delimiter: str,
        failed_path: Path | None,
        unknown_path: Path | None,
        journal: Journal | None,
    ) -> None:
        self.fmt, self.columns, self.delimiter = fmt, columns, delimiter
        self.failed_path, self.unknown_path, self.journal = failed_path, unknown_path, journal
        self.failed_count = self.unknown_count = 0
        # An earlier run's files would outlive a crash of this one and be taken for its outcome (re-sending
        # its rows could write them twice): until this run has written them, there are none.
        for path in (failed_path, unknown_path):
            if path is not None:
                path.unlink(missing_ok=True)

    def finish(
        self, source: RecordFile, spec: ProcedureSpec, report: BulkReport, requests: _Requests, not_sent: str
    ) -> None:
        failed = self._writer(self.failed_path)
        unknown = self._writer(self.unknown_path)
        try:
            _write_outcomes(source, spec, report, requests, failed, unknown, not_sent)
        finally:
            for writer in (failed, unknown):
                if writer is not None:
                    writer.close()
            self.close()
        self.failed_count = failed.count if failed is not None else 0
        self.unknown_count = unknown.count if unknown is not None else 0

    def _writer(self, path: Path | None) -> FailedWriter | None:
        return FailedWriter(path, self.fmt, self.columns, delimiter=self.delimiter) if path else None

    def close(self) -> None:
        if self.journal is not None:
            self.journal.close()

    def drop_journal(self) -> None:
        """Everything was written: nothing to resume, so the journal goes."""
        if self.journal is not None:
            self.journal.path.unlink(missing_ok=True)
            self.journal = None


def _read_resume(path: Path) -> JournalState:
    try:
        return read_journal(path)
    except JournalError as exc:
        raise click.UsageError(str(exc)) from None


def _resume_arguments(
    header: dict[str, Any], file: Path | None, procedure: str | None, resume: Path
) -> tuple[Path, str, str | None, str]:
    journal_file = Path(str(header.get("input")))
    if file is not None and file.resolve() != journal_file:
        raise click.UsageError(f"the journal {resume} is for {journal_file}, not {file}")
    journal_procedure = str(header.get("procedure"))
    if procedure is not None and find_procedure(procedure).procedure != journal_procedure:
        raise click.UsageError(f"the journal {resume} is for {journal_procedure}, not {procedure}")
    if not journal_file.is_file():
        raise click.UsageError(f"the journal's input {journal_file} is not there")
    return journal_file, journal_procedure, header.get("format"), str(header.get("delimiter", ","))


def _path(value: Any) -> Path | None:
    return Path(value) if isinstance(value, str) and value else None


def _open_journal(
    path: Path | None,
    prior: JournalState | None,
    file: Path,
    fmt: str,
    delimiter: str,
    spec: ProcedureSpec,
    failed: Path | None,
    unknown: Path | None,
) -> Journal | None:
    if path is None:
        return None
    try:
        if prior is not None:
            return Journal.append(path, prior)
        header = {
            **input_identity(file),
            "format": fmt,
            "delimiter": delimiter,
            "procedure": spec.procedure,
            "failed": str(failed.resolve()) if failed else None,
            "unknown": str(unknown.resolve()) if unknown else None,
        }
        return Journal.create(path, header)
    except JournalError as exc:
        raise click.UsageError(str(exc)) from None
    except OSError as exc:
        raise click.UsageError(f"cannot write the journal {path}: {exc}") from None


def _dry_run(session: Session, source: RecordFile, spec: ProcedureSpec, chunk_size: int, out: str) -> int:
    target = dry_run_target(session.environment, session.username)  # nothing is sent: no credentials needed
    bad: list[str] = []
    records = 0

    def calls() -> Iterator[Call[Any]]:
        nonlocal records
        chunk: list[ImportRequest] = []
        for row, record in source.numbered():
            try:
                chunk.append(_build(spec, record))
                records += 1
            except DimeSchedulerError as exc:
                bad.append(f"row {row}: {_text(exc)}")
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
    report: BulkReport, requests: _Requests, seconds: float, out: str, outputs: _Outputs
) -> None:
    invalid = requests.invalid_count
    records = report.records + invalid
    failed_records = report.failed_records + invalid
    unknown_records = report.unknown_records + requests.prior_unknown
    data = {
        "procedure": requests.spec.procedure,
        "records": records,
        "succeeded": report.succeeded_records,
        "failed": failed_records,
        "unknown": unknown_records,
        "not_sent_invalid": invalid,
        "already_written": requests.prior_written,
        "chunks": len(report.chunks),
        "failed_chunks": [_chunk_data(c) for c in report.failures],
        "stopped_early": report.stopped_early,
        "interrupted": report.interrupted,
        "seconds": round(seconds, 3),
        "failed_file": str(outputs.failed_path) if outputs.failed_path is not None else None,
        "unknown_file": str(outputs.unknown_path) if outputs.unknown_path is not None else None,
        "journal": str(outputs.journal.path) if outputs.journal is not None else None,
    }
    if out in ("json", "ndjson"):
        click.echo(dumps(data, indent=2 if out == "json" else None))
    elif out == "csv":
        click.echo("records,succeeded,failed,unknown,chunks,seconds")
        click.echo(
            f"{records},{report.succeeded_records},{failed_records},{unknown_records},{len(report.chunks)},"
            f"{seconds:.3f}"
        )
    else:
        rate = records / seconds if seconds > 0 else 0.0
        line = (
            f"{requests.spec.procedure}: {records:,} records, {report.succeeded_records:,} succeeded,"
            f" {failed_records:,} failed"
        )
        if unknown_records:
            line += f", {unknown_records:,} unknown"
        click.echo(f"{line} ({len(report.chunks)} chunks, {seconds:.1f} s, {rate:,.0f} records/s)")
        if requests.prior_written:
            click.echo(
                f"  {requests.prior_written:,} rows already written by an earlier run (journal): not sent"
            )
        for chunk in report.failures[:20]:
            click.echo(f"  chunk {chunk.index} (rows {_rows_text(chunk)}) {chunk.status}: {chunk.error}")
        if requests.first_bad:
            click.echo(f"  {invalid} record(s) not sent, first: {requests.first_bad}")
        if report.stopped_early:
            click.echo("  stopped after the first failure (--stop-on-error)")
    _print_files(failed_records, unknown_records, report, outputs)


def _print_files(failed_records: int, unknown_records: int, report: BulkReport, outputs: _Outputs) -> None:
    not_written = failed_records or report.interrupted or report.stopped_early
    if not_written and outputs.failed_path is not None:
        click.echo(
            f"rows not written: {outputs.failed_count:,} in {outputs.failed_path}"
            f" (original row in {ROW_COLUMN!r}, reason in {ERROR_COLUMN!r}; fix and re-run it)",
            err=True,
        )
    elif not_written:
        click.echo("give --failed FILE to keep the rows not written for a re-run", err=True)
    if unknown_records:
        where = f"in {outputs.unknown_path}" if outputs.unknown_path is not None else "(give --unknown FILE)"
        click.echo(
            f"{unknown_records:,} unknown rows {where}: they were sent but no usable answer says whether"
            " they were written; check them in Dime.Scheduler before re-sending (re-sending may write them"
            " twice)",
            err=True,
        )
    if outputs.journal is not None and (not_written or unknown_records):
        click.echo(
            f"journal: {outputs.journal.path} (after an interruption: import --resume {outputs.journal.path})",
            err=True,
        )


def _chunk_data(chunk: ChunkOutcome) -> dict[str, Any]:
    return {
        "index": chunk.index,
        "status": chunk.status,
        "first_row": chunk.first_row,
        "last_row": chunk.last_row,
        "rows": [list(r) for r in chunk.rows],
        "error": chunk.error,
    }


def _rows_text(chunk: ChunkOutcome) -> str:
    text = ", ".join(f"{a}-{b}" if a != b else str(a) for a, b in chunk.rows[:5])
    return text + (", ..." if len(chunk.rows) > 5 else "")


def _normal(name: str) -> str:
    return name.replace("_", "").replace("-", "").lower()


def _snake(name: str) -> str:
    return "".join(f"_{c.lower()}" if c.isupper() and i else c.lower() for i, c in enumerate(name))


__all__ = ["FORMATS", "check_columns", "find_procedure", "run_import"]
