"""The pieces `nox -s bench` is built from (no timings asserted: those are the benchmark's job)."""

from __future__ import annotations

import time
from pathlib import Path

import httpx
from bench.data import full_records, job_records, widest_read_model
from bench.harness import Row, server_process
from bench.run import table
from dimescheduler_raw.models import TaskListItem


def test_server_keeps_connections_alive_and_delays_imports() -> None:
    opened: list[object] = []
    with server_process(delay_ms=30) as base_url, httpx.Client(base_url=base_url) as client:
        for _ in range(3):
            response = client.get("/category", extensions={"trace": lambda name, info: opened.append(name)})
            assert response.status_code == 200 and len(response.json()) == 3
        started = time.perf_counter()
        envelope = client.post("/import", json=[{"StoredProcedureName": "mboc_upsertJob"}]).json()
        assert time.perf_counter() - started >= 0.03
        assert envelope["statusCode"] == 200
        assert client.get("/nothing").status_code == 404
    assert opened.count("connection.connect_tcp.started") == 1  # one connection for every request


def test_benchmark_inputs_are_the_widest_model_with_every_field() -> None:
    assert widest_read_model() == "TaskListItem"
    records = full_records("TaskListItem", 3)
    obj = TaskListItem.from_dict(records[2])
    assert obj.additional_properties == {} and len(records[2]) == 134
    assert obj.to_dict().keys() == records[2].keys()


def test_job_records_are_valid_import_requests() -> None:
    from dimescheduler_openapi import import_request

    request = import_request("Job", job_records(2)[1])
    assert request.stored_procedure_name == "mboc_upsertJob"
    assert "JOB-000001" in request.parameter_values


def test_rows_report_pass_miss_and_info() -> None:
    rows = [
        Row("g", "fast enough", 1.0, 1.0, "s", "<= 1.1x", 1.1, ratio=1.05),
        Row("g", "too slow", 2.0, 1.0, "s", "<= 1.1x", 1.1, ratio=2.0),
        Row("g", "just numbers", 5e-4, None, "s/call", "info"),
    ]
    assert [r.result for r in rows] == ["PASS", "MISS", "info"]
    text = table(rows)
    assert "PASS" in text and "MISS" in text and "500.0 us/call" in text
    assert rows[1].as_json()["result"] == "MISS"


def test_typed_decode_rows_run_on_a_few_records() -> None:
    from bench.typed import typed_rows

    rows = typed_rows(rounds=1, records=20)
    names = [r.name for r in rows]
    assert any("vs pydantic v2" in n for n in names) and any("vs msgspec" in n for n in names)
    assert any(n.startswith("over HTTP") for n in names)
    assert all(r.ratio is not None and r.ratio > 0 for r in rows)
    memory = next(r for r in rows if "peak memory" in r.name)
    assert "pydantic" in memory.note and "msgspec" in memory.note and memory.unit == "MiB"


def test_cli_import_bench_measures_a_real_import(tmp_path: Path) -> None:
    from bench.cli_import import _csv, _run

    with server_process() as base_url:
        seconds, peak_kib = _run(_csv(tmp_path / "rows.csv", 2_500), base_url)
    assert seconds > 0 and 10_000 < peak_kib < 2_000_000  # a real process: tens of MiB resident
