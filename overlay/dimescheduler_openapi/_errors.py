"""Typed errors. Messages name the problem in one line and never contain a secret."""

from __future__ import annotations

from typing import Any

import httpx

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
    "PermissionDeniedError",
    "RateLimitError",
    "UnprocessableEntityError",
]

REQUEST_ID_HEADERS = ("x-request-id", "request-id", "x-correlation-id", "traceparent")


class DimeSchedulerError(Exception):
    """Base of every error this package raises."""


class ConfigurationError(DimeSchedulerError, ValueError):
    """The client was constructed with missing, conflicting or unsafe settings."""


class InvalidRequestError(DimeSchedulerError, ValueError):
    """A call was refused before anything was sent (for example an empty path value)."""


class APIError(DimeSchedulerError):
    """Something went wrong talking to the API."""

    def __init__(self, message: str, *, request: httpx.Request | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.request = request


class APIConnectionError(APIError):
    """The request did not get an answer: DNS, refused connection, TLS, broken transfer."""


class APITimeoutError(APIConnectionError):
    """The request timed out (connect, read, write or pool)."""


class APIStatusError(APIError):
    """The API answered with a 4xx/5xx status. `body` is the parsed JSON, or the text when not JSON."""

    status_code: int

    def __init__(self, message: str, *, response: httpx.Response, body: Any) -> None:
        super().__init__(message, request=response.request)
        self.response = response
        self.status_code = response.status_code
        self.body = body
        self.headers = response.headers
        self.request_id = next(
            (response.headers[h] for h in REQUEST_ID_HEADERS if h in response.headers), None
        )


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
    """HTTP 200, but the write envelope's own status says the import failed."""

    def __init__(
        self,
        message: str,
        *,
        status: int | None,
        error: str | None,
        description: str | None,
        response: httpx.Response,
    ) -> None:
        super().__init__(message)
        self.status = status
        self.error = error
        self.description = description
        self.response = response


STATUS_ERRORS: dict[int, type[APIStatusError]] = {
    400: BadRequestError,
    401: AuthenticationError,
    403: PermissionDeniedError,
    404: NotFoundError,
    409: ConflictError,
    422: UnprocessableEntityError,
}


def response_body(response: httpx.Response) -> Any:
    """JSON when the body parses as JSON, else the text (never dropped)."""
    try:
        return response.json()
    except ValueError:
        return response.text


def error_message(body: Any) -> str | None:
    if isinstance(body, dict):
        for key in ("message", "error", "detail", "title", "Message", "Error", "Description"):
            value = body.get(key)
            if isinstance(value, str) and value.strip():
                return value.strip()
    if isinstance(body, str) and body.strip():
        return body.strip()
    return None


def status_error(response: httpx.Response, *, retry_after: float | None = None) -> APIStatusError:
    """The typed error for a 4xx/5xx answer."""
    body = response_body(response)
    reason = error_message(body)
    line = f"HTTP {response.status_code} {response.reason_phrase} from {response.request.method} {response.request.url.path}"
    if reason:
        line += ": " + " ".join(reason.split())[:300]
    if response.status_code == 429:
        return RateLimitError(line, response=response, body=body, retry_after=retry_after)
    if response.status_code >= 500:
        return InternalServerError(line, response=response, body=body)
    return STATUS_ERRORS.get(response.status_code, APIStatusError)(line, response=response, body=body)
