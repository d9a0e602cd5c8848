"""Packages generated once per session: the golden spec with our templates and with the baseline ones, and the
real spec with the baseline templates (the committed generated/ is the real spec with ours)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from golden import spec_text
from packages import REPO, generate, load_package


@pytest.fixture(scope="session")
def golden_fast(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    """The golden spec generated exactly like `nox -s generate` does it, importable as `golden_fast`."""
    package = generate(spec_text(), tmp_path_factory.mktemp("golden-fast"), stock=False)
    load_package("golden_fast", package)
    yield package


@pytest.fixture(scope="session")
def golden_stock(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    package = generate(spec_text(), tmp_path_factory.mktemp("golden-stock"), stock=True)
    load_package("golden_stock", package)
    yield package


@pytest.fixture(scope="session")
def spec_stock(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    """openapi/dimescheduler.json generated with the baseline templates, importable as `spec_stock`."""
    text = (REPO / "openapi" / "dimescheduler.json").read_text(encoding="utf-8")
    package = generate(text, tmp_path_factory.mktemp("spec-stock"), stock=True)
    load_package("spec_stock", package)
    yield package
