"""Normalize rule ``unsafe-server-url``: ``servers`` entries nobody should send requests to are dropped.

A ``servers`` entry (top level, on a path item or on an operation) is dropped when its URL, with each
``{variable}`` replaced by its ``default``,

- has a scheme other than http or https (``file://``, ``ftp://``, ``javascript:``, ...), or
- names a host that is not a public one: ``localhost`` (or ``*.localhost``), or an IP address that is
  loopback, private, link-local (``169.254.169.254``, the cloud metadata service), multicast, reserved or
  unspecified.

Relative URLs (``/v1``, the OpenAPI default ``/``) and URLs whose host stays a ``{variable}`` without a
default are kept: they name no address. A ``servers`` list left empty is removed (OpenAPI then means
``/``). Each drop is reported as a FixUp naming the URL, so the run says what it removed.
"""

from __future__ import annotations

import ipaddress
import re
from collections.abc import Iterator
from typing import Any, Protocol
from urllib.parse import urlsplit

from .docwalk import HTTP_METHODS

__all__ = ["RULE", "fix_server_urls", "unsafe_reason"]

RULE = "unsafe-server-url"
_VARIABLE = re.compile(r"\{([^{}]*)\}")
_SCHEME = re.compile(r"^([A-Za-z][A-Za-z0-9+.-]*):")


class FixUpFactory(Protocol):
    def __call__(self, rule: str, location: str, detail: str) -> Any: ...


def unsafe_reason(server: Any) -> str | None:
    """Why the ``servers`` entry ``server`` must go, or None to keep it."""
    if not isinstance(server, dict) or not isinstance(server.get("url"), str):
        return None
    url = _substituted(server["url"], server.get("variables"))
    scheme = _SCHEME.match(url)
    if scheme is None:
        return None  # relative: resolved against wherever the document came from
    if scheme.group(1).lower() not in ("http", "https"):
        return f"its scheme is {scheme.group(1).lower()}, not http(s)"
    try:
        host = urlsplit(url).hostname
    except ValueError:
        return "it is not a valid URL"
    if not host or "{" in host:
        return None
    if host == "localhost" or host.endswith(".localhost"):
        return "it names localhost"
    try:
        address = ipaddress.ip_address(host)
    except ValueError:
        return None  # a host name: not resolved here (no network during generation)
    if not address.is_global or address.is_multicast:
        kind = _kind(address)
        return f"{address} is {'an' if kind[0] in 'aeiou' else 'a'} {kind} address"
    return None


def _kind(address: ipaddress.IPv4Address | ipaddress.IPv6Address) -> str:
    for name in ("loopback", "link_local", "unspecified", "multicast", "private", "reserved"):
        if getattr(address, f"is_{name}"):
            return name.replace("_", "-")
    return "non-public"


def _substituted(url: str, variables: Any) -> str:
    values = variables if isinstance(variables, dict) else {}

    def value(match: re.Match[str]) -> str:
        variable = values.get(match.group(1))
        default = variable.get("default") if isinstance(variable, dict) else None
        return default if isinstance(default, str) else match.group(0)

    return _VARIABLE.sub(value, url)


def _holders(doc: dict[str, Any]) -> Iterator[tuple[str, dict[str, Any]]]:
    yield "", doc
    paths = doc.get("paths")
    if not isinstance(paths, dict):
        return
    for path, item in paths.items():
        if not isinstance(item, dict):
            continue
        yield f"paths.{path}.", item
        for method in HTTP_METHODS:
            operation = item.get(method)
            if isinstance(operation, dict):
                yield f"paths.{path}.{method}.", operation


def fix_server_urls(doc: dict[str, Any], fixup: FixUpFactory) -> list[Any]:
    """Drop unsafe ``servers`` entries from ``doc`` in place; one ``fixup(RULE, location, detail)`` each."""
    fixups: list[Any] = []
    for prefix, holder in _holders(doc):
        servers = holder.get("servers")
        if not isinstance(servers, list):
            continue
        kept = []
        for index, server in enumerate(servers):
            reason = unsafe_reason(server)
            if reason is None:
                kept.append(server)
            else:
                url = server["url"]
                shown = url if len(url) <= 200 else url[:199] + "…"
                fixups.append(fixup(RULE, f"{prefix}servers[{index}]", f"dropped {shown!r}: {reason}"))
        if len(kept) != len(servers):
            if kept:
                holder["servers"] = kept
            else:
                del holder["servers"]
    return fixups
