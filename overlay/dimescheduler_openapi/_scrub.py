"""Copies of requests and responses that are safe to keep on errors and in `capture_response()` blocks.

A live httpx exchange can reach every credential the client holds: the request headers (`X-API-KEY`,
`Authorization`, `Cookie`), the `/token` request body (the password), the `/token` answer (the JWT),
`response.history` (the `/token` exchange made during the call), `response.next_request` (a redirect request
carrying the same headers) and `Set-Cookie`. The copies made here keep the status, reason, HTTP version,
method, URL and headers with every credential header's value replaced by "[redacted]", drop request bodies,
history and `next_request`, and drop the body of a credential exchange (marked by
`SECRET_EXCHANGE`), and mask the client's own secrets (`SECRETS`) in what they keep. They pickle (httpx
supports it), so errors carrying them can cross process boundaries.
"""

from __future__ import annotations

import base64
import contextlib
import functools
import json
import urllib.parse
from typing import Any, Final

import httpx

from ._logging import REDACTED, is_secret_header, safe_header_value

__all__ = [
    "SECRETS",
    "SECRET_EXCHANGE",
    "TOKEN_BODY_NOTE",
    "mask_cut",
    "mask_text",
    "mask_value",
    "request_secrets",
    "safe_url",
    "scrub_request",
    "scrub_response",
    "shorten",
]

SECRET_EXCHANGE: Final = "dimescheduler_openapi.secret_exchange"
"""Request extension set on the `/token` request: its body and its answer (even a failed one, which may echo
the request) are credentials, never kept."""

SECRETS: Final = "dimescheduler_openapi.secrets"
"""Request extension: the client's own secrets (API key, password, token) the auth flow sent with it, so
server text kept on errors, captures and logs can have them masked."""

TOKEN_BODY_NOTE: Final = "(the /token answer is not kept: it may hold a token or echo the password)"
_SHORTEST_SECRET = 4  # masking shorter strings would mangle ordinary text without protecting anything


def request_secrets(request: httpx.Request | None) -> tuple[str, ...]:
    """The secrets `request` carried: those its auth flow listed, and its credential headers' values."""
    if request is None:
        return ()
    found: list[str] = [str(value) for value in request.extensions.get(SECRETS, ())]
    for name, value in request.headers.multi_items():
        if is_secret_header(name):
            found.append(value)
            scheme, _, rest = value.partition(" ")
            if rest and scheme.lower() in ("bearer", "basic", "token"):
                found.append(rest.strip())
    unique = {secret for secret in found if len(secret) >= _SHORTEST_SECRET}
    return tuple(sorted(unique, key=len, reverse=True))  # longest first: a secret may contain another


@functools.lru_cache(maxsize=64)
def _forms(secret: str) -> tuple[str, ...]:
    """The ways a server may echo `secret`: as sent, JSON-escaped, URL-encoded (a form body or query it
    quotes back) and base64 (standard and URL-safe, alone or inside a longer encoded text)."""
    escaped = json.dumps(secret)[1:-1]
    ascii_escaped = json.dumps(secret, ensure_ascii=True)[1:-1]
    quoted = (urllib.parse.quote(secret, safe=""), urllib.parse.quote_plus(secret))
    return tuple(dict.fromkeys((secret, escaped, ascii_escaped, *quoted, *_base64_forms(secret))))


def _base64_forms(secret: str) -> list[str]:
    raw = secret.encode("utf-8", "surrogatepass")
    found: list[str] = []
    for encode in (base64.b64encode, base64.urlsafe_b64encode):
        whole = encode(raw).decode("ascii")
        found += [whole, whole.rstrip("=")]
        # Inside a longer encoded text (`user:key` in Basic auth) the secret starts at any of three byte
        # offsets; only the characters made of its own bytes alone are the same whatever surrounds it.
        for shift in (1, 2):
            text = encode(b"\0" * shift + raw).decode("ascii").rstrip("=")
            end = len(text) if (shift + len(raw)) % 3 == 0 else len(text) - (len(text) % 4 or 4)
            core = text[4:end]
            if len(core) >= 2 * _SHORTEST_SECRET:
                found.append(core)
    return sorted(found, key=len, reverse=True)


def mask_text(text: str, secrets: tuple[str, ...]) -> str:
    """`text` with every occurrence of a secret replaced by "[redacted]"."""
    for secret in secrets:
        for form in _forms(secret):
            if form in text:
                text = text.replace(form, REDACTED)
    return text


def _tail_prefix(text: str, secret: str) -> int:
    """Length of the longest prefix of `secret` (at least `_SHORTEST_SECRET` characters, shorter than the
    secret) that `text` ends with; 0 when none."""
    for size in range(min(len(secret) - 1, len(text)), _SHORTEST_SECRET - 1, -1):
        if text.endswith(secret[:size]):
            return size
    return 0


def mask_cut(text: str, secrets: tuple[str, ...]) -> str:
    """`mask_text`, and also a start of a secret that `text` ends with: what is left of a secret when the
    text was cut short in the middle of it (by us before masking, or by the server)."""
    text = mask_text(text, secrets)
    for secret in secrets:
        for form in _forms(secret):
            size = _tail_prefix(text, form)
            if size:
                text = text[:-size] + REDACTED
    return text


def shorten(text: str, limit: int, secrets: tuple[str, ...], *, ellipsis: str = "…") -> str:
    """`text` with the secrets masked, then cut to at most `limit` characters (ending in `ellipsis` when
    cut). Masking first means no piece of a secret survives at the cut."""
    text = mask_text(text, secrets)
    if len(text) <= limit:
        return text
    return mask_cut(text[: max(0, limit - len(ellipsis))], secrets) + ellipsis


def _mask_bytes(content: bytes, secrets: tuple[str, ...]) -> bytes:
    for secret in secrets:
        for form in _forms(secret):
            encoded = form.encode("utf-8", "surrogatepass")
            if encoded in content:
                content = content.replace(encoded, REDACTED.encode())
    return content


def mask_value(value: Any, secrets: tuple[str, ...]) -> Any:
    """A parsed JSON value with every string (keys included) masked; nested too deeply: masked text."""
    if not secrets:
        return value
    try:
        return _mask(value, secrets)
    except RecursionError:
        return shorten(repr(value), 1000, secrets)


def _mask(value: Any, secrets: tuple[str, ...]) -> Any:
    if isinstance(value, str):
        return mask_text(value, secrets)
    if isinstance(value, dict):
        return {_mask(key, secrets): _mask(item, secrets) for key, item in value.items()}
    if isinstance(value, list):
        return [_mask(item, secrets) for item in value]
    return value


# The copy's content is already decoded; these would make httpx decode or frame it a second time.
_FRAMING = frozenset({"content-encoding", "content-length", "transfer-encoding"})


def safe_url(url: httpx.URL) -> httpx.URL:
    """`url` without `user:password@` (the query is kept: it is the caller's own, not a credential)."""
    return url.copy_with(username=None, password=None) if url.userinfo else url


def _headers(
    headers: httpx.Headers, *, drop: frozenset[str] = frozenset(), secrets: tuple[str, ...] = ()
) -> list[tuple[str, str]]:
    return [
        (name, mask_text(safe_header_value(name, value), secrets))
        for name, value in headers.multi_items()
        if name.lower() not in drop
    ]


def scrub_request(request: httpx.Request) -> httpx.Request:
    """Method, URL (no userinfo) and redacted headers; no body, no extensions."""
    return httpx.Request(request.method, safe_url(request.url), headers=_headers(request.headers))


def scrub_response(response: httpx.Response) -> httpx.Response:
    """Status, reason, HTTP version, redacted headers and the (decoded) body of `response`; its request
    scrubbed; no history, no `next_request`. A body that was never read is left out, and so is the body of a
    credential exchange; the client's secrets are masked in the body and headers kept."""
    request = response._request  # `response.request` raises when no request is attached
    try:
        content = response.content
    except httpx.ResponseNotRead:
        content = b""
    if request is not None and request.extensions.get(SECRET_EXCHANGE):
        content = b""
    secrets = request_secrets(request)
    content = _mask_bytes(content, secrets)
    extensions: dict[str, Any] = {
        key: response.extensions[key]
        for key in ("http_version", "reason_phrase")
        if key in response.extensions
    }
    copy = httpx.Response(
        response.status_code,
        headers=_headers(response.headers, drop=_FRAMING, secrets=secrets),
        content=content,
        request=scrub_request(request) if request is not None else None,
        extensions=extensions,
    )
    with contextlib.suppress(RuntimeError):  # set once the original was read and closed
        copy.elapsed = response.elapsed
    return copy
