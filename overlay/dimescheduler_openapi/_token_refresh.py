"""When a JWT needs refreshing, and one `/token` attempt shared by every caller that needs a token meanwhile.

A `Round` is one attempt. The first caller that finds no usable token starts it and sends `POST /token`;
callers arriving while it is in flight wait for it (bounded by their own deadline or timeouts) and get its
token, or its error: one `/token` request per round however many callers, and a failure reaches every
waiter as soon as the attempt ends. A round whose owner was cancelled or interrupted (Ctrl-C) ends without
either; its waiters then start a new one.
"""

from __future__ import annotations

import asyncio
import copy
import email.utils
import threading
from datetime import UTC

import httpx

from ._errors import APIConnectionError, APITimeoutError, DimeSchedulerError, connection_error

__all__ = ["MAX_ROUNDS", "Round", "refresh_at", "round_error", "waited_too_long"]

MAX_ROUNDS = 3
"""Rounds a caller joins before giving up when each one's owner was interrupted."""


class Round:
    """One `/token` attempt: done once `token` or `error` is set, or the owner gave up (neither)."""

    __slots__ = ("error", "event", "token")

    def __init__(self, event: threading.Event | asyncio.Event) -> None:
        self.event = event
        self.token: str | None = None
        self.error: DimeSchedulerError | None = None

    def outcome(self) -> str | None:
        """The token; raises a copy of the round's error (each waiter gets its own); None when abandoned."""
        if self.error is not None:
            raise copy.copy(self.error)
        return self.token


def round_error(exc: BaseException | None, token_request: httpx.Request) -> DimeSchedulerError | None:
    """What the waiters of a round raise after `exc` ended it: our typed errors as they are, transport
    errors mapped like the clients map them, any other exception to an APIConnectionError naming its type;
    None for an interruption (cancel, Ctrl-C, generator close), so they retry."""
    if isinstance(exc, DimeSchedulerError):
        return exc
    if isinstance(exc, httpx.RequestError):
        return connection_error(exc, token_request)
    if isinstance(exc, Exception):  # a fault of ours: the waiters learn the token request failed, not why
        return APIConnectionError(
            f"could not obtain a token: {token_request.method} {token_request.url.path} failed "
            f"({type(exc).__name__})",
            request=token_request,
        )
    return None


def waited_too_long(request: httpx.Request, seconds: float) -> APIConnectionError:
    return APITimeoutError(
        f"{request.method} {request.url.copy_with(query=None)} timed out after {seconds:g} s waiting for the "
        "token another request is fetching (POST /token)",
        request=request,
    )


def refresh_at(
    token_expiry: float | None, server_date: str | None, received_at: float, margin: float
) -> float | None:
    """When (on the local clock) to refresh a token whose `exp` claim is `token_expiry`; None: keep it until
    the API answers 401.

    The lifetime is measured against the server's clock (its `Date` header, else the local clock), so a
    skewed local clock does not matter. The token is refreshed `margin` seconds before it expires, or after
    half its lifetime when that is shorter. A token already expired by that clock, or without a readable
    `exp`, is used until a 401: at most one refresh per token, never one before every request.
    """
    if token_expiry is None:
        return None
    server_now = _http_date(server_date)
    lifetime = token_expiry - (received_at if server_now is None else server_now)
    if lifetime <= 0:
        return None
    return received_at + lifetime - min(margin, lifetime / 2)


def _http_date(value: str | None) -> float | None:
    if not value:
        return None
    try:
        when = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError, IndexError):
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=UTC)
    return when.timestamp()
