"""The console script without the `cli` extra says what to install, in one line, instead of a traceback."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]

# Runs the entry point with click made unimportable, as in an install without the `cli` extra.
WITHOUT_CLICK = """
import sys
sys.modules["click"] = None
from dimescheduler_openapi._cli._entry import main
main(["--help"])
"""


def test_missing_extra_is_a_one_line_hint() -> None:
    env_path = f"{REPO / 'overlay'}:{REPO / 'generated'}"
    proc = subprocess.run(
        [sys.executable, "-c", WITHOUT_CLICK],
        capture_output=True,
        text=True,
        timeout=60,
        env={"PYTHONPATH": env_path, "PATH": "/usr/bin:/bin"},
    )
    assert proc.returncode == 2
    assert proc.stderr.strip().splitlines() == [
        "error: the command line needs click: pip install 'dimescheduler-openapi[cli]'"
    ]
