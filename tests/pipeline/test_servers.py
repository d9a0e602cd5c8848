"""Normalize rule unsafe-server-url: `servers` entries pointing at files or at addresses that are not public
are dropped, each one reported; public and relative ones stay."""

from __future__ import annotations

from typing import Any

import pytest
from specpipe.normalize import normalize, summarize
from specpipe.servers import unsafe_reason

PUBLIC = [
    {"url": "https://api.dimescheduler.com", "description": "Production"},
    {"url": "/v1"},
    {"url": ""},
    {
        "url": "{scheme}://{host}/v1",
        "variables": {"scheme": {"default": "https"}, "host": {"default": "api.test"}},
    },
    {"url": "https://{tenant}.example.com"},  # a host left to the caller
    {"url": "https://8.8.8.8/api"},
]
UNSAFE = [
    ({"url": "file:///etc/passwd"}, "its scheme is file, not http(s)"),
    ({"url": "FTP://mirror.example.com/spec"}, "its scheme is ftp, not http(s)"),
    ({"url": "http://169.254.169.254/latest"}, "169.254.169.254 is a link-local address"),
    ({"url": "http://10.0.0.7:8080"}, "10.0.0.7 is a private address"),
    ({"url": "http://127.0.0.1:5000"}, "127.0.0.1 is a loopback address"),
    ({"url": "http://[::1]/"}, "::1 is a loopback address"),
    ({"url": "http://[fe80::1]/"}, "fe80::1 is a link-local address"),
    ({"url": "http://0.0.0.0/"}, "0.0.0.0 is an unspecified address"),
    ({"url": "http://localhost:8080/api"}, "it names localhost"),
    ({"url": "{s}://{h}", "variables": {"s": {"default": "http"}, "h": {"default": "192.168.1.1"}}}, None),
]


@pytest.mark.parametrize("server", PUBLIC, ids=lambda s: s["url"] or "(empty)")
def test_public_and_relative_servers_are_kept(server: dict[str, Any]) -> None:
    assert unsafe_reason(server) is None


@pytest.mark.parametrize(("server", "reason"), UNSAFE, ids=lambda v: v["url"] if isinstance(v, dict) else "")
def test_unsafe_servers_are_named_with_the_reason(server: dict[str, Any], reason: str | None) -> None:
    found = unsafe_reason(server)
    assert found is not None
    if reason is not None:
        assert found == reason


def test_normalize_drops_them_everywhere_and_says_so() -> None:
    operation: dict[str, Any] = {
        "servers": [{"url": "file:///tmp/x"}],
        "responses": {"200": {"description": "ok"}},
    }
    doc: dict[str, Any] = {
        "openapi": "3.0.3",
        "info": {"title": "t", "version": "1"},
        "servers": [*PUBLIC[:2], {"url": "http://169.254.169.254/"}],
        "paths": {"/job": {"servers": [{"url": "http://10.0.0.1"}, {"url": "/jobs"}], "get": operation}},
    }
    out, fixups = normalize(doc)
    assert out["servers"] == PUBLIC[:2]
    assert out["paths"]["/job"]["servers"] == [{"url": "/jobs"}]
    assert "servers" not in out["paths"]["/job"]["get"]  # emptied: removed
    dropped = [(f.location, f.detail) for f in fixups if f.rule == "unsafe-server-url"]
    assert dropped == [
        ("paths./job.get.servers[0]", "dropped 'file:///tmp/x': its scheme is file, not http(s)"),
        ("paths./job.servers[0]", "dropped 'http://10.0.0.1': 10.0.0.1 is a private address"),
        ("servers[2]", "dropped 'http://169.254.169.254/': 169.254.169.254 is a link-local address"),
    ]
    assert summarize(fixups)["unsafe-server-url"] == 3
    assert doc["servers"][2] == {"url": "http://169.254.169.254/"}  # the input is left alone
    again, more = normalize(out)
    assert again == out and not [f for f in more if f.rule == "unsafe-server-url"]
