"""examples/ and the runnable code blocks of the README and docs/ run for real against Prism serving the pinned
document; `nox -s mock` starts Prism and stops it cleanly on SIGTERM and Ctrl-C."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import docpages
import httpx
import pytest
import yaml
from prism import free_port, prism_url  # noqa: F401  (session fixture)

REPO = Path(__file__).resolve().parents[2]
EXAMPLES = REPO / "examples"
MOCK_URL = "http://127.0.0.1:4010"
TIMEOUT = 120

EXPECTED = {
    "api_key.py": ["categories: "],
    "jwt.py": ["signed in (jwt); resource types: "],
    "reads.py": ["appointments in the week: ", "GET /calendar answered 200"],
    "writes.py": [
        "created: True",
        "updated: True",
        "deleted: True",
        "refused: POST /category: unknown field",
    ],
    "pagination.py": ["open tasks: ", "first notifications: ", "page_size=1: PaginationError"],
    "bulk_import.py": ["one job: True", "bulk: 2 chunks, 150 records: 150 succeeded, 0 failed"],
}
ARGUMENTS = {"bulk_import.py": ["150"]}


def run_python(args: list[str], base_url: str) -> subprocess.CompletedProcess[str]:
    env = {
        **os.environ,
        "DIMESCHEDULER_API_KEY": "example-key",
        "DIMESCHEDULER_ENVIRONMENT": base_url,
        "PYTHONPATH": os.pathsep.join([str(REPO / "overlay"), str(REPO / "generated")]),
    }
    for name in ("DIMESCHEDULER_USERNAME", "DIMESCHEDULER_PASSWORD"):
        env.pop(name, None)
    return subprocess.run(
        [sys.executable, *args], env=env, capture_output=True, text=True, timeout=TIMEOUT, check=False
    )


def test_every_example_is_covered() -> None:
    assert sorted(p.name for p in EXAMPLES.glob("*.py")) == sorted(EXPECTED)


@pytest.mark.node
@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_example_runs_against_prism(name: str, prism_url: str) -> None:  # noqa: F811
    proc = run_python([str(EXAMPLES / name), *ARGUMENTS.get(name, [])], prism_url)
    assert proc.returncode == 0, proc.stderr
    for expected in EXPECTED[name]:
        assert expected in proc.stdout, (expected, proc.stdout)
    assert "example-key" not in proc.stdout + proc.stderr


def test_the_drift_ci_examples_are_well_formed() -> None:
    subprocess.run(["bash", "-n", str(EXAMPLES / "drift_ci.sh")], check=True, timeout=30)
    workflow = yaml.safe_load((EXAMPLES / "drift-ci.yml").read_text(encoding="utf-8"))
    steps = workflow["jobs"]["drift"]["steps"]
    assert any(step.get("run", "").startswith("bash examples/drift_ci.sh") for step in steps)
    assert "nox -s drift" in (EXAMPLES / "drift_ci.sh").read_text(encoding="utf-8")


def readme_blocks() -> list[str]:
    """The `<!-- runnable -->` python blocks of the README and of the documentation pages under docs/."""
    return docpages.blocks("python", marker="runnable")


def test_the_documentation_has_runnable_blocks() -> None:
    assert readme_blocks(), "no `<!-- runnable -->` python block in README.md or docs/"


@pytest.mark.node
@pytest.mark.parametrize("index", range(len(readme_blocks())))
def test_readme_block_runs_against_prism(index: int, prism_url: str) -> None:  # noqa: F811
    code = readme_blocks()[index].replace(MOCK_URL, prism_url)
    proc = run_python(["-c", code], prism_url)
    assert proc.returncode == 0, f"README block {index} failed:\n{code}\n{proc.stderr}"


def wait_for(url: str, process: subprocess.Popen[str]) -> None:
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        assert process.poll() is None, process.communicate()
        try:
            httpx.get(url + "/calendar", timeout=2.0)
            return
        except httpx.TransportError:
            time.sleep(0.2)
    raise AssertionError("the mock did not answer within 60 s")


@pytest.mark.node
@pytest.mark.parametrize("signum", [signal.SIGTERM, signal.SIGINT], ids=["SIGTERM", "Ctrl-C"])
def test_the_mock_session_serves_and_stops_cleanly(signum: signal.Signals) -> None:
    port = free_port()
    url = f"http://127.0.0.1:{port}"
    process = subprocess.Popen(
        [sys.executable, str(REPO / "scripts" / "mock.py"), "--port", str(port)],
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    try:
        wait_for(url, process)
        assert httpx.get(url + "/category", headers={"X-API-KEY": "k"}).status_code == 200
        process.send_signal(signum)
        output, _ = process.communicate(timeout=30)
    finally:
        if process.poll() is None:
            process.kill()
    assert process.returncode == 0, output
    assert f"stopped ({signal.Signals(signum).name})" in output
    with pytest.raises(httpx.TransportError):  # Prism and its workers are gone
        httpx.get(url + "/calendar", timeout=2.0)
