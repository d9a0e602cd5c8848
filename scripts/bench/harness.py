"""Timing helpers shared by the benchmark rows: interleaved rounds, medians, server processes, machine facts."""

from __future__ import annotations

import gc
import os
import platform
import statistics
import subprocess
import sys
import time
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

BENCH_DIR = Path(__file__).resolve().parent
SCRIPTS_DIR = BENCH_DIR.parent
REPO = SCRIPTS_DIR.parent
SOURCE_PATHS = [REPO / "generated", REPO / "overlay", SCRIPTS_DIR]


@dataclass
class Row:
    """One line of the table. ratio = measured / baseline; goal is met when ratio <= goal_ratio."""

    group: str
    name: str
    measured: float | None
    baseline: float | None
    unit: str
    goal: str
    goal_ratio: float | None = None
    ratio: float | None = None
    note: str = ""
    samples: dict[str, list[float]] = field(default_factory=dict)
    extra: dict[str, Any] = field(default_factory=dict)

    @property
    def result(self) -> str:
        if self.goal_ratio is None:
            return "info"
        if self.ratio is None:
            return "n/a"
        return "PASS" if self.ratio <= self.goal_ratio else "MISS"

    def as_json(self) -> dict[str, Any]:
        return {**asdict(self), "result": self.result}


def interleaved(
    cases: Mapping[str, Callable[[], object]], *, rounds: int, warmup: int = 1, collect: bool = True
) -> dict[str, list[float]]:
    """Seconds per round for each case, cases alternating within every round (drift hits all alike)."""
    for _ in range(warmup):
        for run in cases.values():
            run()
    times: dict[str, list[float]] = {name: [] for name in cases}
    for _ in range(rounds):
        for name, run in cases.items():
            if collect:
                gc.collect()
            start = time.perf_counter()
            run()
            times[name].append(time.perf_counter() - start)
    return times


def median(values: list[float]) -> float:
    return statistics.median(values)


def paired_ratio(numerator: list[float], denominator: list[float]) -> float:
    """Median of per-round ratios: robust to a noisy neighbour slowing down whole rounds."""
    return statistics.median(a / b for a, b in zip(numerator, denominator, strict=True))


def compared(
    times: dict[str, list[float]],
    case: str,
    base: str,
    *,
    group: str,
    name: str,
    goal: str,
    goal_ratio: float | None,
    note: str,
    extra: dict[str, Any] | None = None,
) -> Row:
    """A row timing `case` against `base` (seconds per run, from `interleaved`): medians and paired ratio."""
    return Row(
        group=group,
        name=name,
        measured=median(times[case]),
        baseline=median(times[base]),
        unit="s",
        goal=goal,
        goal_ratio=goal_ratio,
        ratio=paired_ratio(times[case], times[base]),
        note=note,
        samples={case: times[case], base: times[base]},
        extra=extra or {},
    )


def source_env() -> dict[str, str]:
    """The environment for child processes: our sources importable without installing the project."""
    paths = [str(p) for p in SOURCE_PATHS]
    if os.environ.get("PYTHONPATH"):
        paths.append(os.environ["PYTHONPATH"])
    return {**os.environ, "PYTHONPATH": os.pathsep.join(paths)}


@contextmanager
def server_process(delay_ms: float = 0.0, task_body: Path | None = None) -> Iterator[str]:
    """Start scripts/bench/server.py in its own process; yield its base URL; stop it on exit."""
    extra = [] if task_body is None else ["--task-body", str(task_body)]
    proc = subprocess.Popen(
        [sys.executable, str(BENCH_DIR / "server.py"), "--delay-ms", str(delay_ms), *extra],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert proc.stdout is not None
        line = proc.stdout.readline().strip()
        if not line.startswith("port "):
            raise RuntimeError(f"benchmark server did not start (said {line!r})")
        yield f"http://127.0.0.1:{int(line.split()[1])}"
    finally:
        if proc.stdin is not None:
            proc.stdin.close()
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait(timeout=10)


def machine() -> dict[str, Any]:
    cpu = platform.processor() or platform.machine()
    try:
        for line in Path("/proc/cpuinfo").read_text(encoding="utf-8").splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    load = os.getloadavg() if hasattr(os, "getloadavg") else None
    return {
        "cpu": cpu,
        "cores": os.cpu_count(),
        "python": platform.python_version(),
        "implementation": platform.python_implementation(),
        "platform": platform.platform(),
        "load_average_at_start": [round(x, 2) for x in load] if load else None,
    }
