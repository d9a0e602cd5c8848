"""Row numbers of a bulk import: each record's row in the caller's input (from 1), kept as inclusive ranges
so that a chunk of 500 consecutive rows costs one pair, whatever gaps (rows not sent) lie between chunks."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from typing import NamedTuple

__all__ = ["NumberedRequest", "RowRanges", "iter_rows", "to_ranges"]

RowRanges = tuple[tuple[int, int], ...]
"""Inclusive (first row, last row) pairs in input order: ((1, 500), (502, 998))."""


class NumberedRequest(NamedTuple):
    """An import request with its own row number (from 1), for inputs whose rows are not all sent: the
    chunk outcomes then name these rows. Plain items are numbered by their position in the input, from 1.
    (A named tuple: one is made per row, and it costs a fifth of a frozen dataclass.)"""

    row: int
    request: object


def to_ranges(rows: Iterable[int]) -> RowRanges:
    """Consecutive row numbers folded into inclusive ranges, in the order given."""
    if isinstance(rows, list) and rows and rows == list(range(rows[0], rows[0] + len(rows))):
        return ((rows[0], rows[-1]),)  # one run, the usual case: compared at C speed
    ranges: list[tuple[int, int]] = []
    start = end = -2
    for row in rows:
        if row == end + 1:
            end = row
            continue
        if start >= 0:
            ranges.append((start, end))
        start = end = row
    if start >= 0:
        ranges.append((start, end))
    return tuple(ranges)


def iter_rows(ranges: RowRanges) -> Iterator[int]:
    for first, last in ranges:
        yield from range(first, last + 1)
