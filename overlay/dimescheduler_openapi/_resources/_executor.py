"""What a resource needs from its client: something that executes a `Call`, sync or async."""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, ClassVar, Protocol, TypeAlias, TypeVar, cast

from .._call import Call
from ._endpoint import Endpoint

if TYPE_CHECKING:
    import httpx

T = TypeVar("T")

Timeout: TypeAlias = "float | httpx.Timeout | None"
Deadline: TypeAlias = "float | None"
"""Seconds the whole call may take (the clients' `deadline=`); None keeps the client's."""


class SyncExecutor(Protocol):
    def execute(self, call: Call[T], *, timeout: Timeout = None) -> T: ...


class AsyncExecutor(Protocol):
    async def execute(self, call: Call[T], *, timeout: Timeout = None) -> T: ...


class _SyncDeadlineExecutor(Protocol):
    def execute(self, call: Call[T], *, timeout: Timeout = None, deadline: Deadline = None) -> T: ...


class _AsyncDeadlineExecutor(Protocol):
    async def execute(self, call: Call[T], *, timeout: Timeout = None, deadline: Deadline = None) -> T: ...


class SyncResource:
    """Base of the sync resources: runs a built Call on the client."""

    __slots__ = ("_executor",)
    _EXTRA: ClassVar[Mapping[str, Endpoint]] = {}

    def __init__(self, executor: SyncExecutor) -> None:
        self._executor = executor

    def _endpoints(self) -> dict[str, Endpoint]:
        """Method name -> the operation it sends (read by `declared_operations`)."""
        return dict(self._EXTRA)

    def _run(self, call: Call[T], timeout: Timeout, deadline: Deadline = None) -> T:
        if deadline is None:  # executors that know no deadline (test doubles, dry runs) keep working
            return self._executor.execute(call, timeout=timeout)
        return cast(_SyncDeadlineExecutor, self._executor).execute(call, timeout=timeout, deadline=deadline)

    def __repr__(self) -> str:
        return describe_resource(self)


class AsyncResource:
    """Base of the async resources: awaits a built Call on the async client."""

    __slots__ = ("_executor",)
    _EXTRA: ClassVar[Mapping[str, Endpoint]] = {}

    def __init__(self, executor: AsyncExecutor) -> None:
        self._executor = executor

    def _endpoints(self) -> dict[str, Endpoint]:
        """Method name -> the operation it sends (read by `declared_operations`)."""
        return dict(self._EXTRA)

    async def _run(self, call: Call[T], timeout: Timeout, deadline: Deadline = None) -> T:
        if deadline is None:
            return await self._executor.execute(call, timeout=timeout)
        executor = cast(_AsyncDeadlineExecutor, self._executor)
        return await executor.execute(call, timeout=timeout, deadline=deadline)

    def __repr__(self) -> str:
        return describe_resource(self)


def describe_resource(resource: SyncResource | AsyncResource) -> str:
    """`<SyncCrud: create=POST /category, ...>`: what each method sends, for a readable repr."""
    methods = ", ".join(f"{name}={e.method} {e.path}" for name, e in sorted(resource._endpoints().items()))
    return f"<{type(resource).__name__}: {methods}>"
