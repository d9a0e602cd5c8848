"""The table behind the generic resources: accessor -> route and its models in `dimescheduler_raw.models`.

Each row is `Crud(route, write model, read model, delete model)`: POST/PUT send write models, DELETE sends
delete models, GET answers a list of read models (`single_read`: one object, e.g. a page). `Listing` rows
are read-only. The annotation repeats the model names as types so accessors are typed for mypy; a test
checks that both spellings agree.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from ._crud import Crud, Listing

if TYPE_CHECKING:
    from dimescheduler_raw.models import (
        ActionUri,
        ActionUriDelete,
        ActionUriListItem,
        Appointment,
        AppointmentCategory,
        AppointmentCategoryListItem,
        AppointmentContainer,
        AppointmentContainerListItem,
        AppointmentContent,
        AppointmentContentListItem,
        AppointmentDelete,
        AppointmentDependency,
        AppointmentField,
        AppointmentFieldValue,
        AppointmentFieldValueListItem,
        AppointmentImportance,
        AppointmentImportanceListItem,
        AppointmentListItem,
        AppointmentLocked,
        AppointmentLockedListItem,
        AppointmentPlanningQuantity,
        AppointmentPlanningQuantityListItem,
        AppointmentTimeMarker,
        AppointmentTimeMarkerListItem,
        AppointmentUri,
        AppointmentUriDelete,
        AppointmentUriListItem,
        Assignment,
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
        Resource,
        ResourceCalendar,
        ResourceCalendarDelete,
        ResourceCalendarListItem,
        ResourceCapacity,
        ResourceCapacityListItem,
        ResourceCertificate,
        ResourceCertificateDelete,
        ResourceCertificateListItem,
        ResourceFilterValue,
        ResourceFilterValueDelete,
        ResourceFilterValueListItem,
        ResourceGpsTracking,
        ResourceGpsTrackingListItem,
        ResourceListItem,
        ResourceTypeListItem,
        ResourceUri,
        ResourceUriDelete,
        ResourceUriListItem,
        Tag,
        Task,
        TaskContainer,
        TaskContainerDelete,
        TaskContainerListItem,
        TaskDelete,
        TaskDependency,
        TaskFilterValue,
        TaskFilterValueDelete,
        TaskFilterValueListItem,
        TaskListItem,
        TaskLocked,
        TaskLockedListItem,
        TaskUri,
        TaskUriDelete,
        TaskUriListItem,
        TimeEntry,
        TimeMarker,
        TimeMarkerDelete,
        TimeMarkerListItem,
        TimeSession,
    )

ACTION_URIS: Crud[ActionUri, list[ActionUriListItem], ActionUriDelete] = Crud(
    "/actionUri", "ActionUri", "ActionUriListItem", "ActionUriDelete"
)
APPOINTMENT_CATEGORIES: Crud[AppointmentCategory, list[AppointmentCategoryListItem], AppointmentCategory] = (
    Crud("/appointmentCategory", "AppointmentCategory", "AppointmentCategoryListItem", "AppointmentCategory")
)
APPOINTMENT_CONTENTS: Crud[AppointmentContent, list[AppointmentContentListItem], AppointmentContent] = Crud(
    "/appointmentcontent", "AppointmentContent", "AppointmentContentListItem", "AppointmentContent"
)
APPOINTMENT_CONTAINERS: Crud[
    AppointmentContainer, list[AppointmentContainerListItem], AppointmentContainer
] = Crud(
    "/appointmentContainer", "AppointmentContainer", "AppointmentContainerListItem", "AppointmentContainer"
)
APPOINTMENT_FIELD_VALUES: Crud[
    AppointmentFieldValue, list[AppointmentFieldValueListItem], AppointmentFieldValue
] = Crud(
    "/appointmentFieldValue",
    "AppointmentFieldValue",
    "AppointmentFieldValueListItem",
    "AppointmentFieldValue",
)
APPOINTMENT_IMPORTANCES: Crud[
    AppointmentImportance, list[AppointmentImportanceListItem], AppointmentImportance
] = Crud(
    "/appointmentImportance",
    "AppointmentImportance",
    "AppointmentImportanceListItem",
    "AppointmentImportance",
)
APPOINTMENT_LOCKED: Crud[AppointmentLocked, list[AppointmentLockedListItem], AppointmentLocked] = Crud(
    "/appointmentLocked", "AppointmentLocked", "AppointmentLockedListItem", "AppointmentLocked"
)
APPOINTMENT_PLANNING_QUANTITIES: Crud[
    AppointmentPlanningQuantity, list[AppointmentPlanningQuantityListItem], AppointmentPlanningQuantity
] = Crud(
    "/appointmentPlanningQuantity",
    "AppointmentPlanningQuantity",
    "AppointmentPlanningQuantityListItem",
    "AppointmentPlanningQuantity",
)
APPOINTMENT_TIME_MARKERS: Crud[
    AppointmentTimeMarker, list[AppointmentTimeMarkerListItem], AppointmentTimeMarker
] = Crud(
    "/appointmentTimeMarker",
    "AppointmentTimeMarker",
    "AppointmentTimeMarkerListItem",
    "AppointmentTimeMarker",
)
APPOINTMENT_URIS: Crud[AppointmentUri, list[AppointmentUriListItem], AppointmentUriDelete] = Crud(
    "/appointmentUri", "AppointmentUri", "AppointmentUriListItem", "AppointmentUriDelete"
)
ASSIGNMENTS: Crud[Assignment, list[AssignmentListItem], Assignment] = Crud(
    "/assignment", "Assignment", "AssignmentListItem", "Assignment"
)
CAPTIONS: Crud[Caption, list[CaptionListItem], CaptionDelete] = Crud(
    "/caption", "Caption", "CaptionListItem", "CaptionDelete"
)
CATEGORIES: Crud[Category, list[CategoryListItem], CategoryDelete] = Crud(
    "/category", "Category", "CategoryListItem", "CategoryDelete"
)
CONTAINERS: Crud[Container, list[ContainerListItem], ContainerDelete] = Crud(
    "/container", "Container", "ContainerListItem", "ContainerDelete"
)
FILTER_GROUPS: Crud[FilterGroup, list[FilterGroupListItem], FilterGroupDelete] = Crud(
    "/filterGroup", "FilterGroup", "FilterGroupListItem", "FilterGroupDelete"
)
FILTER_VALUES: Crud[FilterValue, list[FilterValueListItem], FilterValue] = Crud(
    "/filterValue", "FilterValue", "FilterValueListItem", "FilterValue"
)
PINS: Crud[Pin, list[PinListItem], PinDelete] = Crud("/pin", "Pin", "PinListItem", "PinDelete")
PROJECT_MEMBERS: Crud[ProjectMember, list[ProjectMember], ProjectMember] = Crud(
    "/projectMember", "ProjectMember", "ProjectMember", "ProjectMember"
)
RESOURCES: Crud[Resource, list[ResourceListItem], Resource] = Crud(
    "/resource", "Resource", "ResourceListItem", "Resource"
)
RESOURCE_CALENDARS: Crud[ResourceCalendar, list[ResourceCalendarListItem], ResourceCalendarDelete] = Crud(
    "/resourceCalendar", "ResourceCalendar", "ResourceCalendarListItem", "ResourceCalendarDelete"
)
RESOURCE_CERTIFICATES: Crud[
    ResourceCertificate, list[ResourceCertificateListItem], ResourceCertificateDelete
] = Crud(
    "/resourceCertificate", "ResourceCertificate", "ResourceCertificateListItem", "ResourceCertificateDelete"
)
RESOURCE_FILTER_VALUES: Crud[
    ResourceFilterValue, list[ResourceFilterValueListItem], ResourceFilterValueDelete
] = Crud(
    "/resourceFilterValue", "ResourceFilterValue", "ResourceFilterValueListItem", "ResourceFilterValueDelete"
)
RESOURCE_GPS_TRACKINGS: Crud[ResourceGpsTracking, list[ResourceGpsTrackingListItem], ResourceGpsTracking] = (
    Crud("/resourceGpsTracking", "ResourceGpsTracking", "ResourceGpsTrackingListItem", "ResourceGpsTracking")
)
RESOURCE_URIS: Crud[ResourceUri, list[ResourceUriListItem], ResourceUriDelete] = Crud(
    "/resourceUri", "ResourceUri", "ResourceUriListItem", "ResourceUriDelete"
)
TAGS: Crud[Tag, list[Tag], Tag] = Crud("/tag", "Tag", "Tag", "Tag")
TASK_CONTAINERS: Crud[TaskContainer, list[TaskContainerListItem], TaskContainerDelete] = Crud(
    "/taskContainer", "TaskContainer", "TaskContainerListItem", "TaskContainerDelete"
)
TASK_DEPENDENCIES: Crud[TaskDependency, list[TaskDependency], TaskDependency] = Crud(
    "/taskDependency", "TaskDependency", "TaskDependency", "TaskDependency"
)
TASK_FILTER_VALUES: Crud[TaskFilterValue, list[TaskFilterValueListItem], TaskFilterValueDelete] = Crud(
    "/taskFilterValue", "TaskFilterValue", "TaskFilterValueListItem", "TaskFilterValueDelete"
)
TASK_LOCKED: Crud[TaskLocked, list[TaskLockedListItem], TaskLocked] = Crud(
    "/taskLocked", "TaskLocked", "TaskLockedListItem", "TaskLocked"
)
TASK_URIS: Crud[TaskUri, list[TaskUriListItem], TaskUriDelete] = Crud(
    "/taskUri", "TaskUri", "TaskUriListItem", "TaskUriDelete"
)
TIME_MARKERS: Crud[TimeMarker, list[TimeMarkerListItem], TimeMarkerDelete] = Crud(
    "/timeMarker", "TimeMarker", "TimeMarkerListItem", "TimeMarkerDelete"
)
APPOINTMENTS: Crud[Appointment, list[AppointmentListItem], AppointmentDelete] = Crud(
    "/appointment", "Appointment", "AppointmentListItem", "AppointmentDelete"
)
JOBS: Crud[Job, list[JobListItem], JobDelete] = Crud("/job", "Job", "JobListItem", "JobDelete")
NOTIFICATIONS: Crud[Notification, NotificationPage, NotificationDelete] = Crud(
    "/notification", "Notification", "NotificationPage", "NotificationDelete", single_read=True
)
RESOURCE_CAPACITIES: Crud[ResourceCapacity, list[ResourceCapacityListItem], ResourceCapacity] = Crud(
    "/resourceCapacity", "ResourceCapacity", "ResourceCapacityListItem", "ResourceCapacity"
)
TASKS: Crud[Task, list[TaskListItem], TaskDelete] = Crud("/task", "Task", "TaskListItem", "TaskDelete")
TIME_ENTRIES: Crud[TimeEntry, list[TimeEntry], TimeEntry] = Crud(
    "/timeEntry", "TimeEntry", "TimeEntry", "TimeEntry"
)
TIME_SESSIONS: Crud[TimeSession, list[TimeSession], TimeSession] = Crud(
    "/timeSession", "TimeSession", "TimeSession", "TimeSession"
)

APPOINTMENT_DEPENDENCIES: Listing[AppointmentDependency] = Listing(
    "/appointmentDependency", "AppointmentDependency"
)
APPOINTMENT_FIELDS: Listing[AppointmentField] = Listing("/appointmentField", "AppointmentField")
CALENDARS: Listing[CalendarListItem] = Listing("/calendar", "CalendarListItem")
RESOURCE_TYPES: Listing[ResourceTypeListItem] = Listing("/resourcetype", "ResourceTypeListItem")
