"""Resources with a shape of their own: geocoding, optimization, recommendation, messages, connectors,
users, imports, recurring appointments, task assignments and task budget entries.

Call builders are module functions shared by the sync and async classes; each class's `_EXTRA` declares
the operation behind every method.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from typing import TYPE_CHECKING, Any, ClassVar, TypeVar

import httpx

from .._call import Call
from .._parsing import MutationResult, parse_json, parse_mutation
from ._crud import model_of, models_of
from ._endpoint import Endpoint, ToDict, one, one_or_many, query, text
from ._executor import AsyncResource, SyncResource, Timeout

if TYPE_CHECKING:
    from dimescheduler_raw.models import (
        Connector,
        Geocode,
        GeocodeResult,
        ImportRequest,
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

T = TypeVar("T")
JsonObject = Mapping[str, Any]

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
    what = f"{endpoint.method} {endpoint.path}: the body"
    body = one_or_many(value, what) if many else one(value, what)
    return endpoint.call(parse, body=body, has_body=True)


def geocode_call(address: Geocode | JsonObject) -> Call[GeocodeResult]:
    return body_call(GEOCODE, address, model_of("GeocodeResult"))


def geocode_text_call(address: str, country: str) -> Call[GeocodeResult]:
    params = query({"address": text(address, "address"), "country": text(country, "country")})
    return GEOCODE_TEXT.call(model_of("GeocodeResult"), params=params)


def optimization_call(endpoint: Endpoint, request: JsonObject | ToDict) -> Call[OptimizationResult]:
    return body_call(endpoint, request, model_of("OptimizationResult"))


def recommendation_call(request: RecommendationRequest | JsonObject) -> Call[RecommendationResponse]:
    return body_call(RECOMMENDATION, request, model_of("RecommendationResponse"))


def scorers_call() -> Call[list[RecommendationScorers]]:
    return SCORERS.call(models_of("RecommendationScorers"))


# --- sync ---------------------------------------------------------------------------------------------


class SyncGeocoding(SyncResource):
    __slots__ = ()
    _EXTRA: ClassVar[Mapping[str, Endpoint]] = {"geocode": GEOCODE, "geocode_text": GEOCODE_TEXT}

    def geocode(self, address: Geocode | JsonObject, *, timeout: Timeout = None) -> GeocodeResult:
        """Coordinates of a structured address."""
        return self._run(geocode_call(address), timeout)

    def geocode_text(self, address: str, country: str, *, timeout: Timeout = None) -> GeocodeResult:
        """Coordinates of a free-text address in a country (e.g. "BE")."""
        return self._run(geocode_text_call(address, country), timeout)


class SyncOptimization(SyncResource):
    __slots__ = ()
    _EXTRA: ClassVar[Mapping[str, Endpoint]] = {
        "field_service": FIELD_SERVICE,
        "professional_services": PROFESSIONAL_SERVICES,
        "daily_route": DAILY_ROUTE,
    }

    def field_service(
        self, request: OptimizationFieldServiceRequest | JsonObject, *, timeout: Timeout = None
    ) -> OptimizationResult:
        return self._run(optimization_call(FIELD_SERVICE, request), timeout)

    def professional_services(
        self, request: OptimizationProfessionalServicesRequest | JsonObject, *, timeout: Timeout = None
    ) -> OptimizationResult:
        return self._run(optimization_call(PROFESSIONAL_SERVICES, request), timeout)

    def daily_route(
        self, request: OptimizationDailyRouteRequest | JsonObject, *, timeout: Timeout = None
    ) -> OptimizationResult:
        return self._run(optimization_call(DAILY_ROUTE, request), timeout)


class SyncRecommendation(SyncResource):
    __slots__ = ()
    _EXTRA: ClassVar[Mapping[str, Endpoint]] = {"get": RECOMMENDATION, "scorers": SCORERS}

    def get(
        self, request: RecommendationRequest | JsonObject, *, timeout: Timeout = None
    ) -> RecommendationResponse:
        """Recommended resources and slots for a piece of work."""
        return self._run(recommendation_call(request), timeout)

    def scorers(self, *, timeout: Timeout = None) -> list[RecommendationScorers]:
        return self._run(scorers_call(), timeout)


class SyncMessages(SyncResource):
    __slots__ = ()
    _EXTRA: ClassVar[Mapping[str, Endpoint]] = {"send": MESSAGE}

    def send(self, message: Message | JsonObject, *, timeout: Timeout = None) -> MutationResult:
        return self._run(body_call(MESSAGE, message, parse_mutation), timeout)


class SyncConnectors(SyncResource):
    __slots__ = ()
    _EXTRA: ClassVar[Mapping[str, Endpoint]] = {"create": CONNECTOR}

    def create(self, request: Connector | JsonObject, *, timeout: Timeout = None) -> MutationResult:
        return self._run(body_call(CONNECTOR, request, parse_mutation), timeout)


class SyncUsers(SyncResource):
    __slots__ = ()
    _EXTRA: ClassVar[Mapping[str, Endpoint]] = {"create": USER}

    def create(self, user: User | JsonObject, *, timeout: Timeout = None) -> MutationResult:
        return self._run(body_call(USER, user, parse_mutation), timeout)


class SyncImports(SyncResource):
    __slots__ = ()
    _EXTRA: ClassVar[Mapping[str, Endpoint]] = {"run": IMPORT, "setup": IMPORT_SETUP}

    def run(
        self,
        payload: ImportRequest | JsonObject | Sequence[ImportRequest | JsonObject],
        *,
        timeout: Timeout = None,
    ) -> MutationResult:
        """Run one import request (stored procedure + parameters) or a list of them."""
        return self._run(body_call(IMPORT, payload, parse_mutation, many=True), timeout)

    def setup(self, payload: ImportSetup | JsonObject, *, timeout: Timeout = None) -> Any:
        """The answer is returned as parsed JSON: the API documents no shape for it."""
        return self._run(body_call(IMPORT_SETUP, payload, parse_json), timeout)


class SyncRecurringAppointments(SyncResource):
    __slots__ = ()
    _EXTRA: ClassVar[Mapping[str, Endpoint]] = {"create": RECURRING_CREATE, "delete": RECURRING_DELETE}

    def create(self, request: RecurringAppointmentRequest | JsonObject, *, timeout: Timeout = None) -> Any:
        """The answer is returned as parsed JSON: the API documents no shape for it."""
        return self._run(body_call(RECURRING_CREATE, request, parse_json), timeout)

    def delete(self, request: RecurringAppointmentRequest | JsonObject, *, timeout: Timeout = None) -> Any:
        """The answer is returned as parsed JSON: the API documents no shape for it."""
        return self._run(body_call(RECURRING_DELETE, request, parse_json), timeout)


class SyncTaskAssignments(SyncResource):
    __slots__ = ()
    _EXTRA: ClassVar[Mapping[str, Endpoint]] = {"create": ASSIGNMENT_CREATE, "delete": ASSIGNMENT_DELETE}

    def create(self, request: TaskAssignment | JsonObject, *, timeout: Timeout = None) -> MutationResult:
        """Assign a resource to a task."""
        return self._run(body_call(ASSIGNMENT_CREATE, request, parse_mutation), timeout)

    def delete(self, request: TaskAssignment | JsonObject, *, timeout: Timeout = None) -> Any:
        """Remove an assignment; the answer is parsed JSON (the API documents no shape for it)."""
        return self._run(body_call(ASSIGNMENT_DELETE, request, parse_json), timeout)


class SyncTaskBudgetEntries(SyncResource):
    """Append-only budget movements: the API has create and delete, no update or list."""

    __slots__ = ()
    _EXTRA: ClassVar[Mapping[str, Endpoint]] = {"create": BUDGET_CREATE, "delete": BUDGET_DELETE}

    def create(
        self,
        entity: TaskBudgetEntry | JsonObject | Sequence[TaskBudgetEntry | JsonObject],
        *,
        timeout: Timeout = None,
    ) -> MutationResult:
        return self._run(body_call(BUDGET_CREATE, entity, parse_mutation, many=True), timeout)

    def delete(
        self,
        entity: TaskBudgetEntry | JsonObject | Sequence[TaskBudgetEntry | JsonObject],
        *,
        timeout: Timeout = None,
    ) -> MutationResult:
        return self._run(body_call(BUDGET_DELETE, entity, parse_mutation, many=True), timeout)


# --- async --------------------------------------------------------------------------------------------


class AsyncGeocoding(AsyncResource):
    __slots__ = ()
    _EXTRA = SyncGeocoding._EXTRA

    async def geocode(self, address: Geocode | JsonObject, *, timeout: Timeout = None) -> GeocodeResult:
        """Coordinates of a structured address."""
        return await self._run(geocode_call(address), timeout)

    async def geocode_text(self, address: str, country: str, *, timeout: Timeout = None) -> GeocodeResult:
        """Coordinates of a free-text address in a country (e.g. "BE")."""
        return await self._run(geocode_text_call(address, country), timeout)


class AsyncOptimization(AsyncResource):
    __slots__ = ()
    _EXTRA = SyncOptimization._EXTRA

    async def field_service(
        self, request: OptimizationFieldServiceRequest | JsonObject, *, timeout: Timeout = None
    ) -> OptimizationResult:
        return await self._run(optimization_call(FIELD_SERVICE, request), timeout)

    async def professional_services(
        self, request: OptimizationProfessionalServicesRequest | JsonObject, *, timeout: Timeout = None
    ) -> OptimizationResult:
        return await self._run(optimization_call(PROFESSIONAL_SERVICES, request), timeout)

    async def daily_route(
        self, request: OptimizationDailyRouteRequest | JsonObject, *, timeout: Timeout = None
    ) -> OptimizationResult:
        return await self._run(optimization_call(DAILY_ROUTE, request), timeout)


class AsyncRecommendation(AsyncResource):
    __slots__ = ()
    _EXTRA = SyncRecommendation._EXTRA

    async def get(
        self, request: RecommendationRequest | JsonObject, *, timeout: Timeout = None
    ) -> RecommendationResponse:
        """Recommended resources and slots for a piece of work."""
        return await self._run(recommendation_call(request), timeout)

    async def scorers(self, *, timeout: Timeout = None) -> list[RecommendationScorers]:
        return await self._run(scorers_call(), timeout)


class AsyncMessages(AsyncResource):
    __slots__ = ()
    _EXTRA = SyncMessages._EXTRA

    async def send(self, message: Message | JsonObject, *, timeout: Timeout = None) -> MutationResult:
        return await self._run(body_call(MESSAGE, message, parse_mutation), timeout)


class AsyncConnectors(AsyncResource):
    __slots__ = ()
    _EXTRA = SyncConnectors._EXTRA

    async def create(self, request: Connector | JsonObject, *, timeout: Timeout = None) -> MutationResult:
        return await self._run(body_call(CONNECTOR, request, parse_mutation), timeout)


class AsyncUsers(AsyncResource):
    __slots__ = ()
    _EXTRA = SyncUsers._EXTRA

    async def create(self, user: User | JsonObject, *, timeout: Timeout = None) -> MutationResult:
        return await self._run(body_call(USER, user, parse_mutation), timeout)


class AsyncImports(AsyncResource):
    __slots__ = ()
    _EXTRA = SyncImports._EXTRA

    async def run(
        self,
        payload: ImportRequest | JsonObject | Sequence[ImportRequest | JsonObject],
        *,
        timeout: Timeout = None,
    ) -> MutationResult:
        """Run one import request (stored procedure + parameters) or a list of them."""
        return await self._run(body_call(IMPORT, payload, parse_mutation, many=True), timeout)

    async def setup(self, payload: ImportSetup | JsonObject, *, timeout: Timeout = None) -> Any:
        """The answer is returned as parsed JSON: the API documents no shape for it."""
        return await self._run(body_call(IMPORT_SETUP, payload, parse_json), timeout)


class AsyncRecurringAppointments(AsyncResource):
    __slots__ = ()
    _EXTRA = SyncRecurringAppointments._EXTRA

    async def create(
        self, request: RecurringAppointmentRequest | JsonObject, *, timeout: Timeout = None
    ) -> Any:
        """The answer is returned as parsed JSON: the API documents no shape for it."""
        return await self._run(body_call(RECURRING_CREATE, request, parse_json), timeout)

    async def delete(
        self, request: RecurringAppointmentRequest | JsonObject, *, timeout: Timeout = None
    ) -> Any:
        """The answer is returned as parsed JSON: the API documents no shape for it."""
        return await self._run(body_call(RECURRING_DELETE, request, parse_json), timeout)


class AsyncTaskAssignments(AsyncResource):
    __slots__ = ()
    _EXTRA = SyncTaskAssignments._EXTRA

    async def create(
        self, request: TaskAssignment | JsonObject, *, timeout: Timeout = None
    ) -> MutationResult:
        """Assign a resource to a task."""
        return await self._run(body_call(ASSIGNMENT_CREATE, request, parse_mutation), timeout)

    async def delete(self, request: TaskAssignment | JsonObject, *, timeout: Timeout = None) -> Any:
        """Remove an assignment; the answer is parsed JSON (the API documents no shape for it)."""
        return await self._run(body_call(ASSIGNMENT_DELETE, request, parse_json), timeout)


class AsyncTaskBudgetEntries(AsyncResource):
    """Append-only budget movements: the API has create and delete, no update or list."""

    __slots__ = ()
    _EXTRA = SyncTaskBudgetEntries._EXTRA

    async def create(
        self,
        entity: TaskBudgetEntry | JsonObject | Sequence[TaskBudgetEntry | JsonObject],
        *,
        timeout: Timeout = None,
    ) -> MutationResult:
        return await self._run(body_call(BUDGET_CREATE, entity, parse_mutation, many=True), timeout)

    async def delete(
        self,
        entity: TaskBudgetEntry | JsonObject | Sequence[TaskBudgetEntry | JsonObject],
        *,
        timeout: Timeout = None,
    ) -> MutationResult:
        return await self._run(body_call(BUDGET_DELETE, entity, parse_mutation, many=True), timeout)
