"""CLI tests: the recording server of the overlay tests (tests/overlay/fakeapi.py) and a CliRunner with a
clean DIMESCHEDULER_* environment."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

OVERLAY_TESTS = str(Path(__file__).resolve().parents[1] / "overlay")
if OVERLAY_TESTS not in sys.path:
    sys.path.insert(0, OVERLAY_TESTS)


@pytest.fixture(autouse=True)
def clean_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in (
        "DIMESCHEDULER_API_KEY",
        "DIMESCHEDULER_USERNAME",
        "DIMESCHEDULER_PASSWORD",
        "DIMESCHEDULER_ENVIRONMENT",
    ):
        monkeypatch.delenv(name, raising=False)
