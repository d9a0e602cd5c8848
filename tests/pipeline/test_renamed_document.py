"""Regenerating from a vendor-style document that renames every schema and operationId changes nothing for
users of the overlay or of the raw functions: same function names, same stable model names, the overlay's
accessor tests and `mypy --strict` still pass, and the drift check sees no overlay breakage from renames.

The document is `vendorize(openapi/upstream.json)` (tests/vendorize.py); the client is regenerated from it
into a copy of the project, then the overlay tests run in a subprocess with that copy's `generated/` first on
the path and its normalized document as the spec the tests sample from.
"""

from __future__ import annotations

import json
import os
import runpy
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from specpipe import drift
from specpipe.generate import main
from vendorize import remove_property, response_schema, vendorize

REPO = Path(__file__).resolve().parents[2]
PINNED = json.loads((REPO / "openapi" / "upstream.json").read_text(encoding="utf-8"))
OVERLAY_TESTS = [
    "tests/overlay/test_routes.py",
    "tests/overlay/test_reachability.py",
    "tests/overlay/test_resources_wire.py",
    "tests/overlay/test_resources_prism.py",
]

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def renamed(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A copy of the project regenerated from the vendor-style document (its path: `vendor.json` beside it)."""
    base = tmp_path_factory.mktemp("renamed")
    root = base / "project"
    for top in ("openapi", "generated"):
        shutil.copytree(REPO / top, root / top, ignore=shutil.ignore_patterns("__pycache__", ".*"))
    document = base / "vendor.json"
    document.write_text(json.dumps(vendorize(PINNED), indent=1), encoding="utf-8")
    assert main(["--root", str(root), "--url", str(document), "--timeout", "2"]) == 0
    return root


def api_modules(root: Path) -> set[str]:
    api = root / "generated" / "dimescheduler_raw" / "api"
    return {str(path.relative_to(api)) for path in api.rglob("*.py")}


def test_raw_function_names_do_not_change(renamed: Path) -> None:
    assert api_modules(renamed) == api_modules(REPO)
    module = renamed / "generated/dimescheduler_raw/api/job/job_get_job_by_job_no.py"
    assert "Vendor operationId: `Job_GetJobByJobNo`" in module.read_text(encoding="utf-8")


def test_every_stable_name_is_bound_to_a_renamed_class(renamed: Path) -> None:
    generated = renamed / "generated" / "dimescheduler_raw"
    aliases: dict[str, Any] = runpy.run_path(str(generated / "aliases.py"))
    committed: dict[str, Any] = runpy.run_path(str(REPO / "generated/dimescheduler_raw/aliases.py"))
    assert aliases["MISSING"] == {}
    assert set(aliases["TARGETS"]) == set(committed["TARGETS"])
    assert aliases["TARGETS"]["CategoryListItem"] == "CategorySummaryDto"
    assert aliases["TARGETS"]["NotificationPage"] == "NotificationDtoPagedResult"
    assert not set(aliases["TARGETS"].values()) & set(committed["TARGETS"].values())
    routes = runpy.run_path(str(generated / "routes.py"))["ROUTES"]
    assert set(routes) == set(runpy.run_path(str(REPO / "generated/dimescheduler_raw/routes.py"))["ROUTES"])


def test_overlay_tests_pass_against_the_renamed_client(renamed: Path) -> None:
    paths = f"scripts {renamed / 'generated'} overlay tests"
    env = dict(os.environ, DIMESCHEDULER_TEST_SPEC=str(renamed / "openapi" / "dimescheduler.json"))
    command = [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", "-o", f"pythonpath={paths}"]
    proc = subprocess.run(
        [*command, *OVERLAY_TESTS], cwd=REPO, env=env, capture_output=True, text=True, timeout=900
    )
    assert proc.returncode == 0, proc.stdout[-4000:] + proc.stderr[-2000:]
    assert " passed" in proc.stdout and "failed" not in proc.stdout


def test_mypy_strict_on_the_overlay_and_example_against_the_renamed_client(
    renamed: Path, tmp_path: Path
) -> None:
    config = tmp_path / "mypy.ini"
    config.write_text(
        "[mypy]\nstrict = True\npython_version = 3.11\n"
        f"mypy_path = {renamed / 'generated'}:{REPO / 'overlay'}\n"
        "[mypy-dimescheduler_raw.*]\nfollow_imports = silent\n",
        encoding="utf-8",
    )
    command = [sys.executable, "-m", "mypy", "--config-file", str(config), "--cache-dir", str(tmp_path / "c")]
    targets = [str(REPO / "overlay/dimescheduler_openapi"), str(REPO / "scripts/examples/quickstart.py")]
    proc = subprocess.run([*command, *targets], cwd=tmp_path, capture_output=True, text=True, timeout=600)
    assert proc.returncode == 0, proc.stdout[-4000:]
    assert "Success: no issues found" in proc.stdout


def run_drift(live: dict[str, Any], tmp_path: Path) -> dict[str, Any]:
    """The JSON report, plus the Markdown under "markdown" and the exit code of `--fail-on overlay`."""
    document = tmp_path / "live.json"
    document.write_text(json.dumps(live), encoding="utf-8")
    out = tmp_path / "report"
    code = drift.main(["--url", str(document), "--out", str(out), "--fail-on", "overlay"])
    report: dict[str, Any] = json.loads((out / "drift-report.json").read_text(encoding="utf-8"))
    report["markdown"] = (out / "drift-report.md").read_text(encoding="utf-8")
    report["exit_code"] = code
    return report


@pytest.mark.node
def test_drift_lists_no_overlay_breakage_from_renames_alone(tmp_path: Path) -> None:
    report = run_drift(vendorize(PINNED), tmp_path)
    assert report["status"] == "breaking"  # the raw models were renamed: that is real drift for raw users
    assert report["overlay"] == []
    assert "No overlay method is affected" in report["markdown"]
    assert report["exit_code"] == 0  # --fail-on overlay


@pytest.mark.node
def test_drift_names_the_accessor_method_whose_read_model_lost_a_field(tmp_path: Path) -> None:
    live = vendorize(PINNED)
    read_model = response_schema(live, "get", "/category")
    report = run_drift(remove_property(live, read_model, "name"), tmp_path)
    assert [(row["accessor"], row["kind"]) for row in report["overlay"]] == [
        ("categories.get_all", "field-removed")
    ]
    assert "`name` was removed" in report["overlay"][0]["message"]
    assert report["exit_code"] == 1 and "No overlay method is affected" not in report["markdown"]
