"""A write counts as done only when a 2xx answer carries what the API documents as success.

Against local servers: redirects and 304 on writes, 2xx bodies that are not the write envelope (single
writes and bulk runs), empty 2xx bodies, the routes whose answer is undescribed, the wrong client kind for
the bulk runners, and bulk runs cut short by a task cancel or Ctrl-C (the report survives, chunk by chunk).
"""

from __future__ import annotations

import asyncio
import json
import os
import signal
import threading
import time
from typing import Any

import pytest
from dimescheduler_openapi import (
    AsyncDimeSchedulerClient,
    BulkImportError,
    BulkProgress,
    BulkReport,
    ChunkOutcome,
    DimeSchedulerClient,
    InvalidRequestError,
    MutationResult,
    RedirectError,
    UnexpectedResponseError,
    procedures,
    run_bulk,
    run_bulk_sync,
)
from fakeapi import FakeAPI, Received, Reply, Script, serve_api

API_KEY = "ak-SECRET-write-outcomes"
CATEGORY = {"name": "Boiler", "displayName": "Boiler", "color": "#FF0000"}
OK_ENVELOPE = {
    "content": json.dumps({"Success": True, "Message": "ok"}),
    "contentType": "application/json",
    "statusCode": 200,
}
NOT_ENVELOPES: dict[str, Reply] = {
    "html proxy page": Reply(
        200, b"<!DOCTYPE html><html><body>Gateway sign-in</body></html>", {"Content-Type": "text/html"}
    ),
    "truncated json": Reply(200, b'{"content": "{\\"Success\\": tr', {"Content-Type": "application/json"}),
    "plain text": Reply(200, b"Error: procedure not found", {"Content-Type": "text/plain"}),
    "errors object": Reply.json({"errors": [{"message": "invalid"}]}),
    "json array": Reply.json([]),
    "status code of another type": Reply.json({"statusCode": "200"}),
    "empty 200": Reply(200),
    "204": Reply(204),
}


def pins(count: int) -> list[Any]:
    return [procedures.pin.append({"name": f"P{i}", "color": "#00FF00"}) for i in range(count)]


def first_pin(received: Received) -> int:
    return int(received.json()[0]["ParameterValues"][0][1:])


def sync_client(api: FakeAPI, **kwargs: Any) -> DimeSchedulerClient:
    return DimeSchedulerClient(API_KEY, api.base_url, retry=False, **kwargs)


def async_client(api: FakeAPI, **kwargs: Any) -> AsyncDimeSchedulerClient:
    return AsyncDimeSchedulerClient(API_KEY, api.base_url, retry=False, **kwargs)


def check_totals(report: BulkReport, records: int) -> None:
    assert report.records == records
    assert report.succeeded_records + report.failed_records + report.unknown_records == records
    assert [c.index for c in report.chunks] == list(range(len(report.chunks)))


# --- redirects and other non-2xx answers ------------------------------------------------------------------


@pytest.mark.parametrize("status", [301, 302, 303, 307, 308])
def test_a_redirected_write_raises_naming_the_target_without_its_query(status: int) -> None:
    reply = Reply(status, headers={"Location": "https://elsewhere.example/category?sig=SECRET-q#frag"})
    with (
        serve_api(Script([], then=reply)) as api,
        sync_client(api) as client,
        pytest.raises(RedirectError) as caught,
    ):
        client.categories.create(CATEGORY)
    error = caught.value
    assert error.status_code == status
    assert error.location == "https://elsewhere.example/category"
    assert "redirected to https://elsewhere.example/category (" in str(error)
    assert "SECRET" not in str(error) and "\n" not in str(error)
    assert api.count() == 1  # not followed


def test_a_relative_redirect_and_a_304_are_errors_too() -> None:
    replies = Script([Reply(302, headers={"Location": "/v2/category?x=1"}), Reply(304)])
    with serve_api(replies) as api, sync_client(api) as client:
        with pytest.raises(RedirectError) as relative:
            client.categories.update(CATEGORY)
        with pytest.raises(RedirectError) as not_modified:
            client.categories.delete({"name": "Boiler"})
    assert relative.value.location == f"{api.base_url}/v2/category"
    assert not_modified.value.status_code == 304 and not_modified.value.location is None
    assert "a redirect without a Location" in str(not_modified.value)


@pytest.mark.asyncio
async def test_async_redirected_write_raises() -> None:
    with serve_api(Script([], then=Reply(308, headers={"Location": "https://x.example/job"}))) as api:
        async with async_client(api) as client:
            with pytest.raises(RedirectError, match=r"^HTTP 308 .* from POST /category: redirected to"):
                await client.categories.create(CATEGORY)


def test_bulk_run_against_redirects_reports_every_chunk_failed() -> None:
    with (
        serve_api(Script([], then=Reply(302, headers={"Location": "https://x.example/import"}))) as api,
        sync_client(api) as client,
    ):
        report = run_bulk_sync(client, pins(1000), chunk_size=100, concurrency=4)
    check_totals(report, 1000)
    assert (report.succeeded_records, report.failed_records) == (0, 1000)
    assert all(isinstance(c.exception, RedirectError) for c in report.chunks)
    assert report.summary() == "10 chunks, 1000 records: 0 succeeded, 1000 failed"


# --- 2xx answers that are not the write envelope ------------------------------------------------------------


@pytest.mark.parametrize("name", sorted(NOT_ENVELOPES))
def test_a_2xx_body_that_is_not_the_envelope_is_an_error(name: str) -> None:
    reply = NOT_ENVELOPES[name]
    with (
        serve_api(Script([], then=reply)) as api,
        sync_client(api) as client,
        pytest.raises(UnexpectedResponseError) as caught,
    ):
        client.categories.create(CATEGORY)
    error = caught.value
    assert error.status_code == reply.status
    documented = "HTTP 200 (the status codes the document defines for this operation)"
    what = "the write envelope {content, contentType, statusCode}" if reply.status == 200 else documented
    assert error.expected == what
    assert str(error).startswith(f"HTTP {reply.status} ")
    assert f"from POST /category: expected {what}" in str(error)
    assert "\n" not in str(error)
    if reply.body and not reply.body.startswith((b"{", b"[")):
        assert error.body == reply.body.decode()  # the text is kept
    assert error.response.content == reply.body


def test_the_messages_say_what_came() -> None:
    expected = {
        "html proxy page": "got an HTML page: '<!DOCTYPE html><html><body>Gateway sign-in</body></html>'",
        "plain text": "got text that is not JSON: 'Error: procedure not found'",
        "errors object": "got a JSON object with keys 'errors'",
        "empty 200": "got an empty body",
        "204": "expected HTTP 200 (the status codes the document defines for this operation), got HTTP 204",
    }
    for name, ending in expected.items():
        with (
            serve_api(Script([], then=NOT_ENVELOPES[name])) as api,
            sync_client(api) as client,
            pytest.raises(UnexpectedResponseError) as caught,
        ):
            client.jobs.delete({"sourceApp": "BC", "sourceType": "SO", "jobNo": "J1"})
        assert str(caught.value).endswith(ending), name


@pytest.mark.asyncio
@pytest.mark.parametrize("name", ["html proxy page", "truncated json", "errors object", "204"])
async def test_async_writes_refuse_non_envelopes(name: str) -> None:
    with serve_api(Script([], then=NOT_ENVELOPES[name])) as api:
        async with async_client(api) as client:
            with pytest.raises(UnexpectedResponseError):
                await client.imports.run(pins(1)[0].to_dict())


@pytest.mark.parametrize("name", ["html proxy page", "plain text", "errors object", "204"])
def test_a_bulk_run_counts_non_envelope_answers_as_not_written(name: str) -> None:
    with serve_api(Script([], then=NOT_ENVELOPES[name])) as api, sync_client(api) as client:
        report = run_bulk_sync(client, pins(1000), chunk_size=100, concurrency=3)
    check_totals(report, 1000)
    # a 2xx that is not the envelope may follow a write (unknown), unless its JSON says it failed
    failed, unknown = (1000, 0) if name == "errors object" else (0, 1000)
    assert (report.succeeded_records, report.failed_records, report.unknown_records) == (0, failed, unknown)
    assert all(isinstance(c.exception, UnexpectedResponseError) for c in report.chunks)
    assert api.count("/import", "POST") == 10


def test_an_async_bulk_run_counts_only_envelope_answers_as_succeeded() -> None:
    def answer(received: Received) -> Reply:
        return NOT_ENVELOPES["plain text"] if first_pin(received) % 200 == 0 else Reply.json(OK_ENVELOPE)

    async def main(api: FakeAPI) -> BulkReport:
        async with async_client(api) as client:
            return await run_bulk(client, pins(1000), chunk_size=100, concurrency=4)

    with serve_api(answer) as api:
        report = asyncio.run(main(api))
    check_totals(report, 1000)
    assert [c.index for c in report.failures] == [0, 2, 4, 6, 8]
    assert report.succeeded_records == 500 and report.unknown_records == 500


def test_the_envelope_itself_still_succeeds() -> None:
    minimal = {"statusCode": 200}
    with serve_api(Script([Reply.json(OK_ENVELOPE), Reply.json(minimal)])) as api, sync_client(api) as client:
        assert client.categories.create(CATEGORY).message == "ok"
        assert client.categories.create(CATEGORY) == MutationResult(status_code=200, success=True)


# --- routes whose answer the vendor does not describe -----------------------------------------------------


RECURRING = {
    "startDate": "2024-05-01",
    "endDate": "2024-06-01",
    "resource": "R1",
    "recurrenceRule": "FREQ=DAILY",
}


@pytest.mark.parametrize(
    ("reply", "expected"),
    [(Reply(200), None), (Reply.json({"id": 7}), {"id": 7}), (Reply.json([1]), [1])],
)
def test_undescribed_answers_return_their_json_or_none(reply: Reply, expected: Any) -> None:
    with serve_api(Script([], then=reply)) as api, sync_client(api) as client:
        assert client.recurring_appointments.create(RECURRING) == expected
        assert client.task_assignments.delete({"jobNo": "J1", "taskNo": "T1"}) == expected


@pytest.mark.parametrize("name", ["html proxy page", "plain text", "truncated json"])
def test_undescribed_answers_that_are_not_json_are_errors(name: str) -> None:
    with (
        serve_api(Script([], then=NOT_ENVELOPES[name])) as api,
        sync_client(api) as client,
        pytest.raises(UnexpectedResponseError, match="expected a JSON body or none"),
    ):
        client.imports.setup({"anything": 1})


# --- the wrong kind of client ------------------------------------------------------------------------------


def test_run_bulk_sync_refuses_the_async_client_before_sending() -> None:
    with serve_api(Script([], then=Reply.json(OK_ENVELOPE))) as api:
        client = async_client(api)
        with pytest.raises(InvalidRequestError, match=r"run_bulk_sync needs the sync DimeSchedulerClient"):
            run_bulk_sync(client, pins(100), chunk_size=10)
        asyncio.run(client.aclose())
    assert api.count() == 0


def test_run_bulk_refuses_the_sync_client_before_sending() -> None:
    with (
        serve_api(Script([], then=Reply.json(OK_ENVELOPE))) as api,
        sync_client(api) as client,
        pytest.raises(
            InvalidRequestError, match=r"run_bulk needs the AsyncDimeSchedulerClient.*run_bulk_sync"
        ),
    ):
        asyncio.run(run_bulk(client, pins(100), chunk_size=10))  # type: ignore[arg-type]
    assert api.count() == 0


def test_bulk_runners_refuse_what_is_not_a_client() -> None:
    with pytest.raises(InvalidRequestError, match="run_bulk_sync needs a DimeSchedulerClient, not object"):
        run_bulk_sync(object(), pins(1))  # type: ignore[arg-type]
    with pytest.raises(InvalidRequestError, match="run_bulk needs a AsyncDimeSchedulerClient, not str"):
        asyncio.run(run_bulk("client", pins(1)))  # type: ignore[arg-type]


def test_an_execute_returning_a_coroutine_fails_its_chunks_without_counting_them() -> None:
    async def later() -> MutationResult:
        raise AssertionError("never awaited, never sent")

    class LooksSync:
        def execute(self, call: Any, **kwargs: Any) -> Any:
            return later()

    report = run_bulk_sync(LooksSync(), pins(30), chunk_size=10, concurrency=1)
    assert (report.succeeded_records, report.failed_records) == (0, 30)
    assert all("run_bulk_sync needs the sync" in (c.error or "") for c in report.chunks)


# --- progress, cancellation, Ctrl-C ------------------------------------------------------------------------


class Held:
    """/import: chunks whose first record is below `answered` get the envelope at once; the others are held
    until the server stops (so they stay in flight)."""

    def __init__(self, answered: int) -> None:
        self.answered = answered

    def __call__(self, received: Received) -> Reply:
        if first_pin(received) < self.answered:
            return Reply.json(OK_ENVELOPE)
        return Reply(200, json.dumps(OK_ENVELOPE).encode(), {"Content-Type": "application/json"}, delay=60)


def test_on_chunk_reports_every_chunk_as_it_finishes() -> None:
    seen: list[ChunkOutcome] = []
    lock = threading.Lock()

    def on_chunk(outcome: ChunkOutcome) -> None:
        with lock:
            seen.append(outcome)

    def answer(received: Received) -> Reply:
        return Reply.json({"errors": []}) if first_pin(received) == 300 else Reply.json(OK_ENVELOPE)

    progress = BulkProgress()
    with serve_api(answer) as api, sync_client(api) as client:
        report = run_bulk_sync(
            client, pins(1000), chunk_size=100, concurrency=3, on_chunk=on_chunk, progress=progress
        )
    assert sorted(c.index for c in seen) == list(range(10))
    assert sum(c.record_count for c in seen) == 1000
    assert [c.index for c in seen if not c.succeeded] == [3]
    assert progress.report() == report and progress.in_flight == () and progress.sent == tuple(range(10))
    assert progress.records_read == 1000 and not progress.interrupted


def test_an_on_chunk_that_raises_stops_the_run_with_the_report() -> None:
    def on_chunk(outcome: ChunkOutcome) -> None:
        if outcome.index == 1:
            raise RuntimeError("progress bar broke")

    with (
        serve_api(Script([], then=Reply.json(OK_ENVELOPE))) as api,
        sync_client(api) as client,
        pytest.raises(BulkImportError, match="on_chunk raised, so the run stopped") as caught,
    ):
        run_bulk_sync(client, pins(1000), chunk_size=100, concurrency=1, on_chunk=on_chunk)
    assert caught.value.report.succeeded_records == 200 and api.count() == 2
    assert isinstance(caught.value.__cause__, RuntimeError)


def test_a_progress_object_records_one_run_only() -> None:
    progress = BulkProgress()
    with serve_api(Script([], then=Reply.json(OK_ENVELOPE))) as api, sync_client(api) as client:
        run_bulk_sync(client, pins(10), chunk_size=5, progress=progress)
        with pytest.raises(InvalidRequestError, match="pass a new one to each run"):
            run_bulk_sync(client, pins(10), chunk_size=5, progress=progress)
    assert api.count() == 2


def test_cancelling_run_bulk_keeps_the_report_chunk_by_chunk() -> None:
    progress = BulkProgress()
    finished: list[ChunkOutcome] = []

    async def main(api: FakeAPI) -> None:
        async with async_client(api) as client:
            task = asyncio.create_task(
                run_bulk(
                    client,
                    pins(1000),
                    chunk_size=10,
                    concurrency=2,
                    progress=progress,
                    on_chunk=finished.append,
                )
            )
            for _ in range(1000):  # until chunks 0-2 are answered and 3-4 are held in flight at the server
                if len(progress.finished) == 3 and len(progress.in_flight) == 2 and api.count() == 5:
                    break
                await asyncio.sleep(0.01)
            task.cancel()
            with pytest.raises(asyncio.CancelledError) as cancelled:
                await task
            assert any("bulk import interrupted: 5 chunks" in note for note in cancelled.value.__notes__)

    with serve_api(Held(answered=30)) as api:
        asyncio.run(main(api))
        received = api.count("/import", "POST")
    report = progress.report()
    check_totals(report, 50)
    assert report.interrupted and not report.ok
    assert [c.status for c in report.chunks] == ["succeeded"] * 3 + ["unknown"] * 2
    assert report.unknown_records == 20 and received == 5  # every chunk the server got is in the report
    assert report.chunks[3].error == "CancelledError: interrupted after sending, before the answer was read"
    assert report.summary() == (
        "5 chunks, 50 records: 30 succeeded, 0 failed, 20 unknown (sent, no usable answer: check before re-sending)"
    )
    assert sorted(c.index for c in finished) == [0, 1, 2, 3, 4]


class Interrupting:
    """/import: the chunk starting at record `at` sends SIGINT to this process, then answers after `hold`
    seconds (cut short when the server stops); the others are answered at once."""

    def __init__(self, at: int, hold: float) -> None:
        self.at = at
        self.hold = hold

    def __call__(self, received: Received) -> Reply:
        if first_pin(received) == self.at:
            os.kill(os.getpid(), signal.SIGINT)
            return Reply(
                200, json.dumps(OK_ENVELOPE).encode(), {"Content-Type": "application/json"}, self.hold
            )
        return Reply.json(OK_ENVELOPE)


def test_ctrl_c_in_run_bulk_sync_keeps_the_report() -> None:
    progress = BulkProgress()
    with serve_api(Interrupting(at=30, hold=60)) as api, sync_client(api) as client:
        with pytest.raises(KeyboardInterrupt) as interrupted:
            run_bulk_sync(client, pins(100), chunk_size=10, concurrency=1, progress=progress)
        received = api.count("/import", "POST")
    report = progress.report()
    check_totals(report, 40)
    assert [c.status for c in report.chunks] == ["succeeded"] * 3 + ["unknown"]
    assert (
        report.chunks[3].error == "KeyboardInterrupt: interrupted after sending, before the answer was read"
    )
    assert received == 4 and report.interrupted
    assert any(note.startswith("bulk import interrupted: 4 chunks") for note in interrupted.value.__notes__)


def test_ctrl_c_in_threaded_run_bulk_sync_waits_for_the_answers_in_flight() -> None:
    progress = BulkProgress()
    with serve_api(Interrupting(at=30, hold=0.3)) as api, sync_client(api) as client:
        with pytest.raises(KeyboardInterrupt):
            run_bulk_sync(client, pins(1000), chunk_size=10, concurrency=3, progress=progress)
        for _ in range(500):  # a worker may still be finishing a chunk it had started
            if not progress.in_flight:
                break
            time.sleep(0.01)
        received = api.received
    report = progress.report()
    check_totals(report, progress.records_read)
    sent_records = sum(len(r.json()) for r in received)
    assert report.interrupted and report.records < 1000
    assert report.succeeded_records == sent_records  # the chunk held at Ctrl-C was waited for
    assert report.unknown_records == 0 and any(c.first_record == 30 and c.succeeded for c in report.chunks)
