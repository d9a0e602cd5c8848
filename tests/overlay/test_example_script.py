"""The README-style example script runs for real against Prism serving the pinned document."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from prism import prism_url  # noqa: F401  (session fixture)

REPO = Path(__file__).resolve().parents[2]


@pytest.mark.node
def test_quickstart_runs_against_prism(prism_url: str) -> None:  # noqa: F811
    env = {
        **os.environ,
        "DIMESCHEDULER_API_KEY": "example-key",
        "DIMESCHEDULER_ENVIRONMENT": prism_url,
        "PYTHONPATH": os.pathsep.join([str(REPO / "overlay"), str(REPO / "generated")]),
    }
    for name in ("DIMESCHEDULER_USERNAME", "DIMESCHEDULER_PASSWORD"):
        env.pop(name, None)
    proc = subprocess.run(
        [sys.executable, str(REPO / "scripts" / "examples" / "quickstart.py")],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert proc.returncode == 0, proc.stderr
    lines = proc.stdout.splitlines()
    assert "category created: True" in lines
    assert "jobs created: True" in lines
    assert "status: 200" in lines
    assert any(line.startswith("bulk: ") and "5" in line for line in lines), lines
    assert "example-key" not in proc.stdout + proc.stderr
