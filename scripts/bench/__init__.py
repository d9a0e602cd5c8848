"""Benchmarks behind `nox -s bench` (entry point: scripts/bench/run.py)."""
