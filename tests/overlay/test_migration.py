"""Migrating from the vendor SDK (dimescheduler 0.3.1): its RetryConfig is accepted, its names are mapped."""

from __future__ import annotations

import re
import warnings
from pathlib import Path

import dimescheduler
import pytest
from dimescheduler_openapi import DimeSchedulerClient, RetryConfig
from dimescheduler_openapi._transports.retry import retry_config

GUIDE = Path(__file__).resolve().parents[2] / "docs" / "guides" / "migration.md"


def migration_section() -> str:
    """The migration guide's table and notes (up to the next section a later change may append)."""
    text = GUIDE.read_text(encoding="utf-8")
    start = text.index("# Migrating from the vendor SDK")
    end = text.find("\n## ", start)
    return text[start : end if end != -1 else len(text)]


@pytest.mark.parametrize("name", sorted(n for n in dir(dimescheduler) if not n.startswith("_")))
def test_every_public_vendor_name_is_in_the_migration_table(name: str) -> None:
    vendor_column = [
        line.split(" | ")[0] for line in migration_section().splitlines() if line.startswith("|")
    ]
    spans = [span for cell in vendor_column for span in re.findall(r"`([^`]+)`", cell)]
    assert any(re.search(rf"\b{re.escape(name)}\b", span) for span in spans), name


def test_vendor_retry_config_fields_are_all_mapped() -> None:
    section = migration_section()
    for field in dimescheduler.RetryConfig.__dataclass_fields__:
        assert field in section, field


def test_the_vendor_retry_config_is_translated_with_a_deprecation_warning() -> None:
    vendor = dimescheduler.RetryConfig(max_retries=5, initial_delay_s=0.25, max_delay_s=12.0)
    with pytest.warns(
        DeprecationWarning, match=r"write `retry=RetryConfig\(max_retries=5, backoff_base=0.25"
    ):
        client = DimeSchedulerClient(api_key="k", environment="http://127.0.0.1:9", retry=vendor)
    with client:
        assert client._settings.retry == RetryConfig(
            max_retries=5, backoff_base=0.25, backoff_cap=12.0, retry_after_cap=12.0
        )


def test_the_warning_points_at_the_callers_line() -> None:
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        DimeSchedulerClient(api_key="k", environment="http://127.0.0.1:9", retry=dimescheduler.RetryConfig())
    assert [Path(w.filename).name for w in caught] == [Path(__file__).name]


def test_settings_without_an_equivalent_are_named_and_zero_retries_turns_retries_off() -> None:
    vendor = dimescheduler.RetryConfig(
        max_retries=0, backoff_multiplier=3.0, retry_status_codes=(500,), respect_retry_after=False
    )
    with pytest.warns(DeprecationWarning) as caught:
        assert retry_config(vendor) is None
    message = str(caught[0].message)
    for name in ("backoff_multiplier=3.0", "retry_status_codes=(500,)", "respect_retry_after=False"):
        assert name in message
