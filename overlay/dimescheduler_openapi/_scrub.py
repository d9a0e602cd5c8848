"""Copies of requests and responses that are safe to keep on errors and in `capture_response()` blocks.

A live httpx exchange can reach every credential the client holds: the request headers (`X-API-KEY`,
`Authorization`, `Cookie`), the `/token` request body (the password), the `/token` answer (the JWT),
`response.history` (the `/token` exchange made during the call), `response.next_request` (a redirect request
carrying the same headers) and `Set-Cookie`. The copies made here keep the status, reason, HTTP version,
method, URL and headers with every credential header's value replaced by "[redacted]", drop request bodies,
history and `next_request`, and drop the body of a successful credential exchange (marked by
`SECRET_EXCHANGE`). They pickle (httpx supports it), so errors carrying them can cross process boundaries.
"""

from __future__ import annotations

import contextlib
from typing import Any, Final

import httpx

from ._logging import REDACTED, SECRET_HEADERS

__all__ = ["SECRET_EXCHANGE", "safe_url", "scrub_request", "scrub_response"]

SECRET_EXCHANGE: Final = "dimescheduler_openapi.secret_exchange"
"""Request extension set on the `/token` request: its body and its successful answer are credentials."""

# The copy's content is already decoded; these would make httpx decode or frame it a second time.
_FRAMING = frozenset({"content-encoding", "content-length", "transfer-encoding"})


def safe_url(url: httpx.URL) -> httpx.URL:
    """`url` without `user:password@` (the query is kept: it is the caller's own, not a credential)."""
    return url.copy_with(username=None, password=None) if url.userinfo else url


def _headers(headers: httpx.Headers, *, drop: frozenset[str] = frozenset()) -> list[tuple[str, str]]:
    return [
        (name, REDACTED if name.lower() in SECRET_HEADERS else value)
        for name, value in headers.multi_items()
        if name.lower() not in drop
    ]


def scrub_request(request: httpx.Request) -> httpx.Request:
    """Method, URL (no userinfo) and redacted headers; no body, no extensions."""
    return httpx.Request(request.method, safe_url(request.url), headers=_headers(request.headers))


def scrub_response(response: httpx.Response) -> httpx.Response:
    """Status, reason, HTTP version, redacted headers and the (decoded) body of `response`; its request
    scrubbed; no history, no `next_request`. A body that was never read is left out, and so is the body of a
    successful credential exchange."""
    request = response._request  # `response.request` raises when no request is attached
    try:
        content = response.content
    except httpx.ResponseNotRead:
        content = b""
    if request is not None and request.extensions.get(SECRET_EXCHANGE) and response.is_success:
        content = b""
    extensions: dict[str, Any] = {
        key: response.extensions[key]
        for key in ("http_version", "reason_phrase")
        if key in response.extensions
    }
    copy = httpx.Response(
        response.status_code,
        headers=_headers(response.headers, drop=_FRAMING),
        content=content,
        request=scrub_request(request) if request is not None else None,
        extensions=extensions,
    )
    with contextlib.suppress(RuntimeError):  # set once the original was read and closed
        copy.elapsed = response.elapsed
    return copy
