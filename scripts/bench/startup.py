"""Cold import: `python -c "import X"` in fresh processes, interleaved, median wall time.

The ratio is that of the medians over many runs; the children's CPU time (user+sys) is reported next to it.
No timeout on the child: with one, subprocess polls for the exit in steps of up to 50 ms, which would swamp
what is measured here.
"""

from __future__ import annotations

import os
import subprocess
import sys
import time

from .harness import Row, median, source_env

RUNS = 21
STATEMENTS = {
    "python (nothing)": "pass",
    "httpx": "import httpx",
    "dimescheduler_openapi": "import dimescheduler_openapi",
    "dimescheduler_raw.models.TaskListItem": "from dimescheduler_raw.models import TaskListItem",
    "dimescheduler (vendor SDK)": "import dimescheduler",
}


def _run(statement: str) -> tuple[float, float]:
    """(wall seconds, child CPU seconds) of one fresh interpreter running statement."""
    before = os.times()
    start = time.perf_counter()
    subprocess.run([sys.executable, "-c", statement], env=source_env(), check=True)
    wall = time.perf_counter() - start
    after = os.times()
    return wall, (after.children_user - before.children_user) + (
        after.children_system - before.children_system
    )


def startup_rows(runs: int = RUNS) -> list[Row]:
    for statement in STATEMENTS.values():  # warm-up: byte-code caches written, files in the page cache
        _run(statement)
    wall: dict[str, list[float]] = {label: [] for label in STATEMENTS}
    cpu: dict[str, list[float]] = {label: [] for label in STATEMENTS}
    for _ in range(runs):
        for label, statement in STATEMENTS.items():
            seconds, cpu_seconds = _run(statement)
            wall[label].append(seconds)
            cpu[label].append(cpu_seconds)
    base = "httpx"

    def row(label: str, goal: str, goal_ratio: float | None) -> Row:
        cpu_ratio = median(cpu[label]) / median(cpu[base])
        return Row(
            group="cold import",
            name=f"import {label} vs import httpx",
            measured=median(wall[label]),
            baseline=median(wall[base]),
            unit="s",
            goal=goal,
            goal_ratio=goal_ratio,
            ratio=median(wall[label]) / median(wall[base]),
            note=f"fresh `python -c` processes, {runs} runs each, interleaved; CPU-time ratio {cpu_ratio:.2f}x; "
            f"bare interpreter {median(wall['python (nothing)']) * 1000:.0f} ms",
            samples={label: wall[label], base: wall[base]},
            extra={"cpu_seconds": {label: cpu[label], base: cpu[base]}, "cpu_ratio": cpu_ratio},
        )

    return [
        row("dimescheduler_openapi", "<= 1.5x", 1.5),
        row("dimescheduler_raw.models.TaskListItem", "info", None),
        row("dimescheduler (vendor SDK)", "info", None),
    ]
