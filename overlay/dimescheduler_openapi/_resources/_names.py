"""The stable model names of the overlay, each bound to a route (method + path) and a role there.

Data only: `nox -s generate` reads this file (scripts/specpipe/routes.py) and writes
`dimescheduler_raw.aliases`, where each name is an alias of the class openapi-python-client generated for
that route and role, whatever the vendor called the schema. Roles: "body" is the model of the JSON request
body (one object or a list of them), "response" the model of the success answer (the item model when the
answer is a list), "page_item" the model of the items of a page answer. Users import these names from
`dimescheduler_openapi.models`.
"""

from __future__ import annotations

from typing import Final

# Entity -> route of its CRUD operations. Each gets three names, even where the pinned document uses one
# schema for several of them: `<Entity>` (POST/PUT body), `<Entity>ListItem` (GET answer; for a paged
# answer the item, and `<Entity>Page` the page) and `<Entity>Delete` (DELETE body).
_CRUD_ROUTES: Final = {
    "ActionUri": "/actionUri",
    "Appointment": "/appointment",
    "AppointmentCategory": "/appointmentCategory",
    "AppointmentContainer": "/appointmentContainer",
    "AppointmentContent": "/appointmentcontent",
    "AppointmentFieldValue": "/appointmentFieldValue",
    "AppointmentImportance": "/appointmentImportance",
    "AppointmentLocked": "/appointmentLocked",
    "AppointmentPlanningQuantity": "/appointmentPlanningQuantity",
    "AppointmentTimeMarker": "/appointmentTimeMarker",
    "AppointmentUri": "/appointmentUri",
    "Assignment": "/assignment",
    "Caption": "/caption",
    "Category": "/category",
    "Container": "/container",
    "FilterGroup": "/filterGroup",
    "FilterValue": "/filterValue",
    "Job": "/job",
    "Notification": "/notification",
    "Pin": "/pin",
    "ProjectMember": "/projectMember",
    "Resource": "/resource",
    "ResourceCalendar": "/resourceCalendar",
    "ResourceCapacity": "/resourceCapacity",
    "ResourceCertificate": "/resourceCertificate",
    "ResourceFilterValue": "/resourceFilterValue",
    "ResourceGpsTracking": "/resourceGpsTracking",
    "ResourceUri": "/resourceUri",
    "Tag": "/tag",
    "Task": "/task",
    "TaskContainer": "/taskContainer",
    "TaskDependency": "/taskDependency",
    "TaskFilterValue": "/taskFilterValue",
    "TaskLocked": "/taskLocked",
    "TaskUri": "/taskUri",
    "TimeEntry": "/timeEntry",
    "TimeMarker": "/timeMarker",
    "TimeSession": "/timeSession",
}

_PAGED: Final = frozenset({"Notification"})


def _crud_names() -> dict[str, tuple[str, str, str]]:
    names: dict[str, tuple[str, str, str]] = {}
    for entity, route in _CRUD_ROUTES.items():
        names[entity] = ("POST", route, "body")
        if entity in _PAGED:
            names[f"{entity}Page"] = ("GET", route, "response")
            names[f"{entity}ListItem"] = ("GET", route, "page_item")
        else:
            names[f"{entity}ListItem"] = ("GET", route, "response")
        names[f"{entity}Delete"] = ("DELETE", route, "body")
    return names


STABLE_MODELS: Final[dict[str, tuple[str, str, str]]] = {
    **_crud_names(),
    # read-only lists
    "AppointmentDependency": ("GET", "/appointmentDependency", "response"),
    "AppointmentField": ("GET", "/appointmentField", "response"),
    "CalendarListItem": ("GET", "/calendar", "response"),
    "ResourceTypeListItem": ("GET", "/resourcetype", "response"),
    # services
    "Connector": ("POST", "/connector", "body"),
    "Geocode": ("POST", "/geocode", "body"),
    "GeocodeResult": ("POST", "/geocode", "response"),
    "ImportRequestBody": ("POST", "/import", "body"),
    "ImportSetup": ("POST", "/import/setup", "body"),
    "Message": ("POST", "/message", "body"),
    "OptimizationDailyRouteRequest": ("POST", "/optimization/dailyRoute", "body"),
    "OptimizationFieldServiceRequest": ("POST", "/optimization/fieldService", "body"),
    "OptimizationProfessionalServicesRequest": ("POST", "/optimization/professionalServices", "body"),
    "OptimizationResult": ("POST", "/optimization/fieldService", "response"),
    "RecommendationRequest": ("POST", "/recommendation", "body"),
    "RecommendationResponse": ("POST", "/recommendation", "response"),
    "RecommendationScorers": ("GET", "/recommendation/scorers", "response"),
    "RecurringAppointmentRequest": ("POST", "/appointmentRecurring", "body"),
    "TaskAssignment": ("POST", "/taskAssignment", "body"),
    "TaskBudgetEntry": ("POST", "/taskBudgetEntry", "body"),
    "User": ("POST", "/user", "body"),
}
"""Stable name -> (HTTP method, path template, role)."""
