"""Reads: lists, one item by key, a date range, a page, and the HTTP status and headers of a call.

Run `nox -s mock` in another terminal, then `python examples/reads.py`.
"""

from __future__ import annotations

import os
from datetime import UTC, datetime, timedelta

from dimescheduler_openapi import DimeSchedulerClient, NotFoundError
from dimescheduler_openapi.models import AppointmentListItem, JobListItem, NotificationPage

ENVIRONMENT = os.environ.get("DIMESCHEDULER_ENVIRONMENT", "http://127.0.0.1:4010")
API_KEY = os.environ.get("DIMESCHEDULER_API_KEY", "dev")


def main() -> None:
    with DimeSchedulerClient(api_key=API_KEY, environment=ENVIRONMENT) as client:
        try:
            job: JobListItem = client.jobs.get("J-1001")  # GET /job/J-1001
            print(f"job {job.job_no}: {job.short_description}")
        except NotFoundError as exc:
            print(f"no such job ({exc.status_code}, request id {exc.request_id})")

        start = datetime(2026, 12, 1, 8, 0, tzinfo=UTC)  # date-times are RFC 3339: give them a time zone
        appointments: list[AppointmentListItem] = client.appointments.get(
            start, start + timedelta(days=7), resources=["R1", "R2"]
        )  # GET /appointment?startDate=...&endDate=...&resources=R1&resources=R2
        print(f"appointments in the week: {len(appointments)}")

        page: NotificationPage = client.notifications.get(1, 50, sort="createdAt:desc")
        print(f"notifications on page 1: {len(page.data or [])}")

        with client.capture_response() as captured:
            client.calendars.get_all()
        assert captured.response is not None
        print(f"GET /calendar answered {captured.response.status_code}")


if __name__ == "__main__":
    main()
