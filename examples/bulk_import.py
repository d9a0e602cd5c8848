"""Bulk import: build typed `/import` requests with `procedures`, send one with `client.imports.run`, and
send thousands in chunks with `run_bulk_sync`, drawing a progress bar from its `on_chunk=` callback.

Run `nox -s mock` in another terminal, then `python examples/bulk_import.py [RECORDS]`.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Iterator
from typing import Any

from dimescheduler_openapi import (
    BulkReport,
    ChunkOutcome,
    DimeSchedulerClient,
    ImportRequest,
    MutationResult,
    procedures,
    run_bulk_sync,
)

ENVIRONMENT = os.environ.get("DIMESCHEDULER_ENVIRONMENT", "http://127.0.0.1:4010")
API_KEY = os.environ.get("DIMESCHEDULER_API_KEY", "dev")
CHUNK_SIZE = 100


def job_records(count: int) -> Iterator[dict[str, Any]]:
    """Records as they might come from a CSV file or a database: JSON names (or parameter names)."""
    for n in range(count):
        yield {"sourceApp": "BC", "sourceType": "SO", "jobNo": f"J-{n:05}", "shortDescription": f"Job {n}"}


class ProgressBar:
    """A text progress bar fed by `on_chunk=` (called once per finished chunk, from worker threads)."""

    def __init__(self, total: int, width: int = 30) -> None:
        self.total, self.width, self.done, self.failed = total, width, 0, 0

    def __call__(self, outcome: ChunkOutcome) -> None:
        self.done += outcome.record_count
        self.failed += 0 if outcome.succeeded else outcome.record_count
        filled = self.width * self.done // max(self.total, 1)
        bar = "#" * filled + "." * (self.width - filled)
        sys.stdout.write(f"\r[{bar}] {self.done}/{self.total} records, {self.failed} failed")
        sys.stdout.flush()


def main(count: int = 1_000) -> None:
    with DimeSchedulerClient(api_key=API_KEY, environment=ENVIRONMENT) as client:
        one: ImportRequest = procedures.job.append(next(job_records(1)))  # mboc_upsertJob
        result: MutationResult = client.imports.run(one)  # POST /import with one request
        print(f"one job: {result.success}")

        bar = ProgressBar(count)
        requests = (procedures.job.append(record) for record in job_records(count))
        report: BulkReport = run_bulk_sync(
            client, requests, chunk_size=CHUNK_SIZE, concurrency=4, on_chunk=bar
        )
        print()
        print(f"bulk: {report.summary()}")


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 1_000)
