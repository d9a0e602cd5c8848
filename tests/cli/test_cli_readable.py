"""A command line that reads well: tables that fit the terminal (real pseudo-terminals of 80 and 120 columns),
`--columns`, dry runs without credentials, did-you-mean on commands, groups and environments."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path
from typing import Any

import pexpect
import pytest
from clihelp import API_KEY, run
from fakeapi import Received, Reply, serve_api
from spec_samples import minimal, resolve, response_schema

REPO = Path(__file__).resolve().parents[2]
VALIDATION = {
    "title": "One or more validation errors occurred.",
    "errors": {"ParameterValues": ["bad value"]},
}


def wide_job(job_no: str, description: str) -> dict[str, Any]:
    """A job as GET /job answers it with every field of the document set (113 of them)."""
    schema = resolve(response_schema("GET", "/job")["items"])  # type: ignore[index]
    record = {name: minimal(prop) for name, prop in schema["properties"].items()}
    record.update(jobNo=job_no, name=f"Name of {job_no}", shortDescription=description)
    return record


JOBS = [wide_job("J1", "Boiler service"), wide_job("J2", "Pump repair")]


def jobs_api(received: Received) -> Reply:
    if received.method == "GET" and received.path == "/job":
        return Reply.json(JOBS)
    return Reply.json([])


def in_terminal(base_url: str, args: list[str], width: int) -> tuple[int, str]:
    """Run the command in a pseudo-terminal `width` columns wide; its exit status and what it drew."""
    env = {
        "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
        "PYTHONPATH": f"{REPO / 'generated'}:{REPO / 'overlay'}",
        "DIMESCHEDULER_API_KEY": API_KEY,
        "DIMESCHEDULER_ENVIRONMENT": base_url,
        "TERM": "xterm-256color",
    }
    child = pexpect.spawn(
        sys.executable,
        ["-m", "dimescheduler_openapi", *args],
        env=env,
        encoding="utf-8",
        timeout=30,
        dimensions=(50, width),
    )
    child.expect(pexpect.EOF)
    child.close()
    text = re.sub(r"\x1b\[[0-9;?]*[A-Za-z]", "", child.before or "")
    return child.exitstatus or 0, text


@pytest.mark.parametrize("width", [80, 120])
def test_wide_entities_get_readable_default_columns(width: int) -> None:
    with serve_api(jobs_api) as server:
        status, text = in_terminal(server.base_url, ["jobs", "get-all"], width)
    assert status == 0, text
    lines = text.splitlines()
    assert all(len(line) <= width for line in lines), text
    header = next(line for line in lines if "jobNo" in line)
    for name in ("jobNo", "name", "shortDescription"):
        assert name in header, text
    assert "┳┳" not in text and "━┳━┳" not in text  # no column squeezed to nothing
    row = next(line for line in lines if " J1 " in line)
    assert "Name of J1" in row and "Boiler" in row, text
    assert "2 rows" in text


def test_columns_choose_the_fields_in_any_case() -> None:
    with serve_api(jobs_api) as server:
        status, text = in_terminal(
            server.base_url, ["jobs", "get-all", "--columns", "jobno,customerName"], 80
        )
    assert status == 0, text
    header = next(line for line in text.splitlines() if "jobNo" in line)
    assert "customerName" in header and "shortDescription" not in header


@pytest.mark.parametrize("width", [80, 120])
def test_all_columns_that_cannot_fit_are_printed_one_record_per_block(width: int) -> None:
    with serve_api(jobs_api) as server:
        status, text = in_terminal(server.base_url, ["jobs", "get-all", "--columns", "all"], width)
    assert status == 0, text
    assert "record 1" in text and "record 2" in text
    assert re.search(r"^shortDescription +Boiler service\s*$", text, re.M), text
    assert re.search(r"^sourceApp +\S+", text, re.M), text
    assert all(len(line) <= width for line in text.splitlines())


def test_columns_apply_to_every_format() -> None:
    with serve_api(jobs_api) as server:
        as_json = run(["jobs", "get-all", "--columns", "jobNo,name", "-o", "json"], server.base_url)
        as_csv = run(["jobs", "get-all", "-c", "jobNo", "-o", "csv"], server.base_url)
        every = run(["jobs", "get-all", "-o", "json"], server.base_url)
    assert json.loads(as_json.stdout) == [
        {"jobNo": "J1", "name": "Name of J1"},
        {"jobNo": "J2", "name": "Name of J2"},
    ]
    assert as_csv.stdout.splitlines() == ["jobNo", "J1", "J2"]
    assert len(json.loads(every.stdout)[0]) > 50  # without --columns, machine formats keep every field


def test_an_unknown_column_is_refused_with_a_suggestion() -> None:
    with serve_api(jobs_api) as server:
        result = run(["jobs", "get-all", "--columns", "jobNumber", "-o", "json"], server.base_url)
    assert result.exit_code == 2
    assert "no field 'jobNumber' (did you mean 'jobNo'?)" in result.output


def test_dry_run_needs_no_credentials() -> None:
    result = run(
        [
            "-e",
            "sandbox",
            "categories",
            "create",
            "--name",
            "A",
            "--display-name",
            "A",
            "--color",
            "#fff",
            "--dry-run",
        ],
        DIMESCHEDULER_API_KEY="",
    )
    assert result.exit_code == 0, result.output
    request = json.loads(result.stdout)[0]
    assert request["method"] == "POST" and request["url"] == "https://sandbox.api.dimescheduler.com/category"
    assert request["headers"]["X-API-KEY"] == "[redacted]"


@pytest.mark.parametrize(
    ("args", "hint"),
    [
        (["job", "get", "J1"], "No such command 'job'. Did you mean 'jobs'?"),
        (["catgories", "get-all"], "Did you mean 'categories'?"),
        (["jobs", "get-al"], "Did you mean 'get-all'?"),
        (["resource_types", "get-all"], "Did you mean 'resource-types'?"),
    ],
)
def test_unknown_commands_get_a_suggestion(args: list[str], hint: str) -> None:
    result = run(args)
    assert result.exit_code == 2
    assert hint in result.output


def test_a_misspelt_environment_gets_a_suggestion() -> None:
    result = run(["-e", "prodution", "categories", "get-all"])
    assert result.exit_code == 2
    assert "unknown environment 'prodution' (did you mean 'production'?)" in result.output


def test_the_cli_line_and_each_failed_row_carry_the_reason(tmp_path: Path) -> None:
    source = tmp_path / "pins.csv"
    source.write_text("name,color\nP1,#00FF00\nP2,#00FF00\n", encoding="utf-8")
    failed = tmp_path / "failed.csv"
    with serve_api(lambda received: Reply.json(VALIDATION, status=400)) as api:
        line = run(["categories", "get-all"], api.base_url)
        imported = run(
            ["import", str(source), "-p", "pin.append", "--failed", str(failed), "-o", "json"], api.base_url
        )
    assert line.exit_code == 3
    assert "ParameterValues: bad value" in line.output
    assert imported.exit_code == 5
    rows = failed.read_text(encoding="utf-8").splitlines()
    assert len(rows) == 3 and all("ParameterValues: bad value" in row for row in rows[1:]), rows


def test_a_reader_that_stops_early_ends_the_command_quietly() -> None:
    """`... | head -1`: a closed pipe is not an error (no traceback, no message, exit 0)."""
    many = [wide_job(f"J{i}", "Boiler") for i in range(2000)]  # megabytes: more than a pipe buffers
    env = {
        "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
        "PYTHONPATH": f"{REPO / 'generated'}:{REPO / 'overlay'}",
        "DIMESCHEDULER_API_KEY": API_KEY,
    }
    with serve_api(lambda received: Reply.json(many)) as server:
        process = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "dimescheduler_openapi",
                "-e",
                server.base_url,
                "jobs",
                "get-all",
                "-o",
                "ndjson",
            ],
            env=env,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
        )
        assert process.stdout is not None and process.stderr is not None
        first = process.stdout.readline()
        process.stdout.close()
        status = process.wait(timeout=60)
        errors = process.stderr.read().decode()
        process.stderr.close()
    assert json.loads(first)["jobNo"] == "J0"
    assert status == 0 and errors == "", errors


def test_streamed_pages_get_the_default_columns_too() -> None:
    """`tasks iter-all` streams pages; its table has the same readable columns as `tasks get-all`."""
    schema = resolve(response_schema("GET", "/task")["items"])  # type: ignore[index]
    task = {
        name: minimal(prop)
        for name, prop in schema["properties"].items()
        if "pattern" not in resolve(prop)
        and "time-span" not in json.dumps(prop)  # TimeSpan fields: no sample
    }
    task.update(jobNo="J1", taskNo="T1", name="Inspect", shortDescription="Yearly check")

    def tasks(received: Received) -> Reply:
        page = dict(received.query).get("page", "1")
        return Reply.json([task] if page == "1" else [])

    with serve_api(tasks) as server:
        status, text = in_terminal(server.base_url, ["tasks", "iter-all"], 100)
    assert status == 0, text
    header = next(line for line in text.splitlines() if "taskNo" in line)
    assert "jobNo" in header and "shortDescription" in header
    assert "Yearly check" in text and "┳┳" not in text


def test_an_import_dry_run_needs_no_credentials(tmp_path: Path) -> None:
    source = tmp_path / "pins.csv"
    source.write_text("name,color\nP1,#00FF00\n", encoding="utf-8")
    result = run(
        ["-e", "test", "import", str(source), "-p", "pin.append", "--dry-run", "-o", "json"],
        DIMESCHEDULER_API_KEY="",
    )
    assert result.exit_code == 0, result.output
    (request,) = json.loads(result.stdout)
    assert request["url"] == "https://test.api.dimescheduler.com/import"
    assert request["body"][0]["StoredProcedureName"] == "mboc_upsertPin"
