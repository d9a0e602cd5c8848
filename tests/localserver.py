"""Plumbing shared by the tests' local HTTP servers (tests/pipeline/servers.py, tests/overlay/fakeapi.py):
run a server on 127.0.0.1 in a daemon thread for a `with` block, and find a port that refuses connections."""

from __future__ import annotations

import socket
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from http.server import ThreadingHTTPServer

SHUTDOWN_SECONDS = 5.0


@contextmanager
def serving(httpd: ThreadingHTTPServer, stopping: threading.Event, name: str) -> Iterator[None]:
    """Serve until the block ends; then wake handlers waiting on `stopping` and always close the socket."""
    thread = threading.Thread(
        target=httpd.serve_forever, kwargs={"poll_interval": 0.05}, name=name, daemon=True
    )
    thread.start()
    try:
        yield
    finally:
        stopping.set()
        httpd.shutdown()
        httpd.server_close()
        thread.join(SHUTDOWN_SECONDS)


def unused_port() -> int:
    """A port on 127.0.0.1 that was just bound and released, so connecting to it is refused."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
    return port
