"""`scripts/generate.py --offline` wall time, run on a copy of openapi/ so the working tree is untouched."""

from __future__ import annotations

import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from .harness import REPO, SCRIPTS_DIR, Row, median

RUNS = 3
GOAL_SECONDS = 15.0


def regeneration_rows(runs: int = RUNS) -> list[Row]:
    times: list[float] = []
    with tempfile.TemporaryDirectory(prefix="bench-regen-") as tmp:
        root = Path(tmp)
        shutil.copytree(REPO / "openapi", root / "openapi")
        for _ in range(runs):
            shutil.rmtree(root / "generated", ignore_errors=True)  # a full regeneration every time
            start = time.perf_counter()
            subprocess.run(
                [sys.executable, str(SCRIPTS_DIR / "generate.py"), "--offline", "--root", str(root)],
                check=True,
                capture_output=True,
                timeout=300,
            )
            times.append(time.perf_counter() - start)
    measured = median(times)
    return [
        Row(
            group="regenerate",
            name="scripts/generate.py --offline",
            measured=measured,
            baseline=GOAL_SECONDS,
            unit="s",
            goal=f"< {GOAL_SECONDS:.0f} s",
            goal_ratio=1.0,
            ratio=measured / GOAL_SECONDS,
            note=f"full regeneration into a copy, median of {runs} (spec validation, generator, ruff hooks)",
            samples={"generate": times},
        )
    ]
