"""The one generic CRUD resource, driven by a table row (`Crud` / `Listing`, see `_table.py`).

A row names its route and its models in `dimescheduler_raw.models`; a model is looked up by name only
when an answer is parsed, so importing the package (and building Calls) never loads the generated models.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Generic, TypeAlias, TypeVar

import httpx

from .._call import Call
from .._parsing import MutationResult, parse_model, parse_models, parse_mutation
from ._endpoint import Endpoint, ToDict, one_or_many, query
from ._executor import AsyncExecutor, AsyncResource, SyncExecutor, SyncResource, Timeout

W = TypeVar("W", bound=ToDict)
D = TypeVar("D", bound=ToDict)
L = TypeVar("L")
R = TypeVar("R")

Entities: TypeAlias = W | Mapping[str, Any] | Sequence[W | Mapping[str, Any]]
"""One entity or a list of them: typed models, dicts in the API's JSON casing, or a mix."""


def raw_model(name: str) -> Any:
    """A class of `dimescheduler_raw.models` by name (the models are imported on first use)."""
    return getattr(importlib.import_module("dimescheduler_raw.models"), name)


def model_of(name: str) -> Callable[[httpx.Response], Any]:
    """Parse an answer into one `name` model; the model is looked up when an answer arrives."""
    return lambda response: parse_model(raw_model(name))(response)


def models_of(name: str) -> Callable[[httpx.Response], list[Any]]:
    """Parse an answer into a list of `name` models; the model is looked up when an answer arrives."""
    return lambda response: parse_models(raw_model(name))(response)


@dataclass(frozen=True, slots=True)
class Listing(Generic[R]):
    """A read-only route: `GET route` answers a list of `read` models."""

    route: str
    read: str

    def operations(self) -> dict[str, Endpoint]:
        return {"get_all": Endpoint("GET", self.route)}

    def get_all(self) -> Call[list[R]]:
        return Endpoint("GET", self.route).call(models_of(self.read))


@dataclass(frozen=True, slots=True)
class Crud(Generic[W, L, D]):
    """An import-shaped route: POST/PUT take `write` models, DELETE takes `delete` models, GET answers L.

    `single_read` marks a GET that answers one object (a page) rather than a list of `read` models.
    """

    route: str
    write: str
    read: str
    delete: str
    single_read: bool = False

    def operations(self) -> dict[str, Endpoint]:
        return {
            "create": Endpoint("POST", self.route),
            "update": Endpoint("PUT", self.route),
            "delete": Endpoint("DELETE", self.route),
            "get_all": Endpoint("GET", self.route),
        }

    def create(self, entity: Entities[W]) -> Call[MutationResult]:
        return self._write("POST", entity, self.write)

    def update(self, entity: Entities[W]) -> Call[MutationResult]:
        return self._write("PUT", entity, self.write)

    def remove(self, entity: Entities[D]) -> Call[MutationResult]:
        return self._write("DELETE", entity, self.delete)

    def get_all(self, params: Mapping[str, Any] | None = None) -> Call[L]:
        parse = model_of(self.read) if self.single_read else models_of(self.read)
        return Endpoint("GET", self.route).call(parse, params=query(params))

    def _write(self, method: str, entity: Any, model: str) -> Call[MutationResult]:
        body = one_or_many(entity, f"{method} {self.route}: the {model} entity")
        return Endpoint(method, self.route).call(parse_mutation, body=body, has_body=True)


class SyncCrud(SyncResource, Generic[W, L, D]):
    """create / update / delete take one entity or a list; get_all lists (optional query parameters)."""

    __slots__ = ("_spec",)

    def __init__(self, executor: SyncExecutor, spec: Crud[W, L, D]) -> None:
        super().__init__(executor)
        self._spec = spec

    def _endpoints(self) -> dict[str, Endpoint]:
        return {**self._spec.operations(), **self._EXTRA}

    def create(self, entity: Entities[W], *, timeout: Timeout = None) -> MutationResult:
        return self._run(self._spec.create(entity), timeout)

    def update(self, entity: Entities[W], *, timeout: Timeout = None) -> MutationResult:
        return self._run(self._spec.update(entity), timeout)

    def delete(self, entity: Entities[D], *, timeout: Timeout = None) -> MutationResult:
        return self._run(self._spec.remove(entity), timeout)

    def get_all(self, query: Mapping[str, Any] | None = None, *, timeout: Timeout = None) -> L:
        return self._run(self._spec.get_all(query), timeout)


class AsyncCrud(AsyncResource, Generic[W, L, D]):
    """create / update / delete take one entity or a list; get_all lists (optional query parameters)."""

    __slots__ = ("_spec",)

    def __init__(self, executor: AsyncExecutor, spec: Crud[W, L, D]) -> None:
        super().__init__(executor)
        self._spec = spec

    def _endpoints(self) -> dict[str, Endpoint]:
        return {**self._spec.operations(), **self._EXTRA}

    async def create(self, entity: Entities[W], *, timeout: Timeout = None) -> MutationResult:
        return await self._run(self._spec.create(entity), timeout)

    async def update(self, entity: Entities[W], *, timeout: Timeout = None) -> MutationResult:
        return await self._run(self._spec.update(entity), timeout)

    async def delete(self, entity: Entities[D], *, timeout: Timeout = None) -> MutationResult:
        return await self._run(self._spec.remove(entity), timeout)

    async def get_all(self, query: Mapping[str, Any] | None = None, *, timeout: Timeout = None) -> L:
        return await self._run(self._spec.get_all(query), timeout)


class SyncListing(SyncResource, Generic[R]):
    """A read-only list."""

    __slots__ = ("_spec",)

    def __init__(self, executor: SyncExecutor, spec: Listing[R]) -> None:
        super().__init__(executor)
        self._spec = spec

    def _endpoints(self) -> dict[str, Endpoint]:
        return {**self._spec.operations(), **self._EXTRA}

    def get_all(self, *, timeout: Timeout = None) -> list[R]:
        return self._run(self._spec.get_all(), timeout)


class AsyncListing(AsyncResource, Generic[R]):
    """A read-only list."""

    __slots__ = ("_spec",)

    def __init__(self, executor: AsyncExecutor, spec: Listing[R]) -> None:
        super().__init__(executor)
        self._spec = spec

    def _endpoints(self) -> dict[str, Endpoint]:
        return {**self._spec.operations(), **self._EXTRA}

    async def get_all(self, *, timeout: Timeout = None) -> list[R]:
        return await self._run(self._spec.get_all(), timeout)
