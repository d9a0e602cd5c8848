"""A local mock of the Dime.Scheduler API: Stoplight Prism (pinned in scripts/package-lock.json) serving
openapi/dimescheduler.json, by default on http://127.0.0.1:4010 (`nox -s mock`).

    python scripts/mock.py [--host 127.0.0.1] [--port 4010] [--spec openapi/dimescheduler.json]

Prism answers every route with the document's examples (or data generated from the schemas), checks each
request against the document (`--errors`: 422 for a request that breaks it, 401 without credentials) and
ignores query values such as `page`. Ctrl-C or SIGTERM stops it cleanly (SIGTERM to Prism's process group,
SIGKILL after 10 s); so does the death of the process that started this one (nox killed, a closed terminal).
Exit status: 0 after a requested stop, Prism's status if it exits by itself (1 for 0), 1 if it cannot start.
"""

from __future__ import annotations

import argparse
import os
import signal
import subprocess
import sys
import time
from pathlib import Path
from types import FrameType

SCRIPTS = Path(__file__).resolve().parent
REPO = SCRIPTS.parent
sys.path.insert(0, str(SCRIPTS))

from specpipe.node import ensure_node_tools, node_tool  # noqa: E402

STOP_SECONDS = 10.0
POLL_SECONDS = 0.5


class Stop(Exception):
    """Raised in the main loop by the signal handler."""


def _raise_stop(signum: int, frame: FrameType | None) -> None:
    raise Stop(signal.Signals(signum).name)


def stop(process: subprocess.Popen[bytes]) -> None:
    """SIGTERM to Prism's process group, SIGKILL after STOP_SECONDS."""
    if process.poll() is not None:
        return
    os.killpg(process.pid, signal.SIGTERM)
    try:
        process.wait(STOP_SECONDS)
    except subprocess.TimeoutExpired:
        os.killpg(process.pid, signal.SIGKILL)
        process.wait(STOP_SECONDS)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Run Prism on the pinned document (a local mock API).")
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=4010)
    parser.add_argument("--spec", type=Path, default=REPO / "openapi" / "dimescheduler.json")
    args = parser.parse_args(argv)
    ensure_node_tools()
    command = [node_tool("prism"), "mock", str(args.spec), "-h", args.host, "-p", str(args.port), "--errors"]
    signal.signal(signal.SIGTERM, _raise_stop)
    signal.signal(signal.SIGINT, _raise_stop)
    parent = os.getppid()
    # Its own process group: Ctrl-C reaches only us, and we stop the whole group (Prism forks workers).
    process = subprocess.Popen(command, start_new_session=True)
    print(
        f"mock: Prism on http://{args.host}:{args.port} serving {args.spec.name} (pid {process.pid}); "
        "Ctrl-C stops it",
        flush=True,
    )
    try:
        while process.poll() is None:
            if os.getppid() != parent:
                raise Stop("parent exited")
            time.sleep(POLL_SECONDS)
    except Stop as why:
        for signum in (signal.SIGTERM, signal.SIGINT):
            signal.signal(signum, signal.SIG_IGN)
        stop(process)
        print(f"mock: stopped ({why})", flush=True)
        return 0
    finally:
        stop(process)
    print(f"mock: Prism exited with status {process.returncode}", file=sys.stderr)
    return process.returncode or 1


if __name__ == "__main__":
    sys.exit(main())
