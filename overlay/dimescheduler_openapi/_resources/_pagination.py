"""Walking a paged list lazily: one request per page, fetched only when the previous page is used up."""

from __future__ import annotations

import json
from collections.abc import AsyncIterator, Awaitable, Callable, Iterator
from typing import Any, Generic, TypeVar

from .._call import Call
from .._errors import InvalidRequestError, PaginationError

P = TypeVar("P")
I = TypeVar("I")  # noqa: E741


class Paging(Generic[P, I]):
    """Which page to ask for next and when to stop.

    Stops after an empty page, a page shorter than `size`, or once `total` items were seen (when the
    page reports one). A page made only of items seen on earlier pages (in any order) means the server
    ignores the page number: that raises PaginationError instead of looping forever. Every item seen is
    remembered as one fingerprint (a hash of its JSON), so memory grows by a few dozen bytes per item.
    """

    def __init__(
        self,
        page_call: Callable[[int], Call[P]],
        items: Callable[[P], list[I]],
        *,
        first_page: int,
        size: int,
        size_name: str,
        total: Callable[[P], int | None] | None = None,
    ) -> None:
        if isinstance(size, bool) or not isinstance(size, int) or size < 1:
            raise InvalidRequestError(f"{size_name} must be a positive integer, got {size!r}")
        if isinstance(first_page, bool) or not isinstance(first_page, int):
            raise InvalidRequestError(f"first_page must be an integer, got {type(first_page).__name__}")
        self._page_call = page_call
        self._items = items
        self._total = total
        self._size = size
        self._page = first_page
        self._size_name = size_name
        self._seen = 0
        self._fingerprints: set[int] = set()
        self._done = False

    def next_call(self) -> Call[P] | None:
        return None if self._done else self._page_call(self._page)

    def take(self, page: P) -> list[I]:
        items = self._items(page)
        fingerprints = {fingerprint(item) for item in items}
        if items and fingerprints <= self._fingerprints:
            raise PaginationError(
                f"page {self._page} holds only items of earlier pages: the server seems to ignore the page "
                f"number (a mock such as Prism does). Ask for everything in one page ({self._size_name} above "
                f"the number of items, e.g. iter_all({self._size_name}={max(1000, self._size * 10)})), or "
                "report the paging problem to the API's maintainers"
            )
        self._fingerprints |= fingerprints
        self._seen += len(items)
        total = self._total(page) if self._total else None
        self._done = len(items) < self._size or (total is not None and self._seen >= total)
        self._page += 1
        return items


def fingerprint(item: Any) -> int:
    """A hash of the item's JSON (models through `to_dict()`), equal for equal items in any key order."""
    to_dict = getattr(item, "to_dict", None)
    data = to_dict() if callable(to_dict) else item
    try:
        return hash(json.dumps(data, sort_keys=True, default=repr))
    except (TypeError, ValueError):  # keys of mixed types, NaN, ...
        return hash(repr(data))


def iterate(run: Callable[[Call[P]], P], paging: Paging[P, I]) -> Iterator[I]:
    while (call := paging.next_call()) is not None:
        yield from paging.take(run(call))


async def aiterate(run: Callable[[Call[P]], Awaitable[P]], paging: Paging[P, I]) -> AsyncIterator[I]:
    while (call := paging.next_call()) is not None:
        for item in paging.take(await run(call)):
            yield item
