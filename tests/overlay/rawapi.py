"""A local server for answers `fakeapi` cannot give: a body cut off mid-way, a body dripped slowly.

    with serve_raw(lambda received, out, stopping: out.write(b"HTTP/1.1 200 OK\\r\\n...")) as api:
        ...

The writer gets the recorded request, the socket's write file and the server's stopping event (set at
teardown: a writer that waits or drips must stop when it is set, so teardown never hangs). Arrivals are
recorded on the returned `FakeAPI` like `serve_api` does. `head(status, length)` builds a status line and
headers; `drip` writes a body in small pieces.
"""

from __future__ import annotations

import contextlib
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import BinaryIO
from urllib.parse import parse_qsl, urlsplit

from fakeapi import FakeAPI, Received, Reply
from localserver import serving

__all__ = ["Writer", "drip", "head", "serve_raw"]

Writer = Callable[[Received, BinaryIO, threading.Event], None]


def head(status: int = 200, length: int | None = None, content_type: str = "application/json") -> bytes:
    lines = [f"HTTP/1.1 {status} X", f"Content-Type: {content_type}", "Connection: close"]
    if length is not None:
        lines.append(f"Content-Length: {length}")
    return ("\r\n".join(lines) + "\r\n\r\n").encode()


def drip(out: BinaryIO, body: bytes, every: float, stopping: threading.Event) -> None:
    """Write `body` one byte every `every` seconds, until done or the server stops."""
    for index in range(len(body)):
        if stopping.wait(every):
            return
        out.write(body[index : index + 1])
        out.flush()


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    api: FakeAPI
    writer: Writer
    stopping: threading.Event


class _Handler(BaseHTTPRequestHandler):
    server: _Server
    protocol_version = "HTTP/1.1"

    def _handle(self) -> None:
        parts = urlsplit(self.path)
        length = int(self.headers.get("Content-Length") or 0)
        received = Received(
            method=self.command,
            path=parts.path,
            query=parse_qsl(parts.query, keep_blank_values=True),
            headers={name.lower(): value for name, value in self.headers.items()},
            body=self.rfile.read(length) if length else b"",
        )
        self.server.api._record(received)
        self.server.writer(received, self.wfile, self.server.stopping)
        self.wfile.flush()
        self.close_connection = True

    do_GET = do_POST = do_PUT = do_DELETE = _handle

    def log_message(self, format: str, *args: object) -> None:
        pass

    def handle(self) -> None:
        with contextlib.suppress(ConnectionError, TimeoutError):
            super().handle()


def _unused(_: Received) -> Reply:
    raise AssertionError("the raw server answers through its writer")


@contextmanager
def serve_raw(writer: Writer) -> Iterator[FakeAPI]:
    httpd = _Server(("127.0.0.1", 0), _Handler)
    host, port = httpd.server_address[:2]
    httpd.api = FakeAPI(f"http://{host!s}:{port}", _unused)
    httpd.writer = writer
    httpd.stopping = threading.Event()
    with serving(httpd, httpd.stopping, f"rawapi-{port}"):
        yield httpd.api
