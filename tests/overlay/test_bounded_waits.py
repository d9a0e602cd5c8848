"""Every wait ends: a failing or hanging `/token` is tried once per round and its failure reaches every
waiter; tokens expired on arrival or short-lived are not refreshed before every request; a body cut off
mid-way is retried like a dropped connection; the `deadline` ends slow-dripping answers and retry waits;
a server that ignores the page number is detected over all pages seen. Against local servers (sync and
async) and in-process transports. Elapsed times are only checked against generous bounds far below what
the unbounded behaviour took."""

from __future__ import annotations

import asyncio
import email.utils
import json
import threading
import time
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from typing import Any, BinaryIO

import httpx
import pytest
from dimescheduler_openapi import (
    APIConnectionError,
    APITimeoutError,
    AsyncDimeSchedulerClient,
    AuthenticationError,
    ConfigurationError,
    DimeSchedulerClient,
    InternalServerError,
    InvalidRequestError,
    PaginationError,
    RetryConfig,
)
from dimescheduler_openapi._auth import JWTAuth
from dimescheduler_openapi._call import call
from dimescheduler_openapi._parsing import parse_json
from dimescheduler_openapi._transports import DEADLINE_MARGIN
from fakeapi import FakeAPI, Received, Reply, TokenService, make_jwt, serve_api
from rawapi import drip, head, serve_raw
from reachable import leaked

USERNAME = "planner@example.com"
PASSWORD = "pw-SECRET-bounded-waits"
API_KEY = "ak-SECRET-bounded-waits"
CATEGORIES = b'[{"name": "A", "displayName": "A", "color": "#000000"}]'


def ping(path: str = "/ping") -> Any:
    return call("GET", path, parse_json)


def jwt_client(api: FakeAPI, **kwargs: Any) -> DimeSchedulerClient:
    return DimeSchedulerClient(environment=api.base_url, username=USERNAME, password=PASSWORD, **kwargs)


def outcome(action: Any) -> Any:
    try:
        return action()
    except Exception as exc:
        return exc


# --- /token: one attempt per round, its failure shared ------------------------------------------------------


def test_a_hanging_token_endpoint_fails_every_waiter_within_one_timeout() -> None:
    tokens = TokenService(USERNAME, PASSWORD, token_delay=60)  # answers only when the server stops
    with serve_api(tokens) as api, jwt_client(api, timeout=1) as client:
        barrier = threading.Barrier(8)

        def worker() -> Any:
            barrier.wait(timeout=10)
            return outcome(lambda: client.execute(ping()))

        started = time.monotonic()
        with ThreadPoolExecutor(max_workers=8) as pool:
            results = list(pool.map(lambda _: worker(), range(8)))
        elapsed = time.monotonic() - started
        token_calls = api.count("/token")
    assert token_calls == 1  # was 8, one after the other
    assert all(isinstance(result, APITimeoutError) for result in results), results
    assert (
        sum("POST" in str(result) and "/token timed out (ReadTimeout)" in str(result) for result in results)
        >= 7
    )
    assert elapsed < 5  # was 8 s: 1 + 2 + ... waits


def failing_token(delay: float) -> Any:
    def handler(received: Received) -> Reply:
        if received.path == "/token":
            body = json.dumps({"message": "token store down"}).encode()
            return Reply(500, body, {"Content-Type": "application/json"}, delay)
        return Reply.json({"ok": True})

    return handler


def test_a_failing_token_endpoint_is_called_once_for_twenty_threads() -> None:
    with serve_api(failing_token(1.0)) as api, jwt_client(api, timeout=5) as client:
        barrier = threading.Barrier(20)

        def worker() -> Any:
            barrier.wait(timeout=10)
            return outcome(lambda: client.execute(ping()))

        started = time.monotonic()
        with ThreadPoolExecutor(max_workers=20) as pool:
            results = list(pool.map(lambda _: worker(), range(20)))
        elapsed = time.monotonic() - started
        token_calls = api.count("/token")
    assert token_calls == 1  # was 20 in 40.9 s
    assert all(isinstance(result, AuthenticationError) and result.status_code == 500 for result in results)
    assert len({id(result) for result in results}) == 20  # each waiter raises its own copy
    assert elapsed < 10


def test_a_failing_token_endpoint_is_called_once_for_twenty_tasks() -> None:
    async def main(api: FakeAPI) -> list[Any]:
        async with AsyncDimeSchedulerClient(
            environment=api.base_url, username=USERNAME, password=PASSWORD, timeout=5
        ) as client:
            return await asyncio.gather(*(client.execute(ping()) for _ in range(20)), return_exceptions=True)

    with serve_api(failing_token(1.0)) as api:
        results = asyncio.run(asyncio.wait_for(main(api), timeout=30))
        token_calls = api.count("/token")
    assert token_calls == 1
    assert all(isinstance(result, AuthenticationError) for result in results)


def test_after_a_failed_round_the_next_call_tries_again() -> None:
    tokens = TokenService(USERNAME, PASSWORD)
    tokens.token_status = 503
    with serve_api(tokens) as api, jwt_client(api, retry=False) as client:
        with pytest.raises(AuthenticationError):
            client.execute(ping())
        tokens.token_status = None
        assert client.execute(ping()) == {"path": "/ping", "ok": True}
        assert api.count("/token") == 2


def test_a_waiter_gives_up_at_its_own_deadline() -> None:
    tokens = TokenService(USERNAME, PASSWORD, token_delay=60)
    with serve_api(tokens) as api, jwt_client(api, timeout=30, retry=False) as client:
        owner = threading.Thread(target=lambda: outcome(lambda: client.execute(ping(), deadline=1.0)))
        owner.start()
        for _ in range(500):
            if api.count("/token"):
                break
            time.sleep(0.01)
        with pytest.raises(APITimeoutError) as waited:
            client.execute(ping(), deadline=0.3)
        owner.join(10)
        assert api.count("/token") == 1
    assert "waiting for the token another request is fetching" in str(waited.value)


# --- token lifetimes --------------------------------------------------------------------------------------------


def test_a_token_expired_on_arrival_is_used_until_a_401() -> None:
    tokens = TokenService(USERNAME, PASSWORD, lifetime=-60)  # server clock behind, or a broken issuer
    with serve_api(tokens) as api, jwt_client(api) as client:
        for _ in range(5):
            client.execute(ping())
        assert api.count("/token") == 1  # was 5: a refresh before every request
        tokens.revoke_all()
        client.execute(ping())
        assert api.count("/token") == 2  # one refresh for the rejected token


class Clocked:
    """A /token endpoint on a fake clock: tokens live `lifetime` s; the Date header is the server's clock,
    `skew` s ahead of the client's (None: no Date header)."""

    def __init__(self, lifetime: float, skew: float | None) -> None:
        self.now = 1_800_000_000.0
        self.lifetime = lifetime
        self.skew = skew
        self.issued: list[str] = []

    def handler(self, request: httpx.Request) -> httpx.Response:
        if request.url.path != "/token":
            return httpx.Response(200, json={"auth": request.headers["authorization"]})
        server_now = self.now + (self.skew or 0.0)
        self.issued.append(make_jwt(server_now + self.lifetime, jti=len(self.issued)))
        headers = {} if self.skew is None else {"Date": email.utils.formatdate(server_now, usegmt=True)}
        return httpx.Response(200, json={"token": self.issued[-1]}, headers=headers)

    def token_used_after(self, http: httpx.Client, seconds: float) -> int:
        self.now += seconds
        auth = http.get("/a").json()["auth"]
        return self.issued.index(auth.removeprefix("Bearer "))


@pytest.mark.parametrize("skew", [-7200.0, 0.0, 3600.0, None])
def test_refresh_follows_the_servers_clock(skew: float | None) -> None:
    server = Clocked(lifetime=600, skew=skew)
    auth = JWTAuth("https://api.test/token", USERNAME, PASSWORD, now=lambda: server.now)
    with httpx.Client(
        auth=auth, transport=httpx.MockTransport(server.handler), base_url="https://api.test"
    ) as http:
        assert server.token_used_after(http, 0) == 0
        if skew is None or skew >= 0:
            # without a Date header the client's clock is all there is: the same here (skew 0)
            assert server.token_used_after(http, 569) == 0
            assert server.token_used_after(http, 2) == 1  # 30 s before exp by the server's clock
        else:
            # exp lies an hour in the client's past: measured against the Date header it has 600 s left
            assert server.token_used_after(http, 569) == 0
            assert server.token_used_after(http, 2) == 1


def test_a_token_shorter_than_the_margin_is_refreshed_once_at_half_its_life() -> None:
    server = Clocked(lifetime=20, skew=0.0)
    auth = JWTAuth("https://api.test/token", USERNAME, PASSWORD, now=lambda: server.now)
    with httpx.Client(
        auth=auth, transport=httpx.MockTransport(server.handler), base_url="https://api.test"
    ) as http:
        used = [server.token_used_after(http, step) for step in (0, 3, 3, 3, 3, 3, 3)]
    assert used == [0, 0, 0, 0, 1, 1, 1]  # refreshed after 10 s (half of 20), not before every request


# --- bodies cut off mid-way --------------------------------------------------------------------------------------


class CutOnce:
    """The first answer declares its full length and stops half-way; later ones are whole."""

    def __init__(self, body: bytes) -> None:
        self.body = body
        self.calls = 0
        self.lock = threading.Lock()

    def __call__(self, received: Received, out: BinaryIO, stopping: threading.Event) -> None:
        with self.lock:
            self.calls += 1
            first = self.calls == 1
        out.write(head(200, len(self.body)) + (self.body[: len(self.body) // 2] if first else self.body))


def test_a_read_whose_body_is_cut_off_is_retried() -> None:
    with serve_raw(CutOnce(CATEGORIES)) as api:
        retry = RetryConfig(sleep=lambda seconds: None)
        with DimeSchedulerClient(API_KEY, api.base_url, retry=retry) as client:
            [category] = client.categories.get_all()
        assert category.name == "A" and api.count() == 2


@pytest.mark.asyncio
async def test_async_read_whose_body_is_cut_off_is_retried() -> None:
    with serve_raw(CutOnce(CATEGORIES)) as api:
        retry = RetryConfig(sleep=lambda seconds: None)
        async with AsyncDimeSchedulerClient(API_KEY, api.base_url, retry=retry) as client:
            assert len(await client.categories.get_all()) == 1
        assert api.count() == 2


def test_a_write_whose_answer_is_cut_off_is_not_repeated() -> None:
    with serve_raw(CutOnce(CATEGORIES)) as api:
        with (
            DimeSchedulerClient(API_KEY, api.base_url, retry=RetryConfig(sleep=lambda s: None)) as client,
            pytest.raises(APIConnectionError, match=r"POST .*/category failed: RemoteProtocolError"),
        ):
            client.categories.create({"name": "A", "displayName": "A", "color": "#000000"})
        assert api.count() == 1  # the server may have written it: never sent twice


# --- the deadline -----------------------------------------------------------------------------------------------


def dripping(received: Received, out: BinaryIO, stopping: threading.Event) -> None:
    """Headers at once, then the body a byte every 0.2 s (would take about 11 s)."""
    out.write(head(200, len(CATEGORIES)))
    out.flush()
    drip(out, CATEGORIES, 0.2, stopping)


def test_without_a_deadline_timeout_bounds_each_wait_not_the_call() -> None:
    body = b"[]"

    def slow(received: Received, out: BinaryIO, stopping: threading.Event) -> None:
        out.write(head(200, len(body)))
        out.flush()
        drip(out, body, 0.4, stopping)

    with serve_raw(slow) as api, DimeSchedulerClient(API_KEY, api.base_url, timeout=0.6) as client:
        assert client.categories.get_all() == []  # 0.8 s in all, no single wait over 0.6 s


@pytest.mark.parametrize("where", ["client", "call"])
def test_a_deadline_ends_a_slow_dripping_answer(where: str) -> None:
    client_deadline = 1.0 if where == "client" else None
    call_deadline = 1.0 if where == "call" else None
    with (
        serve_raw(dripping) as api,
        DimeSchedulerClient(API_KEY, api.base_url, timeout=1, deadline=client_deadline) as client,
    ):
        started = time.monotonic()
        with pytest.raises(APITimeoutError) as caught:
            client.categories.get_all(deadline=call_deadline)
        elapsed = time.monotonic() - started
    assert str(caught.value).endswith("/category did not finish within its deadline of 1 s")
    assert elapsed < 3  # the whole answer would have taken about 11 s
    assert leaked(caught.value, [API_KEY]) == []  # nor through the httpx errors it was caused by


@pytest.mark.asyncio
async def test_async_deadline_ends_a_slow_dripping_answer() -> None:
    with serve_raw(dripping) as api:
        async with AsyncDimeSchedulerClient(API_KEY, api.base_url, timeout=1, deadline=1.0) as client:
            started = time.monotonic()
            with pytest.raises(APITimeoutError, match="did not finish within its deadline of 1 s"):
                await client.categories.get_all()
            assert time.monotonic() - started < 3


def test_a_deadline_covers_the_token_exchange_and_the_retries() -> None:
    sleeps: list[float] = []
    retry = RetryConfig(sleep=sleeps.append, jitter=lambda: 1.0)
    replies = Reply.json({"message": "busy"}, status=503, headers={"Retry-After": "5"})
    with serve_api(lambda r: replies) as api:
        with (
            DimeSchedulerClient(API_KEY, api.base_url, retry=retry, deadline=2.0) as client,
            pytest.raises(InternalServerError),
        ):
            client.execute(ping())
        assert sleeps == [] and api.count() == 1  # a 5 s wait would end after the deadline: not begun
    tokens = TokenService(USERNAME, PASSWORD, token_delay=60)
    with (
        serve_api(tokens) as api,
        jwt_client(api, timeout=30, deadline=0.5) as client,
        pytest.raises(APITimeoutError, match=r"deadline of 0\.5 s") as caught,
    ):
        client.execute(ping())
    assert leaked(caught.value, [PASSWORD]) == []


@pytest.mark.parametrize("bad", [0, -1, "5", True, float("inf")])
def test_bad_deadlines_are_refused(bad: Any) -> None:
    with pytest.raises(ConfigurationError, match="deadline must be a number of seconds"):
        DimeSchedulerClient(API_KEY, deadline=bad)
    with (
        DimeSchedulerClient(API_KEY, transport=httpx.MockTransport(lambda r: httpx.Response(200))) as client,
        pytest.raises(InvalidRequestError, match="deadline must be a number of seconds"),
    ):
        client.categories.get_all(deadline=bad)


# --- paging over a server that ignores the page number ---------------------------------------------------


class Reordering:
    """GET /task ignoring `page`: always the same `count` tasks, rotated by one more on every call."""

    def __init__(self, count: int) -> None:
        self.count = count
        self.calls = 0

    def __call__(self, received: Received) -> Reply:
        self.calls += 1
        numbers = [(n + self.calls) % self.count for n in range(self.count)]
        return Reply.json([{"taskNo": f"T{n}", "jobNo": "J"} for n in numbers])


def tasks(api: FakeAPI, page_size: int) -> Iterator[Any]:
    with DimeSchedulerClient(API_KEY, api.base_url) as client:
        yield from client.tasks.iter_all(page_size=page_size)


def test_a_server_reordering_the_same_page_is_detected() -> None:
    with serve_api(Reordering(10)) as api:
        with pytest.raises(PaginationError) as caught:
            for _ in tasks(api, page_size=10):
                assert api.count() < 10, "still paging"
        assert api.count() == 2
    assert str(caught.value).startswith(
        "page 2 holds only items of earlier pages: the server seems to ignore"
    )
    assert "page_size above the number of items" in str(caught.value)


def test_pages_cycling_through_earlier_pages_are_detected() -> None:
    pages = [[f"T{n}" for n in range(0, 5)], [f"T{n}" for n in range(5, 10)]]
    calls = {"n": 0}

    def cycling(received: Received) -> Reply:
        page = pages[calls["n"] % 2][::-1] if calls["n"] >= 2 else pages[calls["n"]]
        calls["n"] += 1
        return Reply.json([{"taskNo": number} for number in page])

    with serve_api(cycling) as api:
        seen = []
        with pytest.raises(PaginationError, match="page 3 holds only items of earlier pages"):
            for task in tasks(api, page_size=5):
                seen.append(task.task_no)
                assert len(seen) < 100, "still paging"
    assert seen == [f"T{n}" for n in range(10)]  # both pages once, then the repeat is caught


def test_a_page_repeating_one_item_of_the_last_is_not_an_error() -> None:
    pages = [["T0", "T1", "T2"], ["T2", "T3", "T4"], ["T5"]]  # an insert shifted one item across pages

    def shifting(received: Received) -> Reply:
        page = pages[int(dict(received.query)["page"]) - 1]
        return Reply.json([{"taskNo": number} for number in page])

    with serve_api(shifting) as api:
        assert [t.task_no for t in tasks(api, page_size=3)] == ["T0", "T1", "T2", "T2", "T3", "T4", "T5"]


# --- the deadline holds however the server stalls, and however many calls wait for a connection --------------


def dripping_status_line(received: Received, out: BinaryIO, stopping: threading.Event) -> None:
    """The status line and headers a byte every 0.1 s (about 8 s), then the body: every single read gets a
    byte within its timeout, so only a bound on the whole call ends it."""
    drip(out, head(200, len(CATEGORIES)), 0.1, stopping)
    out.write(CATEGORIES)


@pytest.mark.parametrize("retry", [0, 3])
def test_a_sync_deadline_ends_a_dripping_status_line(retry: int) -> None:
    with (
        serve_raw(dripping_status_line) as api,
        DimeSchedulerClient(API_KEY, api.base_url, timeout=1, deadline=1.0, retry=retry) as client,
    ):
        started = time.monotonic()
        with pytest.raises(APITimeoutError, match="did not finish within its deadline of 1 s"):
            client.categories.get_all()
        elapsed = time.monotonic() - started
    assert elapsed < 1.0 + DEADLINE_MARGIN + 0.5  # it used to take the whole 8 s


@pytest.mark.asyncio
async def test_async_deadline_ends_a_dripping_status_line() -> None:
    with serve_raw(dripping_status_line) as api:
        async with AsyncDimeSchedulerClient(API_KEY, api.base_url, timeout=1, deadline=1.0) as client:
            started = time.monotonic()
            with pytest.raises(APITimeoutError, match="did not finish within its deadline of 1 s"):
                await client.categories.get_all()
            assert time.monotonic() - started < 1.0 + DEADLINE_MARGIN + 0.5


def slow_answer(received: Received) -> Reply:
    return Reply(200, CATEGORIES, {"Content-Type": "application/json"}, delay=0.5)


@pytest.mark.asyncio
async def test_many_async_calls_on_a_small_pool_all_end_by_their_deadline_and_never_stall_the_loop() -> None:
    """300 calls gathered at once on a 10-connection pool, against a server taking 0.5 s per answer: 15 s of
    work for a 2 s deadline. Every call succeeds or times out by its deadline, and the event loop keeps
    running (httpcore's own queue used to stall it for seconds). The bounds leave room for a loaded machine:
    starting 300 calls at once costs the loop some CPU by itself."""
    lags: list[float] = []

    async def ticker() -> None:
        while True:
            before = time.monotonic()
            await asyncio.sleep(0.02)
            lags.append(time.monotonic() - before - 0.02)

    async def one(client: AsyncDimeSchedulerClient) -> tuple[float, object]:
        started = time.monotonic()
        try:
            result: object = await client.categories.get_all()
        except APITimeoutError as exc:
            result = exc
        return time.monotonic() - started, result

    with serve_api(slow_answer) as api:
        limits = httpx.Limits(max_connections=10)
        async with AsyncDimeSchedulerClient(
            API_KEY, api.base_url, timeout=30, deadline=2.0, retry=0, limits=limits
        ) as client:
            await client.categories.get_all()  # first use imports and builds what later calls reuse
            watcher = asyncio.create_task(ticker())
            started = time.monotonic()
            outcomes = await asyncio.gather(*(one(client) for _ in range(300)))
            total = time.monotonic() - started
            watcher.cancel()
    bound = 2.0 + DEADLINE_MARGIN + 1.5
    assert total < bound and max(elapsed for elapsed, _ in outcomes) < bound, total
    assert any(isinstance(result, list) for _, result in outcomes)  # the pool served calls meanwhile
    assert max(lags) < 1.5, max(lags)
