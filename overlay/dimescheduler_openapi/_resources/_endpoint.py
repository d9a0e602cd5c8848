"""One API operation (HTTP method + path template) and the encoders that turn arguments into a `Call`.

Encoding mirrors the vendor SDK (dimescheduler 0.3.1), which hands its arguments to httpx: query values
that are None are left out, lists become repeated keys, booleans become "true"/"false", anything else
`str()`; path values are percent-encoded with no safe characters; bodies are sent as given (typed models
through their `to_dict()`).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any, Protocol, TypeVar
from urllib.parse import quote

import httpx

from .._call import Call, QueryParams
from .._errors import InvalidRequestError

T = TypeVar("T")

_PLACEHOLDER = re.compile(r"\{(\w+)\}")


class ToDict(Protocol):
    """What every generated model (`dimescheduler_raw.models.*`) offers."""

    def to_dict(self) -> dict[str, Any]: ...


@dataclass(frozen=True, slots=True)
class Endpoint:
    """An operation as the OpenAPI document names it: `Endpoint("GET", "/job/{jobNo}")`."""

    method: str
    path: str

    def call(
        self,
        parse: Callable[[httpx.Response], T],
        *,
        path_values: Mapping[str, str] | None = None,
        params: QueryParams = (),
        body: Any = None,
        has_body: bool = False,
    ) -> Call[T]:
        """The Call for this operation; UnsupportedOperationError (nothing sent) when the vendor document the
        client was generated from lacks it."""
        from ._resolve import ensure_route  # the route table loads on the first call, not at import

        ensure_route(self.method, self.path)
        return Call(
            method=self.method,
            path=self.expand(path_values or {}),
            parse=parse,
            params=params,
            json=body,
            has_body=has_body,
            route=(self.method, self.path),
        )

    def expand(self, values: Mapping[str, str]) -> str:
        return _PLACEHOLDER.sub(lambda match: quote(values[match.group(1)], safe=""), self.path)


def path_value(value: str, name: str) -> str:
    """A value for a path placeholder, as given. Refused (InvalidRequestError): an empty or blank string
    (it would address the collection: `GET /job/` is `GET /job`) and the dot segments "." and ".." (every
    URL resolver removes them, so `GET /job/..` would become `GET /`)."""
    if not isinstance(value, str):
        raise InvalidRequestError(f"{name} must be a string, got {type(value).__name__}")
    if not value.strip():
        raise InvalidRequestError(f"{name} must not be empty" + (" or blank" if value else ""))
    if _has_surrogate(value):
        raise InvalidRequestError(f"{name} holds a lone surrogate (text that is not valid Unicode)")
    if value in (".", ".."):
        raise InvalidRequestError(
            f"{name} must not be {value!r}: as a path segment it would change the route that is called"
        )
    return value


def _has_surrogate(text: str) -> bool:
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return True
    return False


def query(params: Mapping[str, Any] | None) -> list[tuple[str, str]]:
    """Query pairs the way httpx builds them from a dict, after dropping None values (as the vendor does)."""
    if params is None:
        return []
    if not isinstance(params, Mapping):
        raise InvalidRequestError(f"query must be a dict of parameters, got {type(params).__name__}")
    pairs: list[tuple[str, str]] = []
    for key, value in params.items():
        if value is None:
            continue
        values = value if isinstance(value, (list, tuple)) else (value,)
        pairs.extend((str(key), _primitive(item)) for item in values)
    return pairs


def _primitive(value: Any) -> str:
    if value is True:
        return "true"
    if value is False:
        return "false"
    if value is None:
        return ""
    return str(value)


def iso(value: datetime | date | str, name: str) -> str:
    """A date-time query value: strings pass through, dates and datetimes use `isoformat()`."""
    if isinstance(value, str):
        return value
    if isinstance(value, date):
        return value.isoformat()
    raise InvalidRequestError(
        f"{name} must be a datetime, a date or an ISO string, got {type(value).__name__}"
    )


def iso_date(value: datetime | date | str, name: str) -> str:
    """A `format: date` query value: only the date part of a datetime is sent."""
    if isinstance(value, datetime):
        return value.date().isoformat()
    return iso(value, name)


def integer(value: int | None, name: str) -> int | None:
    if value is None or (isinstance(value, int) and not isinstance(value, bool)):
        return value
    raise InvalidRequestError(f"{name} must be an integer, got {type(value).__name__}")


def text(value: str | None, name: str) -> str | None:
    if value is None or isinstance(value, str):
        return value
    raise InvalidRequestError(f"{name} must be a string, got {type(value).__name__}")


def flag(value: bool | None, name: str) -> bool | None:
    if value is None or isinstance(value, bool):
        return value
    raise InvalidRequestError(f"{name} must be a bool, got {type(value).__name__}")


def one(value: ToDict | Mapping[str, Any], what: str) -> dict[str, Any]:
    """A single JSON object: a typed model (`to_dict()`) or a dict in the API's JSON casing."""
    if isinstance(value, Mapping):
        return dict(value)
    to_dict = getattr(value, "to_dict", None)
    if callable(to_dict) and not isinstance(value, type):
        encoded = to_dict()
        if isinstance(encoded, dict):
            return encoded
    raise InvalidRequestError(f"{what} must be a model or a dict, got {type(value).__name__}")


def one_or_many(
    value: ToDict | Mapping[str, Any] | Sequence[ToDict | Mapping[str, Any]], what: str
) -> dict[str, Any] | list[dict[str, Any]]:
    """One object, or a list (or tuple) of them; models and dicts may be mixed."""
    if isinstance(value, Sequence) and not isinstance(value, (str, bytes, bytearray)):
        return [one(item, f"{what} item {index}") for index, item in enumerate(value)]
    if isinstance(value, Mapping) or hasattr(value, "to_dict"):
        return one(value, what)
    raise InvalidRequestError(f"{what} must be a model, a dict or a list of them, got {type(value).__name__}")
