"""The distribution: one wheel with both import packages, typed, and nothing that shadows the vendor SDK."""

from __future__ import annotations

import subprocess
import sys
import zipfile
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]


def test_wheel_holds_both_packages_and_not_the_vendors(tmp_path: Path) -> None:
    subprocess.run(
        [
            sys.executable,
            "-m",
            "pip",
            "wheel",
            str(REPO),
            "--no-deps",
            "--no-build-isolation",
            "-q",
            "-w",
            str(tmp_path),
        ],
        check=True,
        timeout=300,
    )
    (wheel,) = tmp_path.glob("dimescheduler_openapi-*.whl")
    names = zipfile.ZipFile(wheel).namelist()
    tops = {name.split("/")[0] for name in names if not name.split("/")[0].endswith(".dist-info")}
    assert tops == {"dimescheduler_raw", "dimescheduler_openapi"}
    assert "dimescheduler_raw/py.typed" in names
    assert "dimescheduler_openapi/py.typed" in names
    assert "dimescheduler_raw/api/job/job_get_job_by_job_no.py" in names
    assert "dimescheduler_openapi/_imports/_procedures.py" in names
    metadata = next(n for n in names if n.endswith(".dist-info/METADATA"))
    text = zipfile.ZipFile(wheel).read(metadata).decode()
    assert "Name: dimescheduler-openapi" in text
    assert "Requires-Dist: httpx<0.29,>=0.23" in text
