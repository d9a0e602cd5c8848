"""Splitting a stream of import requests into `/import` bodies of bounded size."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from itertools import islice
from typing import TypeVar

from .._errors import InvalidRequestError

T = TypeVar("T")

DEFAULT_CHUNK_SIZE = 500


def chunked(items: Iterable[T], size: int = DEFAULT_CHUNK_SIZE) -> Iterator[list[T]]:
    """Lists of at most `size` items, in order, read lazily: only one chunk is held at a time.

    A bad `size` is refused here, at the call, not when the first chunk is asked for.
    """
    check_positive("size", size)
    return _chunks(iter(items), size)


def _chunks(iterator: Iterator[T], size: int) -> Iterator[list[T]]:
    while chunk := list(islice(iterator, size)):
        yield chunk


def check_positive(name: str, value: int) -> None:
    if isinstance(value, bool) or not isinstance(value, int) or value < 1:
        raise InvalidRequestError(f"{name} must be a positive integer, got {value!r}")
