"""Turning answers into typed values: lists of models, single models, and the write envelope.

Every parser checks the answer against what the operation documents and raises `UnexpectedResponseError`
(with the status and the body) otherwise: a body that is not JSON (an HTML page, plain text, truncated
JSON), an empty body where one is documented, JSON of another shape (an object where a list is documented,
a list where an object is, an object none of whose keys the model knows), or a body the model cannot read.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any, Protocol, TypeVar

import httpx

from ._errors import MutationFailedError, describe_json, json_text, unexpected_response

M = TypeVar("M", covariant=True)

ENVELOPE = "the write envelope {content, contentType, statusCode}"
# What a model's from_dict raises on values of the wrong type or format.
_MODEL_ERRORS = (TypeError, ValueError, KeyError, AttributeError, OverflowError)


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


def json_body(response: httpx.Response, expected: str) -> Any:
    """The answer's JSON; UnexpectedResponseError when the body is empty or not JSON."""
    if not response.content:
        raise unexpected_response(response, expected)
    try:
        return response.json()
    except ValueError:  # also UnicodeDecodeError
        raise unexpected_response(response, expected) from None


def parse_json(response: httpx.Response) -> Any:
    """For answers the API does not describe: None for an empty body, else the JSON (never plain text)."""
    if not response.content:
        return None
    return json_body(response, "a JSON body or none")


def _model_name(model: object) -> str:
    return getattr(model, "__name__", type(model).__name__)


def _read(
    model: FromDict[M], data: Any, response: httpx.Response, expected: str, whole: Any, index: int | None
) -> M:
    """One model from one JSON object (item `index` of a list); an object sharing no key with the model is
    another shape."""
    if type(data) is not dict:
        problem = describe_json(data)
    else:
        try:
            value = model.from_dict(data)
        except _MODEL_ERRORS as exc:
            problem = f"{describe_json(data)} it cannot read ({type(exc).__name__}: {json_text(str(exc))})"
        else:
            extra = getattr(value, "additional_properties", None)
            if not (data and isinstance(extra, dict) and len(extra) == len(data)):
                return value
            problem = f"{describe_json(data)}, none of them a field of {_model_name(model)}"
    where = "" if index is None else f"item {index}: "
    raise unexpected_response(response, expected, parsed=whole, is_json=True, got=where + problem)


def parse_model(model: FromDict[M]) -> Callable[[httpx.Response], M]:
    def parse(response: httpx.Response) -> M:
        expected = f"a JSON object ({_model_name(model)})"
        data = json_body(response, expected)
        return _read(model, data, response, expected, data, None)

    return parse


def parse_models(model: FromDict[M]) -> Callable[[httpx.Response], list[M]]:
    def parse(response: httpx.Response) -> list[M]:
        expected = f"a JSON array of {_model_name(model)} objects"
        data = json_body(response, expected)
        if type(data) is not list:
            raise unexpected_response(response, expected, parsed=data, is_json=True)
        return [_read(model, item, response, expected, data, i) for i, item in enumerate(data)]

    return parse


def _is_envelope(body: Any) -> bool:
    if not isinstance(body, dict) or ("statusCode" not in body and "content" not in body):
        return False
    status = body.get("statusCode")
    return status is None or (isinstance(status, int) and not isinstance(status, bool))


def parse_mutation(response: httpx.Response) -> MutationResult:
    """Unwrap {content, contentType, statusCode}; raise MutationFailedError when it reports a failure.

    Only the envelope the API documents counts as success: an empty body, a body that is not JSON, or JSON
    that is not the envelope raises UnexpectedResponseError, since nothing says the write was done.
    """
    envelope = json_body(response, ENVELOPE)
    if not _is_envelope(envelope):
        raise unexpected_response(response, ENVELOPE, parsed=envelope, is_json=True)
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
