"""The table behind the generic resources: accessor -> route.

Each row is `Crud(route)`: POST/PUT send write models, DELETE sends delete models, GET answers a list of
read models (`single_read`: one object, e.g. a page). `Listing` rows are read-only. At run time the models
are resolved through the generated route table; the annotations give mypy and IDEs the stable names of
`dimescheduler_raw.aliases` (declared in `_names.py` for the same route and role; a test checks they agree).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from ._crud import Crud, Listing

if TYPE_CHECKING:
    from dimescheduler_raw.aliases import (
        ActionUri,
        ActionUriDelete,
        ActionUriListItem,
        Appointment,
        AppointmentCategory,
        AppointmentCategoryDelete,
        AppointmentCategoryListItem,
        AppointmentContainer,
        AppointmentContainerDelete,
        AppointmentContainerListItem,
        AppointmentContent,
        AppointmentContentDelete,
        AppointmentContentListItem,
        AppointmentDelete,
        AppointmentDependency,
        AppointmentField,
        AppointmentFieldValue,
        AppointmentFieldValueDelete,
        AppointmentFieldValueListItem,
        AppointmentImportance,
        AppointmentImportanceDelete,
        AppointmentImportanceListItem,
        AppointmentListItem,
        AppointmentLocked,
        AppointmentLockedDelete,
        AppointmentLockedListItem,
        AppointmentPlanningQuantity,
        AppointmentPlanningQuantityDelete,
        AppointmentPlanningQuantityListItem,
        AppointmentTimeMarker,
        AppointmentTimeMarkerDelete,
        AppointmentTimeMarkerListItem,
        AppointmentUri,
        AppointmentUriDelete,
        AppointmentUriListItem,
        Assignment,
        AssignmentDelete,
        AssignmentListItem,
        CalendarListItem,
        Caption,
        CaptionDelete,
        CaptionListItem,
        Category,
        CategoryDelete,
        CategoryListItem,
        Container,
        ContainerDelete,
        ContainerListItem,
        FilterGroup,
        FilterGroupDelete,
        FilterGroupListItem,
        FilterValue,
        FilterValueDelete,
        FilterValueListItem,
        Job,
        JobDelete,
        JobListItem,
        Notification,
        NotificationDelete,
        NotificationPage,
        Pin,
        PinDelete,
        PinListItem,
        ProjectMember,
        ProjectMemberDelete,
        ProjectMemberListItem,
        Resource,
        ResourceCalendar,
        ResourceCalendarDelete,
        ResourceCalendarListItem,
        ResourceCapacity,
        ResourceCapacityDelete,
        ResourceCapacityListItem,
        ResourceCertificate,
        ResourceCertificateDelete,
        ResourceCertificateListItem,
        ResourceDelete,
        ResourceFilterValue,
        ResourceFilterValueDelete,
        ResourceFilterValueListItem,
        ResourceGpsTracking,
        ResourceGpsTrackingDelete,
        ResourceGpsTrackingListItem,
        ResourceListItem,
        ResourceTypeListItem,
        ResourceUri,
        ResourceUriDelete,
        ResourceUriListItem,
        Tag,
        TagDelete,
        TagListItem,
        Task,
        TaskContainer,
        TaskContainerDelete,
        TaskContainerListItem,
        TaskDelete,
        TaskDependency,
        TaskDependencyDelete,
        TaskDependencyListItem,
        TaskFilterValue,
        TaskFilterValueDelete,
        TaskFilterValueListItem,
        TaskListItem,
        TaskLocked,
        TaskLockedDelete,
        TaskLockedListItem,
        TaskUri,
        TaskUriDelete,
        TaskUriListItem,
        TimeEntry,
        TimeEntryDelete,
        TimeEntryListItem,
        TimeMarker,
        TimeMarkerDelete,
        TimeMarkerListItem,
        TimeSession,
        TimeSessionDelete,
        TimeSessionListItem,
    )

ACTION_URIS: Crud[ActionUri, list[ActionUriListItem], ActionUriDelete] = Crud("/actionUri")
APPOINTMENT_CATEGORIES: Crud[
    AppointmentCategory, list[AppointmentCategoryListItem], AppointmentCategoryDelete
] = Crud("/appointmentCategory")
APPOINTMENT_CONTENTS: Crud[AppointmentContent, list[AppointmentContentListItem], AppointmentContentDelete] = (
    Crud("/appointmentcontent")
)
APPOINTMENT_CONTAINERS: Crud[
    AppointmentContainer, list[AppointmentContainerListItem], AppointmentContainerDelete
] = Crud("/appointmentContainer")
APPOINTMENT_FIELD_VALUES: Crud[
    AppointmentFieldValue, list[AppointmentFieldValueListItem], AppointmentFieldValueDelete
] = Crud("/appointmentFieldValue")
APPOINTMENT_IMPORTANCES: Crud[
    AppointmentImportance, list[AppointmentImportanceListItem], AppointmentImportanceDelete
] = Crud("/appointmentImportance")
APPOINTMENT_LOCKED: Crud[AppointmentLocked, list[AppointmentLockedListItem], AppointmentLockedDelete] = Crud(
    "/appointmentLocked"
)
APPOINTMENT_PLANNING_QUANTITIES: Crud[
    AppointmentPlanningQuantity, list[AppointmentPlanningQuantityListItem], AppointmentPlanningQuantityDelete
] = Crud("/appointmentPlanningQuantity")
APPOINTMENT_TIME_MARKERS: Crud[
    AppointmentTimeMarker, list[AppointmentTimeMarkerListItem], AppointmentTimeMarkerDelete
] = Crud("/appointmentTimeMarker")
APPOINTMENT_URIS: Crud[AppointmentUri, list[AppointmentUriListItem], AppointmentUriDelete] = Crud(
    "/appointmentUri"
)
ASSIGNMENTS: Crud[Assignment, list[AssignmentListItem], AssignmentDelete] = Crud("/assignment")
CAPTIONS: Crud[Caption, list[CaptionListItem], CaptionDelete] = Crud("/caption")
CATEGORIES: Crud[Category, list[CategoryListItem], CategoryDelete] = Crud("/category")
CONTAINERS: Crud[Container, list[ContainerListItem], ContainerDelete] = Crud("/container")
FILTER_GROUPS: Crud[FilterGroup, list[FilterGroupListItem], FilterGroupDelete] = Crud("/filterGroup")
FILTER_VALUES: Crud[FilterValue, list[FilterValueListItem], FilterValueDelete] = Crud("/filterValue")
PINS: Crud[Pin, list[PinListItem], PinDelete] = Crud("/pin")
PROJECT_MEMBERS: Crud[ProjectMember, list[ProjectMemberListItem], ProjectMemberDelete] = Crud(
    "/projectMember"
)
RESOURCES: Crud[Resource, list[ResourceListItem], ResourceDelete] = Crud("/resource")
RESOURCE_CALENDARS: Crud[ResourceCalendar, list[ResourceCalendarListItem], ResourceCalendarDelete] = Crud(
    "/resourceCalendar"
)
RESOURCE_CERTIFICATES: Crud[
    ResourceCertificate, list[ResourceCertificateListItem], ResourceCertificateDelete
] = Crud("/resourceCertificate")
RESOURCE_FILTER_VALUES: Crud[
    ResourceFilterValue, list[ResourceFilterValueListItem], ResourceFilterValueDelete
] = Crud("/resourceFilterValue")
RESOURCE_GPS_TRACKINGS: Crud[
    ResourceGpsTracking, list[ResourceGpsTrackingListItem], ResourceGpsTrackingDelete
] = Crud("/resourceGpsTracking")
RESOURCE_URIS: Crud[ResourceUri, list[ResourceUriListItem], ResourceUriDelete] = Crud("/resourceUri")
TAGS: Crud[Tag, list[TagListItem], TagDelete] = Crud("/tag")
TASK_CONTAINERS: Crud[TaskContainer, list[TaskContainerListItem], TaskContainerDelete] = Crud(
    "/taskContainer"
)
TASK_DEPENDENCIES: Crud[TaskDependency, list[TaskDependencyListItem], TaskDependencyDelete] = Crud(
    "/taskDependency"
)
TASK_FILTER_VALUES: Crud[TaskFilterValue, list[TaskFilterValueListItem], TaskFilterValueDelete] = Crud(
    "/taskFilterValue"
)
TASK_LOCKED: Crud[TaskLocked, list[TaskLockedListItem], TaskLockedDelete] = Crud("/taskLocked")
TASK_URIS: Crud[TaskUri, list[TaskUriListItem], TaskUriDelete] = Crud("/taskUri")
TIME_MARKERS: Crud[TimeMarker, list[TimeMarkerListItem], TimeMarkerDelete] = Crud("/timeMarker")
APPOINTMENTS: Crud[Appointment, list[AppointmentListItem], AppointmentDelete] = Crud("/appointment")
JOBS: Crud[Job, list[JobListItem], JobDelete] = Crud("/job")
NOTIFICATIONS: Crud[Notification, NotificationPage, NotificationDelete] = Crud(
    "/notification", single_read=True
)
RESOURCE_CAPACITIES: Crud[ResourceCapacity, list[ResourceCapacityListItem], ResourceCapacityDelete] = Crud(
    "/resourceCapacity"
)
TASKS: Crud[Task, list[TaskListItem], TaskDelete] = Crud("/task")
TIME_ENTRIES: Crud[TimeEntry, list[TimeEntryListItem], TimeEntryDelete] = Crud("/timeEntry")
TIME_SESSIONS: Crud[TimeSession, list[TimeSessionListItem], TimeSessionDelete] = Crud("/timeSession")

APPOINTMENT_DEPENDENCIES: Listing[AppointmentDependency] = Listing("/appointmentDependency")
APPOINTMENT_FIELDS: Listing[AppointmentField] = Listing("/appointmentField")
CALENDARS: Listing[CalendarListItem] = Listing("/calendar")
RESOURCE_TYPES: Listing[ResourceTypeListItem] = Listing("/resourcetype")
