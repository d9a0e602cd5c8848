"""Retries: backoff math, Retry-After, which methods retry on what, against fault-injecting local servers that
count arrivals (sleeps are recorded, not slept)."""

from __future__ import annotations

import email.utils
import time
from collections.abc import Iterator
from typing import Any

import httpx
import pytest
from dimescheduler_openapi import (
    APIConnectionError,
    APITimeoutError,
    AsyncDimeSchedulerClient,
    ConfigurationError,
    DimeSchedulerClient,
    InternalServerError,
    RateLimitError,
    RetryConfig,
)
from dimescheduler_openapi._call import Call, call
from dimescheduler_openapi._parsing import parse_json
from dimescheduler_openapi._transports.retry import RetryPolicy, parse_retry_after, retry_config
from fakeapi import Reply, Script, serve_api, unused_port

API_KEY = "ak-SECRET-retry-tests"
OK = {"ok": True}


def request(method: str, path: str = "/thing") -> Call[Any]:
    has_body = method in ("POST", "PUT")
    return call(method, path, parse_json, json={"n": 1} if has_body else None, has_body=has_body)


class Recorder:
    """Stands in for time.sleep: records the delays, sleeps nothing."""

    def __init__(self) -> None:
        self.delays: list[float] = []

    def __call__(self, seconds: float) -> None:
        self.delays.append(seconds)


@pytest.fixture
def sleeps() -> Recorder:
    return Recorder()


def config(sleeps: Recorder, **kwargs: Any) -> RetryConfig:
    return RetryConfig(sleep=sleeps, jitter=lambda: 1.0, **kwargs)


def make_client(base_url: str, retry: Any, **kwargs: Any) -> DimeSchedulerClient:
    return DimeSchedulerClient(API_KEY, base_url, retry=retry, **kwargs)


# --- the policy on its own ------------------------------------------------------------------------------


def test_backoff_is_exponential_and_capped() -> None:
    policy = RetryPolicy(RetryConfig(backoff_base=0.5, backoff_cap=8.0, jitter=lambda: 1.0))
    assert [policy.backoff(n) for n in range(7)] == [0.5, 1.0, 2.0, 4.0, 8.0, 8.0, 8.0]


def test_backoff_has_full_jitter() -> None:
    policy = RetryPolicy(RetryConfig(backoff_base=1.0, backoff_cap=100.0, jitter=lambda: 0.25))
    assert [policy.backoff(n) for n in range(3)] == [0.25, 0.5, 1.0]
    real = RetryPolicy(RetryConfig(backoff_base=1.0, backoff_cap=4.0))
    samples = [real.backoff(5) for _ in range(200)]
    assert all(0.0 <= s <= 4.0 for s in samples)
    assert len(set(samples)) > 100  # random, not a fixed value


def test_retries_with_mock_transport_sleep_the_backoff_sequence(sleeps: Recorder) -> None:
    statuses = iter([500, 502, 503, 200])
    seen: list[str] = []

    def handler(req: httpx.Request) -> httpx.Response:
        seen.append(req.method)
        status = next(statuses)
        return httpx.Response(status, json=OK if status == 200 else {"message": "busy"})

    with make_client("https://api.test", config(sleeps), transport=httpx.MockTransport(handler)) as client:
        assert client.execute(request("GET")) == OK
    assert seen == ["GET"] * 4
    assert sleeps.delays == [0.5, 1.0, 2.0]


def test_parse_retry_after() -> None:
    now = 1_700_000_000.0
    assert parse_retry_after("5", now=now) == 5.0
    assert parse_retry_after(" 2.5 ", now=now) == 2.5
    assert parse_retry_after("-3", now=now) == 0.0
    assert parse_retry_after(email.utils.formatdate(now + 42, usegmt=True), now=now) == 42.0
    assert parse_retry_after(email.utils.formatdate(now - 42, usegmt=True), now=now) == 0.0
    for unreadable in (None, "", "soon", "nan"):
        assert parse_retry_after(unreadable, now=now) is None


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (None, 3),
        (True, 3),
        (5, 5),
        (RetryConfig(max_retries=1), 1),
        (False, None),
        (0, None),
        (RetryConfig(max_retries=0), None),
    ],
)
def test_retry_argument(value: Any, expected: int | None) -> None:
    resolved = retry_config(value)
    assert (resolved.max_retries if resolved else None) == expected


@pytest.mark.parametrize(
    ("value", "message"),
    [(-1, "retry must be >= 0"), ("3", "retry must be None, a RetryConfig"), (1.5, "not float")],
)
def test_bad_retry_argument(value: Any, message: str) -> None:
    with pytest.raises(ConfigurationError, match=message):
        DimeSchedulerClient(API_KEY, retry=value)


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"max_retries": -1}, "max_retries must be an int >= 0"),
        ({"backoff_base": -0.1}, "backoff_base"),
        ({"retry_after_cap": float("nan")}, "retry_after_cap"),
    ],
)
def test_bad_retry_config(kwargs: dict[str, Any], message: str) -> None:
    with pytest.raises(ConfigurationError, match=message):
        RetryConfig(**kwargs)


# --- against a local server -----------------------------------------------------------------------------


@pytest.mark.parametrize("status", [500, 503, 429, 502, 408])
@pytest.mark.parametrize("method", ["GET", "PUT", "DELETE"])
def test_idempotent_requests_are_retried_on_transient_statuses(
    sleeps: Recorder, status: int, method: str
) -> None:
    with (
        serve_api(Script([Reply.json({"message": "busy"}, status=status)] * 2)) as api,
        make_client(api.base_url, config(sleeps)) as client,
    ):
        assert client.execute(request(method)) == OK
    assert api.count("/thing", method) == 3
    assert sleeps.delays == [0.5, 1.0]


def test_client_errors_are_not_retried(sleeps: Recorder) -> None:
    with (
        serve_api(Script([Reply.json({"message": "no"}, status=400)])) as api,
        make_client(api.base_url, config(sleeps)) as client,
        pytest.raises(Exception, match="HTTP 400"),
    ):
        client.execute(request("GET"))
    assert api.count() == 1


def test_retry_after_seconds_is_honoured(sleeps: Recorder) -> None:
    with (
        serve_api(Script([Reply(503, headers={"Retry-After": "7"})])) as api,
        make_client(api.base_url, config(sleeps)) as client,
    ):
        assert client.execute(request("GET")) == OK
    assert sleeps.delays == [7.0]
    assert api.count() == 2


def test_retry_after_http_date_is_honoured(sleeps: Recorder) -> None:
    when = email.utils.formatdate(time.time() + 5, usegmt=True)
    with (
        serve_api(Script([Reply(429, headers={"Retry-After": when})])) as api,
        make_client(api.base_url, config(sleeps)) as client,
    ):
        assert client.execute(request("GET")) == OK
    [delay] = sleeps.delays
    assert 3.0 <= delay <= 5.0  # an HTTP date has whole seconds


@pytest.mark.parametrize(("cap", "expected"), [(None, 60.0), (2.5, 2.5)])
def test_retry_after_is_capped(sleeps: Recorder, cap: float | None, expected: float) -> None:
    kwargs = {} if cap is None else {"retry_after_cap": cap}
    with (
        serve_api(Script([Reply(503, headers={"Retry-After": "3600"})])) as api,
        make_client(api.base_url, config(sleeps, **kwargs)) as client,
    ):
        client.execute(request("GET"))
    assert sleeps.delays == [expected]


def test_exhausted_rate_limit_raises_with_retry_after(sleeps: Recorder) -> None:
    limited = Reply.json({"message": "slow down"}, status=429, headers={"Retry-After": "3"})
    with (
        serve_api(Script([], then=limited)) as api,
        make_client(api.base_url, config(sleeps, max_retries=2)) as client,
        pytest.raises(RateLimitError) as caught,
    ):
        client.execute(request("GET"))
    assert caught.value.retry_after == 3.0
    assert api.count() == 3
    assert sleeps.delays == [3.0, 3.0]


@pytest.mark.parametrize(("retry", "arrivals"), [(False, 1), (0, 1), (2, 3)])
def test_retry_argument_limits_attempts(
    sleeps: Recorder, retry: Any, arrivals: int, monkeypatch: Any
) -> None:
    monkeypatch.setattr(time, "sleep", sleeps)  # retry=2 uses the default sleep
    with (
        serve_api(Script([], then=Reply.json({"message": "down"}, status=503))) as api,
        make_client(api.base_url, retry) as client,
        pytest.raises(InternalServerError),
    ):
        client.execute(request("GET"))
    assert api.count() == arrivals


def test_get_after_a_read_timeout_is_retried(sleeps: Recorder) -> None:
    with (
        serve_api(Script([Reply(delay=3.0)])) as api,
        make_client(api.base_url, config(sleeps), timeout=0.3) as client,
    ):
        assert client.execute(request("GET")) == OK
    assert api.count("/thing", "GET") == 2
    assert sleeps.delays == [0.5]


def test_post_after_a_read_timeout_is_not_retried(sleeps: Recorder) -> None:
    with serve_api(Script([Reply(delay=3.0)])) as api:
        with (
            make_client(api.base_url, config(sleeps), timeout=0.3) as client,
            pytest.raises(APITimeoutError),
        ):
            client.execute(request("POST"))
        assert api.count("/thing", "POST") == 1
    assert sleeps.delays == []


def test_post_on_503_with_retry_after_is_retried(sleeps: Recorder) -> None:
    with (
        serve_api(Script([Reply(503, headers={"Retry-After": "1"})])) as api,
        make_client(api.base_url, config(sleeps)) as client,
    ):
        assert client.execute(request("POST")) == OK
    assert api.count("/thing", "POST") == 2
    assert sleeps.delays == [1.0]


def test_post_on_429_is_retried(sleeps: Recorder) -> None:
    with serve_api(Script([Reply(429)])) as api, make_client(api.base_url, config(sleeps)) as client:
        assert client.execute(request("POST")) == OK
    assert api.count("/thing", "POST") == 2


@pytest.mark.parametrize("reply", [Reply(500), Reply(503), Reply(502, headers={"Retry-After": "1"})])
def test_post_on_other_5xx_is_not_retried(sleeps: Recorder, reply: Reply) -> None:
    with (
        serve_api(Script([reply])) as api,
        make_client(api.base_url, config(sleeps)) as client,
        pytest.raises(InternalServerError),
    ):
        client.execute(request("POST"))
    assert api.count("/thing", "POST") == 1
    assert sleeps.delays == []


class CountingTransport(httpx.BaseTransport):
    """Counts attempts; the first `fail_first` raise ConnectError as if the connection was refused."""

    def __init__(self, fail_first: int = 0) -> None:
        self.inner = httpx.HTTPTransport()
        self.attempts = 0
        self.fail_first = fail_first

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        self.attempts += 1
        if self.attempts <= self.fail_first:
            raise httpx.ConnectError("[Errno 111] Connection refused", request=request)
        return self.inner.handle_request(request)

    def close(self) -> None:
        self.inner.close()


def test_post_to_a_refused_port_is_retried_then_raises(sleeps: Recorder) -> None:
    counting = CountingTransport()
    url = f"http://127.0.0.1:{unused_port()}"
    with (
        make_client(url, config(sleeps), transport=counting) as client,
        pytest.raises(APIConnectionError) as caught,
    ):
        client.execute(request("POST"))
    assert counting.attempts == 4
    assert sleeps.delays == [0.5, 1.0, 2.0]
    assert isinstance(caught.value.__cause__, httpx.ConnectError)
    assert "\n" not in str(caught.value)


def test_post_after_connect_errors_reaches_the_server_once(sleeps: Recorder) -> None:
    counting = CountingTransport(fail_first=2)
    with (
        serve_api(Script([])) as api,
        make_client(api.base_url, config(sleeps), transport=counting) as client,
    ):
        assert client.execute(request("POST")) == OK
    assert counting.attempts == 3
    assert api.count("/thing", "POST") == 1


# --- async ----------------------------------------------------------------------------------------------


class AsyncRecorder:
    def __init__(self) -> None:
        self.delays: list[float] = []

    async def __call__(self, seconds: float) -> None:
        self.delays.append(seconds)


@pytest.fixture
def async_api() -> Iterator[Any]:
    with serve_api(Script([Reply(503), Reply(500)])) as api:
        yield api


@pytest.mark.asyncio
async def test_async_get_is_retried_with_an_async_sleep(async_api: Any) -> None:
    recorder = AsyncRecorder()
    retry = RetryConfig(sleep=recorder, jitter=lambda: 1.0)
    async with AsyncDimeSchedulerClient(API_KEY, async_api.base_url, retry=retry) as client:
        assert await client.execute(request("GET")) == OK
    assert async_api.count() == 3
    assert recorder.delays == [0.5, 1.0]


@pytest.mark.asyncio
async def test_async_post_after_a_read_timeout_is_not_retried(sleeps: Recorder) -> None:
    with serve_api(Script([Reply(delay=3.0)])) as api:
        async with AsyncDimeSchedulerClient(
            API_KEY, api.base_url, retry=config(sleeps), timeout=0.3
        ) as client:
            with pytest.raises(APITimeoutError):
                await client.execute(request("POST"))
            assert await client.execute(request("GET")) == OK
        assert api.count("/thing", "POST") == 1


@pytest.mark.asyncio
async def test_async_post_on_503_with_retry_after_is_retried_but_not_on_500(sleeps: Recorder) -> None:
    with serve_api(
        Script([Reply(503, headers={"Retry-After": "2"}), Reply.json({}, status=200), Reply(500)])
    ) as api:
        async with AsyncDimeSchedulerClient(API_KEY, api.base_url, retry=config(sleeps)) as client:
            assert await client.execute(request("POST")) == {}
            with pytest.raises(InternalServerError):
                await client.execute(request("POST"))
    assert api.count("/thing", "POST") == 3
    assert sleeps.delays == [2.0]


@pytest.mark.asyncio
async def test_async_post_to_a_refused_port_is_retried(sleeps: Recorder) -> None:
    url = f"http://127.0.0.1:{unused_port()}"
    async with AsyncDimeSchedulerClient(API_KEY, url, retry=config(sleeps, max_retries=2)) as client:
        with pytest.raises(APIConnectionError) as caught:
            await client.execute(request("POST"))
    assert sleeps.delays == [0.5, 1.0]
    assert isinstance(caught.value.__cause__, httpx.ConnectError)
