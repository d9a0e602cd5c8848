"""One moment by which every socket wait of an httpx transport must end.

httpx's timeouts bound each wait separately, so a server sending one byte a second never trips them. An
`httpx.HTTPTransport` whose network backend is wrapped by `bounded_transport` shortens every wait (connect,
TLS handshake, each read and write) to the time left before `at` (on `time.monotonic()`), and raises the
matching httpcore timeout, which httpx reports as its own, once that moment has passed.
"""

from __future__ import annotations

import ssl
import time
from collections.abc import Iterable
from typing import Any

import httpcore
import httpx

__all__ = ["PASSED", "bounded_transport"]

PASSED = "the overall deadline passed"
"""The message of the timeout raised once the deadline has passed, or when a read timed out after part of
the answer had arrived (a server sending too slowly rather than not at all)."""


class _Stream(httpcore.NetworkStream):
    def __init__(self, inner: httpcore.NetworkStream, at: float) -> None:
        self._inner, self._at = inner, at
        self._answering = False

    def _left(self, timeout: float | None, error: type[Exception]) -> float:
        left = self._at - time.monotonic()
        if left <= 0:
            raise error(PASSED)
        return left if timeout is None else min(timeout, left)

    def read(self, max_bytes: int, timeout: float | None = None) -> bytes:
        try:
            data = self._inner.read(max_bytes, self._left(timeout, httpcore.ReadTimeout))
        except httpcore.ReadTimeout:
            if self._answering:  # bytes were arriving: the answer was too slow, not absent
                raise httpcore.ReadTimeout(PASSED) from None
            raise
        self._answering = self._answering or bool(data)
        return data

    def write(self, buffer: bytes, timeout: float | None = None) -> None:
        self._answering = False  # a new request: nothing of its answer has arrived yet
        self._inner.write(buffer, self._left(timeout, httpcore.WriteTimeout))

    def close(self) -> None:
        self._inner.close()

    def start_tls(
        self, ssl_context: ssl.SSLContext, server_hostname: str | None = None, timeout: float | None = None
    ) -> httpcore.NetworkStream:
        left = self._left(timeout, httpcore.ConnectTimeout)
        return _Stream(self._inner.start_tls(ssl_context, server_hostname, left), self._at)

    def get_extra_info(self, info: str) -> Any:
        return self._inner.get_extra_info(info)


class _Backend(httpcore.NetworkBackend):
    def __init__(self, inner: httpcore.NetworkBackend, at: float) -> None:
        self._inner, self._at = inner, at

    def _left(self, timeout: float | None) -> float:
        left = self._at - time.monotonic()
        if left <= 0:
            raise httpcore.ConnectTimeout(PASSED)
        return left if timeout is None else min(timeout, left)

    def connect_tcp(
        self,
        host: str,
        port: int,
        timeout: float | None = None,
        local_address: str | None = None,
        socket_options: Iterable[Any] | None = None,
    ) -> httpcore.NetworkStream:
        stream = self._inner.connect_tcp(host, port, self._left(timeout), local_address, socket_options)
        return _Stream(stream, self._at)

    def connect_unix_socket(
        self, path: str, timeout: float | None = None, socket_options: Iterable[Any] | None = None
    ) -> httpcore.NetworkStream:
        return _Stream(self._inner.connect_unix_socket(path, self._left(timeout), socket_options), self._at)

    def sleep(self, seconds: float) -> None:
        self._inner.sleep(seconds)


def bounded_transport(at: float) -> httpx.HTTPTransport:
    """httpx's default transport, with every socket wait ending by `at`."""
    transport = httpx.HTTPTransport()
    pool: Any = transport._pool
    pool._network_backend = _Backend(pool._network_backend, at)
    return transport
