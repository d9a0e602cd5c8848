"""Debug logging on the `dimescheduler_openapi` logger. Secrets never reach it: bodies are not logged at all
and credential headers are replaced by "[redacted]"."""

from __future__ import annotations

import logging
from collections.abc import Iterable

import httpx

logger = logging.getLogger("dimescheduler_openapi")

REDACTED = "[redacted]"
SECRET_HEADERS = frozenset({"x-api-key", "authorization", "proxy-authorization", "cookie", "set-cookie"})


def redact_headers(headers: Iterable[tuple[str, str]]) -> dict[str, str]:
    """Headers as a dict with every credential header's value replaced (repeated names are joined)."""
    redacted: dict[str, str] = {}
    for name, value in headers:
        shown = REDACTED if name.lower() in SECRET_HEADERS else value
        redacted[name] = f"{redacted[name]}, {shown}" if name in redacted else shown
    return redacted


def debug_enabled() -> bool:
    return logger.isEnabledFor(logging.DEBUG)


def log_request(request: httpx.Request) -> None:
    if debug_enabled():
        logger.debug(
            "request %s %s headers=%s",
            request.method,
            request.url,
            redact_headers(request.headers.multi_items()),
        )


def log_response(request: httpx.Request, response: httpx.Response, elapsed: float) -> None:
    if debug_enabled():
        logger.debug(
            "response %s %s -> %s %s in %.1f ms headers=%s",
            request.method,
            request.url,
            response.status_code,
            response.reason_phrase,
            elapsed * 1000,
            redact_headers(response.headers.multi_items()),
        )


def log_failure(request: httpx.Request, exc: Exception, elapsed: float) -> None:
    if debug_enabled():
        logger.debug(
            "request %s %s failed after %.1f ms: %s",
            request.method,
            request.url,
            elapsed * 1000,
            describe(exc),
        )


def describe(exc: BaseException) -> str:
    """`TypeName: first line of the message`, for one-line logs and errors."""
    text = " ".join(str(exc).split())[:200]
    return f"{type(exc).__name__}: {text}" if text else type(exc).__name__
