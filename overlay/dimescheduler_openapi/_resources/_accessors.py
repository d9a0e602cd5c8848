"""The accessor mixins the clients inherit: `client.categories`, `client.appointments`, ...

Names and methods follow the vendor SDK (dimescheduler 0.3.1). Each accessor is a `cached_property`
building its resource on first use with the client itself as executor, as an instance of the subclass
`_docs.documented` makes for it (concrete model names in `help()`; the static types stay these).
"""

from __future__ import annotations

from collections.abc import Callable
from functools import cached_property
from typing import Any, TypeVar

from . import _table as t
from ._crud import AsyncCrud, AsyncListing, Crud, Listing, SyncCrud, SyncListing
from ._docs import documented
from ._endpoint import ToDict
from ._executor import AsyncExecutor, AsyncResource, SyncExecutor, SyncResource
from ._scheduling import (
    AsyncAppointments,
    AsyncJobs,
    AsyncNotifications,
    AsyncResourceCapacities,
    AsyncTasks,
    AsyncTimeEntries,
    AsyncTimeSessions,
    SyncAppointments,
    SyncJobs,
    SyncNotifications,
    SyncResourceCapacities,
    SyncTasks,
    SyncTimeEntries,
    SyncTimeSessions,
)
from ._services import (
    AsyncConnectors,
    AsyncGeocoding,
    AsyncImports,
    AsyncMessages,
    AsyncOptimization,
    AsyncRecommendation,
    AsyncRecurringAppointments,
    AsyncTaskAssignments,
    AsyncTaskBudgetEntries,
    AsyncUsers,
    SyncConnectors,
    SyncGeocoding,
    SyncImports,
    SyncMessages,
    SyncOptimization,
    SyncRecommendation,
    SyncRecurringAppointments,
    SyncTaskAssignments,
    SyncTaskBudgetEntries,
    SyncUsers,
)

T = TypeVar("T")
W = TypeVar("W", bound=ToDict)
D = TypeVar("D", bound=ToDict)
L = TypeVar("L")
R = TypeVar("R")
S = TypeVar("S", bound=SyncResource)
A = TypeVar("A", bound=AsyncResource)


class _Accessor(cached_property[T]):
    """A cached_property that knows its attribute name before first use (the documented class needs it)."""

    def __init__(self, build: Callable[[Any, str], T]) -> None:
        super().__init__(lambda client: build(client, self.accessor))
        self.accessor = ""

    def __set_name__(self, owner: type[Any], name: str) -> None:
        super().__set_name__(owner, name)
        self.accessor = name


def _crud(spec: Crud[W, L, D]) -> cached_property[SyncCrud[W, L, D]]:
    def make(client: SyncExecutor, accessor: str) -> SyncCrud[W, L, D]:
        return documented(SyncCrud, accessor, spec.route, "crud")(client, spec)

    return _Accessor(make)


def _acrud(spec: Crud[W, L, D]) -> cached_property[AsyncCrud[W, L, D]]:
    def make(client: AsyncExecutor, accessor: str) -> AsyncCrud[W, L, D]:
        return documented(AsyncCrud, accessor, spec.route, "crud")(client, spec)

    return _Accessor(make)


def _listing(spec: Listing[R]) -> cached_property[SyncListing[R]]:
    def make(client: SyncExecutor, accessor: str) -> SyncListing[R]:
        return documented(SyncListing, accessor, spec.route, "listing")(client, spec)

    return _Accessor(make)


def _alisting(spec: Listing[R]) -> cached_property[AsyncListing[R]]:
    def make(client: AsyncExecutor, accessor: str) -> AsyncListing[R]:
        return documented(AsyncListing, accessor, spec.route, "listing")(client, spec)

    return _Accessor(make)


def _own(cls: type[S], spec: Crud[Any, Any, Any] | None = None) -> cached_property[S]:
    """An accessor with a class of its own (`SyncJobs`, `SyncGeocoding`, ...); `spec`: its CRUD row."""

    def make(client: SyncExecutor, accessor: str) -> S:
        route, kind = (spec.route, "crud") if spec is not None else (None, "service")
        built: S = documented(cls, accessor, route, kind)(client)
        return built

    return _Accessor(make)


def _aown(cls: type[A], spec: Crud[Any, Any, Any] | None = None) -> cached_property[A]:
    def make(client: AsyncExecutor, accessor: str) -> A:
        route, kind = (spec.route, "crud") if spec is not None else (None, "service")
        built: A = documented(cls, accessor, route, kind)(client)
        return built

    return _Accessor(make)


class SyncResources:
    """Resource accessors of `DimeSchedulerClient` (the client is the executor)."""

    action_uris = _crud(t.ACTION_URIS)
    appointment_categories = _crud(t.APPOINTMENT_CATEGORIES)
    appointment_contents = _crud(t.APPOINTMENT_CONTENTS)
    appointment_containers = _crud(t.APPOINTMENT_CONTAINERS)
    appointment_field_values = _crud(t.APPOINTMENT_FIELD_VALUES)
    appointment_importances = _crud(t.APPOINTMENT_IMPORTANCES)
    appointment_locked = _crud(t.APPOINTMENT_LOCKED)
    appointment_planning_quantities = _crud(t.APPOINTMENT_PLANNING_QUANTITIES)
    appointment_time_markers = _crud(t.APPOINTMENT_TIME_MARKERS)
    appointment_uris = _crud(t.APPOINTMENT_URIS)
    assignments = _crud(t.ASSIGNMENTS)
    captions = _crud(t.CAPTIONS)
    categories = _crud(t.CATEGORIES)
    containers = _crud(t.CONTAINERS)
    filter_groups = _crud(t.FILTER_GROUPS)
    filter_values = _crud(t.FILTER_VALUES)
    pins = _crud(t.PINS)
    project_members = _crud(t.PROJECT_MEMBERS)
    resources = _crud(t.RESOURCES)
    resource_calendars = _crud(t.RESOURCE_CALENDARS)
    resource_certificates = _crud(t.RESOURCE_CERTIFICATES)
    resource_filter_values = _crud(t.RESOURCE_FILTER_VALUES)
    resource_gps_trackings = _crud(t.RESOURCE_GPS_TRACKINGS)
    resource_uris = _crud(t.RESOURCE_URIS)
    tags = _crud(t.TAGS)
    task_containers = _crud(t.TASK_CONTAINERS)
    task_dependencies = _crud(t.TASK_DEPENDENCIES)
    task_filter_values = _crud(t.TASK_FILTER_VALUES)
    task_locked = _crud(t.TASK_LOCKED)
    task_uris = _crud(t.TASK_URIS)
    time_markers = _crud(t.TIME_MARKERS)

    appointments = _own(SyncAppointments, t.APPOINTMENTS)
    appointment_dependencies = _listing(t.APPOINTMENT_DEPENDENCIES)
    appointment_fields = _listing(t.APPOINTMENT_FIELDS)
    jobs = _own(SyncJobs, t.JOBS)
    notifications = _own(SyncNotifications, t.NOTIFICATIONS)
    resource_capacities = _own(SyncResourceCapacities, t.RESOURCE_CAPACITIES)
    resource_types = _listing(t.RESOURCE_TYPES)
    calendars = _listing(t.CALENDARS)
    tasks = _own(SyncTasks, t.TASKS)
    task_assignments = _own(SyncTaskAssignments)
    task_budget_entries = _own(SyncTaskBudgetEntries)
    time_entries = _own(SyncTimeEntries, t.TIME_ENTRIES)
    time_sessions = _own(SyncTimeSessions, t.TIME_SESSIONS)

    connectors = _own(SyncConnectors)
    geocoding = _own(SyncGeocoding)
    imports = _own(SyncImports)
    messages = _own(SyncMessages)
    optimization = _own(SyncOptimization)
    recommendation = _own(SyncRecommendation)
    recurring_appointments = _own(SyncRecurringAppointments)
    users = _own(SyncUsers)


class AsyncResources:
    """Resource accessors of `AsyncDimeSchedulerClient` (the client is the executor)."""

    action_uris = _acrud(t.ACTION_URIS)
    appointment_categories = _acrud(t.APPOINTMENT_CATEGORIES)
    appointment_contents = _acrud(t.APPOINTMENT_CONTENTS)
    appointment_containers = _acrud(t.APPOINTMENT_CONTAINERS)
    appointment_field_values = _acrud(t.APPOINTMENT_FIELD_VALUES)
    appointment_importances = _acrud(t.APPOINTMENT_IMPORTANCES)
    appointment_locked = _acrud(t.APPOINTMENT_LOCKED)
    appointment_planning_quantities = _acrud(t.APPOINTMENT_PLANNING_QUANTITIES)
    appointment_time_markers = _acrud(t.APPOINTMENT_TIME_MARKERS)
    appointment_uris = _acrud(t.APPOINTMENT_URIS)
    assignments = _acrud(t.ASSIGNMENTS)
    captions = _acrud(t.CAPTIONS)
    categories = _acrud(t.CATEGORIES)
    containers = _acrud(t.CONTAINERS)
    filter_groups = _acrud(t.FILTER_GROUPS)
    filter_values = _acrud(t.FILTER_VALUES)
    pins = _acrud(t.PINS)
    project_members = _acrud(t.PROJECT_MEMBERS)
    resources = _acrud(t.RESOURCES)
    resource_calendars = _acrud(t.RESOURCE_CALENDARS)
    resource_certificates = _acrud(t.RESOURCE_CERTIFICATES)
    resource_filter_values = _acrud(t.RESOURCE_FILTER_VALUES)
    resource_gps_trackings = _acrud(t.RESOURCE_GPS_TRACKINGS)
    resource_uris = _acrud(t.RESOURCE_URIS)
    tags = _acrud(t.TAGS)
    task_containers = _acrud(t.TASK_CONTAINERS)
    task_dependencies = _acrud(t.TASK_DEPENDENCIES)
    task_filter_values = _acrud(t.TASK_FILTER_VALUES)
    task_locked = _acrud(t.TASK_LOCKED)
    task_uris = _acrud(t.TASK_URIS)
    time_markers = _acrud(t.TIME_MARKERS)

    appointments = _aown(AsyncAppointments, t.APPOINTMENTS)
    appointment_dependencies = _alisting(t.APPOINTMENT_DEPENDENCIES)
    appointment_fields = _alisting(t.APPOINTMENT_FIELDS)
    jobs = _aown(AsyncJobs, t.JOBS)
    notifications = _aown(AsyncNotifications, t.NOTIFICATIONS)
    resource_capacities = _aown(AsyncResourceCapacities, t.RESOURCE_CAPACITIES)
    resource_types = _alisting(t.RESOURCE_TYPES)
    calendars = _alisting(t.CALENDARS)
    tasks = _aown(AsyncTasks, t.TASKS)
    task_assignments = _aown(AsyncTaskAssignments)
    task_budget_entries = _aown(AsyncTaskBudgetEntries)
    time_entries = _aown(AsyncTimeEntries, t.TIME_ENTRIES)
    time_sessions = _aown(AsyncTimeSessions, t.TIME_SESSIONS)

    connectors = _aown(AsyncConnectors)
    geocoding = _aown(AsyncGeocoding)
    imports = _aown(AsyncImports)
    messages = _aown(AsyncMessages)
    optimization = _aown(AsyncOptimization)
    recommendation = _aown(AsyncRecommendation)
    recurring_appointments = _aown(AsyncRecurringAppointments)
    users = _aown(AsyncUsers)
