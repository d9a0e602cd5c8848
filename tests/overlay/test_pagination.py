"""`tasks.iter_all` and `notifications.iter_all` walk the pages of a local server lazily, each item once.

The server holds N items and answers `GET /task?page=&pageSize=` (plain arrays) and
`GET /notification?page=&limit=` ({data, total} pages); page numbers start at 1 unless told otherwise.
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Callable, Iterator
from contextlib import ExitStack
from typing import Any

import pytest
from dimescheduler_openapi import (
    APIError,
    AsyncDimeSchedulerClient,
    DimeSchedulerClient,
    InvalidRequestError,
)
from fakeapi import FakeAPI, Received, Reply, serve_api


class PagedStore:
    """Answers task and notification pages from `count` items; `first_page` is the number of page one."""

    def __init__(
        self, count: int, *, first_page: int = 1, ignore_page: bool = False, total: int | None = None
    ):
        self.count = count
        self.first_page = first_page
        self.ignore_page = ignore_page
        self.total = count if total is None else total

    def __call__(self, received: Received) -> Reply:
        query = dict(received.query)
        page = self.first_page if self.ignore_page else int(query["page"])
        if received.path == "/task":
            size = int(query["pageSize"])
            return Reply.json([{"taskNo": f"T{n:03}", "jobNo": "J1"} for n in self._slice(page, size)])
        if received.path == "/notification":
            size = int(query["limit"])
            data = [{"code": f"N{n:03}", "text": f"note {n}"} for n in self._slice(page, size)]
            return Reply.json({"data": data, "total": self.total})
        return Reply.json({"message": "unknown path"}, status=404)

    def _slice(self, page: int, size: int) -> range:
        start = (page - self.first_page) * size
        return range(max(start, 0), min(start + size, self.count))


def task_numbers(tasks: Any) -> list[str]:
    return [task.task_no for task in tasks]


def pages_asked(api: FakeAPI, path: str) -> list[str]:
    return [dict(r.query)["page"] for r in api.received if r.path == path]


@pytest.fixture
def serve() -> Iterator[Callable[[PagedStore], FakeAPI]]:
    """Starts a server for the test (stopped at teardown)."""
    with ExitStack() as stack:
        yield lambda store: stack.enter_context(serve_api(store))


def client_for(api: FakeAPI) -> DimeSchedulerClient:
    return DimeSchedulerClient(api_key="test-key", environment=api.base_url, retry=False)


@pytest.mark.parametrize(
    ("count", "page_size", "requests"),
    [(25, 10, 3), (20, 10, 3), (9, 10, 1), (0, 10, 1), (1, 1, 2), (100, 100, 2), (250, 100, 3)],
)
def test_tasks_every_item_once(serve: Any, count: int, page_size: int, requests: int) -> None:
    api = serve(PagedStore(count))
    with client_for(api) as client:
        tasks = list(client.tasks.iter_all(page_size=page_size))

    assert task_numbers(tasks) == [f"T{n:03}" for n in range(count)]
    assert pages_asked(api, "/task") == [str(page) for page in range(1, requests + 1)]
    assert {dict(r.query)["pageSize"] for r in api.received} == {str(page_size)}


def test_tasks_pass_is_open_on_every_page(serve: Any) -> None:
    api = serve(PagedStore(5))
    with client_for(api) as client:
        assert len(list(client.tasks.iter_all(page_size=2, is_open=True))) == 5
    assert [dict(r.query)["isOpen"] for r in api.received] == ["true"] * 3


def test_tasks_are_fetched_lazily(serve: Any) -> None:
    api = serve(PagedStore(25))
    with client_for(api) as client:
        iterator = client.tasks.iter_all(page_size=10)
        assert len(api.received) == 0

        assert next(iterator).task_no == "T000"
        assert len(api.received) == 1

        for _ in range(9):
            next(iterator)
        assert len(api.received) == 1

        assert next(iterator).task_no == "T010"
        assert len(api.received) == 2


def test_tasks_first_page_can_be_zero(serve: Any) -> None:
    api = serve(PagedStore(15, first_page=0))
    with client_for(api) as client:
        tasks = list(client.tasks.iter_all(page_size=10, first_page=0))
    assert task_numbers(tasks) == [f"T{n:03}" for n in range(15)]
    assert pages_asked(api, "/task") == ["0", "1"]


def test_a_server_ignoring_the_page_number_is_reported_not_looped(serve: Any) -> None:
    # Changed in issue 9: PaginationError (an APIError) with a message that says what to do.
    api = serve(PagedStore(50, ignore_page=True))
    with client_for(api) as client, pytest.raises(APIError, match="page 2 holds only items of earlier pages"):
        list(client.tasks.iter_all(page_size=10))
    assert len(api.received) == 2


@pytest.mark.parametrize(
    ("count", "limit", "requests"),
    [(20, 10, 2), (25, 10, 3), (0, 10, 1), (3, 10, 1), (10, 10, 1)],
)
def test_notifications_every_item_once_and_stop_at_total(
    serve: Any, count: int, limit: int, requests: int
) -> None:
    api = serve(PagedStore(count))
    with client_for(api) as client:
        notes = list(
            client.notifications.iter_all(limit=limit, sort="createdAt:desc", filter="severity eq 4")
        )

    assert [note.code for note in notes] == [f"N{n:03}" for n in range(count)]
    assert pages_asked(api, "/notification") == [str(page) for page in range(1, requests + 1)]
    for received in api.received:
        assert dict(received.query) == {
            "page": dict(received.query)["page"],
            "limit": str(limit),
            "sort": "createdAt:desc",
            "filter": "severity eq 4",
        }


def test_notifications_stop_at_a_short_page_even_if_total_says_more(serve: Any) -> None:
    api = serve(PagedStore(15, total=1000))
    with client_for(api) as client:
        assert len(list(client.notifications.iter_all(limit=10))) == 15
    assert len(api.received) == 2


def test_notifications_are_fetched_lazily(serve: Any) -> None:
    api = serve(PagedStore(30))
    with client_for(api) as client:
        iterator = client.notifications.iter_all(limit=10)
        assert len(api.received) == 0
        assert next(iterator).code == "N000"
        assert len(api.received) == 1


@pytest.mark.parametrize(
    ("call", "message"),
    [
        (lambda c: c.tasks.iter_all(page_size=0), "page_size must be a positive integer, got 0"),
        (lambda c: c.tasks.iter_all(page_size="10"), "page_size must be a positive integer, got '10'"),
        (lambda c: c.tasks.iter_all(is_open="yes"), "is_open must be a bool, got str"),
        (lambda c: c.notifications.iter_all(limit=-1), "limit must be a positive integer, got -1"),
        (lambda c: c.notifications.iter_all(sort=1), "sort must be a string, got int"),
        (lambda c: c.tasks.iter_all(first_page=None), "first_page must be an integer, got NoneType"),
    ],
)
def test_bad_arguments_are_refused_when_iter_all_is_called(serve: Any, call: Any, message: str) -> None:
    api = serve(PagedStore(5))
    with client_for(api) as client, pytest.raises(InvalidRequestError) as raised:
        call(client)
    assert str(raised.value) == message
    assert len(api.received) == 0


# --- async ---------------------------------------------------------------------------------------------


async def collect(iterator: AsyncIterator[Any]) -> list[Any]:
    return [item async for item in iterator]


def test_async_tasks_every_item_once(serve: Any) -> None:
    api = serve(PagedStore(23))

    async def run() -> list[Any]:
        async with AsyncDimeSchedulerClient(api_key="test-key", environment=api.base_url) as aclient:
            return await collect(aclient.tasks.iter_all(page_size=10, is_open=False))

    tasks = asyncio.run(run())
    assert task_numbers(tasks) == [f"T{n:03}" for n in range(23)]
    assert pages_asked(api, "/task") == ["1", "2", "3"]
    assert {dict(r.query)["isOpen"] for r in api.received} == {"false"}


def test_async_notifications_every_item_once(serve: Any) -> None:
    api = serve(PagedStore(20))

    async def run() -> list[Any]:
        async with AsyncDimeSchedulerClient(api_key="test-key", environment=api.base_url) as aclient:
            return await collect(aclient.notifications.iter_all(limit=7, group="type"))

    notes = asyncio.run(run())
    assert [note.code for note in notes] == [f"N{n:03}" for n in range(20)]
    assert pages_asked(api, "/notification") == ["1", "2", "3"]


def test_async_iteration_is_lazy(serve: Any) -> None:
    api = serve(PagedStore(25))

    async def run() -> list[int]:
        seen = []
        async with AsyncDimeSchedulerClient(api_key="test-key", environment=api.base_url) as aclient:
            iterator = aclient.tasks.iter_all(page_size=10)
            seen.append(len(api.received))
            await anext(iterator)
            seen.append(len(api.received))
            for _ in range(9):
                await anext(iterator)
            seen.append(len(api.received))
            await anext(iterator)
            seen.append(len(api.received))
        return seen

    assert asyncio.run(run()) == [0, 1, 1, 2]
