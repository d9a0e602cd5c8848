"""`nox -s bench`: every benchmark in one run, a table on stdout and build/bench/bench.json.

    python scripts/bench/run.py [--rounds N] [--only decode,typed,calls,startup,bulk,cli,regenerate] [--out PATH]

Rows: per-call overhead (overlay sync/async vs raw httpx, vendor SDK), typed decoding and encoding of the
widest model (vs json.loads/json.dumps, and the stock templates), bytes -> typed records through the
overlay's read path vs pydantic v2 and msgspec (in memory and over HTTP, with peak memory), cold import, bulk import (vs the vendor
SDK), the command line's import of a 1,000,000-row CSV (peak memory) and regeneration time. Every timing is the median of several rounds after a warm-up; ratios are the
median of per-round ratios, cases interleaved within each round. A goal that is missed is reported as MISS;
the run still exits 0 (it reports, it does not gate). A row that cannot run is reported as n/a with why.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from collections.abc import Callable, Sequence
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # scripts/, for `bench` and `specpipe`
from bench.harness import REPO, SOURCE_PATHS, Row, machine

for _path in SOURCE_PATHS:
    if str(_path) not in sys.path:
        sys.path.insert(0, str(_path))

DEFAULT_OUT = REPO / "build" / "bench" / "bench.json"


def groups(rounds: int) -> dict[str, Callable[[], list[Row]]]:
    from bench.bulk import bulk_rows
    from bench.calls import call_rows
    from bench.cli_import import cli_import_rows
    from bench.decoding import decode_rows
    from bench.regeneration import regeneration_rows
    from bench.startup import startup_rows
    from bench.typed import typed_rows

    return {
        "calls": lambda: call_rows(rounds),
        "decode": lambda: decode_rows(rounds),
        "typed": lambda: typed_rows(rounds),
        "startup": lambda: startup_rows(),
        "bulk": lambda: bulk_rows(max(2, rounds // 2)),
        "cli": lambda: cli_import_rows(),
        "regenerate": lambda: regeneration_rows(),
    }


def human(value: float | None, unit: str) -> str:
    if value is None:
        return "-"
    if unit.startswith("s"):
        suffix = unit[1:]
        if value < 1e-3:
            return f"{value * 1e6:.1f} us{suffix}"
        if value < 1:
            return f"{value * 1e3:.1f} ms{suffix}"
        return f"{value:.2f} s{suffix}"
    return f"{value:.3g} {unit}"


def table(rows: Sequence[Row]) -> str:
    header = ("group", "benchmark", "measured", "baseline", "ratio", "goal", "result")
    lines = [
        (
            r.group,
            r.name,
            human(r.measured, r.unit),
            human(r.baseline, r.unit),
            "-" if r.ratio is None else (f"{r.ratio:.2f}x" if r.ratio >= 0.1 else f"{r.ratio:.2g}x"),
            r.goal,
            r.result,
        )
        for r in rows
    ]
    widths = [max(len(str(x)) for x in column) for column in zip(header, *lines, strict=True)]

    def fmt(cells: Sequence[str]) -> str:
        return "  ".join(str(c).ljust(w) for c, w in zip(cells, widths, strict=True)).rstrip()

    out = [fmt(header), fmt(["-" * w for w in widths])]
    out += [fmt(line) for line in lines]
    return "\n".join(out)


def parse_args(argv: Sequence[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="nox -s bench --", description="Run the benchmarks.")
    parser.add_argument("--rounds", type=int, default=5, help="timed rounds per benchmark (default 5)")
    parser.add_argument(
        "--only", default="", help="comma-separated groups: calls,decode,typed,startup,bulk,cli,regenerate"
    )
    parser.add_argument("--out", type=Path, default=DEFAULT_OUT, help=f"JSON report (default {DEFAULT_OUT})")
    args = parser.parse_args(argv)
    if args.rounds < 1:
        parser.error("--rounds must be at least 1")
    return args


def main(argv: Sequence[str] | None = None) -> int:
    args = parse_args(argv)
    available = groups(args.rounds)
    selected = [g.strip() for g in args.only.split(",") if g.strip()] or list(available)
    unknown = [g for g in selected if g not in available]
    if unknown:
        print(f"error: unknown benchmark group(s) {unknown}; choose from {list(available)}", file=sys.stderr)
        return 2
    info = machine()
    print(
        f"machine: {info['cpu']}, {info['cores']} cores, {info['implementation']} {info['python']}, {info['platform']}"
    )
    print(f"load average at start: {info['load_average_at_start']}; rounds per benchmark: {args.rounds}\n")
    rows: list[Row] = []
    started = time.perf_counter()
    for name in selected:
        print(f"running {name} ...", flush=True)
        try:
            rows.extend(available[name]())
        except Exception as exc:  # report and go on: one broken row must not hide the others
            reason = " ".join(f"{type(exc).__name__}: {exc}".split())[:200]
            rows.append(
                Row(
                    group=name,
                    name="(could not run)",
                    measured=None,
                    baseline=None,
                    unit="s",
                    goal="-",
                    note=reason,
                )
            )
    print()
    print(table(rows))
    print()
    for r in rows:
        if r.note:
            print(f"* {r.group} / {r.name.strip()}: {r.note}")
    missed = [r for r in rows if r.result in ("MISS", "n/a")] + [
        r for r in rows if r.name == "(could not run)"
    ]
    print(
        f"\n{sum(r.result == 'PASS' for r in rows)} PASS, {sum(r.result == 'MISS' for r in rows)} MISS, "
        f"{len([r for r in rows if r.name == '(could not run)'])} could not run "
        f"({time.perf_counter() - started:.0f} s)"
        + ("" if not missed else " -- see the rows marked MISS above")
    )
    args.out.parent.mkdir(parents=True, exist_ok=True)
    report = {"machine": info, "rounds": args.rounds, "rows": [r.as_json() for r in rows]}
    args.out.write_text(json.dumps(report, indent=2) + "\n", encoding="utf-8")
    print(f"wrote {args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
