"""Reading import records from CSV, JSON (an array), NDJSON and .xlsx files one at a time, and writing the
records that failed back in the same format, with their row under `_row` and the reason under `_error`.

Nothing here holds a whole file: rows are read lazily (a JSON array is decoded item by item from a
buffered stream), and `numbered()` may be called again for a second pass over the same file.

Row numbers: row N is the file's Nth record, from 1 (a CSV/xlsx header is not a record; blank rows count),
unless the record carries a `_row` (a failed-records file does): then that is its row, so a re-run of a
failed-records file keeps naming the rows of the original file.

`scan()` checks, before anything is sent, what would otherwise drop or merge rows silently: a CSV quote
left open (named by its line), a CSV field over the csv module's limit, a header naming a column twice, an
.xlsx whose parts would expand past `XLSX_MAX_PART_BYTES` or hold one text over `XLSX_MAX_TEXT_BYTES`.
An .xlsx is read whatever its (often stale) `<dimension>` says.
"""

from __future__ import annotations

import csv
import importlib
import json
import os
import zipfile
from collections.abc import Iterator
from pathlib import Path
from typing import IO, Any, Literal

FileFormat = Literal["csv", "json", "ndjson", "xlsx"]
ERROR_COLUMN = "_error"
"""The reason column of a failed-records file; ignored when reading, so that file can be re-run as is."""
ROW_COLUMN = "_row"
"""The original row of each record in a failed-records file; read back as the record's row number."""
OWN_COLUMNS = (ROW_COLUMN, ERROR_COLUMN)

EXTRA_CELLS = "\x00extra cells"
"""Key under which a CSV row with more cells than the header has columns keeps the extra cells."""

XLSX_MAX_PART_BYTES = 1 << 30
"""The most one part of an .xlsx (a sheet, the shared strings) may expand to: 1 GiB."""
XLSX_MAX_SHARED_STRINGS_BYTES = 256 << 20
"""The shared strings are held in memory whole: at most 256 MiB of XML."""
XLSX_MAX_TEXT_BYTES = 1 << 20
"""The longest text run in an .xlsx part: 1 MiB, far above Excel's own 32,767 characters per cell."""

_BY_SUFFIX: dict[str, FileFormat] = {
    ".csv": "csv",
    ".json": "json",
    ".ndjson": "ndjson",
    ".jsonl": "ndjson",
    ".xlsx": "xlsx",
}
_BLOCK = 1 << 16


class InputError(ValueError):
    """The file cannot be read as the format it claims (one line, with the position)."""


def detect_format(path: Path, given: str | None) -> FileFormat:
    """The format from `--format`, else from the file suffix (.csv, .json, .ndjson/.jsonl, .xlsx)."""
    if given:
        return _BY_SUFFIX["." + given.lower().removeprefix(".")]
    found = _BY_SUFFIX.get(path.suffix.lower())
    if found is None:
        raise InputError(
            f"{path.name}: cannot tell the format from the suffix; use --format csv|json|ndjson|xlsx"
        )
    return found


class RecordFile:
    """One input file: its columns, its record count, and its rows (dicts, `_row`/`_error` dropped)."""

    def __init__(self, path: Path, fmt: FileFormat, *, delimiter: str = ",") -> None:
        self.path = path
        self.format = fmt
        self.delimiter = delimiter

    def scan(self) -> tuple[list[str], int]:
        """(column names in first-seen order, number of records): one streaming pass, checking the syntax.

        A header (CSV, xlsx) naming a column twice keeps both names, so the caller can refuse it."""
        if self.format == "csv":
            return self._scan_csv()
        if self.format == "xlsx":
            check_xlsx(self.path)
            header: list[str] = []
            count = 0
            for index, row in enumerate(self._xlsx_rows()):
                if index == 0:
                    header = [str(c) for c in row if c is not None]
                elif any(c is not None for c in row):
                    count += 1
            return [h for h in header if h not in OWN_COLUMNS], count
        seen: dict[str, None] = {}
        count = 0
        for record in self._json_records():
            seen.update(dict.fromkeys(k for k in record if k not in OWN_COLUMNS))
            count += 1
        return list(seen), count

    def _scan_csv(self) -> tuple[list[str], int]:
        with self._open_text() as stream:
            reader = csv.reader(stream, delimiter=self.delimiter)
            header: list[str] | None = None
            count = 0
            start = 1
            spanned = False
            try:
                header = next(reader, None)
                for row in reader:
                    # An open quote on the last line takes in its own line end (or the end of the file).
                    spanned = reader.line_num > start + 1 or any("\n" in c or "\r" in c for c in row[-1:])
                    start = reader.line_num
                    if any(cell != "" for cell in row):
                        count += 1
            except csv.Error as exc:
                raise InputError(f"{self.path.name}: line {reader.line_num}: {_csv_problem(exc)}") from None
        if spanned or not self._ends_with_line_end():  # is the last record's quote closed at all?
            self._check_last_record(start)
        return ([] if header is None else [h for h in header if h not in OWN_COLUMNS]), count

    def _ends_with_line_end(self) -> bool:
        with self.path.open("rb") as stream:
            if stream.seek(0, os.SEEK_END) == 0:
                return True
            stream.seek(-1, os.SEEK_END)
            return stream.read(1) in (b"\n", b"\r")

    def _check_last_record(self, end_line: int) -> None:
        """Re-read the file strictly: an open quote at the end of the file is reported by its first line
        (the csv module otherwise takes the rest of the file as one field)."""
        with self._open_text() as stream:
            reader = csv.reader(stream, delimiter=self.delimiter, strict=True)
            last_start = 1
            try:
                for _ in reader:
                    last_start = reader.line_num + 1
            except csv.Error as exc:
                if "unexpected end of data" in str(exc):
                    raise InputError(
                        f"{self.path.name}: line {last_start}: a quoted field is never closed (its quote"
                        f" takes in the rest of the file, up to line {end_line}); nothing was sent"
                    ) from None
                # other strictness (a character after a closing quote) is read leniently, as before

    def numbered(self) -> Iterator[tuple[int, dict[str, Any]]]:
        """(row, record) for each record; empty CSV/xlsx cells become None (the field is left out)."""
        if self.format == "csv":
            records: Iterator[tuple[int, dict[str, Any]]] = self._csv_rows()
        elif self.format == "xlsx":
            records = self._xlsx_records()
        else:
            records = enumerate(self._json_records(), start=1)
        for position, record in records:
            given = record.pop(ROW_COLUMN, None)
            record.pop(ERROR_COLUMN, None)
            yield (position if given is None else _row_number(given, position)), record

    def rows(self) -> Iterator[dict[str, Any]]:
        """Each record as a dict (see `numbered`)."""
        for _, record in self.numbered():
            yield record

    def _csv_rows(self) -> Iterator[tuple[int, dict[str, Any]]]:
        with self._open_text() as stream:
            reader = csv.DictReader(stream, delimiter=self.delimiter)
            position = 0
            try:
                for row in reader:
                    position += 1
                    if all(v in ("", None) for k, v in row.items() if k is not None) and None not in row:
                        continue
                    record: dict[str, Any] = {
                        k: (None if v == "" else v) for k, v in row.items() if k is not None
                    }
                    if None in row:
                        record[EXTRA_CELLS] = row[None]
                    yield position, record
            except csv.Error as exc:
                raise InputError(f"{self.path.name}: line {reader.line_num}: {_csv_problem(exc)}") from None

    def _xlsx_records(self) -> Iterator[tuple[int, dict[str, Any]]]:
        rows = self._xlsx_rows()
        header = [None if c is None else str(c) for c in next(rows, ())]
        for position, row in enumerate(rows, start=1):
            if all(c is None for c in row):
                continue
            record = {h: v for h, v in zip(header, row, strict=False) if h is not None}
            yield position, {k: (None if v == "" else v) for k, v in record.items()}

    def _open_text(self) -> IO[str]:
        # utf-8-sig: spreadsheets often save CSV with a byte-order mark
        return self.path.open(newline="", encoding="utf-8-sig")

    def _xlsx_rows(self) -> Iterator[tuple[Any, ...]]:
        try:
            openpyxl = _openpyxl()
        except ImportError:
            raise InputError("reading .xlsx needs openpyxl: pip install openpyxl") from None
        workbook = openpyxl.load_workbook(self.path, read_only=True, data_only=True)
        try:
            sheet = workbook.worksheets[0]
            # the <dimension> a writer left may be stale (A1:D2 over 1,000 rows): read the rows that are there
            sheet.reset_dimensions()
            yield from sheet.iter_rows(values_only=True)
        finally:
            workbook.close()

    def _json_records(self) -> Iterator[dict[str, Any]]:
        with self.path.open(encoding="utf-8-sig") as stream:
            items = iter_ndjson(stream) if self.format == "ndjson" else iter_json_array(stream)
            for index, item in enumerate(items):
                if not isinstance(item, dict):
                    raise InputError(
                        f"{self.path.name}: record {index + 1} is a {type(item).__name__}, not an object"
                    )
                yield item


def _row_number(given: Any, position: int) -> int:
    """The `_row` a record carries when it is a positive whole number (text or number), else its position."""
    if isinstance(given, bool) or given is None:
        return position
    if isinstance(given, float) and given.is_integer():
        given = int(given)
    if isinstance(given, str) and given.strip().isdigit():
        given = int(given.strip())
    return given if isinstance(given, int) and given > 0 else position


def _csv_problem(exc: csv.Error) -> str:
    text = str(exc)
    if "field larger than field limit" in text:
        return f"a field is longer than {csv.field_size_limit():,} characters (a quote left open?); nothing was sent"
    return f"not CSV ({text}); nothing was sent"


def check_xlsx(path: Path) -> None:
    """Refuse, before openpyxl expands anything, an .xlsx whose parts would expand past the bounds above
    (a 1 MB file can hold gigabytes of one repeated text). The declared sizes bound what can be read: the
    zip reader stops at them."""
    try:
        with zipfile.ZipFile(path) as archive:
            for info in archive.infolist():
                name = info.filename
                limit = (
                    XLSX_MAX_SHARED_STRINGS_BYTES
                    if name.endswith("sharedStrings.xml")
                    else XLSX_MAX_PART_BYTES
                )
                if info.file_size > limit:
                    raise InputError(
                        f"{path.name}: part {name} expands to {info.file_size:,} bytes, more than"
                        f" {limit:,}; not read"
                    )
                if name.endswith("sharedStrings.xml") or name.startswith("xl/worksheets/"):
                    _check_text_runs(path, archive, info)
    except (zipfile.BadZipFile, zipfile.LargeZipFile, EOFError) as exc:
        raise InputError(f"{path.name}: not an .xlsx file ({exc})") from None


def _check_text_runs(path: Path, archive: zipfile.ZipFile, info: zipfile.ZipInfo) -> None:
    """The longest stretch between two XML tags, read in blocks: a huge one is a text no cell can hold."""
    carry = 0  # the stretch still open at the end of the last block
    with archive.open(info) as stream:
        while block := stream.read(_BLOCK * 16):
            pieces = block.split(b"<")
            if len(pieces) == 1:
                carry += len(block)
                longest = carry
            else:
                longest = max(carry + len(pieces[0]), max(map(len, pieces[1:-1]), default=0))
                carry = len(pieces[-1])
            if max(longest, carry) > XLSX_MAX_TEXT_BYTES:
                raise InputError(
                    f"{path.name}: part {info.filename} holds a text of more than {XLSX_MAX_TEXT_BYTES:,}"
                    " bytes (a cell holds at most 32,767 characters); not read"
                )


def _openpyxl() -> Any:
    """openpyxl, an optional dependency (untyped: loaded by name)."""
    return importlib.import_module("openpyxl")


def iter_ndjson(stream: IO[str]) -> Iterator[Any]:
    for number, line in enumerate(stream, start=1):
        if line.strip():
            try:
                yield json.loads(line)
            except ValueError as exc:
                raise InputError(f"line {number}: not JSON ({exc})") from None
            except RecursionError:
                raise InputError(f"line {number}: JSON nested too deeply to read") from None


def iter_json_array(stream: IO[str]) -> Iterator[Any]:
    """The items of a top-level JSON array, decoded one at a time from a buffered stream."""
    decoder = json.JSONDecoder()
    buffer = stream.read(_BLOCK).lstrip()
    consumed = 0
    if not buffer.startswith("["):
        raise InputError("a .json input must be an array of objects (use .ndjson for one object per line)")
    position, expect_item = 1, True
    while True:
        while True:
            while position < len(buffer) and buffer[position] in " \t\r\n":
                position += 1
            if position < len(buffer):
                break
            more = stream.read(_BLOCK)
            if not more:
                raise InputError(f"the JSON array ends early (at character {consumed + position})")
            consumed += position
            buffer, position = buffer[position:] + more, 0
        char = buffer[position]
        if char == "]":
            return
        if char == ",":
            if expect_item:
                raise InputError(f"unexpected ',' at character {consumed + position}")
            position, expect_item = position + 1, True
            continue
        if not expect_item:
            raise InputError(f"expected ',' or ']' at character {consumed + position}")
        while True:
            try:
                item, end = decoder.raw_decode(buffer, position)
            except RecursionError:
                raise InputError(
                    f"JSON nested too deeply to read at character {consumed + position}"
                ) from None
            except ValueError as exc:
                more = stream.read(_BLOCK)
                if not more:
                    raise InputError(f"not JSON at character {consumed + position}: {exc.args[0]}") from None
                consumed += position
                buffer, position = buffer[position:] + more, 0
                continue
            # a number at the end of the buffer may continue in the next block
            if end == len(buffer) and isinstance(item, int | float):
                more = stream.read(_BLOCK)
                if more:
                    consumed += position
                    buffer, position = buffer[position:] + more, 0
                    continue
            break
        yield item
        position, expect_item = end, False


class FailedWriter:
    """Writes records with their row under `_row` (first) and a reason under `_error` (last), in the
    input's format. Every cell is written as a value: a text starting with "=" stays text in an .xlsx."""

    def __init__(self, path: Path, fmt: FileFormat, columns: list[str], *, delimiter: str = ",") -> None:
        self.path = path
        self.format = fmt
        self.columns = [ROW_COLUMN, *columns, ERROR_COLUMN]
        self.count = 0
        self._workbook: Any = None
        self._sheet: Any = None
        self._cell: Any = None
        self._stream: IO[str] | None = None
        self._csv: Any = None
        if fmt == "xlsx":
            openpyxl = _openpyxl()
            self._workbook = openpyxl.Workbook(write_only=True)
            self._sheet = self._workbook.create_sheet()
            self._cell = importlib.import_module("openpyxl.cell").WriteOnlyCell
            self._sheet.append(self.columns)
            return
        self._stream = path.open("w", newline="" if fmt == "csv" else None, encoding="utf-8")
        if fmt == "csv":
            self._csv = csv.writer(self._stream, delimiter=delimiter, lineterminator="\n")
            self._csv.writerow(self.columns)
        elif fmt == "json":
            self._stream.write("[")

    def write(self, row_number: int, record: dict[str, Any], reason: str) -> None:
        row: dict[str, Any] = {ROW_COLUMN: row_number}
        row.update((k, v) for k, v in record.items() if k != EXTRA_CELLS and k not in OWN_COLUMNS)
        row[ERROR_COLUMN] = reason
        if self.format == "csv":
            self._csv.writerow(["" if row.get(c) is None else row.get(c) for c in self.columns])
        elif self.format == "xlsx":
            self._sheet.append([self._value_cell(row.get(c)) for c in self.columns])
        elif self._stream is not None:
            text = json.dumps(row, ensure_ascii=False, default=str)
            if self.format == "json":
                self._stream.write(("\n  " if self.count == 0 else ",\n  ") + text)
            else:
                self._stream.write(text + "\n")
        self.count += 1

    def _value_cell(self, value: Any) -> Any:
        if not isinstance(value, str) or not value.startswith("="):
            return value
        cell = self._cell(self._sheet, value=value)
        cell.data_type = "s"  # openpyxl takes any text starting with "=" for a formula
        return cell

    def close(self) -> None:
        if self._workbook is not None:
            self._workbook.save(self.path)
            return
        if self._stream is not None:
            if self.format == "json":
                self._stream.write("\n]\n" if self.count else "]\n")
            self._stream.close()
