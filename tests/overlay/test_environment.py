"""Environments: the named ones, their names as strings, custom base URLs, DIMESCHEDULER_ENVIRONMENT."""

from __future__ import annotations

from typing import Any

import dimescheduler  # type: ignore[import-untyped]
import pytest
from dimescheduler_openapi import ConfigurationError, DimeSchedulerClient, Environment
from dimescheduler_openapi._call import call
from dimescheduler_openapi._parsing import parse_json
from fakeapi import Reply, serve_api

API_KEY = "ak-SECRET-env-tests"


@pytest.fixture(autouse=True)
def clean_env(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in (
        "DIMESCHEDULER_API_KEY",
        "DIMESCHEDULER_USERNAME",
        "DIMESCHEDULER_PASSWORD",
        "DIMESCHEDULER_ENVIRONMENT",
    ):
        monkeypatch.delenv(name, raising=False)


def test_named_environments_and_their_urls() -> None:
    assert list(Environment) == [Environment.PRODUCTION, Environment.SANDBOX, Environment.TEST]
    assert Environment.PRODUCTION.value == "https://api.dimescheduler.com"
    assert Environment.SANDBOX.value == "https://sandbox.api.dimescheduler.com"
    assert Environment.TEST.value == "https://test.api.dimescheduler.com"
    assert (
        str(Environment.SANDBOX) == "https://sandbox.api.dimescheduler.com"
    )  # a str enum, like the vendor's


def test_vendor_style_member_names_are_aliases() -> None:
    for alias, member in (("Production", "PRODUCTION"), ("Sandbox", "SANDBOX"), ("Test", "TEST")):
        assert Environment[alias] is Environment[member]
        assert getattr(Environment, alias) is Environment[member]


def test_default_is_production() -> None:
    client = DimeSchedulerClient(API_KEY)
    assert client.environment is Environment.PRODUCTION
    assert client.base_url == "https://api.dimescheduler.com"


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (Environment.SANDBOX, Environment.SANDBOX),
        (Environment.Test, Environment.TEST),
        ("sandbox", Environment.SANDBOX),
        ("Sandbox", Environment.SANDBOX),
        ("SANDBOX", Environment.SANDBOX),
        (" test ", Environment.TEST),
        ("Production", Environment.PRODUCTION),
        ("https://sandbox.api.dimescheduler.com/", Environment.SANDBOX),
        (dimescheduler.Environment.Sandbox, Environment.SANDBOX),  # the vendor SDK's enum
    ],
)
def test_environment_values(value: Any, expected: Environment) -> None:
    client = DimeSchedulerClient(API_KEY, value)
    assert client.environment is expected
    assert client.base_url == expected.value


@pytest.mark.parametrize(
    ("url", "base_url"),
    [
        ("http://127.0.0.1:4010", "http://127.0.0.1:4010"),
        ("http://localhost:4010/", "http://localhost:4010"),
        ("https://scheduler.example.com/api/v1/", "https://scheduler.example.com/api/v1"),
    ],
)
def test_custom_base_urls(url: str, base_url: str) -> None:
    client = DimeSchedulerClient(API_KEY, url)
    assert client.environment is None
    assert client.base_url == base_url
    assert "environment=custom" in repr(client)


def test_requests_go_to_a_custom_base_url_with_a_path() -> None:
    with (
        serve_api(lambda r: Reply.json({"ok": True})) as api,
        DimeSchedulerClient(API_KEY, api.base_url + "/private/api/") as client,
    ):
        client.execute(call("GET", "/job", parse_json))
        client.execute(call("GET", "appointment", parse_json))
    assert [r.path for r in api.received] == ["/private/api/job", "/private/api/appointment"]


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ("staging", "unknown environment 'staging': use production, sandbox, test or an http(s) base URL"),
        ("", "unknown environment ''"),
        (
            "ftp://files.example.com",
            "environment 'ftp://files.example.com' is not an http(s) URL with a host",
        ),
        ("https://", "is not an http(s) URL with a host"),
        ("https://h.example.com/?tenant=1", "must not have a query or fragment"),
        (42, "environment must be an Environment, a name (production, sandbox, test) or a base URL, not int"),
    ],
)
def test_bad_environments_are_named(value: Any, message: str) -> None:
    with pytest.raises(ConfigurationError) as caught:
        DimeSchedulerClient(API_KEY, value)
    assert message in str(caught.value)


def test_a_url_with_credentials_is_refused_without_echoing_it() -> None:
    with pytest.raises(ConfigurationError, match="must not contain credentials") as caught:
        DimeSchedulerClient(API_KEY, "https://admin:hunter2-SECRET@scheduler.example.com")
    assert "hunter2" not in str(caught.value)


@pytest.mark.parametrize(
    ("value", "base_url"),
    [
        ("sandbox", Environment.SANDBOX.value),
        ("TEST", Environment.TEST.value),
        ("http://127.0.0.1:4010", "http://127.0.0.1:4010"),
    ],
)
def test_environment_variable(monkeypatch: pytest.MonkeyPatch, value: str, base_url: str) -> None:
    monkeypatch.setenv("DIMESCHEDULER_ENVIRONMENT", value)
    assert DimeSchedulerClient(API_KEY).base_url == base_url


def test_explicit_environment_wins_over_the_variable(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("DIMESCHEDULER_ENVIRONMENT", "sandbox")
    assert DimeSchedulerClient(API_KEY, Environment.TEST).environment is Environment.TEST


def test_empty_environment_variable_means_production(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("DIMESCHEDULER_ENVIRONMENT", "  ")
    assert DimeSchedulerClient(API_KEY).environment is Environment.PRODUCTION


def test_bad_environment_variable_names_the_variable(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("DIMESCHEDULER_ENVIRONMENT", "staging")
    with pytest.raises(
        ConfigurationError, match=r"^DIMESCHEDULER_ENVIRONMENT: unknown environment 'staging'"
    ):
        DimeSchedulerClient(API_KEY)


def test_everything_from_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    with serve_api(lambda r: Reply.json({"ok": True})) as api:
        monkeypatch.setenv("DIMESCHEDULER_ENVIRONMENT", api.base_url)
        monkeypatch.setenv("DIMESCHEDULER_API_KEY", API_KEY)
        with DimeSchedulerClient() as client:
            assert client.execute(call("GET", "/ping", parse_json)) == {"ok": True}
    assert api.received[0].headers["x-api-key"] == API_KEY
