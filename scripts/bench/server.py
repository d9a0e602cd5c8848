"""A small, fast HTTP/1.1 keep-alive server for the benchmarks, run in its own process on 127.0.0.1.

    python scripts/bench/server.py --delay-ms 20      # prints "port N" once it listens; stops on stdin EOF

Routes: GET /category answers a small JSON list; GET /task the bytes of --task-body (an empty list without
it); POST /import reads the body and answers a success envelope
after --delay-ms (asyncio timers, so concurrent requests overlap like on a real server); anything else 404.
Every response carries Content-Length and the connection stays open until the client closes it.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import sys
from collections.abc import Callable
from pathlib import Path

CATEGORIES = json.dumps(
    [
        {"name": "Urgent", "color": "#FF0000", "sourceApp": "BC", "sourceType": "SO"},
        {"name": "Planned", "color": "#00FF00", "sourceApp": "BC", "sourceType": "SO"},
        {"name": "Waiting", "color": "#0000FF", "sourceApp": "BC", "sourceType": "SO"},
    ]
).encode()
ENVELOPE = json.dumps(
    {
        "content": json.dumps({"Success": True, "Message": "ok"}),
        "contentType": "application/json",
        "statusCode": 200,
    }
).encode()
MAX_HEAD = 64 * 1024


def response(status: bytes, body: bytes) -> bytes:
    return (
        b"HTTP/1.1 " + status + b"\r\ncontent-type: application/json\r\ncontent-length: "
        + str(len(body)).encode() + b"\r\n\r\n" + body
    )  # fmt: skip


OK_CATEGORIES = response(b"200 OK", CATEGORIES)
OK_IMPORT = response(b"200 OK", ENVELOPE)
NOT_FOUND = response(b"404 Not Found", b'{"error":"not found"}')


class Connection(asyncio.Protocol):
    """Parses requests from one connection (no pipelining needed: clients wait for each answer)."""

    def __init__(self, delay: float, counter: list[int], tasks: bytes) -> None:
        self.delay = delay
        self.tasks = tasks
        self.counter = counter
        self.buffer = b""
        self.transport: asyncio.Transport | None = None

    def connection_made(self, transport: asyncio.BaseTransport) -> None:
        assert isinstance(transport, asyncio.Transport)
        self.transport = transport

    def data_received(self, data: bytes) -> None:
        self.buffer += data
        while True:
            end = self.buffer.find(b"\r\n\r\n")
            if end < 0:
                if len(self.buffer) > MAX_HEAD:
                    self.close()
                return
            head = self.buffer[:end].decode("latin-1")
            length = 0
            for line in head.split("\r\n")[1:]:
                name, _, value = line.partition(":")
                if name.strip().lower() == "content-length":
                    length = int(value.strip())
            total = end + 4 + length
            if len(self.buffer) < total:
                return
            self.buffer = self.buffer[total:]
            method, _, rest = head.partition(" ")
            path = rest.split(" ", 1)[0].split("?", 1)[0]
            self.counter[0] += 1
            self.answer(method, path)

    def answer(self, method: str, path: str) -> None:
        if method == "GET" and path == "/category":
            self.write(OK_CATEGORIES)
        elif method == "GET" and path == "/task":
            self.write(self.tasks)
        elif method == "POST" and path == "/import":
            if self.delay > 0:
                asyncio.get_running_loop().call_later(self.delay, self.write, OK_IMPORT)
            else:
                self.write(OK_IMPORT)
        else:
            self.write(NOT_FOUND)

    def write(self, payload: bytes) -> None:
        if self.transport is not None and not self.transport.is_closing():
            self.transport.write(payload)

    def close(self) -> None:
        if self.transport is not None:
            self.transport.close()


async def serve(delay: float, announce: Callable[[int], None], tasks: bytes = b"[]") -> None:
    loop = asyncio.get_running_loop()
    counter = [0]
    answer = response(b"200 OK", tasks)
    server = await loop.create_server(lambda: Connection(delay, counter, answer), "127.0.0.1", 0, backlog=256)
    port = server.sockets[0].getsockname()[1]
    announce(port)
    # Stop when the parent closes our stdin (or dies): no orphaned server.
    await loop.run_in_executor(None, sys.stdin.read)
    server.close()
    await server.wait_closed()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--delay-ms", type=float, default=0.0, help="added to every POST /import")
    parser.add_argument("--task-body", type=Path, help="the JSON file GET /task answers with")
    args = parser.parse_args()
    tasks = args.task_body.read_bytes() if args.task_body else b"[]"

    def announce(port: int) -> None:
        print(f"port {port}", flush=True)

    asyncio.run(serve(args.delay_ms / 1000.0, announce, tasks))


if __name__ == "__main__":
    main()
