"""Turning answers into typed values: lists of models, single models, and the write envelope."""

from __future__ import annotations

import json
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any, Protocol, TypeVar

import httpx

from ._errors import MutationFailedError

M = TypeVar("M", covariant=True)


class FromDict(Protocol[M]):
    def from_dict(self, src_dict: Mapping[str, Any], /) -> M: ...


@dataclass(frozen=True, slots=True)
class AppointmentIds:
    id: int | None
    guid: str | None


@dataclass(frozen=True, slots=True)
class MutationResult:
    """A write's outcome with the envelope unwrapped: `content` was a JSON string, decoded here."""

    status_code: int
    success: bool
    message: str | None = None
    phrase: str | None = None
    appointments: list[AppointmentIds] = field(default_factory=list)
    content: Any = None


def parse_json(response: httpx.Response) -> Any:
    if not response.content:
        return None
    return response.json()


def parse_model(model: FromDict[M]) -> Callable[[httpx.Response], M]:
    def parse(response: httpx.Response) -> M:
        return model.from_dict(response.json())

    return parse


def parse_models(model: FromDict[M]) -> Callable[[httpx.Response], list[M]]:
    def parse(response: httpx.Response) -> list[M]:
        from_dict = model.from_dict
        return [from_dict(item) for item in response.json()]

    return parse


def parse_mutation(response: httpx.Response) -> MutationResult:
    """Unwrap {content, contentType, statusCode}; raise MutationFailedError when it reports a failure.

    An empty body, or a body that is not the envelope, counts as success with the body kept in `content`.
    """
    if not response.content:
        return MutationResult(status_code=response.status_code, success=True)
    try:
        envelope = response.json()
    except ValueError:
        return MutationResult(status_code=response.status_code, success=True, content=response.text)
    if not isinstance(envelope, dict) or ("statusCode" not in envelope and "content" not in envelope):
        return MutationResult(status_code=response.status_code, success=True, content=envelope)
    inner_status = envelope.get("statusCode")
    status = inner_status if isinstance(inner_status, int) else response.status_code
    content = decode_content(envelope.get("content"))
    inner: Mapping[str, Any] = content if isinstance(content, dict) else {}
    success = 200 <= status < 300 and inner.get("Success", True) is not False and not inner.get("Error")
    if not success:
        error = _text(inner.get("Error"))
        description = _text(inner.get("Description")) or _text(inner.get("Message"))
        detail = "; ".join(part for part in (error, description) if part) or "no detail given"
        raise MutationFailedError(
            f"the import reported status {status} under HTTP {response.status_code}: {detail[:300]}",
            status=status,
            error=error,
            description=description,
            response=response,
        )
    appointments = [
        AppointmentIds(id=a.get("Id"), guid=a.get("Guid"))
        for a in inner.get("Appointments") or []
        if isinstance(a, dict)
    ]
    return MutationResult(
        status_code=status,
        success=True,
        message=_text(inner.get("Message")),
        phrase=_text(inner.get("Phrase")),
        appointments=appointments,
        content=content,
    )


def decode_content(content: Any) -> Any:
    if isinstance(content, str):
        try:
            return json.loads(content)
        except ValueError:
            return content
    return content


def _text(value: Any) -> str | None:
    return value if isinstance(value, str) and value else None
