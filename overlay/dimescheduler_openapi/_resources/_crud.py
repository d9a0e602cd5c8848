"""The one generic CRUD resource, driven by a table row (`Crud` / `Listing`, see `_table.py`).

A row names only its route. The models it reads are resolved through the generated route table
(`dimescheduler_raw.routes`) when an answer is parsed, so importing the package (and building Calls) never
loads the generated models, and a vendor renaming a schema changes nothing here.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Generic, TypeAlias, TypeVar

from .._call import Call
from .._parsing import MutationResult, parse_mutation
from ._body_check import checked_body
from ._endpoint import Endpoint, ToDict, query
from ._executor import AsyncExecutor, AsyncResource, Deadline, SyncExecutor, SyncResource, Timeout
from ._resolve import parse_list, parse_one

W = TypeVar("W", bound=ToDict)
D = TypeVar("D", bound=ToDict)
L = TypeVar("L")
R = TypeVar("R")

Entities: TypeAlias = W | Mapping[str, Any] | Sequence[W | Mapping[str, Any]]
"""One entity or a list of them: typed models, dicts in the API's JSON casing, or a mix."""


@dataclass(frozen=True, slots=True)
class Listing(Generic[R]):
    """A read-only route: `GET route` answers a list of models (R)."""

    route: str

    def operations(self) -> dict[str, Endpoint]:
        return {"get_all": Endpoint("GET", self.route)}

    def get_all(self) -> Call[list[R]]:
        return Endpoint("GET", self.route).call(parse_list(Endpoint("GET", self.route)))


@dataclass(frozen=True, slots=True)
class Crud(Generic[W, L, D]):
    """An import-shaped route: POST/PUT take write models (W), DELETE takes delete models (D), GET answers L.

    `single_read` marks a GET that answers one object (a page) rather than a list of models.
    """

    route: str
    single_read: bool = False

    def operations(self) -> dict[str, Endpoint]:
        return {
            "create": Endpoint("POST", self.route),
            "update": Endpoint("PUT", self.route),
            "delete": Endpoint("DELETE", self.route),
            "get_all": Endpoint("GET", self.route),
        }

    def create(self, entity: Entities[W]) -> Call[MutationResult]:
        return self._write("POST", entity)

    def update(self, entity: Entities[W]) -> Call[MutationResult]:
        return self._write("PUT", entity)

    def remove(self, entity: Entities[D]) -> Call[MutationResult]:
        return self._write("DELETE", entity)

    def get_all(self, params: Mapping[str, Any] | None = None) -> Call[L]:
        endpoint = Endpoint("GET", self.route)
        parse = parse_one(endpoint) if self.single_read else parse_list(endpoint)
        return endpoint.call(parse, params=query(params))

    def _write(self, method: str, entity: Any) -> Call[MutationResult]:
        endpoint = Endpoint(method, self.route)
        body = checked_body(endpoint, entity, f"{method} {self.route}: the entity", many=True)
        return endpoint.call(parse_mutation, body=body, has_body=True)


class SyncCrud(SyncResource, Generic[W, L, D]):
    """create / update / delete take one entity or a list; get_all lists (optional query parameters)."""

    __slots__ = ("_spec",)

    def __init__(self, executor: SyncExecutor, spec: Crud[W, L, D]) -> None:
        super().__init__(executor)
        self._spec = spec

    def _endpoints(self) -> dict[str, Endpoint]:
        return {**self._spec.operations(), **self._EXTRA}

    def create(
        self, entity: Entities[W], *, timeout: Timeout = None, deadline: Deadline = None
    ) -> MutationResult:
        return self._run(self._spec.create(entity), timeout, deadline)

    def update(
        self, entity: Entities[W], *, timeout: Timeout = None, deadline: Deadline = None
    ) -> MutationResult:
        return self._run(self._spec.update(entity), timeout, deadline)

    def delete(
        self, entity: Entities[D], *, timeout: Timeout = None, deadline: Deadline = None
    ) -> MutationResult:
        return self._run(self._spec.remove(entity), timeout, deadline)

    def get_all(
        self, query: Mapping[str, Any] | None = None, *, timeout: Timeout = None, deadline: Deadline = None
    ) -> L:
        return self._run(self._spec.get_all(query), timeout, deadline)


class AsyncCrud(AsyncResource, Generic[W, L, D]):
    """create / update / delete take one entity or a list; get_all lists (optional query parameters)."""

    __slots__ = ("_spec",)

    def __init__(self, executor: AsyncExecutor, spec: Crud[W, L, D]) -> None:
        super().__init__(executor)
        self._spec = spec

    def _endpoints(self) -> dict[str, Endpoint]:
        return {**self._spec.operations(), **self._EXTRA}

    async def create(
        self, entity: Entities[W], *, timeout: Timeout = None, deadline: Deadline = None
    ) -> MutationResult:
        return await self._run(self._spec.create(entity), timeout, deadline)

    async def update(
        self, entity: Entities[W], *, timeout: Timeout = None, deadline: Deadline = None
    ) -> MutationResult:
        return await self._run(self._spec.update(entity), timeout, deadline)

    async def delete(
        self, entity: Entities[D], *, timeout: Timeout = None, deadline: Deadline = None
    ) -> MutationResult:
        return await self._run(self._spec.remove(entity), timeout, deadline)

    async def get_all(
        self, query: Mapping[str, Any] | None = None, *, timeout: Timeout = None, deadline: Deadline = None
    ) -> L:
        return await self._run(self._spec.get_all(query), timeout, deadline)


class SyncListing(SyncResource, Generic[R]):
    """A read-only list."""

    __slots__ = ("_spec",)

    def __init__(self, executor: SyncExecutor, spec: Listing[R]) -> None:
        super().__init__(executor)
        self._spec = spec

    def _endpoints(self) -> dict[str, Endpoint]:
        return {**self._spec.operations(), **self._EXTRA}

    def get_all(self, *, timeout: Timeout = None, deadline: Deadline = None) -> list[R]:
        return self._run(self._spec.get_all(), timeout, deadline)


class AsyncListing(AsyncResource, Generic[R]):
    """A read-only list."""

    __slots__ = ("_spec",)

    def __init__(self, executor: AsyncExecutor, spec: Listing[R]) -> None:
        super().__init__(executor)
        self._spec = spec

    def _endpoints(self) -> dict[str, Endpoint]:
        return {**self._spec.operations(), **self._EXTRA}

    async def get_all(self, *, timeout: Timeout = None, deadline: Deadline = None) -> list[R]:
        return await self._run(self._spec.get_all(), timeout, deadline)
