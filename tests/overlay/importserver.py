"""A `/import` server on 127.0.0.1 that writes ("commits") every row it receives, then answers each chunk as
its `answer` says: the success envelope, an answer cut off (`Content-Length: 500` and 11 bytes, then the
connection closed), or no answer until the server stops (a read timeout). Unlike fakeapi it can cut an
answer mid-body, and it keeps only the rows' first values (pin names), so it can take a million rows.

    with serve_imports(lambda names: "cut" if "P1500" in names else "ok") as server:
        ...
        assert server.counts["P1500"] == 1  # written once, whatever the client made of the answer
"""

from __future__ import annotations

import collections
import json
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager, suppress
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Literal

from localserver import serving

Answer = Literal["ok", "cut", "hang"]
OK_BODY = json.dumps(
    {
        "content": json.dumps({"Success": True, "Message": "imported", "Appointments": []}),
        "contentType": "application/json",
        "statusCode": 200,
    }
).encode()


class ImportServer(ThreadingHTTPServer):
    daemon_threads = True
    request_queue_size = 64

    def __init__(self, answer: Callable[[list[str]], Answer], delay: float) -> None:
        super().__init__(("127.0.0.1", 0), _Handler)
        self.answer = answer
        self.delay = delay
        self.stopping = threading.Event()
        self.lock = threading.Lock()
        self.counts: collections.Counter[str] = collections.Counter()
        self.chunks = 0

    @property
    def base_url(self) -> str:
        host, port = self.server_address[:2]
        return f"http://{host!s}:{port}"

    def commit(self, names: list[str]) -> None:
        with self.lock:
            self.counts.update(names)
            self.chunks += 1

    def twice(self) -> list[str]:
        with self.lock:
            return sorted(name for name, count in self.counts.items() if count > 1)


class _Handler(BaseHTTPRequestHandler):
    server: ImportServer
    protocol_version = "HTTP/1.1"

    def do_POST(self) -> None:
        length = int(self.headers.get("Content-Length") or 0)
        body = json.loads(self.rfile.read(length))
        names = [str(item["ParameterValues"][0]) for item in body]
        self.server.commit(names)  # written before any answer goes out
        if self.server.delay:
            time.sleep(self.server.delay)
        answer = self.server.answer(names)
        if answer == "hang":
            self.server.stopping.wait(30)
            self.close_connection = True
            return
        head = "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nConnection: close\r\n"
        if answer == "cut":
            self.wfile.write(f"{head}Content-Length: 500\r\n\r\n".encode() + OK_BODY[:11])
        else:
            self.wfile.write(f"{head}Content-Length: {len(OK_BODY)}\r\n\r\n".encode() + OK_BODY)
        self.wfile.flush()
        self.close_connection = True

    def log_message(self, format: str, *args: object) -> None:
        pass

    def handle(self) -> None:
        with suppress(ConnectionError, TimeoutError):
            super().handle()


@contextmanager
def serve_imports(
    answer: Callable[[list[str]], Answer] = lambda names: "ok", delay: float = 0.0
) -> Iterator[ImportServer]:
    """Run the server for the `with` block; `delay` seconds pass between a chunk's commit and its answer."""
    httpd = ImportServer(answer, delay)
    with serving(httpd, httpd.stopping, "importserver"):
        yield httpd
