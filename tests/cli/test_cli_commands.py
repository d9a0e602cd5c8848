"""Every generated command builds; a sample sends exactly what the library sends; output formats, errors,
exit codes, dry runs, credentials."""

from __future__ import annotations

import contextlib
import csv
import io
import json
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import click
import pytest
from clihelp import API_KEY, api, run, wire
from dimescheduler_openapi import DimeSchedulerClient
from dimescheduler_openapi._cli import cli
from dimescheduler_openapi._cli._commands import iter_commands
from dimescheduler_openapi._resources import SyncResources, declared_operations
from fakeapi import Reply, TokenService, serve_api, unused_port

REPO = Path(__file__).resolve().parents[2]


def all_commands() -> list[tuple[str, click.Command]]:
    with click.Context(cli) as ctx:
        return list(iter_commands(cli, ctx))


def test_every_accessor_method_has_a_command_whose_help_works() -> None:
    commands = dict(all_commands())
    expected = {
        f"{accessor.replace('_', '-')} {method.replace('_', '-')}"
        for accessor, methods in declared_operations(SyncResources).items()
        for method in methods
    }
    assert expected <= set(commands)
    for name in sorted(expected):
        result = run([*name.split(), "--help"])
        assert result.exit_code == 0, (name, result.output)
        assert "Example" in result.output and f"dimescheduler-openapi {name}" in result.output, name


def test_write_commands_have_one_option_per_body_field() -> None:
    result = run(["jobs", "create", "--help"])
    for option in ("--source-app", "--job-no", "--short-description", "--importance", "--json", "--dry-run"):
        assert option in result.output
    assert "[required] External key of the job" in " ".join(result.output.split())


def library(base_url: str, call: Callable[[DimeSchedulerClient], Any]) -> None:
    with DimeSchedulerClient(api_key=API_KEY, environment=base_url) as client:
        call(client)


SAMPLES: list[tuple[list[str], Callable[[DimeSchedulerClient], Any]]] = [
    (["categories", "get-all"], lambda c: c.categories.get_all()),
    (["jobs", "get", "J 1/x"], lambda c: c.jobs.get("J 1/x")),
    (
        ["categories", "create", "--name", "A", "--display-name", "A", "--color", "#22d3ee"],
        lambda c: c.categories.create({"name": "A", "displayName": "A", "color": "#22d3ee"}),
    ),
    (
        [
            "jobs",
            "update",
            "--source-app",
            "BC",
            "--source-type",
            "SO",
            "--job-no",
            "J1",
            "--short-description",
            "Boiler",
            "--importance",
            "high",
            "--site-address-geo-lat",
            "50.5",
        ],
        lambda c: c.jobs.update(
            {
                "sourceApp": "BC",
                "sourceType": "SO",
                "jobNo": "J1",
                "shortDescription": "Boiler",
                "importance": 1,
                "siteAddressGeoLat": 50.5,
            }
        ),
    ),
    (
        [
            "appointments",
            "get",
            "2026-01-01T00:00:00Z",
            "2026-01-02",
            "--resources",
            "R1",
            "--resources",
            "R2",
        ],
        lambda c: c.appointments.get("2026-01-01T00:00:00Z", "2026-01-02", resources=["R1", "R2"]),
    ),
    (
        ["tasks", "get", "--is-open", "true", "--page", "2", "--page-size", "10"],
        lambda c: c.tasks.get(is_open=True, page=2, page_size=10),
    ),
    (
        ["time-markers", "get-all", "--query", "a=1", "--query", "a=2", "--query", "b=x"],
        lambda c: c.time_markers.get_all({"a": ["1", "2"], "b": "x"}),
    ),
    (
        ["notifications", "get", "1", "50", "--sort", "createdAt:desc"],
        lambda c: c.notifications.get(1, 50, sort="createdAt:desc"),
    ),
    (
        ["geocoding", "geocode-text", "Main street 1", "BE"],
        lambda c: c.geocoding.geocode_text("Main street 1", "BE"),
    ),
]


@pytest.mark.parametrize(("args", "call"), SAMPLES, ids=[" ".join(a[:2]) for a, _ in SAMPLES])
def test_the_command_sends_what_the_library_sends(
    args: list[str], call: Callable[[DimeSchedulerClient], Any]
) -> None:
    with serve_api(api) as server:
        result = run([*args, "-o", "json"], server.base_url)
        sent_by_cli = wire(server.received)
    with serve_api(api) as server:
        with contextlib.suppress(Exception):  # only the request matters here
            library(server.base_url, call)
        sent_by_library = wire(server.received)
    assert sent_by_cli == sent_by_library and len(sent_by_cli) == 1, result.output
    with serve_api(api) as server:
        first = run([*args, "-o", "json"], server.base_url)
    assert first.exit_code in (0, 1, 3)


def test_json_body_file_and_stdin(tmp_path: Path) -> None:
    bodies = [
        {"name": "A", "displayName": "A", "color": "#111111"},
        {"name": "B", "displayName": "B", "color": "#222"},
    ]
    path = tmp_path / "body.json"
    path.write_text(json.dumps(bodies))
    with serve_api(api) as server:
        assert run(["categories", "create", "--json", str(path)], server.base_url).exit_code == 0
        assert (
            run(
                ["categories", "create", "--json", "-"], server.base_url, input=json.dumps(bodies[0])
            ).exit_code
            == 0
        )
        assert [r.json() for r in server.received] == [bodies, bodies[0]]


def test_output_formats_parse_back() -> None:
    expected = [
        {"name": "A", "displayName": "Alpha, first", "color": "#22d3ee"},
        {"name": "B", "displayName": 'Beta "quoted"', "color": "#000000"},
    ]
    with serve_api(api) as server:
        as_json = run(["categories", "get-all", "-o", "json"], server.base_url)
        as_ndjson = run(["categories", "get-all", "-o", "ndjson"], server.base_url)
        as_csv = run(["categories", "get-all", "-o", "csv"], server.base_url)
        as_table = run(["-o", "table", "categories", "get-all"], server.base_url)
        piped_default = run(["categories", "get-all"], server.base_url)
    assert json.loads(as_json.output) == expected == json.loads(piped_default.output)
    assert [json.loads(line) for line in as_ndjson.output.splitlines()] == expected
    assert list(csv.DictReader(io.StringIO(as_csv.output))) == expected
    assert "Alpha, first" in as_table.output and "2 rows" in as_table.output


def test_api_error_is_one_line_with_status_request_id_and_message_exit_3() -> None:
    def handler(received: Any) -> Reply:
        return Reply.json(
            {"message": "Job J9 does not exist"}, status=404, headers={"X-Request-Id": "req-77"}
        )

    with serve_api(handler) as server:
        result = run(["jobs", "get", "J9"], server.base_url)
    assert result.exit_code == 3
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1
    assert "404" in lines[0] and "req-77" in lines[0] and "Job J9 does not exist" in lines[0]


def test_exit_codes_for_usage_connection_and_missing_credentials() -> None:
    assert run(["categories", "create", "--name", "A"]).exit_code == 2  # missing required options
    assert run(["categories", "nope"]).exit_code == 2
    refused = run(["--retries", "0", "categories", "get-all"], f"http://127.0.0.1:{unused_port()}")
    assert refused.exit_code == 4 and refused.stderr.startswith("error:")
    no_credentials = run(["categories", "get-all"], DIMESCHEDULER_API_KEY="")
    assert no_credentials.exit_code == 2 and "no credentials" in no_credentials.stderr


def test_dry_run_prints_the_request_and_sends_nothing() -> None:
    with serve_api(api) as server:
        result = run(
            [
                "categories",
                "create",
                "--name",
                "A",
                "--display-name",
                "A",
                "--color",
                "#22d3ee",
                "--dry-run",
                "-o",
                "json",
            ],
            server.base_url,
        )
        assert server.received == []
    assert result.exit_code == 0
    (request,) = json.loads(result.stdout)
    assert request["method"] == "POST" and request["url"] == server.base_url + "/category"
    assert request["body"] == {"name": "A", "displayName": "A", "color": "#22d3ee"}
    assert request["headers"]["X-API-KEY"] == "[redacted]" and API_KEY not in result.output


def test_dry_run_masks_secret_body_values() -> None:
    result = run(
        ["users", "create", "--json", "-", "--dry-run", "-o", "table"],
        # name and type: dict bodies missing a required field are refused before sending (issue 9)
        input='{"name": "A", "type": 1, "email": "a@b.c", "password": "pw-123"}',
    )
    assert result.exit_code == 0, result.output
    assert "pw-123" not in result.output and "[redacted]" in result.output and "POST " in result.output


def test_password_never_printed_even_verbose() -> None:
    tokens = TokenService("planner", "pw-very-secret")

    def job_api(received: Any) -> Reply:
        # A job, not TokenService's {"path", "ok"}: an object sharing no key with the model is refused (issue 9)
        answer = tokens(received)
        return Reply.json({"jobNo": "J1"}) if answer.status == 200 and received.path == "/job/J1" else answer

    with serve_api(job_api) as server:
        result = CliRunnerEnv.run(
            ["--verbose", "-u", "planner", "--password-stdin", "jobs", "get", "J1"],
            server.base_url,
            input="pw-very-secret\n",
        )
    assert result.exit_code == 0, result.output
    assert "pw-very-secret" not in result.output + result.stderr
    assert "request GET" in result.stderr and "ms" in result.stderr  # verbose shows requests and timings
    assert tokens.issued and tokens.issued[0] not in result.stderr


def test_api_key_never_printed_verbose() -> None:
    with serve_api(api) as server:
        result = run(["-v", "categories", "get-all"], server.base_url)
    assert result.exit_code == 0 and "request GET" in result.stderr
    assert API_KEY not in result.output + result.stderr


class CliRunnerEnv:
    @staticmethod
    def run(args: list[str], base_url: str, *, input: str) -> Any:
        from click.testing import CliRunner

        env = {"DIMESCHEDULER_ENVIRONMENT": base_url}
        return CliRunner().invoke(cli, args, env=env, input=input, catch_exceptions=False)


def test_importing_the_package_does_not_import_the_cli() -> None:
    # httpx itself imports click and rich when both are installed (its own `httpx` command), so the check is
    # "nothing beyond what `import httpx` loads", plus never our CLI package.
    code = (
        "import sys, {module};"
        "print(sorted(m for m in sys.modules if m.split('.')[0] in ('click', 'rich')"
        " or m.startswith('dimescheduler_openapi._cli')))"
    )
    env = {"PYTHONPATH": f"{REPO / 'generated'}:{REPO / 'overlay'}", "PATH": "/usr/bin:/bin"}

    def loaded(module: str) -> list[str]:
        out = subprocess.run(
            [sys.executable, "-c", code.format(module=module)],
            env=env,
            capture_output=True,
            text=True,
            check=True,
        )
        return list(json.loads(out.stdout.replace("'", '"')))

    ours = loaded("dimescheduler_openapi")
    assert not [m for m in ours if m.startswith("dimescheduler_openapi._cli")]
    assert set(ours) <= set(loaded("httpx"))


def test_python_dash_m_and_completion_script() -> None:
    env = {"PYTHONPATH": f"{REPO / 'generated'}:{REPO / 'overlay'}", "PATH": "/usr/bin:/bin"}
    version = subprocess.run(
        [sys.executable, "-m", "dimescheduler_openapi", "--version"], env=env, capture_output=True, text=True
    )
    assert version.returncode == 0 and "dimescheduler-openapi" in version.stdout
    completion = subprocess.run(
        [sys.executable, "-m", "dimescheduler_openapi"],
        env={**env, "_DIMESCHEDULER_OPENAPI_COMPLETE": "bash_source"},
        capture_output=True,
        text=True,
    )
    assert completion.returncode == 0 and "_DIMESCHEDULER_OPENAPI_COMPLETE" in completion.stdout


def test_missing_credentials_are_explained_in_command_line_terms(monkeypatch: pytest.MonkeyPatch) -> None:
    from click.testing import CliRunner
    from dimescheduler_openapi._cli import cli

    for name in ("DIMESCHEDULER_API_KEY", "DIMESCHEDULER_USERNAME", "DIMESCHEDULER_PASSWORD"):
        monkeypatch.delenv(name, raising=False)
    result = CliRunner().invoke(cli, ["categories", "get-all"], env={"DIMESCHEDULER_ENVIRONMENT": "sandbox"})
    assert result.exit_code == 2
    assert "use --api-key-stdin, or -u NAME with --password-stdin" in result.output
    assert "api_key=" not in result.output
