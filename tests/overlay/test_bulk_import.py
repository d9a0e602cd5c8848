"""Bulk import: chunking, bounded concurrency, streaming, per-chunk outcomes; against fake executors and
against the real clients talking to a recording server on 127.0.0.1."""

from __future__ import annotations

import asyncio
import json
import threading
import time
from collections.abc import Callable, Iterator
from typing import Any, TypeVar

import httpx
import pytest
from dimescheduler_openapi import (
    APIConnectionError,
    InvalidRequestError,
    MutationFailedError,
    MutationResult,
    UnexpectedResponseError,
)
from dimescheduler_openapi._call import Call
from dimescheduler_openapi._client import AsyncDimeSchedulerClient, DimeSchedulerClient
from dimescheduler_openapi._imports import (
    BulkImportError,
    BulkReport,
    ImportRequest,
    NumberedRequest,
    procedures,
    run_bulk,
    run_bulk_sync,
)
from fakeapi import FakeAPI, Received, Reply, serve_api, unused_port
from importserver import serve_imports

T = TypeVar("T")

NOT_GIVEN: Any = object()


def pins(count: int) -> list[ImportRequest]:
    return [procedures.pin.append({"name": f"P{i}", "color": "#00FF00"}) for i in range(count)]


def envelope(success: bool = True, message: str = "ok") -> dict[str, Any]:
    if success:
        content = {"Success": True, "Message": message, "Appointments": []}
        return {"content": json.dumps(content), "contentType": "application/json", "statusCode": 200}
    content = {"Success": False, "Error": "Procedure failed", "Description": message}
    return {"content": json.dumps(content), "contentType": "application/json", "statusCode": 400}


def first_name(body: list[dict[str, Any]]) -> str:
    value: str = body[0]["ParameterValues"][0]
    return value


def check_totals(report: BulkReport, count: int) -> None:
    assert report.records == count
    assert report.succeeded_records + report.failed_records + report.unknown_records == count
    assert [c.index for c in report.chunks] == list(range(len(report.chunks)))
    position = 0
    for chunk in report.chunks:
        assert chunk.first_record == position
        assert chunk.last_record == position + chunk.record_count - 1
        # rows: the input's positions from 1
        assert chunk.rows == ((position + 1, position + chunk.record_count),)
        assert chunk.succeeded == (chunk.result is not None) == (chunk.error is None)
        position += chunk.record_count
    assert position == count


class FakeAsync:
    """Records every call; answers after `delay` with a success envelope unless `fail` returns an error."""

    def __init__(
        self,
        fail: Callable[[list[dict[str, Any]]], Exception | None] = lambda body: None,
        delay: float = 0.01,
    ) -> None:
        self.fail = fail
        self.delay = delay
        self.bodies: list[list[dict[str, Any]]] = []
        self.timeouts: list[Any] = []
        self.in_flight = 0
        self.max_in_flight = 0
        self.completed_records = 0
        self.cancelled = 0

    async def execute(self, call: Call[T], *, timeout: Any = NOT_GIVEN) -> T:
        assert (call.method, call.path, call.has_body) == ("POST", "/import", True)
        self.bodies.append(call.json)
        self.timeouts.append(timeout)
        self.in_flight += 1
        self.max_in_flight = max(self.max_in_flight, self.in_flight)
        try:
            await asyncio.sleep(self.delay)
            error = self.fail(call.json)
            if error is not None:
                raise error
            return call.parse(httpx.Response(200, json=envelope(message=first_name(call.json))))
        except asyncio.CancelledError:
            self.cancelled += 1
            raise
        finally:
            self.in_flight -= 1
            self.completed_records += len(call.json)


class FakeSync:
    def __init__(self, fail: Callable[[list[dict[str, Any]]], Exception | None] = lambda body: None) -> None:
        self.fail = fail
        self.lock = threading.Lock()
        self.bodies: list[list[dict[str, Any]]] = []
        self.threads: set[int] = set()
        self.in_flight = 0
        self.max_in_flight = 0

    def execute(self, call: Call[T], *, timeout: Any = NOT_GIVEN) -> T:
        with self.lock:
            self.bodies.append(call.json)
            self.threads.add(threading.get_ident())
            self.in_flight += 1
            self.max_in_flight = max(self.max_in_flight, self.in_flight)
        try:
            time.sleep(0.01)
            error = self.fail(call.json)
            if error is not None:
                raise error
            return call.parse(httpx.Response(200, json=envelope()))
        finally:
            with self.lock:
                self.in_flight -= 1


# --- async, fake executor ---------------------------------------------------------------------------


def test_every_record_is_sent_once_in_order_within_bounded_concurrency() -> None:
    requests = pins(1234)
    fake = FakeAsync()
    report = asyncio.run(run_bulk(fake, requests, chunk_size=100, concurrency=4))
    assert len(fake.bodies) == 13
    sent = sorted(fake.bodies, key=lambda body: int(first_name(body)[1:]))
    assert [item for body in sent for item in body] == [r.to_dict() for r in requests]
    check_totals(report, 1234)
    assert report.ok and report.failed_records == 0 and report.failures == ()
    assert [c.record_count for c in report.chunks] == [100] * 12 + [34]
    assert all(isinstance(c.result, MutationResult) for c in report.chunks)
    assert [c.result.message for c in report.chunks if c.result] == [f"P{100 * i}" for i in range(13)]
    assert 1 < fake.max_in_flight <= 4
    assert fake.timeouts == [NOT_GIVEN] * 13  # no timeout given: the client's own applies
    assert report.summary() == "13 chunks, 1234 records: 1234 succeeded, 0 failed"


def test_failed_chunks_are_reported_and_do_not_stop_the_others() -> None:
    def fail(body: list[dict[str, Any]]) -> Exception | None:
        name = first_name(body)
        if name == "P20":
            return APIConnectionError("connection reset\nby peer")
        if name == "P50":
            return RuntimeError("x" * 1000)
        return None

    fake = FakeAsync(fail)
    report = asyncio.run(run_bulk(fake, pins(95), chunk_size=10, concurrency=3, timeout=2.5))
    check_totals(report, 95)
    assert [(c.index, c.first_row, c.last_row) for c in report.failures] == [(2, 21, 30), (5, 51, 60)]
    # a connection error with no sign the request never left may have been written: unknown, and so is
    # an exception this package does not raise (nothing says what was sent)
    assert [c.status for c in report.failures] == ["unknown", "unknown"]
    assert report.unknown_records == 20 and report.succeeded_records == 75 and not report.ok
    first, second = report.failures
    assert first.error == "APIConnectionError: connection reset by peer"
    assert isinstance(first.exception, APIConnectionError)
    assert (
        second.error is not None and second.error.startswith("RuntimeError: xxx") and len(second.error) < 330
    )
    assert len(fake.bodies) == 10 and fake.timeouts == [2.5] * 10


def test_stop_on_error_reads_no_further_input() -> None:
    pulled = 0

    def source() -> Iterator[ImportRequest]:
        nonlocal pulled
        for request in pins(100):
            pulled += 1
            yield request

    fake = FakeAsync(lambda body: RuntimeError("bad") if first_name(body) == "P20" else None)
    report = asyncio.run(run_bulk(fake, source(), chunk_size=10, concurrency=1, stop_on_error=True))
    assert [first_name(b) for b in fake.bodies] == ["P0", "P10", "P20"]
    assert pulled == 30 and report.records == 30 and report.stopped_early and not report.ok
    check_totals(report, 30)
    assert report.summary().endswith("(stopped after a failure; any later input was not read)")


def test_input_is_streamed_within_the_concurrency_window() -> None:
    chunk_size, concurrency = 5, 3
    fake = FakeAsync(delay=0.005)
    held: list[int] = []

    def source() -> Iterator[ImportRequest]:
        for pulled, request in enumerate(pins(200), start=1):
            held.append(pulled - fake.completed_records)
            yield request

    report = asyncio.run(run_bulk(fake, source(), chunk_size=chunk_size, concurrency=concurrency))
    check_totals(report, 200)
    assert max(held) <= chunk_size * concurrency
    assert max(held) > chunk_size  # more than one chunk was in flight at some point


def test_bad_items_fail_their_chunk_without_being_sent() -> None:
    items: list[Any] = [r.to_dict() for r in pins(20)]
    items[7] = {"StoredProcedureName": "mboc_upsertPin", "ParameterNames": ["Name"], "ParameterValues": []}
    items[15] = {
        "storedProcedureName": "mboc_upsertPin",
        "parameterNames": ["Name"],
        "parameterValues": ["X"],
    }
    fake = FakeAsync()
    report = asyncio.run(run_bulk(fake, items, chunk_size=5, concurrency=2))
    check_totals(report, 20)
    (bad,) = report.failures
    assert (bad.index, bad.record_count) == (1, 5)
    assert bad.error == "InvalidRequestError: row 8: mboc_upsertPin: 1 parameter names but 0 values"
    assert len(fake.bodies) == 3
    assert {
        "StoredProcedureName": "mboc_upsertPin",
        "ParameterNames": ["Name"],
        "ParameterValues": ["X"],
    } in [item for body in fake.bodies for item in body]


def test_input_that_breaks_part_way_raises_with_the_partial_report() -> None:
    def source() -> Iterator[ImportRequest]:
        yield from pins(25)
        raise OSError("disk went away")

    fake = FakeAsync()
    with pytest.raises(BulkImportError) as exc:
        asyncio.run(run_bulk(fake, source(), chunk_size=10, concurrency=2))
    assert "after 20 records" in str(exc.value) and "OSError: disk went away" in str(exc.value)
    assert "\n" not in str(exc.value)
    check_totals(exc.value.report, 20)
    assert exc.value.report.succeeded_records == 20 and len(fake.bodies) == 2


def test_empty_input_and_bad_arguments() -> None:
    fake = FakeAsync()
    report = asyncio.run(run_bulk(fake, [], chunk_size=10))
    assert report.chunks == () and report.ok and report.records == 0 and fake.bodies == []
    for kwargs in ({"chunk_size": 0}, {"concurrency": 0}, {"concurrency": True}):
        with pytest.raises(InvalidRequestError, match="must be a positive integer"):
            asyncio.run(run_bulk(fake, pins(1), **kwargs))
        with pytest.raises(InvalidRequestError, match="must be a positive integer"):
            run_bulk_sync(FakeSync(), pins(1), **kwargs)
    assert fake.bodies == []


def test_cancelling_the_run_cancels_the_chunks_in_flight() -> None:
    fake = FakeAsync(delay=30)

    async def main() -> None:
        task = asyncio.create_task(run_bulk(fake, pins(50), chunk_size=10, concurrency=3))
        for _ in range(200):
            if fake.in_flight == 3:
                break
            await asyncio.sleep(0.005)
        task.cancel()
        with pytest.raises(asyncio.CancelledError):
            await task

    asyncio.run(asyncio.wait_for(main(), timeout=10))
    assert fake.cancelled == 3 and fake.in_flight == 0


# --- sync, fake executor ----------------------------------------------------------------------------


def test_sync_runs_on_a_bounded_thread_pool() -> None:
    fake = FakeSync(lambda body: RuntimeError("no") if first_name(body) == "P30" else None)
    report = run_bulk_sync(fake, pins(100), chunk_size=10, concurrency=4)
    check_totals(report, 100)
    assert [c.index for c in report.failures] == [3] and report.succeeded_records == 90
    assert 1 < fake.max_in_flight <= 4
    assert threading.get_ident() not in fake.threads


def test_sync_with_concurrency_one_runs_in_the_calling_thread_and_can_stop() -> None:
    fake = FakeSync(lambda body: RuntimeError("no") if first_name(body) == "P30" else None)
    report = run_bulk_sync(fake, iter(pins(100)), chunk_size=10, concurrency=1, stop_on_error=True)
    assert fake.threads == {threading.get_ident()} and fake.max_in_flight == 1
    assert report.records == 40 and report.stopped_early and [c.index for c in report.failures] == [3]
    check_totals(report, 40)


def test_sync_threaded_stop_on_error_and_broken_input() -> None:
    fake = FakeSync(lambda body: RuntimeError("no") if first_name(body) == "P0" else None)
    report = run_bulk_sync(fake, pins(1000), chunk_size=10, concurrency=2, stop_on_error=True)
    assert report.stopped_early and report.records < 1000 and report.failures[0].index == 0
    check_totals(report, report.records)

    def source() -> Iterator[ImportRequest]:
        yield from pins(15)
        raise ValueError("bad line 16")

    with pytest.raises(BulkImportError, match=r"after 10 records.*ValueError: bad line 16") as exc:
        run_bulk_sync(FakeSync(), source(), chunk_size=10, concurrency=3)
    assert exc.value.report.succeeded_records == 10


# --- the real clients against a recording server ---------------------------------------------------------


class ImportServer:
    """POST /import: checks the body, counts concurrent requests, fails chosen chunks."""

    FAIL_ENVELOPE = "P300"  # HTTP 200, envelope status 400
    FAIL_HTTP = "P700"  # HTTP 500

    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.in_flight = 0
        self.max_in_flight = 0
        self.records: list[dict[str, Any]] = []
        self.problems: list[str] = []

    def __call__(self, received: Received) -> Reply:
        with self.lock:
            self.in_flight += 1
            self.max_in_flight = max(self.max_in_flight, self.in_flight)
        try:
            time.sleep(0.03)
            return self.answer(received)
        finally:
            with self.lock:
                self.in_flight -= 1

    def answer(self, received: Received) -> Reply:
        body = received.json()
        wire_keys = ["StoredProcedureName", "ParameterNames", "ParameterValues"]
        if (received.method, received.path) != ("POST", "/import") or not isinstance(body, list):
            self.problems.append(f"{received.method} {received.path} {type(body).__name__}")
        elif (
            received.headers.get("content-type") != "application/json" or "x-api-key" not in received.headers
        ):
            self.problems.append(f"headers {received.headers}")
        elif any(
            sorted(item) != sorted(wire_keys) or item["ParameterNames"] != ["Name", "HexColor"]
            for item in body
        ):
            self.problems.append("body items")
        with self.lock:
            self.records.extend(body)
        if body[0]["ParameterValues"][0] == self.FAIL_ENVELOPE:
            return Reply.json(envelope(success=False, message="Pin colour invalid"))
        if body[0]["ParameterValues"][0] == self.FAIL_HTTP:
            return Reply.json({"message": "database unavailable"}, status=500)
        return Reply.json(envelope(message=f"{len(body)} imported"))


def check_real_report(report: BulkReport, api: FakeAPI, server: ImportServer, concurrency: int) -> None:
    check_totals(report, 1000)
    assert server.problems == []
    assert api.count("/import", "POST") == 10  # one request per chunk, no retries
    assert sorted(r["ParameterValues"][0] for r in server.records) == sorted(f"P{i}" for i in range(1000))
    assert 1 < server.max_in_flight <= concurrency
    failures = {c.index: c for c in report.failures}
    assert sorted(failures) == [3, 7] and report.failed_records == 200 and report.succeeded_records == 800
    envelope_failure, http_failure = failures[3], failures[7]
    assert isinstance(envelope_failure.exception, MutationFailedError)
    assert envelope_failure.error == (
        "MutationFailedError: the write reported status 400 under HTTP 200: Procedure failed; Pin colour invalid"
    )
    assert http_failure.error is not None and http_failure.error.startswith("InternalServerError: HTTP 500")
    assert "database unavailable" in http_failure.error and "secret-key" not in http_failure.error
    assert all(
        c.result is not None and c.result.message == "100 imported" for c in report.chunks if c.succeeded
    )


def test_async_client_against_a_recording_server() -> None:
    server = ImportServer()

    async def main(api: FakeAPI) -> BulkReport:
        async with AsyncDimeSchedulerClient(
            api_key="secret-key", environment=api.base_url, retry=False
        ) as client:
            return await run_bulk(client, iter(pins(1000)), chunk_size=100, concurrency=4, timeout=10.0)

    with serve_api(server) as api:
        report = asyncio.run(main(api))
        check_real_report(report, api, server, concurrency=4)


def test_sync_client_against_a_recording_server() -> None:
    server = ImportServer()
    with serve_api(server) as api:
        with DimeSchedulerClient(api_key="secret-key", environment=api.base_url, retry=False) as client:
            report = run_bulk_sync(client, pins(1000), chunk_size=100, concurrency=3)
        check_real_report(report, api, server, concurrency=3)


# --- answers that may follow a write: unknown, never failed (issue 21) ------------------------------------


def ten_pins_against(handler: Callable[[Received], Reply]) -> BulkReport:
    with (
        serve_api(handler) as api,
        DimeSchedulerClient(api_key="k", environment=api.base_url, retry=False) as client,
    ):
        return run_bulk_sync(client, pins(10), chunk_size=10)


def names_of(count: int) -> set[str]:
    return {f"P{i}" for i in range(count)}


def test_a_cut_answer_after_the_server_wrote_the_chunk_is_unknown() -> None:
    # the server writes every chunk, then cuts the answer to the second one: Content-Length 500, 11 bytes
    with serve_imports(lambda names: "cut" if "P1000" in names else "ok") as server:
        with DimeSchedulerClient(api_key="k", environment=server.base_url, retry=False) as client:
            report = run_bulk_sync(client, pins(3000), chunk_size=1000, concurrency=1)
        assert server.twice() == [] and set(server.counts) == names_of(3000)
    check_totals(report, 3000)
    assert [c.status for c in report.chunks] == ["succeeded", "unknown", "succeeded"]
    assert report.failed_records == 0 and report.unknown_records == 1000 and not report.ok
    cut = report.chunks[1]
    assert (cut.first_row, cut.last_row) == (1001, 2000) and isinstance(cut.exception, APIConnectionError)
    assert "check before re-sending" in report.summary()


def test_a_read_timeout_after_sending_is_unknown_and_a_refused_connection_failed() -> None:
    async def main(base_url: str) -> BulkReport:
        async with AsyncDimeSchedulerClient(
            api_key="k", environment=base_url, retry=False, timeout=0.5
        ) as client:
            return await run_bulk(client, pins(20), chunk_size=10, concurrency=2)

    with serve_imports(lambda names: "hang" if "P10" in names else "ok") as server:
        report = asyncio.run(main(server.base_url))
        assert set(server.counts) == names_of(20)
    assert [c.status for c in report.chunks] == ["succeeded", "unknown"]
    assert report.chunks[1].error is not None and "timed out" in report.chunks[1].error
    refused = asyncio.run(main(f"http://127.0.0.1:{unused_port()}"))
    assert [c.status for c in refused.chunks] == ["failed", "failed"]  # never sent: safe to send again


@pytest.mark.parametrize(
    ("status", "expected"), [(500, "failed"), (400, "failed"), (502, "unknown"), (504, "unknown")]
)
def test_a_gateway_error_may_hide_a_write_an_api_error_does_not(status: int, expected: str) -> None:
    report = ten_pins_against(lambda received: Reply.json({"message": "no"}, status=status))
    assert [c.status for c in report.chunks] == [expected]


FAILED_ENVELOPES = {
    "Success text false": {"statusCode": 200, "content": json.dumps({"Success": "false"})},
    "Success 0": {"statusCode": 200, "content": json.dumps({"Success": 0, "Message": "x"})},
    # a success that claims nothing is not the documented success (attack round)
    "Success null": {"statusCode": 200, "content": json.dumps({"Success": None, "Message": "x"})},
    "SUCCESS upper case": {"statusCode": 200, "content": {"SUCCESS": False}},
    "ERRORS key": {"statusCode": 200, "content": json.dumps({"ERRORS": ["Pin colour invalid"]})},
    "envelope errors key": {"statusCode": 200, "Errors": "bad", "content": ""},
    "success text on the envelope": {"statusCode": 200, "success": "False"},
    "list with one failure": {
        "statusCode": 200,
        "content": json.dumps(
            [
                {"statusCode": 200, "content": json.dumps({"Success": True})},
                {"statusCode": 200, "content": json.dumps({"Success": False, "Error": "row 2 refused"})},
            ]
        ),
    },
    "list with a failed status": {"statusCode": 200, "content": [{"statusCode": 200}, {"statusCode": 500}]},
}


@pytest.mark.parametrize("name", FAILED_ENVELOPES)
def test_an_envelope_reporting_failure_in_any_type_or_case_fails_the_chunk(name: str) -> None:
    report = ten_pins_against(lambda received: Reply.json(FAILED_ENVELOPES[name]))
    assert [c.status for c in report.chunks] == ["failed"]
    assert isinstance(report.chunks[0].exception, MutationFailedError)


def _nested(depth: int, innermost: object) -> object:
    for _ in range(depth):
        innermost = [{"statusCode": 200, "content": json.dumps(innermost)}]
    return innermost


@pytest.mark.parametrize("depth", [9, 12])  # JSON text in JSON text: size doubles per level
def test_a_failure_nested_past_what_is_read_is_not_counted_as_written(depth: int) -> None:
    # Found by the attack round: a failed envelope nested 9 lists deep counted as succeeded.
    content = _nested(depth, {"Success": False, "Error": "refused"})
    report = ten_pins_against(
        lambda received: Reply.json({"statusCode": 200, "content": json.dumps(content)})
    )
    assert [c.status for c in report.chunks] == ["unknown"]
    assert isinstance(report.chunks[0].exception, UnexpectedResponseError)
    assert "nested too deeply" in str(report.chunks[0].exception)


@pytest.mark.parametrize(
    "content",
    [
        {"Success": "true"},
        {"success": 1},
        {"Success": True, "Errors": []},
        [{"statusCode": 200, "content": json.dumps({"Success": True})}],
    ],
)
def test_an_envelope_reporting_success_in_any_type_or_case_succeeds(content: object) -> None:
    report = ten_pins_against(
        lambda received: Reply.json({"statusCode": 200, "content": json.dumps(content)})
    )
    assert report.ok


def test_numbered_requests_name_their_own_rows() -> None:
    items = [
        NumberedRequest(row, request) for row, request in zip([3, 4, 5, 9, 10, 12], pins(6), strict=True)
    ]
    fake = FakeSync(lambda body: InvalidRequestError("no") if first_name(body) == "P3" else None)
    report = run_bulk_sync(fake, items, chunk_size=3, concurrency=1)
    assert [c.rows for c in report.chunks] == [((3, 5),), ((9, 10), (12, 12))]
    assert [(c.first_row, c.last_row, c.status) for c in report.chunks] == [
        (3, 5, "succeeded"),
        (9, 12, "failed"),
    ]
