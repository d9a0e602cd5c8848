"""Resources with a shape of their own: geocoding, optimization, recommendation, messages, connectors,
users, imports, recurring appointments, task assignments and task budget entries.

Call builders are module functions shared by the sync and async classes; each class's `_EXTRA` declares
the operation behind every method.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from typing import TYPE_CHECKING, Any, ClassVar, TypeAlias, TypeVar

import httpx

from .._call import Call
from .._parsing import MutationResult, parse_json, parse_mutation
from ._body_check import checked_body
from ._endpoint import Endpoint, ToDict, query, text
from ._executor import AsyncResource, Deadline, SyncResource, Timeout
from ._resolve import parse_list, parse_one

if TYPE_CHECKING:
    from dimescheduler_raw.aliases import (
        Connector,
        Geocode,
        GeocodeResult,
        ImportRequestBody,
        ImportSetup,
        Message,
        OptimizationDailyRouteRequest,
        OptimizationFieldServiceRequest,
        OptimizationProfessionalServicesRequest,
        OptimizationResult,
        RecommendationRequest,
        RecommendationResponse,
        RecommendationScorers,
        RecurringAppointmentRequest,
        TaskAssignment,
        TaskBudgetEntry,
        User,
    )

    from .._imports._request import ImportRequest

T = TypeVar("T")
JsonObject = Mapping[str, Any]
ImportItem: TypeAlias = "ImportRequest | ImportRequestBody | JsonObject"
ImportPayload: TypeAlias = "ImportItem | Sequence[ImportItem]"
"""What `imports.run` takes: the overlay's builder results, the generated model or wire-form dicts."""

GEOCODE = Endpoint("POST", "/geocode")
GEOCODE_TEXT = Endpoint("GET", "/geocode")
FIELD_SERVICE = Endpoint("POST", "/optimization/fieldService")
PROFESSIONAL_SERVICES = Endpoint("POST", "/optimization/professionalServices")
DAILY_ROUTE = Endpoint("POST", "/optimization/dailyRoute")
RECOMMENDATION = Endpoint("POST", "/recommendation")
SCORERS = Endpoint("GET", "/recommendation/scorers")
MESSAGE = Endpoint("POST", "/message")
CONNECTOR = Endpoint("POST", "/connector")
USER = Endpoint("POST", "/user")
IMPORT = Endpoint("POST", "/import")
IMPORT_SETUP = Endpoint("POST", "/import/setup")
RECURRING_CREATE = Endpoint("POST", "/appointmentRecurring")
RECURRING_DELETE = Endpoint("DELETE", "/appointmentRecurring")
ASSIGNMENT_CREATE = Endpoint("POST", "/taskAssignment")
ASSIGNMENT_DELETE = Endpoint("DELETE", "/taskAssignment")
BUDGET_CREATE = Endpoint("POST", "/taskBudgetEntry")
BUDGET_DELETE = Endpoint("DELETE", "/taskBudgetEntry")


def body_call(
    endpoint: Endpoint, value: Any, parse: Callable[[httpx.Response], T], *, many: bool = False
) -> Call[T]:
    """A call whose body is one object (or, with `many`, one or a list of them)."""
    body = checked_body(endpoint, value, f"{endpoint.method} {endpoint.path}: the body", many=many)
    return endpoint.call(parse, body=body, has_body=True)


def geocode_call(address: Geocode | JsonObject) -> Call[GeocodeResult]:
    return body_call(GEOCODE, address, parse_one(GEOCODE))


def geocode_text_call(address: str, country: str) -> Call[GeocodeResult]:
    params = query({"address": text(address, "address"), "country": text(country, "country")})
    return GEOCODE_TEXT.call(parse_one(GEOCODE_TEXT), params=params)


def optimization_call(endpoint: Endpoint, request: JsonObject | ToDict) -> Call[OptimizationResult]:
    return body_call(endpoint, request, parse_one(endpoint))


def recommendation_call(request: RecommendationRequest | JsonObject) -> Call[RecommendationResponse]:
    return body_call(RECOMMENDATION, request, parse_one(RECOMMENDATION))


def scorers_call() -> Call[list[RecommendationScorers]]:
    return SCORERS.call(parse_list(SCORERS))


# --- sync ---------------------------------------------------------------------------------------------


class SyncGeocoding(SyncResource):
    __slots__ = ()
    _EXTRA: ClassVar[Mapping[str, Endpoint]] = {"geocode": GEOCODE, "geocode_text": GEOCODE_TEXT}

    def geocode(
        self, address: Geocode | JsonObject, *, timeout: Timeout = None, deadline: Deadline = None
    ) -> GeocodeResult:
        """Coordinates of a structured address."""
        return self._run(geocode_call(address), timeout, deadline)

    def geocode_text(
        self, address: str, country: str, *, timeout: Timeout = None, deadline: Deadline = None
    ) -> GeocodeResult:
        """Coordinates of a free-text address in a country (e.g. "BE")."""
        return self._run(geocode_text_call(address, country), timeout, deadline)


class SyncOptimization(SyncResource):
    __slots__ = ()
    _EXTRA: ClassVar[Mapping[str, Endpoint]] = {
        "field_service": FIELD_SERVICE,
        "professional_services": PROFESSIONAL_SERVICES,
        "daily_route": DAILY_ROUTE,
    }

    def field_service(
        self,
        request: OptimizationFieldServiceRequest | JsonObject,
        *,
        timeout: Timeout = None,
        deadline: Deadline = None,
    ) -> OptimizationResult:
        """An optimized field-service plan (routes and visits) for the request's resources and tasks."""
        return self._run(optimization_call(FIELD_SERVICE, request), timeout, deadline)

    def professional_services(
        self,
        request: OptimizationProfessionalServicesRequest | JsonObject,
        *,
        timeout: Timeout = None,
        deadline: Deadline = None,
    ) -> OptimizationResult:
        """An optimized professional-services plan (who works on what, when) for the request."""
        return self._run(optimization_call(PROFESSIONAL_SERVICES, request), timeout, deadline)

    def daily_route(
        self,
        request: OptimizationDailyRouteRequest | JsonObject,
        *,
        timeout: Timeout = None,
        deadline: Deadline = None,
    ) -> OptimizationResult:
        """An optimized route for one resource's day."""
        return self._run(optimization_call(DAILY_ROUTE, request), timeout, deadline)


class SyncRecommendation(SyncResource):
    __slots__ = ()
    _EXTRA: ClassVar[Mapping[str, Endpoint]] = {"get": RECOMMENDATION, "scorers": SCORERS}

    def get(
        self,
        request: RecommendationRequest | JsonObject,
        *,
        timeout: Timeout = None,
        deadline: Deadline = None,
    ) -> RecommendationResponse:
        """Recommended resources and slots for a piece of work."""
        return self._run(recommendation_call(request), timeout, deadline)

    def scorers(self, *, timeout: Timeout = None, deadline: Deadline = None) -> list[RecommendationScorers]:
        """The scorers the recommendation engine can weigh."""
        return self._run(scorers_call(), timeout, deadline)


class SyncMessages(SyncResource):
    __slots__ = ()
    _EXTRA: ClassVar[Mapping[str, Endpoint]] = {"send": MESSAGE}

    def send(
        self, message: Message | JsonObject, *, timeout: Timeout = None, deadline: Deadline = None
    ) -> MutationResult:
        """Send a message to Dime.Scheduler users (shown in the planning board)."""
        return self._run(body_call(MESSAGE, message, parse_mutation), timeout, deadline)


class SyncConnectors(SyncResource):
    __slots__ = ()
    _EXTRA: ClassVar[Mapping[str, Endpoint]] = {"create": CONNECTOR}

    def create(
        self, request: Connector | JsonObject, *, timeout: Timeout = None, deadline: Deadline = None
    ) -> MutationResult:
        """Register a connector (a back-office system Dime.Scheduler calls back)."""
        return self._run(body_call(CONNECTOR, request, parse_mutation), timeout, deadline)


class SyncUsers(SyncResource):
    __slots__ = ()
    _EXTRA: ClassVar[Mapping[str, Endpoint]] = {"create": USER}

    def create(
        self, user: User | JsonObject, *, timeout: Timeout = None, deadline: Deadline = None
    ) -> MutationResult:
        """Create a Dime.Scheduler user."""
        return self._run(body_call(USER, user, parse_mutation), timeout, deadline)


class SyncImports(SyncResource):
    __slots__ = ()
    _EXTRA: ClassVar[Mapping[str, Endpoint]] = {"run": IMPORT, "setup": IMPORT_SETUP}

    def run(
        self,
        payload: ImportPayload,
        *,
        timeout: Timeout = None,
        deadline: Deadline = None,
    ) -> MutationResult:
        """Run one import request (stored procedure + parameters) or a list of them.

        Takes what `procedures.<entity>.append(...)` / `.delete(...)` build (`ImportRequest`), the generated
        model `ImportRequestBody`, dicts in wire form (`StoredProcedureName`, `ParameterNames`,
        `ParameterValues`), or a list mixing them. For thousands of records use `run_bulk` (chunks,
        concurrency, a report per chunk).

        Sends: JSON body: one object or an array of `{StoredProcedureName, ParameterNames, ParameterValues}`.
        """
        return self._run(body_call(IMPORT, payload, parse_mutation, many=True), timeout, deadline)

    def setup(
        self, payload: ImportSetup | JsonObject, *, timeout: Timeout = None, deadline: Deadline = None
    ) -> Any:
        """The answer is returned as parsed JSON: the API documents no shape for it."""
        return self._run(body_call(IMPORT_SETUP, payload, parse_json), timeout, deadline)


class SyncRecurringAppointments(SyncResource):
    __slots__ = ()
    _EXTRA: ClassVar[Mapping[str, Endpoint]] = {"create": RECURRING_CREATE, "delete": RECURRING_DELETE}

    def create(
        self,
        request: RecurringAppointmentRequest | JsonObject,
        *,
        timeout: Timeout = None,
        deadline: Deadline = None,
    ) -> Any:
        """The answer is returned as parsed JSON: the API documents no shape for it."""
        return self._run(body_call(RECURRING_CREATE, request, parse_json), timeout, deadline)

    def delete(
        self,
        request: RecurringAppointmentRequest | JsonObject,
        *,
        timeout: Timeout = None,
        deadline: Deadline = None,
    ) -> Any:
        """The answer is returned as parsed JSON: the API documents no shape for it."""
        return self._run(body_call(RECURRING_DELETE, request, parse_json), timeout, deadline)


class SyncTaskAssignments(SyncResource):
    __slots__ = ()
    _EXTRA: ClassVar[Mapping[str, Endpoint]] = {"create": ASSIGNMENT_CREATE, "delete": ASSIGNMENT_DELETE}

    def create(
        self, request: TaskAssignment | JsonObject, *, timeout: Timeout = None, deadline: Deadline = None
    ) -> MutationResult:
        """Assign a resource to a task."""
        return self._run(body_call(ASSIGNMENT_CREATE, request, parse_mutation), timeout, deadline)

    def delete(
        self, request: TaskAssignment | JsonObject, *, timeout: Timeout = None, deadline: Deadline = None
    ) -> Any:
        """Remove an assignment; the answer is parsed JSON (the API documents no shape for it)."""
        return self._run(body_call(ASSIGNMENT_DELETE, request, parse_json), timeout, deadline)


class SyncTaskBudgetEntries(SyncResource):
    """Append-only budget movements: the API has create and delete, no update or list."""

    __slots__ = ()
    _EXTRA: ClassVar[Mapping[str, Endpoint]] = {"create": BUDGET_CREATE, "delete": BUDGET_DELETE}

    def create(
        self,
        entity: TaskBudgetEntry | JsonObject | Sequence[TaskBudgetEntry | JsonObject],
        *,
        timeout: Timeout = None,
        deadline: Deadline = None,
    ) -> MutationResult:
        """Add one budget movement or several to tasks."""
        return self._run(body_call(BUDGET_CREATE, entity, parse_mutation, many=True), timeout, deadline)

    def delete(
        self,
        entity: TaskBudgetEntry | JsonObject | Sequence[TaskBudgetEntry | JsonObject],
        *,
        timeout: Timeout = None,
        deadline: Deadline = None,
    ) -> MutationResult:
        """Remove one budget movement or several."""
        return self._run(body_call(BUDGET_DELETE, entity, parse_mutation, many=True), timeout, deadline)


# --- async --------------------------------------------------------------------------------------------


class AsyncGeocoding(AsyncResource):
    __slots__ = ()
    _EXTRA = SyncGeocoding._EXTRA

    async def geocode(
        self, address: Geocode | JsonObject, *, timeout: Timeout = None, deadline: Deadline = None
    ) -> GeocodeResult:
        """Coordinates of a structured address."""
        return await self._run(geocode_call(address), timeout, deadline)

    async def geocode_text(
        self, address: str, country: str, *, timeout: Timeout = None, deadline: Deadline = None
    ) -> GeocodeResult:
        """Coordinates of a free-text address in a country (e.g. "BE")."""
        return await self._run(geocode_text_call(address, country), timeout, deadline)


class AsyncOptimization(AsyncResource):
    __slots__ = ()
    _EXTRA = SyncOptimization._EXTRA

    async def field_service(
        self,
        request: OptimizationFieldServiceRequest | JsonObject,
        *,
        timeout: Timeout = None,
        deadline: Deadline = None,
    ) -> OptimizationResult:
        """An optimized field-service plan (routes and visits) for the request's resources and tasks."""
        return await self._run(optimization_call(FIELD_SERVICE, request), timeout, deadline)

    async def professional_services(
        self,
        request: OptimizationProfessionalServicesRequest | JsonObject,
        *,
        timeout: Timeout = None,
        deadline: Deadline = None,
    ) -> OptimizationResult:
        """An optimized professional-services plan (who works on what, when) for the request."""
        return await self._run(optimization_call(PROFESSIONAL_SERVICES, request), timeout, deadline)

    async def daily_route(
        self,
        request: OptimizationDailyRouteRequest | JsonObject,
        *,
        timeout: Timeout = None,
        deadline: Deadline = None,
    ) -> OptimizationResult:
        """An optimized route for one resource's day."""
        return await self._run(optimization_call(DAILY_ROUTE, request), timeout, deadline)


class AsyncRecommendation(AsyncResource):
    __slots__ = ()
    _EXTRA = SyncRecommendation._EXTRA

    async def get(
        self,
        request: RecommendationRequest | JsonObject,
        *,
        timeout: Timeout = None,
        deadline: Deadline = None,
    ) -> RecommendationResponse:
        """Recommended resources and slots for a piece of work."""
        return await self._run(recommendation_call(request), timeout, deadline)

    async def scorers(
        self, *, timeout: Timeout = None, deadline: Deadline = None
    ) -> list[RecommendationScorers]:
        """The scorers the recommendation engine can weigh."""
        return await self._run(scorers_call(), timeout, deadline)


class AsyncMessages(AsyncResource):
    __slots__ = ()
    _EXTRA = SyncMessages._EXTRA

    async def send(
        self, message: Message | JsonObject, *, timeout: Timeout = None, deadline: Deadline = None
    ) -> MutationResult:
        """Send a message to Dime.Scheduler users (shown in the planning board)."""
        return await self._run(body_call(MESSAGE, message, parse_mutation), timeout, deadline)


class AsyncConnectors(AsyncResource):
    __slots__ = ()
    _EXTRA = SyncConnectors._EXTRA

    async def create(
        self, request: Connector | JsonObject, *, timeout: Timeout = None, deadline: Deadline = None
    ) -> MutationResult:
        """Register a connector (a back-office system Dime.Scheduler calls back)."""
        return await self._run(body_call(CONNECTOR, request, parse_mutation), timeout, deadline)


class AsyncUsers(AsyncResource):
    __slots__ = ()
    _EXTRA = SyncUsers._EXTRA

    async def create(
        self, user: User | JsonObject, *, timeout: Timeout = None, deadline: Deadline = None
    ) -> MutationResult:
        """Create a Dime.Scheduler user."""
        return await self._run(body_call(USER, user, parse_mutation), timeout, deadline)


class AsyncImports(AsyncResource):
    __slots__ = ()
    _EXTRA = SyncImports._EXTRA

    async def run(
        self,
        payload: ImportPayload,
        *,
        timeout: Timeout = None,
        deadline: Deadline = None,
    ) -> MutationResult:
        """Run one import request (stored procedure + parameters) or a list of them.

        Takes what `procedures.<entity>.append(...)` / `.delete(...)` build (`ImportRequest`), the generated
        model `ImportRequestBody`, dicts in wire form (`StoredProcedureName`, `ParameterNames`,
        `ParameterValues`), or a list mixing them. For thousands of records use `run_bulk` (chunks,
        concurrency, a report per chunk).

        Sends: JSON body: one object or an array of `{StoredProcedureName, ParameterNames, ParameterValues}`.
        """
        return await self._run(body_call(IMPORT, payload, parse_mutation, many=True), timeout, deadline)

    async def setup(
        self, payload: ImportSetup | JsonObject, *, timeout: Timeout = None, deadline: Deadline = None
    ) -> Any:
        """The answer is returned as parsed JSON: the API documents no shape for it."""
        return await self._run(body_call(IMPORT_SETUP, payload, parse_json), timeout, deadline)


class AsyncRecurringAppointments(AsyncResource):
    __slots__ = ()
    _EXTRA = SyncRecurringAppointments._EXTRA

    async def create(
        self,
        request: RecurringAppointmentRequest | JsonObject,
        *,
        timeout: Timeout = None,
        deadline: Deadline = None,
    ) -> Any:
        """The answer is returned as parsed JSON: the API documents no shape for it."""
        return await self._run(body_call(RECURRING_CREATE, request, parse_json), timeout, deadline)

    async def delete(
        self,
        request: RecurringAppointmentRequest | JsonObject,
        *,
        timeout: Timeout = None,
        deadline: Deadline = None,
    ) -> Any:
        """The answer is returned as parsed JSON: the API documents no shape for it."""
        return await self._run(body_call(RECURRING_DELETE, request, parse_json), timeout, deadline)


class AsyncTaskAssignments(AsyncResource):
    __slots__ = ()
    _EXTRA = SyncTaskAssignments._EXTRA

    async def create(
        self, request: TaskAssignment | JsonObject, *, timeout: Timeout = None, deadline: Deadline = None
    ) -> MutationResult:
        """Assign a resource to a task."""
        return await self._run(body_call(ASSIGNMENT_CREATE, request, parse_mutation), timeout, deadline)

    async def delete(
        self, request: TaskAssignment | JsonObject, *, timeout: Timeout = None, deadline: Deadline = None
    ) -> Any:
        """Remove an assignment; the answer is parsed JSON (the API documents no shape for it)."""
        return await self._run(body_call(ASSIGNMENT_DELETE, request, parse_json), timeout, deadline)


class AsyncTaskBudgetEntries(AsyncResource):
    """Append-only budget movements: the API has create and delete, no update or list."""

    __slots__ = ()
    _EXTRA = SyncTaskBudgetEntries._EXTRA

    async def create(
        self,
        entity: TaskBudgetEntry | JsonObject | Sequence[TaskBudgetEntry | JsonObject],
        *,
        timeout: Timeout = None,
        deadline: Deadline = None,
    ) -> MutationResult:
        """Add one budget movement or several to tasks."""
        return await self._run(body_call(BUDGET_CREATE, entity, parse_mutation, many=True), timeout, deadline)

    async def delete(
        self,
        entity: TaskBudgetEntry | JsonObject | Sequence[TaskBudgetEntry | JsonObject],
        *,
        timeout: Timeout = None,
        deadline: Deadline = None,
    ) -> MutationResult:
        """Remove one budget movement or several."""
        return await self._run(body_call(BUDGET_DELETE, entity, parse_mutation, many=True), timeout, deadline)
