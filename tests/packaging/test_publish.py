"""Ready to publish: a license, a changelog, project URLs, only user-facing extras in the metadata, an sdist
with only what a build needs, and the vendor document the client was built from readable at run time."""

from __future__ import annotations

import subprocess
import sys
import tarfile
import tomllib
import zipfile
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]


def build(kind: str, out: Path) -> Path:
    """Build the wheel or sdist with hatchling in this interpreter (no isolated environment)."""
    code = "import sys, hatchling.build as b; sys.stdout.write(getattr(b, sys.argv[1])(sys.argv[2]))"
    done = subprocess.run(
        [sys.executable, "-c", code, f"build_{kind}", str(out)],
        cwd=REPO,
        capture_output=True,
        text=True,
        timeout=300,
        check=True,
    )
    return out / done.stdout.strip()


@pytest.fixture(scope="module")
def wheel_metadata(tmp_path_factory: pytest.TempPathFactory) -> str:
    wheel = build("wheel", tmp_path_factory.mktemp("wheel"))
    with zipfile.ZipFile(wheel) as archive:
        name = next(n for n in archive.namelist() if n.endswith(".dist-info/METADATA"))
        licenses = [n for n in archive.namelist() if ".dist-info/licenses/" in n]
        assert licenses and licenses[0].endswith("LICENSE"), archive.namelist()[-8:]
        return archive.read(name).decode()


def test_the_license_file_matches_the_metadata(wheel_metadata: str) -> None:
    assert (REPO / "LICENSE").read_text(encoding="utf-8").startswith("MIT License")
    assert "License-Expression: MIT" in wheel_metadata


def test_only_user_facing_extras_are_published(wheel_metadata: str) -> None:
    extras = {
        line.split(": ", 1)[1] for line in wheel_metadata.splitlines() if line.startswith("Provides-Extra:")
    }
    assert extras == {"cli", "xlsx"}
    assert "Requires-Dist: openpyxl" in wheel_metadata and "extra == 'xlsx'" in wheel_metadata
    for tool in ("pytest", "openapi-python-client", "mkdocs", "openapi-generator-cli", "msgspec"):
        assert tool not in wheel_metadata, tool


def test_project_urls_are_published(wheel_metadata: str) -> None:
    urls = [line for line in wheel_metadata.splitlines() if line.startswith("Project-URL:")]
    assert any("api.dimescheduler.com/docs" in url for url in urls), urls


def test_dev_tools_are_dependency_groups_the_noxfile_installs() -> None:
    pyproject = tomllib.loads((REPO / "pyproject.toml").read_text(encoding="utf-8"))
    groups = pyproject["dependency-groups"]
    assert {"generate", "test", "downstream", "bench", "docs", "lint"} <= set(groups)
    noxfile = (REPO / "noxfile.py").read_text(encoding="utf-8")
    assert "nox.project.dependency_groups(" in noxfile
    assert 'EXTRAS["test"]' not in noxfile and 'EXTRAS["generate"]' not in noxfile


def test_the_changelog_is_kept() -> None:
    text = (REPO / "CHANGELOG.md").read_text(encoding="utf-8")
    assert text.startswith("# Changelog") and "## Unreleased" in text


def test_the_sdist_holds_only_what_a_build_needs(tmp_path: Path) -> None:
    sdist = build("sdist", tmp_path)
    with tarfile.open(sdist) as archive:
        names = [name.split("/", 1)[1] for name in archive.getnames() if "/" in name]
    tops = {name.split("/")[0] for name in names}
    assert tops == {
        "generated",
        "overlay",
        "openapi",
        "README.md",
        "LICENSE",
        "CHANGELOG.md",
        "pyproject.toml",
        "PKG-INFO",
        ".gitignore",  # hatchling always adds the VCS ignore file
    }, tops
    assert not [name for name in names if name.startswith("tests")]
    assert "generated/dimescheduler_raw/spec_info.py" in names
    # the sdist builds a wheel on its own
    unpacked = tmp_path / "unpacked"
    with tarfile.open(sdist) as archive:
        archive.extractall(unpacked, filter="data")
    (root,) = unpacked.iterdir()
    code = "import sys, hatchling.build as b; sys.stdout.write(b.build_wheel(sys.argv[1]))"
    done = subprocess.run(
        [sys.executable, "-c", code, str(tmp_path / "from-sdist")],
        cwd=root,
        capture_output=True,
        text=True,
        timeout=300,
        check=True,
    )
    assert done.stdout.endswith(".whl")


def test_the_vendor_document_is_readable_at_run_time() -> None:
    import json

    import dimescheduler_raw

    meta = json.loads((REPO / "openapi" / "upstream.meta.json").read_text(encoding="utf-8"))
    document = json.loads((REPO / "openapi" / "dimescheduler.json").read_text(encoding="utf-8"))
    spec = dimescheduler_raw.SPEC
    assert spec.sha256 == meta["sha256"]
    assert spec.source == meta["source"]
    assert spec.fetched_at == (meta["fetched_at"] or meta.get("reconstructed_at"))
    assert spec.paths == len(document["paths"])
    assert spec.schemas == len(document["components"]["schemas"])
    assert spec.operations == 177
    assert spec.sha256[:12] in spec.summary()


def test_the_command_line_version_names_the_document() -> None:
    env = {"PYTHONPATH": f"{REPO / 'generated'}:{REPO / 'overlay'}", "PATH": "/usr/bin:/bin"}
    done = subprocess.run(
        [sys.executable, "-m", "dimescheduler_openapi", "--version"],
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )
    import dimescheduler_raw

    assert done.returncode == 0, done.stderr
    lines = done.stdout.splitlines()
    assert lines[0].startswith("dimescheduler-openapi ")
    assert dimescheduler_raw.SPEC.sha256[:12] in lines[1] and "177 operations" in lines[1]
