"""Printing results: models and lists of them as a table, JSON, NDJSON or CSV.

Models are printed through their `to_dict()` (the API's JSON names and values), `MutationResult` and other
dataclasses field by field. Table is the default on a terminal, JSON when stdout is piped.

Columns: `columns` (from `--columns a,b,c`) keeps only those fields in every format; `[]` (`--columns all`)
keeps all. Without it a table shows the command's default columns (a few readable fields per entity, see
`_columns.py`) and every other format every field. A table whose columns do not fit the terminal's width is
printed one record per block (`field  value` lines) instead of squeezing columns to nothing.
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


def emit(
    result: Any,
    fmt: Format,
    stream: IO[str],
    *,
    columns: list[str] | None = None,
    default_columns: list[str] | None = None,
) -> None:
    """Print a command's result. Lists (and iterators, streamed item by item for json/ndjson) become rows.

    `columns`: the fields to keep in every format ([] all); `default_columns`: the table's columns when
    `columns` is None (None or []: every field).
    """
    if result is None:
        return
    if isinstance(result, Iterator):
        if columns:
            result = (_only(plain(item), columns) for item in result)
        _emit_stream(result, fmt, stream, columns=columns, default_columns=default_columns)
        return
    value = plain(result)
    if columns:
        value = [_only(row, columns) for row in value] if isinstance(value, list) else _only(value, columns)
    elif columns is None and fmt == "table" and default_columns and isinstance(value, list):
        value = _with_defaults(value, default_columns)
    if fmt == "json":
        stream.write(dumps(value, indent=2) + "\n")
    elif fmt == "ndjson":
        for item in value if isinstance(value, list) else [value]:
            stream.write(dumps(item) + "\n")
    elif fmt == "csv":
        write_csv(value if isinstance(value, list) else [value], stream)
    else:
        print_table(value, stream)


def _emit_stream(
    items: Iterator[Any],
    fmt: Format,
    stream: IO[str],
    *,
    columns: list[str] | None = None,
    default_columns: list[str] | None = None,
) -> None:
    if fmt == "ndjson":
        for item in items:
            stream.write(dumps(plain(item)) + "\n")
    elif fmt == "json":
        stream.write("[")
        for index, item in enumerate(items):
            stream.write(("\n  " if index == 0 else ",\n  ") + dumps(plain(item)))
        stream.write("\n]\n")
    else:
        emit([plain(item) for item in items], fmt, stream, columns=columns, default_columns=default_columns)


def _only(row: Any, names: list[str]) -> Any:
    """The row with only the named fields (in that order; matched in any case), or the row if not a dict."""
    if not isinstance(row, dict):
        return row
    from ._columns import select

    chosen = select([row], names, list(row)) if row else names
    return {name: row.get(name) for name in chosen}


def _with_defaults(rows: list[Any], defaults: list[str]) -> list[Any]:
    """Rows cut to the default columns present in them; all fields when none is present."""
    present = set(columns(rows))
    chosen = [name for name in defaults if name in present]
    if not chosen:
        return rows
    return [{name: row.get(name) for name in chosen} if isinstance(row, dict) else row for row in rows]


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
        if not fits(rows, names, console.width):
            print_records(rows, names, console)
            return
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


MIN_CELL = 8  # a column narrower than this shows neither its header nor its values


def fits(rows: list[dict[str, Any]], names: list[str], width: int) -> bool:
    """Whether a table of these columns can show every header and a readable part of every value."""
    needed = 1
    for name in names:
        longest = max((len(cell(row.get(name))) for row in rows), default=0)
        needed += min(max(len(name), longest, 1), max(MIN_CELL, len(name))) + 3
    return needed <= width


def print_records(rows: list[dict[str, Any]], names: list[str], console: Any) -> None:
    """One block per record: `field  value` lines, a blank line between records."""
    from rich.table import Table

    for index, row in enumerate(rows):
        grid = Table.grid(padding=(0, 2))
        grid.add_column(style="bold", no_wrap=True)
        grid.add_column(overflow="fold")
        for name in names:
            grid.add_row(name, cell(row.get(name)))
        if index:
            console.print()
        console.print(f"record {index + 1}", style="dim")
        console.print(grid)
    console.print(f"{len(rows)} row{'s' if len(rows) != 1 else ''}", style="dim")


def stdout_format(requested: str | None) -> Format:
    for known in FORMATS:
        if requested == known:
            return known
    return default_format(sys.stdout)
