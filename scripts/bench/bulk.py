"""Bulk import: 10,000 Job records through `run_bulk` (async, 8 in flight) against a server adding 20 ms per
request, versus one `client.imports.run(...)` per record through the vendor SDK.

The vendor run is sequential at ~20 ms a record (about 200 s for 10,000), so it is timed on a sample and
extrapolated linearly; the table says so. Peak memory comes from tracemalloc in separate runs (tracing slows
Python down, so it never overlaps a timed run); the requests are built before tracing starts.
"""

from __future__ import annotations

import asyncio
import time
import tracemalloc
from collections.abc import Callable
from typing import Any

from .calls import API_KEY, vendor_client
from .data import job_records
from .harness import Row, median, server_process

RECORDS = 10_000
CHUNK_SIZE = 100
CONCURRENCY = 8
DELAY_MS = 20.0
VENDOR_SAMPLE = 300


def bulk_rows(rounds: int) -> list[Row]:
    from dimescheduler_openapi import import_request

    requests = [import_request("Job", record) for record in job_records(RECORDS)]
    with server_process(delay_ms=DELAY_MS) as base_url:
        ours = _ours(base_url, requests)
        ours()  # warm-up
        times = [ours() for _ in range(rounds)]
        ours_peak = _peak(ours)
        vendor = _vendor(base_url, [r.to_dict() for r in requests[:VENDOR_SAMPLE]])
        vendor_sample = vendor()
        vendor_peak = _peak(vendor)
    vendor_total = vendor_sample / VENDOR_SAMPLE * RECORDS
    measured = median(times)
    return [
        Row(
            group="bulk import",
            name=f"run_bulk async (chunks of {CHUNK_SIZE}, {CONCURRENCY} in flight) vs vendor SDK",
            measured=measured,
            baseline=vendor_total,
            unit="s",
            goal=">= 6x faster",
            goal_ratio=1 / 6,
            ratio=measured / vendor_total,
            note=(
                f"{RECORDS:,} Job records, server adds {DELAY_MS:.0f} ms/request; vendor: one imports.run per record, "
                f"timed on {VENDOR_SAMPLE} ({vendor_sample:.2f} s) and extrapolated linearly; peak memory "
                f"(tracemalloc) ours {ours_peak / 2**20:.1f} MiB, vendor {vendor_peak / 2**20:.1f} MiB "
                f"(for {VENDOR_SAMPLE})"
            ),
            samples={"run_bulk": times, "vendor sample": [vendor_sample]},
            extra={
                "vendor_sample_records": VENDOR_SAMPLE,
                "vendor_sample_seconds": vendor_sample,
                "vendor_extrapolated_seconds": vendor_total,
                "peak_bytes_run_bulk": ours_peak,
                "peak_bytes_vendor_sample": vendor_peak,
                "speedup": vendor_total / measured,
            },
        )
    ]


def _ours(base_url: str, requests: list[Any]) -> Callable[[], float]:
    from dimescheduler_openapi import AsyncDimeSchedulerClient, run_bulk

    async def once() -> float:
        async with AsyncDimeSchedulerClient(api_key=API_KEY, environment=base_url) as client:
            start = time.perf_counter()
            report = await run_bulk(client, requests, chunk_size=CHUNK_SIZE, concurrency=CONCURRENCY)
            elapsed = time.perf_counter() - start
        if not report.ok or report.succeeded_records != RECORDS:
            raise RuntimeError(f"bulk import did not succeed: {report.summary()}")
        return elapsed

    return lambda: asyncio.run(once())


def _vendor(base_url: str, payloads: list[dict[str, Any]]) -> Callable[[], float]:
    def once() -> float:
        client = vendor_client(base_url)
        try:
            start = time.perf_counter()
            for payload in payloads:
                result = client.imports.run([payload])
                if result.error is not None:
                    raise RuntimeError(f"vendor import failed: {result.error!r}")
            return time.perf_counter() - start
        finally:
            client.close()

    return once


def _peak(run: Callable[[], float]) -> int:
    tracemalloc.start()
    try:
        run()
        return tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
