"""End-to-end runs of the `nox -s generate` pipeline on a copy of the project, against local servers."""

from __future__ import annotations

import copy
import hashlib
import json
import os
import shutil
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import yaml
from servers import Route, serve, unused_port
from specpipe.generate import main
from specpipe.workspace import Interrupted, held_signals, interruptible

REPO = Path(__file__).resolve().parents[2]
PINNED = json.loads((REPO / "openapi" / "upstream.json").read_text(encoding="utf-8"))
CASES = Path(__file__).parent / "data" / "cases"


def tree_digest(root: Path) -> dict[str, str]:
    """sha256 of every file under openapi/ and generated/ (caches excluded)."""
    out = {}
    for top in ("openapi", "generated"):
        for path in sorted((root / top).rglob("*")):
            if path.is_file() and "__pycache__" not in path.parts:
                out[str(path.relative_to(root))] = hashlib.sha256(path.read_bytes()).hexdigest()
    return out


@pytest.fixture
def project(tmp_path: Path) -> Path:
    root = tmp_path / "project"
    root.mkdir()
    for top in ("openapi", "generated"):
        shutil.copytree(REPO / top, root / top, ignore=shutil.ignore_patterns("__pycache__", ".*"))
    return root


def run(project: Path, *args: str) -> int:
    return main(["--root", str(project), "--timeout", "2", *args])


def assert_single_error_line(stderr: str, *needles: str) -> None:
    errors = [line for line in stderr.splitlines() if line.startswith("error:")]
    assert len(errors) == 1, stderr
    for needle in needles:
        assert needle in errors[0], errors[0]


def test_offline_regeneration_changes_nothing(project: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """The staleness check: regenerating the committed openapi/ must reproduce generated/ byte for byte."""
    before = tree_digest(REPO)
    assert run(project, "--offline") == 0
    out = capsys.readouterr().out
    assert "changed:    nothing" in out, out
    assert tree_digest(project) == before


def test_summary_reports_source_counts_and_fixups(project: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert run(project, "--offline") == 0
    out = capsys.readouterr().out
    ops = sum(1 for item in PINNED["paths"].values() for _ in item)
    assert f"{len(PINNED['paths'])} paths, {ops} operations" in out
    assert "single-json-content-type" in out and "operation-id" in out
    assert "took:" in out and "sha256:" in out


def pinned_with_extra_operation() -> dict[str, Any]:
    doc: dict[str, Any] = copy.deepcopy(PINNED)
    doc["paths"]["/widget"] = {
        "get": {
            "tags": ["Widget"],
            "summary": "List widgets",
            "responses": {
                "200": {
                    "description": "ok",
                    "content": {
                        "application/json": {"schema": {"type": "array", "items": {"type": "string"}}}
                    },
                }
            },
        }
    }
    return doc


@pytest.fixture
def scalar_site() -> Iterator[Any]:
    page = '<html><body><script id="api-reference" data-url="/openapi/v1.yaml"></script></body></html>'
    routes = {
        "/docs": Route.html(page),
        "/openapi/v1.yaml": Route.text(
            yaml.safe_dump(PINNED, sort_keys=False), content_type="application/yaml"
        ),
    }
    with serve(routes) as server:
        yield server


def test_same_content_from_a_docs_page_keeps_meta(
    project: Path, scalar_site: Any, capsys: pytest.CaptureFixture[str]
) -> None:
    """Discovered through a Scalar page and served as YAML: same content, so nothing changes, meta included."""
    before = tree_digest(project)
    assert run(project, "--url", scalar_site.url("/docs"), "--strict") == 0
    assert scalar_site.hits("/openapi/v1.yaml") == 1
    assert tree_digest(project) == before
    assert "source:     " + scalar_site.url("/openapi/v1.yaml") in capsys.readouterr().out


def test_changed_document_is_pinned_and_generated(project: Path) -> None:
    with serve({"/openapi.json": Route.json(pinned_with_extra_operation())}) as server:
        assert run(project, "--url", server.url("/openapi.json"), "--strict") == 0
        url = server.url("/openapi.json")
    meta = json.loads((project / "openapi" / "upstream.meta.json").read_text())
    upstream_text = (project / "openapi" / "upstream.json").read_text(encoding="utf-8")
    assert meta["source"] == url
    assert meta["sha256"] == hashlib.sha256(upstream_text.encode()).hexdigest()
    assert "/widget" in json.loads(upstream_text)["paths"]
    normalized = json.loads((project / "openapi" / "dimescheduler.json").read_text())
    assert normalized["paths"]["/widget"]["get"]["operationId"] == "widgetGetWidget"
    assert (project / "generated" / "dimescheduler_raw" / "api" / "widget" / "widget_get_widget.py").is_file()
    # An old function keeps its name when an endpoint is added.
    assert (
        project / "generated" / "dimescheduler_raw" / "api" / "job" / "job_get_job_by_job_no.py"
    ).is_file()


FETCH_FAILURES = {
    "404": ({"/docs": Route(status=404, body=b"nope")}, "HTTP 404"),
    "500": ({"/docs": Route(status=500, body=b"boom")}, "HTTP 500"),
    "timeout": ({"/docs": Route(body=b"{}", delay=5.0)}, "timeout"),
    "html-without-link": ({"/docs": Route.html("<html><body>Hello</body></html>")}, "no"),
}


@pytest.mark.parametrize("case", sorted(FETCH_FAILURES))
def test_fetch_failure_falls_back_to_pinned_when_asked(
    case: str, project: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    routes, needle = FETCH_FAILURES[case]
    before = tree_digest(project)
    with serve(routes) as server:
        assert run(project, "--url", server.url("/docs"), "--fallback") == 0
    err = capsys.readouterr().err
    warnings = [line for line in err.splitlines() if line.startswith("warning:")]
    assert len(warnings) == 1 and "falling back to the pinned" in warnings[0], err
    assert needle.lower() in warnings[0].lower()
    assert tree_digest(project) == before


@pytest.mark.parametrize("case", sorted(FETCH_FAILURES))
def test_fetch_failure_with_strict_fails_and_changes_nothing(
    case: str, project: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    routes, needle = FETCH_FAILURES[case]
    before = tree_digest(project)
    with serve(routes) as server:
        assert run(project, "--url", server.url("/docs"), "--strict") == 1
    assert_single_error_line(capsys.readouterr().err.lower(), needle.lower())
    assert tree_digest(project) == before


def test_refused_connection_falls_back_when_asked(project: Path, capsys: pytest.CaptureFixture[str]) -> None:
    before = tree_digest(project)
    assert run(project, "--url", f"http://127.0.0.1:{unused_port()}/docs", "--fallback") == 0
    assert "falling back" in capsys.readouterr().err
    assert tree_digest(project) == before


@pytest.mark.parametrize("case", sorted(FETCH_FAILURES))
def test_a_named_source_that_fails_is_an_error(
    case: str, project: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """A fallback would hide that the source the user named was not used."""
    routes, needle = FETCH_FAILURES[case]
    before = tree_digest(project)
    with serve(routes) as server:
        assert run(project, "--url", server.url("/docs")) == 1
    err = capsys.readouterr().err
    assert_single_error_line(err.lower(), needle.lower(), "--fallback")
    assert "warning:" not in err
    assert tree_digest(project) == before


def test_a_source_named_in_the_environment_that_fails_is_an_error(
    project: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("DIMESCHEDULER_DOCS_URL", f"http://127.0.0.1:{unused_port()}/docs")
    before = tree_digest(project)
    assert run(project) == 1
    assert_single_error_line(capsys.readouterr().err, "--fallback")
    assert tree_digest(project) == before


def test_the_default_source_falls_back_with_a_warning(
    project: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    import specpipe.generate

    monkeypatch.delenv("DIMESCHEDULER_DOCS_URL", raising=False)
    monkeypatch.setattr(specpipe.generate, "DEFAULT_DOCS_URL", f"http://127.0.0.1:{unused_port()}/docs")
    before = tree_digest(project)
    assert run(project) == 0
    warnings = [line for line in capsys.readouterr().err.splitlines() if line.startswith("warning:")]
    assert len(warnings) == 1 and "falling back to the pinned" in warnings[0]
    assert tree_digest(project) == before


def truncated() -> bytes:
    text = json.dumps(PINNED)
    return text[: len(text) // 2].encode()


BAD_DOCUMENTS = {
    "invalid-json": (b'{"openapi": "3.1.0", "info": ', "application/json", "not valid"),
    "truncated": (truncated(), "application/json", "json"),
    "openapi-3.2": (json.dumps({**PINNED, "openapi": "3.2.0"}).encode(), "application/json", "3.2.0"),
    "broken-swagger-2.0": (
        json.dumps(
            {
                "swagger": "2.0",
                "info": {"title": "x", "version": "1"},
                "paths": {
                    "/a": {"get": {"responses": {"200": {"schema": {"$ref": "#/definitions/Missing"}}}}}
                },
            }
        ).encode(),
        "application/json",
        "",
    ),
    "no-paths": (
        json.dumps({"openapi": "3.1.0", "info": {"title": "x", "version": "1"}}).encode(),
        "application/json",
        "paths",
    ),
    "yaml-alias-bomb": (
        (
            "openapi: 3.1.0\ninfo: {title: x, version: '1'}\npaths: {}\na: &a [lol, lol, lol, lol, lol]\n"
            + "".join(
                f"{n}: &{n} [{', '.join([f'*{p}'] * 10)}]\n"
                for p, n in zip("abcdefgh", "bcdefghi", strict=True)
            )
        ).encode(),
        "application/yaml",
        "alias bomb",
    ),
    "nested-5000-levels": (
        ('{"openapi": "3.1.0", "paths": ' + "[" * 5000 + "]" * 5000 + "}").encode(),
        "application/json",
        "nested more than",
    ),
}


@pytest.mark.parametrize("case", sorted(BAD_DOCUMENTS))
def test_bad_document_fails_and_changes_nothing(
    case: str, project: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    body, content_type, needle = BAD_DOCUMENTS[case]
    before = tree_digest(project)
    with serve({"/openapi.json": Route(body=body, headers={"Content-Type": content_type})}) as server:
        assert run(project, "--url", server.url("/openapi.json")) == 1
    err = capsys.readouterr().err
    assert_single_error_line(err, needle)
    assert "nothing in openapi/ or generated/ was changed" in err
    assert tree_digest(project) == before


def test_missing_local_file_fails_cleanly(
    project: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    before = tree_digest(project)
    assert run(project, "--url", str(tmp_path / "nope.json"), "--strict") == 1
    assert_single_error_line(capsys.readouterr().err, "nope.json")
    assert tree_digest(project) == before


def test_strict_fails_when_the_generator_would_leave_operations_out(
    project: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """A document that validates but that the generator cannot fully turn into a client: --strict leaves
    everything alone and names every operation it would have left out, and why."""
    doc = copy.deepcopy(PINNED)
    # The inline enum would be named AppointmentImportance, which is already a model: the generator drops it.
    doc["components"]["schemas"]["Appointment"]["properties"]["importance"] = {
        "type": "integer",
        "enum": [5, 6],
    }
    path = tmp_path / "enum-name-clash.json"
    path.write_text(json.dumps(doc))
    before = tree_digest(project)
    assert run(project, "--url", str(path), "--strict") == 1
    error = capsys.readouterr().err
    assert_single_error_line(
        error,
        "openapi-python-client could not generate ",
        "POST /appointment (schema Appointment cannot be generated: ",
        "--strict does not leave operations out",
    )
    assert tree_digest(project) == before
    assert not [p for p in (project / "generated").iterdir() if p.name.startswith(".")]
    assert sorted(p.name for p in project.iterdir()) == ["generated", "openapi"]


def running_processes_mentioning(text: str) -> list[str]:
    """Command lines of running processes that contain ``text`` (Linux /proc; empty elsewhere)."""
    found = []
    for cmdline in Path("/proc").glob("[0-9]*/cmdline"):
        try:
            command = cmdline.read_bytes().replace(b"\0", b" ").decode(errors="replace")
        except OSError:
            continue
        if text in command:
            found.append(command)
    return found


def test_sigterm_stops_the_run_and_leaves_no_temporary_folder(project: Path, tmp_path: Path) -> None:
    document = tmp_path / "changed.json"
    document.write_text(json.dumps(pinned_with_extra_operation()), encoding="utf-8")
    before = tree_digest(project)
    command = [sys.executable, str(REPO / "scripts" / "generate.py"), "--root", str(project)]
    process = subprocess.Popen(
        [*command, "--url", str(document)], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True
    )
    deadline = time.monotonic() + 60
    # the generator writes its output folder once it has parsed the document: it is running now
    while not list(project.glob(".generate-tmp/*/build-1/generate/round-1/dimescheduler_raw")):
        assert process.poll() is None and time.monotonic() < deadline, process.communicate()
        time.sleep(0.02)

    process.send_signal(signal.SIGTERM)
    _, err = process.communicate(timeout=60)

    assert process.returncode == 128 + signal.SIGTERM, err
    assert err.splitlines() == [
        "error: interrupted by SIGTERM",
        "nothing in openapi/ or generated/ was changed",
    ]
    assert sorted(p.name for p in project.iterdir()) == ["generated", "openapi"]
    assert not [p for p in (project / "generated").iterdir() if p.name.startswith(".")]
    assert tree_digest(project) == before
    assert running_processes_mentioning(str(project)) == []


def test_work_folders_of_runs_that_died_are_removed(project: Path) -> None:
    work = project / ".generate-tmp"
    dead = work / "999999999-x1"  # no such process (Linux pids stay below 2**22)
    alive = work / f"{os.getppid()}-x2"  # another run still at work
    for folder in (dead, alive):
        (folder / "generate").mkdir(parents=True)
    (work / "stray.tmp").write_text("left by hand")

    assert run(project, "--url", str(CASES / "k1-path-param-not-in-template.json")) == 0

    assert sorted(p.name for p in work.iterdir()) == [alive.name]


def test_ctrl_c_and_sigterm_raise_interrupted_and_are_held_during_the_swap() -> None:
    with pytest.raises(Interrupted) as caught, interruptible():
        os.kill(os.getpid(), signal.SIGINT)
        time.sleep(5)
    assert (caught.value.exit_code, caught.value.changed) == (130, False)

    done = []
    with pytest.raises(Interrupted) as caught, interruptible(), held_signals():
        os.kill(os.getpid(), signal.SIGTERM)
        time.sleep(0.05)
        done.append("swapped in")
    assert done == ["swapped in"]
    assert (caught.value.exit_code, caught.value.changed) == (143, True)


def test_the_work_folder_is_ignored_by_git() -> None:
    assert ".generate-tmp/" in (REPO / ".gitignore").read_text(encoding="utf-8").splitlines()


@pytest.mark.node
def test_swagger2_is_converted_and_generated(project: Path, capsys: pytest.CaptureFixture[str]) -> None:
    source = Path(__file__).parent / "data" / "vendor-powerplatform-swagger2.json"
    with serve(
        {
            "/swagger/v1/swagger.json": Route(
                body=source.read_bytes(), headers={"Content-Type": "application/json"}
            )
        }
    ) as server:
        code = run(project, "--url", server.url("/swagger/v1/swagger.json"), "--strict")
    captured = capsys.readouterr()
    assert code == 0, captured.err
    assert "swagger2openapi" in captured.out
    upstream = json.loads((project / "openapi" / "upstream.json").read_text())
    normalized = json.loads((project / "openapi" / "dimescheduler.json").read_text())
    assert upstream["swagger"] == "2.0"
    assert normalized["openapi"].startswith("3.0")


def test_secrets_in_the_docs_url_are_neither_printed_nor_pinned(
    project: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    with serve({"/openapi.json": Route.json(pinned_with_extra_operation())}) as server:
        url = server.url("/openapi.json").replace("http://", "http://user:hunter2@") + "?api_key=s3cr3t-key"
        assert run(project, "--url", url, "--strict") == 0
    captured = capsys.readouterr()
    meta = (project / "openapi" / "upstream.meta.json").read_text()
    for secret in ("hunter2", "s3cr3t-key"):
        assert secret not in captured.out + captured.err + meta
    assert "/openapi.json" in json.loads(meta)["source"]


@pytest.mark.parametrize("value", ["-1", "0", "abc", "1e9"])
def test_bad_timeout_is_refused_in_one_line(value: str, capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exited:
        main(["--timeout", value, "--offline"])
    assert exited.value.code == 2
    assert "--timeout" in capsys.readouterr().err.strip().splitlines()[-1]
