"""A small end-to-end use of the overlay; `nox -s lint` type-checks it with mypy --strict and a test runs it
against Prism. Credentials and environment come from DIMESCHEDULER_* variables."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime, timedelta

from dimescheduler_openapi import (
    AsyncDimeSchedulerClient,
    DimeSchedulerClient,
    MutationResult,
    NotFoundError,
    procedures,
    run_bulk,
)
from dimescheduler_openapi.models import Category, CategoryListItem, Job


def sync_part() -> list[str]:
    lines: list[str] = []
    with DimeSchedulerClient() as client:
        created: MutationResult = client.categories.create(
            Category(name="Urgent", display_name="Urgent", color="#FF0000")
        )
        lines.append(f"category created: {created.success}")
        categories: list[CategoryListItem] = client.categories.get_all()
        lines.append(f"categories: {len(categories)}")
        start = datetime(
            2026, 12, 1, 8, 0, tzinfo=UTC
        )  # date-time in the spec means RFC 3339, with an offset
        appointments = client.appointments.get(start, start + timedelta(days=7), resources=["R1", "R2"])
        lines.append(f"appointments: {len(appointments)}")
        try:
            job = client.jobs.get("J-1001")
            lines.append(f"job: {job.job_no}")
        except NotFoundError as exc:
            lines.append(f"no job: {exc.status_code}")
        with client.capture_response() as captured:
            client.resource_types.get_all()
        assert captured.response is not None
        lines.append(f"status: {captured.response.status_code}")
    return lines


async def async_part() -> list[str]:
    jobs = [
        Job(source_app="BC", source_type="SO", job_no=f"J-{n}", short_description=f"Job {n}")
        for n in range(5)
    ]
    async with AsyncDimeSchedulerClient() as client:
        result = await client.jobs.create(jobs)
        report = await run_bulk(
            client, (procedures.job.append(job) for job in jobs), chunk_size=2, concurrency=2
        )
    return [f"jobs created: {result.success}", f"bulk: {report.summary()}"]


def main() -> None:
    for line in sync_part() + asyncio.run(async_part()):
        print(line)


if __name__ == "__main__":
    main()
