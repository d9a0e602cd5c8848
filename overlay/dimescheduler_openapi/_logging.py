"""Debug logging on the `dimescheduler_openapi` logger. Secrets never reach it: bodies are not logged at all
and credential headers are replaced by "[redacted]"."""

from __future__ import annotations

import logging
import re
from collections.abc import Iterable

import httpx

logger = logging.getLogger("dimescheduler_openapi")

REDACTED = "[redacted]"
# A header is a credential when its name contains one of these (Set-Cookie2, X-Auth-Token, X-Session-Id, ...):
# a fixed list of names misses the variants servers and proxies invent.
_SECRET_PARTS = re.compile(
    r"cookie|auth|token|key|secret|session|password|passwd|credential|signature", re.IGNORECASE
)
# Names matching a part above that carry no credential and help diagnose (content-*, cache-control: none
# match today; listed so a future part cannot hide them).
_KEPT_HEADERS = frozenset({"cache-control", "retry-after", "x-request-id", "request-id", "traceparent"})
# Headers holding a URL whose query or userinfo may carry a credential (a signed link, `?api_key=`).
_URL_HEADERS = frozenset({"location", "content-location", "refresh"})


def is_secret_header(name: str) -> bool:
    lowered = name.lower()
    if lowered in _KEPT_HEADERS or lowered.startswith("content-"):
        return False
    return _SECRET_PARTS.search(lowered) is not None


def safe_header_value(name: str, value: str) -> str:
    """`value` as it may be kept or logged: "[redacted]" for a credential header, a URL header without its
    query, fragment and userinfo."""
    if is_secret_header(name):
        return REDACTED
    if name.lower() in _URL_HEADERS:
        return _strip_url(value)
    return value


def _strip_url(value: str) -> str:
    # Refresh is "5; url=https://..."; Location and Content-Location are a URL, maybe relative.
    cut = re.sub(r"[?#].*", "", value.strip())
    return re.sub(r"//[^/@?#]*@", "//", cut)


def redact_headers(headers: Iterable[tuple[str, str]]) -> dict[str, str]:
    """Headers as a dict with every credential header's value replaced (repeated names are joined)."""
    redacted: dict[str, str] = {}
    for name, value in headers:
        shown = safe_header_value(name, value)
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
            _masked(redact_headers(response.headers.multi_items()), request),
        )


def _masked(headers: dict[str, str], request: httpx.Request) -> dict[str, str]:
    # A server may echo the key or token in any header (X-Echo, a Warning, a Link): mask the client's own.
    from ._scrub import mask_text, request_secrets  # _scrub imports this module

    secrets = request_secrets(request)
    return {name: mask_text(value, secrets) for name, value in headers.items()} if secrets else headers


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
