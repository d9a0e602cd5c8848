"""The command line's file import: 1,000,000 CSV rows against 100,000, peak resident memory and rows/s.

Each import runs `dimescheduler-openapi import FILE -p pin.append --failed FAILED` in a process of its own
(so the peak resident set, `ru_maxrss`, is the CLI's alone) against the benchmark server on 127.0.0.1, with
the journal on (`--failed` keeps one beside the failed file: a line per chunk sent, fsynced, and one per
chunk answered). Memory is flat when ten times the rows need about the same peak; a CLI that kept rows
would need about ten times more.
"""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from .harness import SOURCE_PATHS, Row, server_process

SMALL, LARGE = 100_000, 1_000_000
CHUNK_SIZE = 1_000
CONCURRENCY = 4

# Runs the console script's entry point in-process, then reports the process's own peak resident set (KiB).
_RUN = """
import resource, sys
from dimescheduler_openapi._cli._entry import main
code = 0
try:
    main(sys.argv[1:])
except SystemExit as exc:
    code = exc.code or 0
print("maxrss_kib", resource.getrusage(resource.RUSAGE_SELF).ru_maxrss, file=sys.stderr)
sys.exit(code)
"""


def cli_import_rows() -> list[Row]:
    with tempfile.TemporaryDirectory(prefix="bench-cli-") as tmp, server_process() as base_url:
        small = _run(_csv(Path(tmp) / "small.csv", SMALL), base_url)
        large = _run(_csv(Path(tmp) / "large.csv", LARGE), base_url)
    (small_s, small_kib), (large_s, large_kib) = small, large
    return [
        Row(
            group="cli import",
            name=f"`import` of {LARGE:,} CSV rows vs {SMALL:,}: peak resident memory",
            measured=large_kib / 1024,
            baseline=small_kib / 1024,
            unit="MiB",
            goal="<= 1.25x (flat)",
            goal_ratio=1.25,
            ratio=large_kib / small_kib,
            note=(
                f"pin.append, chunks of {CHUNK_SIZE:,}, {CONCURRENCY} in flight, journal on, local server; "
                f"{LARGE / large_s:,.0f} rows/s ({large_s:.1f} s) vs {SMALL / small_s:,.0f} rows/s"
            ),
            extra={"seconds_large": large_s, "seconds_small": small_s},
        )
    ]


def _csv(path: Path, rows: int) -> Path:
    with path.open("w", encoding="utf-8") as stream:
        stream.write("name,color\n")
        stream.writelines(f"P{i},#00FF00\n" for i in range(rows))
    return path


def _run(path: Path, base_url: str) -> tuple[float, int]:
    """(seconds, peak resident KiB) of one CLI import of `path`."""
    failed = path.with_name(path.stem + "-failed.csv")
    args = ["import", str(path), "-p", "pin.append", "--chunk-size", str(CHUNK_SIZE), "--failed", str(failed)]
    args += ["--concurrency", str(CONCURRENCY), "--progress", "none"]
    env = dict(
        os.environ,
        PYTHONPATH=os.pathsep.join(str(p) for p in SOURCE_PATHS),
        DIMESCHEDULER_API_KEY="bench-key",
        DIMESCHEDULER_ENVIRONMENT=base_url,
    )
    started = time.perf_counter()
    proc = subprocess.run(
        [sys.executable, "-c", _RUN, *args],
        env=env,
        capture_output=True,
        text=True,
        timeout=1800,
        check=False,
    )
    seconds = time.perf_counter() - started
    if proc.returncode != 0:
        raise RuntimeError(f"the CLI import failed ({proc.returncode}): {proc.stderr.strip()[-300:]}")
    line = next(line for line in proc.stderr.splitlines() if line.startswith("maxrss_kib "))
    return seconds, int(line.split()[1])
