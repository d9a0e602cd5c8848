"""CRUD resources with reads of their own: appointments, jobs, tasks, notifications, capacities, time tracking.

Call builders are module functions shared by the sync and async classes; each `*_EXTRA` mapping declares
the operation behind every method a class adds to the generic CRUD surface.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterator
from datetime import date, datetime
from typing import TYPE_CHECKING

from .._call import Call
from . import _table as table
from ._crud import AsyncCrud, SyncCrud
from ._endpoint import Endpoint, flag, integer, iso, iso_date, path_value, query, text
from ._executor import AsyncExecutor, Deadline, SyncExecutor, Timeout
from ._pagination import Paging, aiterate, iterate
from ._resolve import page_items, page_total, parse_list, parse_one

if TYPE_CHECKING:
    # Some names appear only in the string base-class subscripts below (F401 cannot see them there).
    from dimescheduler_raw.aliases import (  # noqa: F401
        Appointment,
        AppointmentDelete,
        AppointmentListItem,
        Job,
        JobDelete,
        JobListItem,
        Notification,
        NotificationDelete,
        NotificationListItem,
        NotificationPage,
        ResourceCapacity,
        ResourceCapacityDelete,
        ResourceCapacityListItem,
        Task,
        TaskDelete,
        TaskListItem,
        TimeEntry,
        TimeEntryDelete,
        TimeEntryListItem,
        TimeSession,
        TimeSessionDelete,
        TimeSessionListItem,
    )

DateTimeValue = datetime | date | str

APPOINTMENTS_IN_RANGE = Endpoint("GET", "/appointment")
APPOINTMENT_BY_ID = Endpoint("GET", "/appointment/{appointmentId}")
JOB_BY_NO = Endpoint("GET", "/job/{jobNo}")
TASK_LIST = Endpoint("GET", "/task")
NOTIFICATION_PAGE = Endpoint("GET", "/notification")
CAPACITIES_IN_RANGE = Endpoint("GET", "/resourceCapacity")
TIME_ENTRIES_IN_RANGE = Endpoint("GET", "/timeEntry")
TIME_SESSIONS_IN_RANGE = Endpoint("GET", "/timeSession")

APPOINTMENT_EXTRA = {"get": APPOINTMENTS_IN_RANGE, "get_by_id": APPOINTMENT_BY_ID}
JOB_EXTRA = {"get": JOB_BY_NO}
TASK_EXTRA = {"get": TASK_LIST, "iter_all": TASK_LIST}
NOTIFICATION_EXTRA = {"get": NOTIFICATION_PAGE, "iter_all": NOTIFICATION_PAGE}
CAPACITY_EXTRA = {"get": CAPACITIES_IN_RANGE}
TIME_ENTRY_EXTRA = {"get": TIME_ENTRIES_IN_RANGE}
TIME_SESSION_EXTRA = {"get": TIME_SESSIONS_IN_RANGE}

FIRST_PAGE = 1
"""Page numbers start here unless `first_page=` says otherwise: the API does not document its base."""


def appointments_in_range(
    start_date: DateTimeValue, end_date: DateTimeValue, resources: list[str] | None
) -> Call[list[AppointmentListItem]]:
    params = query(
        {
            "startDate": iso(start_date, "start_date"),
            "endDate": iso(end_date, "end_date"),
            "resources": resources,
        }
    )
    return APPOINTMENTS_IN_RANGE.call(parse_list(APPOINTMENTS_IN_RANGE), params=params)


def appointment_by_id(appointment_id: str) -> Call[AppointmentListItem]:
    values = {"appointmentId": path_value(appointment_id, "appointment_id")}
    return APPOINTMENT_BY_ID.call(parse_one(APPOINTMENT_BY_ID), path_values=values)


def job_by_no(job_no: str) -> Call[JobListItem]:
    values = {"jobNo": path_value(job_no, "job_no")}
    return JOB_BY_NO.call(parse_one(JOB_BY_NO), path_values=values)


def task_list(is_open: bool | None, page: int | None, page_size: int | None) -> Call[list[TaskListItem]]:
    params = {
        "isOpen": flag(is_open, "is_open"),
        "page": integer(page, "page"),
        "pageSize": integer(page_size, "page_size"),
    }
    encoded = query(params)
    return TASK_LIST.call(parse_list(TASK_LIST), params=encoded)


def task_paging(
    page_size: int, is_open: bool | None, first_page: int
) -> Paging[list[TaskListItem], TaskListItem]:
    flag(is_open, "is_open")
    return Paging(
        lambda page: task_list(is_open, page, page_size),
        lambda tasks: tasks,
        first_page=first_page,
        size=page_size,
        size_name="page_size",
    )


def notification_page(
    page: int, limit: int, sort: str | None, group: str | None, filter: str | None
) -> Call[NotificationPage]:
    params = {
        "page": integer(page, "page"),
        "limit": integer(limit, "limit"),
        "sort": text(sort, "sort"),
        "group": text(group, "group"),
        "filter": text(filter, "filter"),
    }
    encoded = query(params)
    return NOTIFICATION_PAGE.call(parse_one(NOTIFICATION_PAGE), params=encoded)


def notification_paging(
    limit: int, sort: str | None, group: str | None, filter: str | None, first_page: int
) -> Paging[NotificationPage, NotificationListItem]:
    for value, name in ((sort, "sort"), (group, "group"), (filter, "filter")):
        text(value, name)
    return Paging(
        lambda page: notification_page(page, limit, sort, group, filter),
        lambda page: page_items(NOTIFICATION_PAGE, page),
        first_page=first_page,
        size=limit,
        size_name="limit",
        total=lambda page: page_total(NOTIFICATION_PAGE, page),
    )


def capacities_in_range(start: DateTimeValue, end: DateTimeValue) -> Call[list[ResourceCapacityListItem]]:
    params = query({"start": iso(start, "start"), "end": iso(end, "end")})
    return CAPACITIES_IN_RANGE.call(parse_list(CAPACITIES_IN_RANGE), params=params)


def time_entries_in_range(start: DateTimeValue, end: DateTimeValue) -> Call[list[TimeEntryListItem]]:
    params = query({"start": iso_date(start, "start"), "end": iso_date(end, "end")})
    return TIME_ENTRIES_IN_RANGE.call(parse_list(TIME_ENTRIES_IN_RANGE), params=params)


def time_sessions_in_range(start: DateTimeValue, end: DateTimeValue) -> Call[list[TimeSessionListItem]]:
    params = query({"start": iso_date(start, "start"), "end": iso_date(end, "end")})
    return TIME_SESSIONS_IN_RANGE.call(parse_list(TIME_SESSIONS_IN_RANGE), params=params)


# --- sync ---------------------------------------------------------------------------------------------


class SyncAppointments(SyncCrud["Appointment", "list[AppointmentListItem]", "AppointmentDelete"]):
    __slots__ = ()
    _EXTRA = APPOINTMENT_EXTRA

    def __init__(self, executor: SyncExecutor) -> None:
        super().__init__(executor, table.APPOINTMENTS)

    def get(
        self,
        start_date: DateTimeValue,
        end_date: DateTimeValue,
        resources: list[str] | None = None,
        *,
        timeout: Timeout = None,
        deadline: Deadline = None,
    ) -> list[AppointmentListItem]:
        """Appointments between two moments, optionally only those of some resources.

        Sends: query `startDate` and `endDate` (ISO 8601 via `isoformat()`; strings as given) and
        `resources` (one key per resource number; left out when None).
        """
        return self._run(appointments_in_range(start_date, end_date, resources), timeout, deadline)

    def get_by_id(
        self, appointment_id: str, *, timeout: Timeout = None, deadline: Deadline = None
    ) -> AppointmentListItem:
        """A single appointment by its identifier."""
        return self._run(appointment_by_id(appointment_id), timeout, deadline)


class SyncJobs(SyncCrud["Job", "list[JobListItem]", "JobDelete"]):
    __slots__ = ()
    _EXTRA = JOB_EXTRA

    def __init__(self, executor: SyncExecutor) -> None:
        super().__init__(executor, table.JOBS)

    def get(self, job_no: str, *, timeout: Timeout = None, deadline: Deadline = None) -> JobListItem:
        """A single job by its job number."""
        return self._run(job_by_no(job_no), timeout, deadline)


class SyncTasks(SyncCrud["Task", "list[TaskListItem]", "TaskDelete"]):
    __slots__ = ()
    _EXTRA = TASK_EXTRA

    def __init__(self, executor: SyncExecutor) -> None:
        super().__init__(executor, table.TASKS)

    def get(
        self,
        *,
        is_open: bool | None = None,
        page: int | None = None,
        page_size: int | None = None,
        timeout: Timeout = None,
        deadline: Deadline = None,
    ) -> list[TaskListItem]:
        """Tasks, optionally restricted to open tasks and paginated."""
        return self._run(task_list(is_open, page, page_size), timeout, deadline)

    def iter_all(
        self,
        page_size: int = 100,
        is_open: bool | None = None,
        *,
        first_page: int = FIRST_PAGE,
        timeout: Timeout = None,
        deadline: Deadline = None,
    ) -> Iterator[TaskListItem]:
        """Every task, one page request at a time as the iteration goes (pages numbered from 1).

        Sends: `GET /task?page=N&pageSize=page_size` (and `isOpen` when given) for N = first_page, ...,
        until a page shorter than `page_size` or an empty one.
        """
        paging = task_paging(page_size, is_open, first_page)
        return iterate(lambda call: self._run(call, timeout, deadline), paging)


class SyncNotifications(SyncCrud["Notification", "NotificationPage", "NotificationDelete"]):
    __slots__ = ()
    _EXTRA = NOTIFICATION_EXTRA

    def __init__(self, executor: SyncExecutor) -> None:
        super().__init__(executor, table.NOTIFICATIONS)

    def get(
        self,
        page: int,
        limit: int,
        *,
        sort: str | None = None,
        group: str | None = None,
        filter: str | None = None,
        timeout: Timeout = None,
        deadline: Deadline = None,
    ) -> NotificationPage:
        """One page of notifications; `sort` like "createdAt:desc"."""
        return self._run(notification_page(page, limit, sort, group, filter), timeout, deadline)

    def iter_all(
        self,
        limit: int = 100,
        *,
        sort: str | None = None,
        group: str | None = None,
        filter: str | None = None,
        first_page: int = FIRST_PAGE,
        timeout: Timeout = None,
        deadline: Deadline = None,
    ) -> Iterator[NotificationListItem]:
        """Every notification, one page request at a time as the iteration goes (pages numbered from 1).

        Sends: `GET /notification?page=N&limit=limit` (and `sort`, `group`, `filter` when given) for
        N = first_page, ..., until the page's `total` is reached or a page is short or empty.
        """
        paging = notification_paging(limit, sort, group, filter, first_page)
        return iterate(lambda call: self._run(call, timeout, deadline), paging)


class SyncResourceCapacities(
    SyncCrud["ResourceCapacity", "list[ResourceCapacityListItem]", "ResourceCapacityDelete"]
):
    __slots__ = ()
    _EXTRA = CAPACITY_EXTRA

    def __init__(self, executor: SyncExecutor) -> None:
        super().__init__(executor, table.RESOURCE_CAPACITIES)

    def get(
        self, start: DateTimeValue, end: DateTimeValue, *, timeout: Timeout = None, deadline: Deadline = None
    ) -> list[ResourceCapacityListItem]:
        """Resource capacities between two moments.

        Sends: query `start` and `end` (ISO 8601 via `isoformat()`; strings as given).
        """
        return self._run(capacities_in_range(start, end), timeout, deadline)


class SyncTimeEntries(SyncCrud["TimeEntry", "list[TimeEntryListItem]", "TimeEntryDelete"]):
    __slots__ = ()
    _EXTRA = TIME_ENTRY_EXTRA

    def __init__(self, executor: SyncExecutor) -> None:
        super().__init__(executor, table.TIME_ENTRIES)

    def get(
        self, start: DateTimeValue, end: DateTimeValue, *, timeout: Timeout = None, deadline: Deadline = None
    ) -> list[TimeEntryListItem]:
        """Time sheet entries dated within the inclusive day range.

        Sends: query `start` and `end` as `YYYY-MM-DD` (only the date part of a datetime).
        """
        return self._run(time_entries_in_range(start, end), timeout, deadline)


class SyncTimeSessions(SyncCrud["TimeSession", "list[TimeSessionListItem]", "TimeSessionDelete"]):
    __slots__ = ()
    _EXTRA = TIME_SESSION_EXTRA

    def __init__(self, executor: SyncExecutor) -> None:
        super().__init__(executor, table.TIME_SESSIONS)

    def get(
        self, start: DateTimeValue, end: DateTimeValue, *, timeout: Timeout = None, deadline: Deadline = None
    ) -> list[TimeSessionListItem]:
        """Time sessions started within the inclusive day range.

        Sends: query `start` and `end` as `YYYY-MM-DD` (only the date part of a datetime).
        """
        return self._run(time_sessions_in_range(start, end), timeout, deadline)


# --- async --------------------------------------------------------------------------------------------


class AsyncAppointments(AsyncCrud["Appointment", "list[AppointmentListItem]", "AppointmentDelete"]):
    __slots__ = ()
    _EXTRA = APPOINTMENT_EXTRA

    def __init__(self, executor: AsyncExecutor) -> None:
        super().__init__(executor, table.APPOINTMENTS)

    async def get(
        self,
        start_date: DateTimeValue,
        end_date: DateTimeValue,
        resources: list[str] | None = None,
        *,
        timeout: Timeout = None,
        deadline: Deadline = None,
    ) -> list[AppointmentListItem]:
        """Appointments between two moments, optionally only those of some resources.

        Sends: query `startDate` and `endDate` (ISO 8601 via `isoformat()`; strings as given) and
        `resources` (one key per resource number; left out when None).
        """
        return await self._run(appointments_in_range(start_date, end_date, resources), timeout, deadline)

    async def get_by_id(
        self, appointment_id: str, *, timeout: Timeout = None, deadline: Deadline = None
    ) -> AppointmentListItem:
        """A single appointment by its identifier."""
        return await self._run(appointment_by_id(appointment_id), timeout, deadline)


class AsyncJobs(AsyncCrud["Job", "list[JobListItem]", "JobDelete"]):
    __slots__ = ()
    _EXTRA = JOB_EXTRA

    def __init__(self, executor: AsyncExecutor) -> None:
        super().__init__(executor, table.JOBS)

    async def get(self, job_no: str, *, timeout: Timeout = None, deadline: Deadline = None) -> JobListItem:
        """A single job by its job number."""
        return await self._run(job_by_no(job_no), timeout, deadline)


class AsyncTasks(AsyncCrud["Task", "list[TaskListItem]", "TaskDelete"]):
    __slots__ = ()
    _EXTRA = TASK_EXTRA

    def __init__(self, executor: AsyncExecutor) -> None:
        super().__init__(executor, table.TASKS)

    async def get(
        self,
        *,
        is_open: bool | None = None,
        page: int | None = None,
        page_size: int | None = None,
        timeout: Timeout = None,
        deadline: Deadline = None,
    ) -> list[TaskListItem]:
        """Tasks, optionally restricted to open tasks and paginated."""
        return await self._run(task_list(is_open, page, page_size), timeout, deadline)

    def iter_all(
        self,
        page_size: int = 100,
        is_open: bool | None = None,
        *,
        first_page: int = FIRST_PAGE,
        timeout: Timeout = None,
        deadline: Deadline = None,
    ) -> AsyncIterator[TaskListItem]:
        """Every task, one page request at a time as the iteration goes (pages numbered from 1).

        Sends: `GET /task?page=N&pageSize=page_size` (and `isOpen` when given) for N = first_page, ...,
        until a page shorter than `page_size` or an empty one.
        """
        paging = task_paging(page_size, is_open, first_page)
        return aiterate(lambda call: self._run(call, timeout, deadline), paging)


class AsyncNotifications(AsyncCrud["Notification", "NotificationPage", "NotificationDelete"]):
    __slots__ = ()
    _EXTRA = NOTIFICATION_EXTRA

    def __init__(self, executor: AsyncExecutor) -> None:
        super().__init__(executor, table.NOTIFICATIONS)

    async def get(
        self,
        page: int,
        limit: int,
        *,
        sort: str | None = None,
        group: str | None = None,
        filter: str | None = None,
        timeout: Timeout = None,
        deadline: Deadline = None,
    ) -> NotificationPage:
        """One page of notifications; `sort` like "createdAt:desc"."""
        return await self._run(notification_page(page, limit, sort, group, filter), timeout, deadline)

    def iter_all(
        self,
        limit: int = 100,
        *,
        sort: str | None = None,
        group: str | None = None,
        filter: str | None = None,
        first_page: int = FIRST_PAGE,
        timeout: Timeout = None,
        deadline: Deadline = None,
    ) -> AsyncIterator[NotificationListItem]:
        """Every notification, one page request at a time as the iteration goes (pages numbered from 1).

        Sends: `GET /notification?page=N&limit=limit` (and `sort`, `group`, `filter` when given) for
        N = first_page, ..., until the page's `total` is reached or a page is short or empty.
        """
        paging = notification_paging(limit, sort, group, filter, first_page)
        return aiterate(lambda call: self._run(call, timeout, deadline), paging)


class AsyncResourceCapacities(
    AsyncCrud["ResourceCapacity", "list[ResourceCapacityListItem]", "ResourceCapacityDelete"]
):
    __slots__ = ()
    _EXTRA = CAPACITY_EXTRA

    def __init__(self, executor: AsyncExecutor) -> None:
        super().__init__(executor, table.RESOURCE_CAPACITIES)

    async def get(
        self, start: DateTimeValue, end: DateTimeValue, *, timeout: Timeout = None, deadline: Deadline = None
    ) -> list[ResourceCapacityListItem]:
        """Resource capacities between two moments.

        Sends: query `start` and `end` (ISO 8601 via `isoformat()`; strings as given).
        """
        return await self._run(capacities_in_range(start, end), timeout, deadline)


class AsyncTimeEntries(AsyncCrud["TimeEntry", "list[TimeEntryListItem]", "TimeEntryDelete"]):
    __slots__ = ()
    _EXTRA = TIME_ENTRY_EXTRA

    def __init__(self, executor: AsyncExecutor) -> None:
        super().__init__(executor, table.TIME_ENTRIES)

    async def get(
        self, start: DateTimeValue, end: DateTimeValue, *, timeout: Timeout = None, deadline: Deadline = None
    ) -> list[TimeEntryListItem]:
        """Time sheet entries dated within the inclusive day range.

        Sends: query `start` and `end` as `YYYY-MM-DD` (only the date part of a datetime).
        """
        return await self._run(time_entries_in_range(start, end), timeout, deadline)


class AsyncTimeSessions(AsyncCrud["TimeSession", "list[TimeSessionListItem]", "TimeSessionDelete"]):
    __slots__ = ()
    _EXTRA = TIME_SESSION_EXTRA

    def __init__(self, executor: AsyncExecutor) -> None:
        super().__init__(executor, table.TIME_SESSIONS)

    async def get(
        self, start: DateTimeValue, end: DateTimeValue, *, timeout: Timeout = None, deadline: Deadline = None
    ) -> list[TimeSessionListItem]:
        """Time sessions started within the inclusive day range.

        Sends: query `start` and `end` as `YYYY-MM-DD` (only the date part of a datetime).
        """
        return await self._run(time_sessions_in_range(start, end), timeout, deadline)
