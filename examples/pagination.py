"""Pagination: walk every task and every notification, one page request at a time.

Run `nox -s mock` in another terminal, then `python examples/pagination.py`.

The mock answers every page with the same example data and ignores `page`, so this script asks for pages
larger than the mock's answer (one page holds everything). With `page_size=1` the mock would answer page 2
with the items of page 1, and `iter_all` raises PaginationError instead of looping forever.
"""

from __future__ import annotations

import os
from itertools import islice

from dimescheduler_openapi import DimeSchedulerClient, PaginationError
from dimescheduler_openapi.models import NotificationListItem, TaskListItem

ENVIRONMENT = os.environ.get("DIMESCHEDULER_ENVIRONMENT", "http://127.0.0.1:4010")
API_KEY = os.environ.get("DIMESCHEDULER_API_KEY", "dev")


def main() -> None:
    with DimeSchedulerClient(api_key=API_KEY, environment=ENVIRONMENT) as client:
        tasks: list[TaskListItem] = list(client.tasks.iter_all(page_size=100, is_open=True))
        print(f"open tasks: {len(tasks)}")  # GET /task?isOpen=true&page=1&pageSize=100, then page 2, ...

        first: list[NotificationListItem] = list(islice(client.notifications.iter_all(limit=100), 10))
        print(f"first notifications: {len(first)}")  # stops requesting once 10 items were taken

        try:
            list(client.tasks.iter_all(page_size=1))
        except PaginationError as exc:  # what a server that ignores the page number causes
            print(f"page_size=1: {type(exc).__name__}")


if __name__ == "__main__":
    main()
