"""Printing results: models and lists of them as a table, JSON, NDJSON or CSV.

Models are printed through their `to_dict()` (the API's JSON names and values), `MutationResult` and other
dataclasses field by field. Table is the default on a terminal, JSON when stdout is piped.
"""

from __future__ import annotations

import csv
import dataclasses
import enum
import json
import sys
from collections.abc import Iterable, Iterator
from datetime import date, datetime
from typing import IO, Any, Literal

Format = Literal["table", "json", "ndjson", "csv"]
FORMATS: tuple[Format, ...] = ("table", "json", "ndjson", "csv")


def default_format(stream: IO[str]) -> Format:
    """table on a terminal, json otherwise (pipes, files, CliRunner)."""
    isatty = getattr(stream, "isatty", None)
    return "table" if callable(isatty) and isatty() else "json"


def plain(value: Any) -> Any:
    """A JSON-ready value: models via `to_dict()`, dataclasses field by field, dates as ISO text."""
    to_dict = getattr(value, "to_dict", None)
    if callable(to_dict) and not isinstance(value, type):
        return plain(to_dict())
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        # Fields kept out of the repr (MutationResult.headers) stay out of the output too.
        return {f.name: plain(getattr(value, f.name)) for f in dataclasses.fields(value) if f.repr}
    if isinstance(value, dict):
        return {str(k): plain(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [plain(v) for v in value]
    if isinstance(value, enum.Enum):
        return value.value
    if isinstance(value, (datetime, date)):
        return value.isoformat()
    return value


def dumps(value: Any, *, indent: int | None = None) -> str:
    return json.dumps(value, ensure_ascii=False, indent=indent, default=str)


def emit(result: Any, fmt: Format, stream: IO[str]) -> None:
    """Print a command's result. Lists (and iterators, streamed item by item for json/ndjson) become rows."""
    if result is None:
        return
    if isinstance(result, Iterator):
        _emit_stream(result, fmt, stream)
        return
    value = plain(result)
    if fmt == "json":
        stream.write(dumps(value, indent=2) + "\n")
    elif fmt == "ndjson":
        for item in value if isinstance(value, list) else [value]:
            stream.write(dumps(item) + "\n")
    elif fmt == "csv":
        write_csv(value if isinstance(value, list) else [value], stream)
    else:
        print_table(value, stream)


def _emit_stream(items: Iterator[Any], fmt: Format, stream: IO[str]) -> None:
    if fmt == "ndjson":
        for item in items:
            stream.write(dumps(plain(item)) + "\n")
    elif fmt == "json":
        stream.write("[")
        for index, item in enumerate(items):
            stream.write(("\n  " if index == 0 else ",\n  ") + dumps(plain(item)))
        stream.write("\n]\n")
    else:
        emit([plain(item) for item in items], fmt, stream)


def columns(rows: Iterable[Any]) -> list[str]:
    """Keys of all rows, in first-seen order."""
    seen: dict[str, None] = {}
    for row in rows:
        if isinstance(row, dict):
            seen.update(dict.fromkeys(row))
    return list(seen)


def cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, (dict, list)):
        return dumps(value)
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


def write_csv(rows: list[Any], stream: IO[str]) -> None:
    dict_rows = [row if isinstance(row, dict) else {"value": row} for row in rows]
    names = columns(dict_rows)
    writer = csv.writer(stream, lineterminator="\n")
    writer.writerow(names)
    for row in dict_rows:
        writer.writerow([cell(row.get(name)) for name in names])


def print_table(value: Any, stream: IO[str]) -> None:
    from rich.console import Console
    from rich.table import Table

    console = Console(file=stream, soft_wrap=False)
    if isinstance(value, list):
        rows = [row if isinstance(row, dict) else {"value": row} for row in value]
        names = columns(rows)
        table = Table(*names, show_lines=False)
        for row in rows:
            table.add_row(*(cell(row.get(name)) for name in names))
        console.print(table)
        console.print(f"{len(rows)} row{'s' if len(rows) != 1 else ''}", style="dim")
    elif isinstance(value, dict):
        table = Table("field", "value")
        for key, item in value.items():
            table.add_row(key, cell(item))
        console.print(table)
    else:
        console.print(cell(value), markup=False, highlight=False)


def stdout_format(requested: str | None) -> Format:
    for known in FORMATS:
        if requested == known:
            return known
    return default_format(sys.stdout)
