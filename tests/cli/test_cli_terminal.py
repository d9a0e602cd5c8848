"""Real processes: the progress bar drawn in a pseudo-terminal (pexpect), and absent when piped."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pexpect
from clihelp import API_KEY, api
from fakeapi import Received, Reply, serve_api

REPO = Path(__file__).resolve().parents[2]


def slow(received: Received) -> Reply:
    reply = api(received)
    return Reply(reply.status, reply.body, reply.headers, delay=0.1)


def environment(base_url: str) -> dict[str, str]:
    return {
        "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
        "PYTHONPATH": f"{REPO / 'generated'}:{REPO / 'overlay'}",
        "DIMESCHEDULER_API_KEY": API_KEY,
        "DIMESCHEDULER_ENVIRONMENT": base_url,
        "TERM": "xterm-256color",
        "COLUMNS": "120",
    }


def csv_file(tmp_path: Path, count: int) -> Path:
    path = tmp_path / "pins.csv"
    path.write_text("name,color\n" + "".join(f"P{i},#00FF00\n" for i in range(count)))
    return path


def test_progress_bar_in_a_terminal(tmp_path: Path) -> None:
    source = csv_file(tmp_path, 150)
    with serve_api(slow) as server:
        child = pexpect.spawn(
            sys.executable,
            [
                "-m",
                "dimescheduler_openapi",
                "import",
                str(source),
                "-p",
                "pin.append",
                "--chunk-size",
                "10",
                "--concurrency",
                "1",
            ],
            env=environment(server.base_url),
            encoding="utf-8",
            timeout=20,
            dimensions=(24, 120),
        )
        child.expect("━")  # the bar itself, drawn while chunks are in flight
        child.expect("records/s")
        child.expect(pexpect.EOF)
        child.close()
        seen = (child.before or "") + (child.after if isinstance(child.after, str) else "")
    assert child.exitstatus == 0
    assert server.count("/import", "POST") == 15
    assert "150 records, 150 succeeded" in seen


def test_no_bar_when_piped(tmp_path: Path) -> None:
    source = csv_file(tmp_path, 20)
    with serve_api(api) as server:
        done = subprocess.run(
            [
                sys.executable,
                "-m",
                "dimescheduler_openapi",
                "import",
                str(source),
                "-p",
                "pin.append",
                "--chunk-size",
                "5",
            ],
            env=environment(server.base_url),
            capture_output=True,
            text=True,
            timeout=30,
        )
    assert done.returncode == 0, done.stderr
    assert "━" not in done.stderr and "\x1b[" not in done.stderr
    assert "import: 20/20 records (100%)" in done.stderr
    assert '"succeeded": 20' in done.stdout  # the report is JSON when piped
