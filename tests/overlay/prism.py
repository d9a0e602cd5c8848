"""Stoplight Prism (pinned in scripts/package-lock.json) mocking openapi/dimescheduler.json on 127.0.0.1.

    from prism import prism_url  # a session-scoped fixture: import it into the test module

Prism validates each request against the document and, with `--errors`, answers 422 when one breaks it.
The process gets its own process group, its output goes to a temporary log file (a pipe nobody reads
would fill up and stall it), startup is bounded, and teardown stops it (SIGTERM, then SIGKILL).
"""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import IO

import httpx
import pytest
from spec_samples import SPEC_PATH
from specpipe.node import node_tool

STARTUP_SECONDS = 60.0
STOP_SECONDS = 10.0


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
    return port


@contextmanager
def running_prism(spec: Path = SPEC_PATH, attempts: int = 3) -> Iterator[str]:
    """Start `prism mock <spec> --errors` on a free port; yield its base URL once it answers.

    Each pytest-xdist worker is a session of its own, so each starts its own Prism on its own port. A port
    taken between `free_port()` and Prism binding it (another worker, another program) makes Prism exit
    early: then another port is tried, `attempts` times in all.
    """
    for attempt in range(attempts):
        port = free_port()
        base_url = f"http://127.0.0.1:{port}"
        command = [node_tool("prism"), "mock", str(spec), "-h", "127.0.0.1", "-p", str(port), "--errors"]
        with tempfile.TemporaryFile() as log:
            process = subprocess.Popen(command, stdout=log, stderr=subprocess.STDOUT, start_new_session=True)
            try:
                try:
                    wait_until_answering(base_url, process, log)
                except PrismExited:
                    if attempt + 1 == attempts:
                        raise
                    continue
                yield base_url
                return
            finally:
                stop(process)


class PrismExited(RuntimeError):
    """Prism exited before answering (its port was taken, or the document is unusable)."""


def wait_until_answering(base_url: str, process: subprocess.Popen[bytes], log: IO[bytes]) -> None:
    deadline = time.monotonic() + STARTUP_SECONDS
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise PrismExited(f"prism exited with {process.returncode} before answering: {tail(log)}")
        try:
            httpx.get(base_url + "/calendar", timeout=2.0)  # any HTTP answer (even 401) means it is up
            return
        except httpx.TransportError:
            time.sleep(0.2)
    raise RuntimeError(f"prism did not answer within {STARTUP_SECONDS:.0f} s: {tail(log)}")


def tail(log: IO[bytes]) -> str:
    log.seek(0)
    lines = log.read().decode(errors="replace").strip().splitlines()
    return " | ".join(lines[-5:]) or "no output"


def stop(process: subprocess.Popen[bytes]) -> None:
    if process.poll() is not None:
        return
    os.killpg(process.pid, signal.SIGTERM)  # the group we created for it with start_new_session
    try:
        process.wait(STOP_SECONDS)
    except subprocess.TimeoutExpired:
        os.killpg(process.pid, signal.SIGKILL)
        process.wait(STOP_SECONDS)


@pytest.fixture(scope="session")
def prism_url() -> Iterator[str]:
    """Base URL of one Prism mock shared by the session (by each xdist worker: one Prism per worker)."""
    with running_prism() as url:
        yield url
