"""Turning answers into typed values: lists of models, single models, and the write envelope.

Every parser checks the answer's shape against what the operation documents and raises
`UnexpectedResponseError` (with the status and the body) otherwise: a body that is not JSON (an HTML page,
plain text, truncated JSON), an empty body where one is documented, or JSON of another shape (an object where
a list is documented, a list where an object is, a non-empty object none of whose keys the model knows).

Reads are lenient by default: an answer of the documented shape always becomes the typed model. A field the
answer leaves out is UNSET (also a required one), null is None, unknown keys go to `additional_properties`,
and a value the model cannot convert (a date-time that is not one, an object where a list is documented) is
kept as received and reported once per field and answer through a `ResponseValueWarning`. With
`strict_responses` (the clients' option, or a `strict_responses()` block around a call) such an answer
raises `UnexpectedResponseError` naming the field instead. Writes are not affected: `parse_mutation` keeps its
rules.

JSON is parsed with orjson when it is installed (imported on the first answer, never at import time), else
with the standard library; a body orjson refuses (NaN, a byte order mark, UTF-16, deep nesting) goes to the
standard library, which refuses NaN, Infinity and JSON nested too deeply as orjson does, so what raises
does not depend on orjson.
"""

from __future__ import annotations

import contextlib
import importlib
import json
import math
import warnings
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass, field
from typing import Any, Protocol, TypeVar

import httpx

from ._errors import MutationFailedError, describe_json, json_text, request_id, unexpected_response
from ._logging import is_secret_header, safe_header_value

M = TypeVar("M", covariant=True)

ENVELOPE = "the write envelope {content, contentType, statusCode}"
# What a model's from_dict raises on values of the wrong type or format.
_MODEL_ERRORS = (TypeError, ValueError, KeyError, AttributeError, OverflowError)


class ResponseValueWarning(UserWarning):
    """A read answer held a value of another type than its document gives for the field; the model keeps it
    as received (see `strict_responses`)."""


# A `strict_responses()` block (per call) overrides the client's option, which `reading_mode` sets around
# each answer the client parses; outside both, reads are lenient.
_STRICT_BLOCK: ContextVar[bool | None] = ContextVar("dimescheduler_openapi_strict_block", default=None)
_STRICT_CLIENT: ContextVar[bool] = ContextVar("dimescheduler_openapi_strict_client", default=False)


@contextmanager
def strict_responses(strict: bool = True) -> Iterator[None]:
    """`with strict_responses(): client.jobs.get_all()`: within the block (this thread or task), read
    answers are validated as strictly as the document says (a required field absent, or a value the model
    cannot hold, raises UnexpectedResponseError naming the field), whatever the client's `strict_responses`;
    `strict_responses(False)` makes them lenient instead."""
    token = _STRICT_BLOCK.set(bool(strict))
    try:
        yield
    finally:
        _STRICT_BLOCK.reset(token)


def parse_with(parse: Callable[[httpx.Response], M], response: httpx.Response, strict: bool) -> M:
    """`parse(response)` with a client's `strict_responses` setting (a `strict_responses()` block wins)."""
    token = _STRICT_CLIENT.set(strict)
    try:
        return parse(response)
    finally:
        _STRICT_CLIENT.reset(token)


def _strict() -> bool:
    block = _STRICT_BLOCK.get()
    return _STRICT_CLIENT.get() if block is None else block


def _raw_types() -> Any:
    """dimescheduler_raw.types, imported on the first answer (never at import time)."""
    return importlib.import_module("dimescheduler_raw.types")


class FromDict(Protocol[M]):
    def from_dict(self, src_dict: Mapping[str, Any], /) -> M: ...


@dataclass(frozen=True, slots=True)
class AppointmentIds:
    id: int | None
    guid: str | None


@dataclass(frozen=True, slots=True)
class MutationResult:
    """A write's outcome with the envelope unwrapped: `content` was a JSON string, decoded here.

    `request_id` is the id the server gave the request (a request-id header, else a `traceId` in the body),
    `headers` a copy of the answer's headers without cookies or credentials; neither takes part in `==`."""

    status_code: int
    success: bool
    message: str | None = None
    phrase: str | None = None
    appointments: list[AppointmentIds] = field(default_factory=list)
    content: Any = None
    request_id: str | None = field(default=None, compare=False)
    headers: httpx.Headers = field(default_factory=httpx.Headers, compare=False, repr=False)


_UNRESOLVED: Any = object()
# orjson.loads once looked up; None when orjson is not installed. Tests and the benchmarks set it to None
# to measure the standard-library path.
fast_loads: Any = _UNRESOLVED


def _fast_loads() -> Callable[[bytes], Any] | None:
    global fast_loads
    if fast_loads is _UNRESOLVED:
        try:
            fast_loads = importlib.import_module("orjson").loads
        except ImportError:
            fast_loads = None
    loads: Callable[[bytes], Any] | None = fast_loads
    return loads


class _NotFinite(ValueError):
    pass


class _TooDeep(ValueError):
    pass


def _constant(name: str) -> float:
    raise _NotFinite(f"{name} is not a JSON number")


def _finite(text: str) -> float:
    value = float(text)
    if not math.isfinite(value):
        raise _NotFinite(f"{text[:40]} is beyond the range of a number")
    return value


def strict_loads(content: bytes | str) -> Any:
    """JSON without NaN, Infinity or numbers too large for a float (no model field can hold them); ValueError
    for those, for text that is not JSON and for JSON nested too deeply to read."""
    try:
        return json.loads(content, parse_constant=_constant, parse_float=_finite)
    except RecursionError:
        raise _TooDeep("JSON nested too deeply to read") from None


def json_body(response: httpx.Response, expected: str) -> Any:
    """The answer's JSON; UnexpectedResponseError when the body is empty, not JSON, nested too deeply or holds
    a number no field can hold (NaN, Infinity)."""
    content = response.content
    if not content:
        raise unexpected_response(response, expected)
    loads = _fast_loads()
    if loads is not None:
        try:
            return loads(content)  # orjson reads the bytes; json.loads decodes them to a str first
        except ValueError:  # orjson.JSONDecodeError; the standard library may still read it, or say why not
            pass
    try:
        return strict_loads(content)
    except _NotFinite as exc:
        raise unexpected_response(response, expected, got=f"JSON holding {exc}") from None
    except _TooDeep as exc:
        raise unexpected_response(response, expected, got=str(exc)) from None
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
    another shape. Lenient or strict as `_strict()` says; a lenient read runs inside `_lenient` already."""
    if type(data) is not dict:
        problem = describe_json(data)
    else:
        try:
            value = model.from_dict(data)
        except KeyError as exc:  # only a strict read gets here: a lenient one leaves absent fields UNSET
            problem = f"{describe_json(data)} without the required field {json_text(str(exc.args[0]))}"
        except _MODEL_ERRORS as exc:
            key, kind = getattr(exc, "key", None), getattr(exc, "kind", None)
            if isinstance(key, str) and isinstance(kind, str):  # dimescheduler_raw.types.FieldValueError
                problem = (
                    f"{describe_json(data)} whose field {json_text(key)} holds {kind}, which "
                    f"{getattr(exc, 'model', _model_name(model))} cannot hold"
                )
            else:
                problem = (
                    f"{describe_json(data)} it cannot read ({type(exc).__name__}: {json_text(str(exc))})"
                )
        else:
            extra = getattr(value, "additional_properties", None)
            if not (data and isinstance(extra, dict) and len(extra) == len(data)):
                return value
            problem = f"{describe_json(data)}, none of them a field of {_model_name(model)}"
    where = "" if index is None else f"item {index}: "
    raise unexpected_response(response, expected, parsed=whole, is_json=True, got=where + problem)


@contextmanager
def _lenient() -> Iterator[None]:
    """Models read leniently within the block (unless strict); one warning per field afterwards."""
    if _strict():
        yield
        return
    problems: list[tuple[str, str, str]] = []
    with _raw_types().read_leniently(problems):
        yield
    if problems:
        _warn(problems)


def _warn(problems: list[tuple[str, str, str]]) -> None:
    counts: dict[tuple[str, str, str], int] = {}
    for problem in problems:
        counts[problem] = counts.get(problem, 0) + 1
    for (model, key, kind), count in counts.items():
        times = "" if count == 1 else f" ({count} times)"
        warnings.warn(
            f"{model}.{key}: the answer holds {kind}{times}, which is not the type the document gives; "
            "kept as received (strict_responses=True raises instead)",
            ResponseValueWarning,
            stacklevel=2,
        )


def parse_model(model: FromDict[M]) -> Callable[[httpx.Response], M]:
    def parse(response: httpx.Response) -> M:
        expected = f"a JSON object ({_model_name(model)})"
        data = json_body(response, expected)
        with _lenient():
            return _read(model, data, response, expected, data, None)

    return parse


def parse_models(model: FromDict[M]) -> Callable[[httpx.Response], list[M]]:
    def parse(response: httpx.Response) -> list[M]:
        expected = f"a JSON array of {_model_name(model)} objects"
        data = json_body(response, expected)
        if type(data) is not list:
            raise unexpected_response(response, expected, parsed=data, is_json=True)
        with _lenient():
            return [_read(model, item, response, expected, data, i) for i, item in enumerate(data)]

    return parse


def _is_envelope(body: Any) -> bool:
    status = body.get("statusCode") if isinstance(body, dict) else None
    return isinstance(status, int) and not isinstance(status, bool)


def _failure(value: Any, depth: int = 0) -> bool:
    """Whether an object says the write failed, keys in any case: a `success` that does not read as true
    (false, 0, "false", "no", null, ...), a non-empty `error`/`errors`, an envelope `statusCode` outside 2xx; a list
    (of envelopes) fails when any item does, and an item's JSON-text `content` is read too."""
    if depth > 8:
        # Nested past what we read: a failure may be inside, so this is not a documented success.
        raise _TooDeep("envelopes nested too deeply to read")
    if isinstance(value, list):
        return any(_failure(item, depth + 1) for item in value)
    if not isinstance(value, dict):
        return False
    for key, item in value.items():
        name = key.lower() if isinstance(key, str) else ""
        if name == "success" and not _reads_true(item):  # null claims nothing: not a success
            return True
        if name in ("error", "errors") and item not in (None, "", [], {}, False):
            return True
        if name == "statuscode" and isinstance(item, int) and not 200 <= item < 300:
            return True
    if depth == 0:
        return False  # the envelope's own content is read by the caller
    nested = value.get("content")
    with contextlib.suppress(ValueError):
        nested = decode_content(nested)
    return isinstance(nested, list | dict) and _failure(nested, depth + 1)


def _reads_true(value: Any) -> bool:
    if isinstance(value, bool):
        return value
    if isinstance(value, int | float):
        return value != 0
    return isinstance(value, str) and value.strip().lower() in ("true", "1", "yes", "ok", "success")


def parse_mutation(response: httpx.Response) -> MutationResult:
    """Unwrap {content, contentType, statusCode}; raise MutationFailedError when it reports a failure.

    Only the envelope the API documents counts as success: an empty body, a body that is not JSON, or JSON
    that is not the envelope (no integer `statusCode`) raises UnexpectedResponseError, since nothing says the
    write was done. A failure is an envelope status outside 2xx, or (keys in any case) a `success` that does
    not read as true or a non-empty `error`/`errors` in the envelope or its content; a content that is a
    list of envelopes fails when any of them does.
    """
    envelope = json_body(response, ENVELOPE)
    if not _is_envelope(envelope):
        raise unexpected_response(response, ENVELOPE, parsed=envelope, is_json=True)
    status: int = envelope["statusCode"]
    try:
        content = decode_content(envelope.get("content"))
    except ValueError as exc:
        raise unexpected_response(
            response, ENVELOPE, parsed=envelope, is_json=True, got=f"content holding {exc}"
        ) from None
    inner: Mapping[str, Any] = content if isinstance(content, dict) else {}
    try:
        success = 200 <= status < 300 and not _failure(envelope) and not _failure(content, 1)
    except _TooDeep as exc:
        raise unexpected_response(
            response, ENVELOPE, parsed=envelope, is_json=True, got=f"content holding {exc}"
        ) from None
    if not success:
        error = _text(inner.get("Error")) or _error_text(envelope)
        description = _text(inner.get("Description")) or _text(inner.get("Message"))
        detail = "; ".join(part for part in (error, description) if part) or "no detail given"
        raise MutationFailedError(
            f"the write reported status {status} under HTTP {response.status_code}: {detail[:300]}",
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
        request_id=request_id(response.headers, envelope, inner),
        headers=safe_headers(response.headers),
    )


def _error_text(envelope: Mapping[str, Any]) -> str | None:
    for key in ("error", "errors", "Error", "Errors"):
        value = envelope.get(key)
        if value not in (None, "", [], {}):
            return value if isinstance(value, str) else json_text(value)
    return None


def safe_headers(headers: httpx.Headers) -> httpx.Headers:
    """A copy of `headers` without Set-Cookie, Cookie or any credential header; URL headers without query."""
    return httpx.Headers(
        [(k, safe_header_value(k, v)) for k, v in headers.multi_items() if not is_secret_header(k)]
    )


def decode_content(content: Any) -> Any:
    """The envelope's `content`: a JSON string decoded (text that is not JSON stays text); ValueError for a
    number no field can hold (NaN, Infinity) or JSON nested too deeply to read."""
    if isinstance(content, float) and not math.isfinite(content):
        raise _NotFinite(f"{content!r}, which is not a JSON number")
    if isinstance(content, str):
        try:
            return strict_loads(content)
        except (_NotFinite, _TooDeep):
            raise
        except ValueError:
            return content
    return content


def _text(value: Any) -> str | None:
    return value if isinstance(value, str) and value else None
