"""A `Call` describes one HTTP exchange and how to read its answer; clients execute it sync or async.

Resources build Calls and never touch HTTP, so one accessor table serves both clients.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any, Generic, TypeVar

import httpx

T = TypeVar("T")

QueryParams = Sequence[tuple[str, str]]


@dataclass(frozen=True, slots=True)
class Call(Generic[T]):
    """method + path (already URL-encoded) + query pairs (keys may repeat) + JSON body + answer parser.

    `route` is the operation as the document names it (method, path template): its answer counts only with
    a 2xx status the document defines for it. None (a call outside the document): any 2xx."""

    method: str
    path: str
    parse: Callable[[httpx.Response], T]
    params: QueryParams = ()
    json: Any = None
    has_body: bool = False
    route: tuple[str, str] | None = None


def call(
    method: str,
    path: str,
    parse: Callable[[httpx.Response], T],
    *,
    params: QueryParams = (),
    json: Any = None,
    has_body: bool = False,
) -> Call[T]:
    return Call(method=method, path=path, parse=parse, params=params, json=json, has_body=has_body)
