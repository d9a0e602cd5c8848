"""The accessor mixins the clients inherit: `client.categories`, `client.appointments`, ...

Names and methods follow the vendor SDK (dimescheduler 0.3.1). Each accessor is a `cached_property`
building its resource on first use with the client itself as executor.
"""

from __future__ import annotations

from functools import cached_property
from typing import TypeVar

from . import _table as t
from ._crud import AsyncCrud, AsyncListing, Crud, Listing, SyncCrud, SyncListing
from ._endpoint import ToDict
from ._executor import AsyncExecutor, SyncExecutor
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

W = TypeVar("W", bound=ToDict)
D = TypeVar("D", bound=ToDict)
L = TypeVar("L")
R = TypeVar("R")


def _crud(spec: Crud[W, L, D]) -> cached_property[SyncCrud[W, L, D]]:
    def make(client: SyncExecutor) -> SyncCrud[W, L, D]:
        return SyncCrud(client, spec)

    return cached_property(make)


def _acrud(spec: Crud[W, L, D]) -> cached_property[AsyncCrud[W, L, D]]:
    def make(client: AsyncExecutor) -> AsyncCrud[W, L, D]:
        return AsyncCrud(client, spec)

    return cached_property(make)


def _listing(spec: Listing[R]) -> cached_property[SyncListing[R]]:
    def make(client: SyncExecutor) -> SyncListing[R]:
        return SyncListing(client, spec)

    return cached_property(make)


def _alisting(spec: Listing[R]) -> cached_property[AsyncListing[R]]:
    def make(client: AsyncExecutor) -> AsyncListing[R]:
        return AsyncListing(client, spec)

    return cached_property(make)


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

    appointments = cached_property(SyncAppointments)
    appointment_dependencies = _listing(t.APPOINTMENT_DEPENDENCIES)
    appointment_fields = _listing(t.APPOINTMENT_FIELDS)
    jobs = cached_property(SyncJobs)
    notifications = cached_property(SyncNotifications)
    resource_capacities = cached_property(SyncResourceCapacities)
    resource_types = _listing(t.RESOURCE_TYPES)
    calendars = _listing(t.CALENDARS)
    tasks = cached_property(SyncTasks)
    task_assignments = cached_property(SyncTaskAssignments)
    task_budget_entries = cached_property(SyncTaskBudgetEntries)
    time_entries = cached_property(SyncTimeEntries)
    time_sessions = cached_property(SyncTimeSessions)

    connectors = cached_property(SyncConnectors)
    geocoding = cached_property(SyncGeocoding)
    imports = cached_property(SyncImports)
    messages = cached_property(SyncMessages)
    optimization = cached_property(SyncOptimization)
    recommendation = cached_property(SyncRecommendation)
    recurring_appointments = cached_property(SyncRecurringAppointments)
    users = cached_property(SyncUsers)


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

    appointments = cached_property(AsyncAppointments)
    appointment_dependencies = _alisting(t.APPOINTMENT_DEPENDENCIES)
    appointment_fields = _alisting(t.APPOINTMENT_FIELDS)
    jobs = cached_property(AsyncJobs)
    notifications = cached_property(AsyncNotifications)
    resource_capacities = cached_property(AsyncResourceCapacities)
    resource_types = _alisting(t.RESOURCE_TYPES)
    calendars = _alisting(t.CALENDARS)
    tasks = cached_property(AsyncTasks)
    task_assignments = cached_property(AsyncTaskAssignments)
    task_budget_entries = cached_property(AsyncTaskBudgetEntries)
    time_entries = cached_property(AsyncTimeEntries)
    time_sessions = cached_property(AsyncTimeSessions)

    connectors = cached_property(AsyncConnectors)
    geocoding = cached_property(AsyncGeocoding)
    imports = cached_property(AsyncImports)
    messages = cached_property(AsyncMessages)
    optimization = cached_property(AsyncOptimization)
    recommendation = cached_property(AsyncRecommendation)
    recurring_appointments = cached_property(AsyncRecurringAppointments)
    users = cached_property(AsyncUsers)
