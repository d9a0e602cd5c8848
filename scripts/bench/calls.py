"""Per-call overhead: sequential `categories.get_all()` against a local keep-alive server.

Compared on the same server in the same run: raw httpx + json.loads (the floor), the overlay (sync and
async, typed models), and the vendor SDK dimescheduler 0.3.1 (sync only; its base URL is fixed per
environment, so a transport rewrites each request's URL to the local server: its documented hook).
"""

from __future__ import annotations

import asyncio
import importlib
import json
from collections.abc import Awaitable, Callable
from typing import Any

import httpx

from .harness import Row, interleaved, median, paired_ratio, server_process

CALLS = 2_000
API_KEY = "bench-key"


class LocalTransport(httpx.BaseTransport):
    """Sends every request to base instead of the vendor's fixed host (one URL rewrite per call)."""

    def __init__(self, base: str) -> None:
        self._base = httpx.URL(base)
        self._inner = httpx.HTTPTransport()

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        request.url = request.url.copy_with(
            scheme=self._base.scheme, host=self._base.host, port=self._base.port
        )
        return self._inner.handle_request(request)

    def close(self) -> None:
        self._inner.close()


def call_rows(rounds: int) -> list[Row]:
    with server_process() as base_url:
        return _measure(base_url, rounds)


def _measure(base_url: str, rounds: int) -> list[Row]:
    from dimescheduler_openapi import AsyncDimeSchedulerClient, DimeSchedulerClient

    vendor = vendor_client(base_url)
    raw = httpx.Client(base_url=base_url, headers={"X-API-KEY": API_KEY})
    overlay = DimeSchedulerClient(api_key=API_KEY, environment=base_url)
    loop = asyncio.new_event_loop()

    async def open_async() -> tuple[httpx.AsyncClient, Any]:
        return (
            httpx.AsyncClient(base_url=base_url, headers={"X-API-KEY": API_KEY}),
            AsyncDimeSchedulerClient(api_key=API_KEY, environment=base_url),
        )

    raw_async, overlay_async = loop.run_until_complete(open_async())
    try:
        _check(raw, overlay, vendor, loop, raw_async, overlay_async)

        def sync_loop(call: Callable[[], object]) -> Callable[[], None]:
            def run() -> None:
                for _ in range(CALLS):
                    call()

            return run

        def async_loop(call: Callable[[], Awaitable[object]]) -> Callable[[], None]:
            async def many() -> None:
                for _ in range(CALLS):
                    await call()

            return lambda: loop.run_until_complete(many())

        async def raw_async_call() -> Any:
            return json.loads((await raw_async.get("/category")).content)

        times = interleaved(
            {
                "httpx sync + json.loads": sync_loop(lambda: json.loads(raw.get("/category").content)),
                "overlay sync": sync_loop(overlay.categories.get_all),
                "vendor SDK 0.3.1": sync_loop(lambda: vendor.categories.get_all()),
                "httpx async + json.loads": async_loop(raw_async_call),
                "overlay async": async_loop(overlay_async.categories.get_all),
            },
            rounds=rounds,
            collect=False,
        )
    finally:
        raw.close()
        overlay.close()
        vendor.close()

        async def close_async() -> None:
            await raw_async.aclose()
            await overlay_async.aclose()

        loop.run_until_complete(close_async())
        loop.close()

    note = f"{CALLS:,} sequential GET /category (3 items), keep-alive, 127.0.0.1"

    def row(label: str, case: str, base: str, goal: str, goal_ratio: float | None) -> Row:
        per_call = [t / CALLS for t in times[case]]
        per_base = [t / CALLS for t in times[base]]
        return Row(
            group="per-call",
            name=label,
            measured=median(per_call),
            baseline=median(per_base),
            unit="s/call",
            goal=goal,
            goal_ratio=goal_ratio,
            ratio=paired_ratio(per_call, per_base),
            note=note,
            samples={case: per_call, base: per_base},
        )

    return [
        row("overlay sync vs httpx sync", "overlay sync", "httpx sync + json.loads", "<= 1.10x", 1.10),
        row("overlay async vs httpx async", "overlay async", "httpx async + json.loads", "<= 1.10x", 1.10),
        row("vendor SDK 0.3.1 vs httpx sync", "vendor SDK 0.3.1", "httpx sync + json.loads", "info", None),
    ]


def vendor_client(base_url: str) -> Any:
    """The vendor SDK's client against base_url (imported by name: the SDK ships no type information)."""
    vendor = importlib.import_module("dimescheduler")
    return vendor.DimeSchedulerClient(API_KEY, transport=LocalTransport(base_url))


def _check(
    raw: httpx.Client,
    overlay: Any,
    vendor: Any,
    loop: asyncio.AbstractEventLoop,
    raw_async: httpx.AsyncClient,
    overlay_async: Any,
) -> None:
    """All five answer the same three categories before anything is timed."""
    expected = json.loads(raw.get("/category").content)
    typed = [item.to_dict() for item in overlay.categories.get_all()]
    vendor_data = vendor.categories.get_all().data

    async def both() -> tuple[Any, list[Any]]:
        first = json.loads((await raw_async.get("/category")).content)
        return first, [item.to_dict() for item in await overlay_async.categories.get_all()]

    async_raw, async_typed = loop.run_until_complete(both())
    if not (expected == typed == vendor_data == async_raw == async_typed) or len(expected) != 3:
        raise RuntimeError("the clients disagree on GET /category; not timing them")
