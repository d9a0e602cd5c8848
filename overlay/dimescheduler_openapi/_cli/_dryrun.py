"""`--dry-run`: the accessors build their calls against an executor that records instead of sending, and
the requests are printed (method, URL with query, headers, JSON body) with credentials and secret-looking
body values masked."""

from __future__ import annotations

import json
import os
import textwrap
from collections.abc import Iterable
from typing import IO, Any, TypeVar

import httpx

from .._base_client import build_request
from .._call import Call
from .._config import ENV_API_KEY, ENV_USERNAME, _target
from .._logging import REDACTED
from .._resources import SyncResources

T = TypeVar("T")

SECRET_WORDS = ("password", "secret", "token", "apikey", "api_key")


def dry_run_target(environment: str | None, username: str | None) -> tuple[str, str]:
    """(base URL, auth kind) a dry run prints, from the options and the environment variables alone.

    Nothing is sent, so no credential is read or required: the auth header is shown masked, as a JWT
    bearer when a user name is given (`-u` or DIMESCHEDULER_USERNAME), else as the API key header.
    """
    target = _target(environment, os.environ)
    jwt = bool(username or os.environ.get(ENV_USERNAME)) and not os.environ.get(ENV_API_KEY)
    return target.base_url, "jwt" if jwt else "api_key"


class RecordingClient(SyncResources):
    """Has every accessor of the client; `execute` keeps the call and returns None (nothing is sent)."""

    def __init__(self) -> None:
        self.calls: list[Call[Any]] = []

    def execute(self, call: Call[T], *, timeout: float | httpx.Timeout | None = None) -> T:
        self.calls.append(call)
        return None  # type: ignore[return-value]


def mask(value: Any) -> Any:
    """`value` with the values of secret-looking keys (password, token, secret, api key) masked."""
    if isinstance(value, dict):
        return {
            k: REDACTED if any(w in str(k).lower() for w in SECRET_WORDS) and v is not None else mask(v)
            for k, v in value.items()
        }
    if isinstance(value, list):
        return [mask(v) for v in value]
    return value


def describe(calls: Iterable[Call[Any]], base_url: str, auth_kind: str) -> Iterable[dict[str, Any]]:
    """Each call as the request the client would send: method, url, headers (auth masked), body."""
    auth_header = (
        ("X-API-KEY", REDACTED) if auth_kind == "api_key" else ("Authorization", f"Bearer {REDACTED}")
    )
    with httpx.Client(base_url=base_url) as http:
        for call in calls:
            request = build_request(http, call, None)
            headers = {auth_header[0]: auth_header[1]}
            if call.has_body:
                headers["Content-Type"] = "application/json"
            described: dict[str, Any] = {
                "method": request.method,
                "url": str(request.url),
                "headers": headers,
            }
            if call.has_body:
                described["body"] = mask(json.loads(request.content))
            yield described


def print_requests(requests: Iterable[dict[str, Any]], fmt: str, stream: IO[str]) -> int:
    """Print the described requests: text blocks on a terminal/table, a JSON array, or NDJSON. The count."""
    count = 0
    if fmt == "json":
        stream.write("[")
    for request in requests:
        if fmt == "json":
            item = textwrap.indent(json.dumps(request, ensure_ascii=False, indent=2), "  ")
            stream.write(("\n" if count == 0 else ",\n") + item)
        elif fmt == "ndjson":
            stream.write(json.dumps(request, ensure_ascii=False) + "\n")
        else:
            lines = [f"{request['method']} {request['url']}"]
            lines += [f"{k}: {v}" for k, v in request["headers"].items()]
            if "body" in request:
                lines += ["", json.dumps(request["body"], ensure_ascii=False, indent=2)]
            stream.write(("\n" if count else "") + "\n".join(lines) + "\n")
        count += 1
    if fmt == "json":
        stream.write("\n]\n" if count else "]\n")
    return count
