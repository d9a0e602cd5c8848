"""Local HTTP servers for tests: canned routes on 127.0.0.1, an ephemeral port, counted requests.

    with serve({"/doc.json": Route.json({"openapi": "3.0.3"})}) as server:
        httpx.get(server.url("/doc.json"))
        assert server.hits("/doc.json") == 1

Routes can be added or replaced while the server runs (``server.routes[path] = ...``), which is how a
page gets a link to the server's own absolute URL. Unknown paths answer 404. A route's ``delay`` waits
before anything is sent; stopping the server cuts the wait short, so teardown never hangs.
"""

from __future__ import annotations

import contextlib
import json
import threading
from collections import Counter
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import urlsplit

from localserver import serving, unused_port

__all__ = ["LocalServer", "Route", "serve", "unused_port"]


@dataclass(frozen=True)
class Route:
    """One canned answer. ``redirect_to`` (a path or URL) becomes the Location header."""

    body: bytes = b""
    status: int = 200
    headers: Mapping[str, str] = field(default_factory=dict)
    delay: float = 0.0
    redirect_to: str | None = None

    @classmethod
    def json(cls, data: object, *, status: int = 200, content_type: str = "application/json") -> Route:
        return cls(json.dumps(data).encode(), status, {"Content-Type": content_type})

    @classmethod
    def text(cls, text: str, *, content_type: str = "text/plain; charset=utf-8", status: int = 200) -> Route:
        return cls(text.encode(), status, {"Content-Type": content_type})

    @classmethod
    def html(cls, html: str, *, status: int = 200) -> Route:
        return cls.text(html, content_type="text/html; charset=utf-8", status=status)

    @classmethod
    def redirect(cls, location: str, *, status: int = 302) -> Route:
        return cls(status=status, redirect_to=location)


class LocalServer:
    """A running server: its base URL, its (mutable) routes and how often each path was requested."""

    def __init__(self, base_url: str, routes: dict[str, Route]) -> None:
        self.base_url = base_url
        self.routes = routes
        self._hits: Counter[str] = Counter()
        self._lock = threading.Lock()

    def url(self, path: str = "/") -> str:
        """Absolute URL of ``path`` on this server."""
        return self.base_url + (path if path.startswith("/") else "/" + path)

    def hits(self, path: str) -> int:
        """How many requests reached ``path`` (query strings ignored)."""
        with self._lock:
            return self._hits[path]

    def all_hits(self) -> dict[str, int]:
        with self._lock:
            return dict(self._hits)

    def _count(self, path: str) -> None:
        with self._lock:
            self._hits[path] += 1


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    local: LocalServer
    stopping: threading.Event


class _Handler(BaseHTTPRequestHandler):
    server: _Server
    protocol_version = "HTTP/1.1"

    def do_GET(self) -> None:
        self._answer(send_body=True)

    def do_HEAD(self) -> None:
        self._answer(send_body=False)

    def _answer(self, *, send_body: bool) -> None:
        path = urlsplit(self.path).path
        local = self.server.local
        local._count(path)
        route = local.routes.get(path) or Route.text("not found", status=404)
        if route.delay > 0 and self.server.stopping.wait(route.delay):
            self.close_connection = True
            return
        self.send_response(route.status)
        headers = dict(route.headers)
        if route.redirect_to is not None:
            headers["Location"] = route.redirect_to
        for name, value in headers.items():
            self.send_header(name, value)
        if not any(name.lower() == "content-length" for name in headers):
            self.send_header("Content-Length", str(len(route.body)))
        self.send_header("Connection", "close")
        self.end_headers()
        if send_body:
            self.wfile.write(route.body)
        self.close_connection = True

    def log_message(self, format: str, *args: object) -> None:
        pass  # keep test output clean

    def handle(self) -> None:
        # The client may give up first (a timeout test) or the server may be stopping.
        with contextlib.suppress(ConnectionError, TimeoutError):
            super().handle()


@contextmanager
def serve(routes: Mapping[str, Route] | None = None) -> Iterator[LocalServer]:
    """Run a server on 127.0.0.1 with an ephemeral port for the ``with`` block; always stops it."""
    httpd = _Server(("127.0.0.1", 0), _Handler)
    host, port = httpd.server_address[:2]
    local = LocalServer(f"http://{host!s}:{port}", dict(routes or {}))
    httpd.local = local
    httpd.stopping = threading.Event()
    with serving(httpd, httpd.stopping, f"test-server-{port}"):
        yield local
