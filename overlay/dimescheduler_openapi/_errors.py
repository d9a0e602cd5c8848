"""Typed errors. Messages name the problem in one line and never contain a secret.

Every error pickles with its message and fields (so it can cross a process pool), and the requests and
responses it keeps are scrubbed copies (`_scrub`): no credential header, request body, `/token` answer,
history or redirect request is reachable from an error.
"""

from __future__ import annotations

from typing import Any

import httpx

from ._logging import describe
from ._problem import attempts_note, server_reason
from ._scrub import (
    SECRET_EXCHANGE,
    TOKEN_BODY_NOTE,
    mask_cut,
    mask_text,
    mask_value,
    request_secrets,
    safe_url,
    scrub_request,
    scrub_response,
    shorten,
)

__all__ = [
    "APIConnectionError",
    "APIError",
    "APIStatusError",
    "APITimeoutError",
    "AuthenticationError",
    "BadRequestError",
    "ConfigurationError",
    "ConflictError",
    "DimeSchedulerError",
    "InternalServerError",
    "InvalidRequestError",
    "MutationFailedError",
    "NotFoundError",
    "PaginationError",
    "PermissionDeniedError",
    "RateLimitError",
    "RedirectError",
    "ResponseTooLargeError",
    "UnexpectedResponseError",
    "UnprocessableEntityError",
    "UnsupportedOperationError",
]

REQUEST_ID_HEADERS = ("x-request-id", "request-id", "x-correlation-id", "traceparent")
# ASP.NET Core puts the request's trace id into its error bodies (ProblemDetails) as `traceId`.
REQUEST_ID_FIELDS = ("traceId", "requestId", "correlationId")
SNIPPET = 120  # characters of an unexpected body quoted in a message


def _restore(cls: type[DimeSchedulerError], args: tuple[Any, ...]) -> DimeSchedulerError:
    error = cls.__new__(cls, *args)
    error.args = args
    return error


class DimeSchedulerError(Exception):
    """Base of every error this package raises."""

    def __reduce__(self) -> tuple[Any, ...]:
        # The default rebuilds with `cls(*args)`, which fails for errors with keyword-only fields.
        return (_restore, (type(self), self.args), dict(self.__dict__))


class ConfigurationError(DimeSchedulerError, ValueError):
    """The client was constructed with missing, conflicting or unsafe settings."""


class InvalidRequestError(DimeSchedulerError, ValueError):
    """A call was refused before anything was sent (for example an empty path value)."""


class UnsupportedOperationError(DimeSchedulerError):
    """The operation (or the model it answers with) is not in the generated client: the vendor removed it,
    or `nox -s generate` left it out (openapi/upstream.meta.json lists why)."""


class APIError(DimeSchedulerError):
    """Something went wrong talking to the API. `request` is a scrubbed copy (method, URL, redacted headers)."""

    def __init__(self, message: str, *, request: httpx.Request | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.request = scrub_request(request) if request is not None else None


class APIConnectionError(APIError):
    """The request did not get an answer: DNS, refused connection, TLS, broken transfer."""


class APITimeoutError(APIConnectionError):
    """The request timed out (connect, read, write or pool), or the call's `deadline` passed."""


class ResponseTooLargeError(APIConnectionError):
    """The answer's body is larger than the client's `max_response_bytes` (its `max_bytes`); it was not read
    to the end and is not retried."""

    def __init__(self, message: str, *, max_bytes: int, request: httpx.Request | None = None) -> None:
        super().__init__(message, request=request)
        self.max_bytes = max_bytes


class PaginationError(APIError):
    """A paged listing cannot be walked: the server answered a page holding only items already seen."""


class APIStatusError(APIError):
    """The API answered with a status other than 2xx, or with a 2xx body that is not what the operation
    documents. `body` is the parsed JSON, or the text when not JSON; `response` a scrubbed copy."""

    status_code: int

    def __init__(self, message: str, *, response: httpx.Response, body: Any) -> None:
        safe = scrub_response(response)
        original = response._request
        if original is not None and original.extensions.get(SECRET_EXCHANGE) and body is not None:
            body = TOKEN_BODY_NOTE
        secrets = request_secrets(original)
        message, body = mask_cut(message, secrets), mask_value(body, secrets)
        super().__init__(message)
        self.request = safe._request
        self.response = safe
        self.status_code = response.status_code
        self.body = body
        self.headers = safe.headers
        self.request_id = request_id(safe.headers, body)


class RedirectError(APIStatusError):
    """A 3xx answer. The client never follows redirects (one could carry credentials to another host), and
    the API documents none, so the call did not get the answer it asked for. `location` is the target
    without its query string (None when the answer named none)."""

    def __init__(self, message: str, *, response: httpx.Response, body: Any, location: str | None) -> None:
        super().__init__(message, response=response, body=body)
        self.location = location


class UnexpectedResponseError(APIStatusError):
    """A 2xx answer whose body is not what the operation documents: not JSON (an HTML page, plain text,
    truncated JSON), empty where a body is documented, or JSON of another shape. `expected` says what was
    expected; `body` holds what came (parsed JSON, else the text). A write answered this way is not done."""

    def __init__(self, message: str, *, response: httpx.Response, body: Any, expected: str) -> None:
        super().__init__(message, response=response, body=body)
        self.expected = expected


class BadRequestError(APIStatusError):
    status_code = 400


class AuthenticationError(APIStatusError):
    status_code = 401


class PermissionDeniedError(APIStatusError):
    status_code = 403


class NotFoundError(APIStatusError):
    status_code = 404


class ConflictError(APIStatusError):
    status_code = 409


class UnprocessableEntityError(APIStatusError):
    status_code = 422


class RateLimitError(APIStatusError):
    """429. `retry_after` is the server's wait in seconds when it sent one."""

    status_code = 429

    def __init__(
        self, message: str, *, response: httpx.Response, body: Any, retry_after: float | None
    ) -> None:
        super().__init__(message, response=response, body=body)
        self.retry_after = retry_after


class InternalServerError(APIStatusError):
    """Any 5xx."""


class MutationFailedError(DimeSchedulerError):
    """HTTP 200, but the write envelope's own status says the import failed. `response` is a scrubbed copy."""

    def __init__(
        self,
        message: str,
        *,
        status: int | None,
        error: str | None,
        description: str | None,
        response: httpx.Response,
    ) -> None:
        secrets = request_secrets(response._request)
        super().__init__(mask_cut(message, secrets))
        self.status = status
        self.error = None if error is None else mask_cut(error, secrets)
        self.description = None if description is None else mask_cut(description, secrets)
        self.response = scrub_response(response)


STATUS_ERRORS: dict[int, type[APIStatusError]] = {
    400: BadRequestError,
    401: AuthenticationError,
    403: PermissionDeniedError,
    404: NotFoundError,
    409: ConflictError,
    422: UnprocessableEntityError,
}


def request_id(headers: httpx.Headers, *bodies: Any) -> str | None:
    """The id the server gave the request: a request-id header, else a `traceId` (or `requestId`,
    `correlationId`) string in a JSON object body."""
    for name in REQUEST_ID_HEADERS:
        if name in headers:
            return headers[name]
    for body in bodies:
        if isinstance(body, dict):
            for key in REQUEST_ID_FIELDS:
                value = body.get(key)
                if isinstance(value, str) and value.strip():
                    return value.strip()
    return None


def response_body(response: httpx.Response) -> Any:
    """JSON when the body parses as JSON, else the text (never dropped; also for JSON nested too deeply)."""
    try:
        return response.json()
    except (ValueError, RecursionError):
        return response.text


def _status_line(response: httpx.Response) -> str:
    request = response.request
    return f"HTTP {response.status_code} {response.reason_phrase} from {request.method} {request.url.path}"


def redirect_target(response: httpx.Response) -> str | None:
    """The Location of a 3xx, resolved against the request URL, without userinfo, query or fragment."""
    location = response.headers.get("location")
    if not location:
        return None
    try:
        url = response.request.url.join(location)
    except (httpx.InvalidURL, ValueError):
        return "(an unreadable Location)"
    return str(safe_url(url).copy_with(query=None, fragment=None))


def status_error(response: httpx.Response, *, retry_after: float | None = None) -> APIStatusError:
    """The typed error for any answer that is not 2xx."""
    body = response_body(response)
    line = _status_line(response)
    if 300 <= response.status_code < 400:
        location = redirect_target(response)
        where = f"redirected to {location}" if location else "a redirect without a Location"
        return RedirectError(
            f"{line}: {where} (the client does not follow redirects; check the environment URL)",
            response=response,
            body=body,
            location=location,
        )
    reason = server_reason(body, response.headers)
    if reason:
        # Masked before it is cut: a cut through an echoed secret would leave its first characters.
        secrets = request_secrets(response._request)
        line += ": " + shorten(" ".join(mask_text(reason, secrets).split()), 600, secrets, ellipsis="")
    line += attempts_note(response.request)
    if response.status_code == 429:
        return RateLimitError(line, response=response, body=body, retry_after=retry_after)
    if response.status_code >= 500:
        return InternalServerError(line, response=response, body=body)
    return STATUS_ERRORS.get(response.status_code, APIStatusError)(line, response=response, body=body)


def describe_json(value: Any) -> str:
    """What a JSON value is, for a message: "a JSON object with keys 'errors'", "a JSON array", ..."""
    if isinstance(value, dict):
        kind = "a JSON object"
    elif isinstance(value, list):
        kind = "a JSON array"
    elif isinstance(value, str):
        kind = "a JSON string"
    else:
        kind = "JSON null" if value is None else f"the JSON value {json_text(value)}"
    if isinstance(value, dict) and value:
        kind += " with keys " + ", ".join(repr(str(key)) for key in list(value)[:5])
    return kind


def json_text(value: Any) -> str:
    text = repr(value)
    return text if len(text) <= 40 else text[:39] + "…"


def describe_body(response: httpx.Response) -> str:
    """What a body that is not JSON is, for a message: "an empty body", "an HTML page: '<html>…'", ..."""
    if not response.content:
        return "an empty body"
    secrets = request_secrets(response._request)  # masked before the cut, so no piece of one is quoted
    text = " ".join(mask_text(response.text, secrets).split())
    snippet = shorten(text, SNIPPET, secrets)
    content_type = response.headers.get("content-type", "")
    looks_html = "html" in content_type or text[:15].lower().startswith(("<!doctype", "<html"))
    return f"{'an HTML page' if looks_html else 'text that is not JSON'}: {snippet!r}"


def unexpected_response(
    response: httpx.Response,
    expected: str,
    *,
    parsed: Any = None,
    is_json: bool = False,
    got: str | None = None,
) -> UnexpectedResponseError:
    """The error for a 2xx answer that is not `expected`. `parsed`/`is_json` give the JSON when it parsed;
    `got` replaces the description of what came."""
    if got is None:
        got = describe_json(parsed) if is_json else describe_body(response)
    body = parsed if is_json else (response.text if response.content else None)
    return UnexpectedResponseError(
        f"{_status_line(response)}: expected {expected}, got {got}",
        response=response,
        body=body,
        expected=expected,
    )


def connection_error(exc: httpx.RequestError, request: httpx.Request) -> APIConnectionError:
    """A one-line typed error for a request that got no (usable) answer. The httpx error keeps only a
    scrubbed copy of the request, as it becomes the typed error's `__cause__`."""
    _scrub_chain(exc, request)
    target = f"{request.method} {request.url.copy_with(query=None)}"
    max_bytes = getattr(exc, "max_bytes", None)
    if isinstance(max_bytes, int):
        return ResponseTooLargeError(
            f"{target}: the answer is larger than {max_bytes:,} bytes (max_response_bytes); not read",
            max_bytes=max_bytes,
            request=request,
        )
    deadline = getattr(exc, "deadline_seconds", None)
    if deadline is not None:
        return APITimeoutError(
            f"{target} did not finish within its deadline of {deadline:g} s", request=request
        )
    retried = attempts_note(request)
    if isinstance(exc, httpx.TimeoutException):
        return APITimeoutError(f"{target} timed out ({type(exc).__name__}){retried}", request=request)
    return APIConnectionError(f"{target} failed: {describe(exc)}{retried}", request=request)


def _scrub_chain(exc: BaseException, request: httpx.Request) -> None:
    """Replace the request of every httpx error in `exc`'s cause/context chain by a scrubbed copy."""
    seen: set[int] = set()
    current: BaseException | None = exc
    while current is not None and id(current) not in seen:
        seen.add(id(current))
        if isinstance(current, httpx.RequestError):
            failed = current._request  # the request that failed may be the /token request of the call
            current.request = scrub_request(failed if failed is not None else request)
        current = current.__cause__ or current.__context__
