"""Reading import records from CSV, JSON (an array), NDJSON and .xlsx files one at a time, and writing the
records that failed back in the same format with the reason in an extra `_error` column/key.

Nothing here holds a whole file: rows are read lazily (a JSON array is decoded item by item from a
buffered stream), and `rows()` may be called again for a second pass over the same file.
"""

from __future__ import annotations

import csv
import importlib
import json
from collections.abc import Iterator
from pathlib import Path
from typing import IO, Any, Literal

FileFormat = Literal["csv", "json", "ndjson", "xlsx"]
ERROR_COLUMN = "_error"
"""The reason column of a failed-records file; ignored when reading, so that file can be re-run as is."""

EXTRA_CELLS = "\x00extra cells"
"""Key under which a CSV row with more cells than the header has columns keeps the extra cells."""

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
    """One input file: its columns, its record count, and its rows (dicts, `_error` dropped)."""

    def __init__(self, path: Path, fmt: FileFormat, *, delimiter: str = ",") -> None:
        self.path = path
        self.format = fmt
        self.delimiter = delimiter

    def scan(self) -> tuple[list[str], int]:
        """(column names in first-seen order, number of records): one streaming pass, checking the syntax."""
        if self.format == "csv":
            with self._open_text() as stream:
                reader = csv.reader(stream, delimiter=self.delimiter)
                header = next(reader, None)
                count = sum(1 for row in reader if any(cell != "" for cell in row))
            return ([] if header is None else [h for h in header if h != ERROR_COLUMN]), count
        if self.format == "xlsx":
            header, count = [], 0
            for index, row in enumerate(self._xlsx_rows()):
                if index == 0:
                    header = [str(c) for c in row if c is not None]
                elif any(c is not None for c in row):
                    count += 1
            return [h for h in header if h != ERROR_COLUMN], count
        seen: dict[str, None] = {}
        count = 0
        for record in self._json_records():
            seen.update(dict.fromkeys(k for k in record if k != ERROR_COLUMN))
            count += 1
        return list(seen), count

    def rows(self) -> Iterator[dict[str, Any]]:
        """Each record as a dict; empty CSV/xlsx cells become None (the field is left out)."""
        if self.format == "csv":
            yield from self._csv_rows()
        elif self.format == "xlsx":
            rows = self._xlsx_rows()
            header = [None if c is None else str(c) for c in next(rows, ())]
            for row in rows:
                if all(c is None for c in row):
                    continue
                record = {
                    h: v for h, v in zip(header, row, strict=False) if h is not None and h != ERROR_COLUMN
                }
                yield {k: (None if v == "" else v) for k, v in record.items()}
        else:
            for record in self._json_records():
                record.pop(ERROR_COLUMN, None)
                yield record

    def _csv_rows(self) -> Iterator[dict[str, Any]]:
        with self._open_text() as stream:
            reader = csv.DictReader(stream, delimiter=self.delimiter)
            for row in reader:
                if all(v in ("", None) for k, v in row.items() if k is not None) and None not in row:
                    continue
                record: dict[str, Any] = {
                    k: (None if v == "" else v) for k, v in row.items() if k is not None and k != ERROR_COLUMN
                }
                if None in row:
                    record[EXTRA_CELLS] = row[None]
                yield record

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
            yield from sheet.iter_rows(values_only=True)
        finally:
            workbook.close()

    def _json_records(self) -> Iterator[dict[str, Any]]:
        with self.path.open(encoding="utf-8-sig") as stream:
            items = iter_ndjson(stream) if self.format == "ndjson" else iter_json_array(stream)
            for index, item in enumerate(items):
                if not isinstance(item, dict):
                    raise InputError(
                        f"{self.path.name}: record {index} is a {type(item).__name__}, not an object"
                    )
                yield item


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
    """Writes failed records, each with its reason under `_error`, in the input's format."""

    def __init__(self, path: Path, fmt: FileFormat, columns: list[str], *, delimiter: str = ",") -> None:
        self.path = path
        self.format = fmt
        self.columns = [*columns, ERROR_COLUMN]
        self.count = 0
        self._workbook: Any = None
        self._sheet: Any = None
        self._stream: IO[str] | None = None
        self._csv: Any = None
        if fmt == "xlsx":
            self._workbook = _openpyxl().Workbook(write_only=True)
            self._sheet = self._workbook.create_sheet()
            self._sheet.append(self.columns)
            return
        self._stream = path.open("w", newline="" if fmt == "csv" else None, encoding="utf-8")
        if fmt == "csv":
            self._csv = csv.writer(self._stream, delimiter=delimiter, lineterminator="\n")
            self._csv.writerow(self.columns)
        elif fmt == "json":
            self._stream.write("[")

    def write(self, record: dict[str, Any], reason: str) -> None:
        row = {k: v for k, v in record.items() if k != EXTRA_CELLS}
        row[ERROR_COLUMN] = reason
        if self.format == "csv":
            self._csv.writerow(["" if row.get(c) is None else row.get(c) for c in self.columns])
        elif self.format == "xlsx":
            self._sheet.append([row.get(c) for c in self.columns])
        elif self._stream is not None:
            text = json.dumps(row, ensure_ascii=False, default=str)
            if self.format == "json":
                self._stream.write(("\n  " if self.count == 0 else ",\n  ") + text)
            else:
                self._stream.write(text + "\n")
        self.count += 1

    def close(self) -> None:
        if self._workbook is not None:
            self._workbook.save(self.path)
            return
        if self._stream is not None:
            if self.format == "json":
                self._stream.write("\n]\n" if self.count else "]\n")
            self._stream.close()
