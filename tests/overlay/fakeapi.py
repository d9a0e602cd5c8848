"""A scriptable API server for the overlay's client tests: 127.0.0.1, an ephemeral port, every arrival recorded.

    with serve_api(lambda req: Reply.json({"ok": True})) as api:
        client = DimeSchedulerClient(api_key="k", environment=api.base_url)
        ...
        assert api.count("/job", "GET") == 1

A handler maps each `Received` request to a `Reply`. A reply's `delay` waits before anything is sent (to
provoke client read timeouts); stopping the server cuts the wait short so teardown never hangs. `Script`
answers from a list in order, and `TokenService` is a fake `/token` endpoint plus bearer-protected routes.
"""

from __future__ import annotations

import base64
import contextlib
import itertools
import json
import threading
import time
from collections.abc import Callable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qsl, urlsplit

from localserver import serving, unused_port

__all__ = [
    "FakeAPI",
    "Received",
    "Reply",
    "Script",
    "TokenService",
    "make_jwt",
    "serve_api",
    "unused_port",
]


@dataclass(frozen=True)
class Received:
    method: str
    path: str
    query: list[tuple[str, str]]
    headers: dict[str, str]  # names lower-cased
    body: bytes

    def json(self) -> Any:
        return json.loads(self.body)


@dataclass(frozen=True)
class Reply:
    status: int = 200
    body: bytes = b""
    headers: Mapping[str, str] = field(default_factory=dict)
    delay: float = 0.0

    @classmethod
    def json(cls, data: object, *, status: int = 200, headers: Mapping[str, str] | None = None) -> Reply:
        return cls(status, json.dumps(data).encode(), {"Content-Type": "application/json", **(headers or {})})


Handler = Callable[[Received], Reply]


class FakeAPI:
    def __init__(self, base_url: str, handler: Handler) -> None:
        self.base_url = base_url
        self.handler = handler
        self._received: list[Received] = []
        self._lock = threading.Lock()

    def url(self, path: str) -> str:
        return self.base_url + path

    @property
    def received(self) -> list[Received]:
        with self._lock:
            return list(self._received)

    def count(self, path: str | None = None, method: str | None = None) -> int:
        return sum(
            1
            for r in self.received
            if (path is None or r.path == path) and (method is None or r.method == method)
        )

    def _record(self, received: Received) -> None:
        with self._lock:
            self._received.append(received)


class Script:
    """Answers with `replies` in order, then keeps answering with `then` (default: 200 {"ok": true})."""

    def __init__(self, replies: Sequence[Reply], then: Reply | None = None) -> None:
        self._replies = list(replies)
        self._then = then or Reply.json({"ok": True})
        self._lock = threading.Lock()

    def __call__(self, received: Received) -> Reply:
        with self._lock:
            return self._replies.pop(0) if self._replies else self._then


def make_jwt(exp: float | None, *, subject: str = "user", jti: int = 0) -> str:
    def part(data: object) -> str:
        return base64.urlsafe_b64encode(json.dumps(data).encode()).decode().rstrip("=")

    claims: dict[str, object] = {"sub": subject, "jti": jti}
    if exp is not None:
        claims["exp"] = int(exp)
    return f"{part({'alg': 'HS256', 'typ': 'JWT'})}.{part(claims)}.c2lnbmF0dXJl"


class TokenService:
    """`POST /token` issues JWTs (`lifetime` seconds, negative = already expired) for one user; every other
    path wants a bearer token it issued and not revoked, else 401. `token_delay` slows /token down so
    concurrent refreshes overlap."""

    def __init__(
        self,
        username: str,
        password: str,
        *,
        lifetime: float | None = 3600.0,
        token_delay: float = 0.0,
    ) -> None:
        self.username = username
        self.password = password
        self.lifetime = lifetime
        self.token_delay = token_delay
        self.token_status: int | None = None  # force this status on /token
        self.reject_all = False
        self.issued: list[str] = []
        self._valid: set[str] = set()
        self._ids = itertools.count(1)
        self._lock = threading.Lock()

    def accept(self, token: str) -> None:
        """Accept a bearer token this service did not issue (for token= clients)."""
        with self._lock:
            self._valid.add(token)

    def revoke_all(self) -> None:
        with self._lock:
            self._valid.clear()

    def __call__(self, received: Received) -> Reply:
        if received.path == "/token":
            return self._token(received)
        authorization = received.headers.get("authorization", "")
        token = authorization.removeprefix("Bearer ")
        with self._lock:
            accepted = authorization.startswith("Bearer ") and token in self._valid and not self.reject_all
        if not accepted:
            return Reply.json({"message": "invalid or expired token"}, status=401)
        return Reply.json({"path": received.path, "ok": True})

    def _token(self, received: Received) -> Reply:
        if self.token_status is not None:
            return Reply.json({"message": "token endpoint failed"}, status=self.token_status)
        try:
            body = received.json()
        except ValueError:
            return Reply.json({"message": "not JSON"}, status=400)
        if body != {"username": self.username, "password": self.password}:
            return Reply.json({"message": "wrong username or password"}, status=401)
        exp = None if self.lifetime is None else time.time() + self.lifetime
        with self._lock:
            token = make_jwt(exp, subject=self.username, jti=next(self._ids))
            self.issued.append(token)
            self._valid.add(token)
        return Reply(
            200, json.dumps({"token": token}).encode(), {"Content-Type": "application/json"}, self.token_delay
        )


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    request_queue_size = 128  # the concurrency tests open 50 connections at once
    api: FakeAPI
    stopping: threading.Event


class _Handler(BaseHTTPRequestHandler):
    server: _Server
    protocol_version = "HTTP/1.1"

    def _handle(self) -> None:
        parts = urlsplit(self.path)
        length = int(self.headers.get("Content-Length") or 0)
        body = self.rfile.read(length) if length else b""
        received = Received(
            method=self.command,
            path=parts.path,
            query=parse_qsl(parts.query, keep_blank_values=True),
            headers={name.lower(): value for name, value in self.headers.items()},
            body=body,
        )
        api = self.server.api
        api._record(received)
        try:
            reply = api.handler(received)
        except Exception as exc:  # a broken test handler answers 599 instead of hanging the client
            reply = Reply(599, f"handler failed: {exc!r}".encode())
        if reply.delay > 0 and self.server.stopping.wait(reply.delay):
            self.close_connection = True
            return
        self.send_response(reply.status)
        for name, value in reply.headers.items():
            self.send_header(name, value)
        self.send_header("Content-Length", str(len(reply.body)))
        self.send_header("Connection", "close")
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(reply.body)
        self.close_connection = True

    do_GET = do_POST = do_PUT = do_DELETE = do_PATCH = do_HEAD = do_OPTIONS = _handle

    def log_message(self, format: str, *args: object) -> None:
        pass

    def handle(self) -> None:
        with contextlib.suppress(ConnectionError, TimeoutError):
            super().handle()


@contextmanager
def serve_api(handler: Handler) -> Iterator[FakeAPI]:
    """Run the server for the `with` block on 127.0.0.1 (ephemeral port); always stops it."""
    httpd = _Server(("127.0.0.1", 0), _Handler)
    host, port = httpd.server_address[:2]
    api = FakeAPI(f"http://{host!s}:{port}", handler)
    httpd.api = api
    httpd.stopping = threading.Event()
    with serving(httpd, httpd.stopping, f"fakeapi-{port}"):
        yield api
