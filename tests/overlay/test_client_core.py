"""The clients' core: executing Calls, typed errors, timeouts, injection of httpx pieces, `raw`,
`capture_response`, lifecycle, the public API and a cheap import."""

from __future__ import annotations

import asyncio
import inspect
import os
import subprocess
import sys
import threading
from pathlib import Path
from typing import Any

import dimescheduler  # type: ignore[import-untyped]
import dimescheduler_openapi
import httpx
import pytest
from dimescheduler_openapi import (
    APIConnectionError,
    APIStatusError,
    APITimeoutError,
    AsyncDimeSchedulerClient,
    AuthenticationError,
    BadRequestError,
    ConfigurationError,
    ConflictError,
    DimeSchedulerClient,
    Environment,
    InternalServerError,
    NotFoundError,
    PermissionDeniedError,
    RateLimitError,
    UnprocessableEntityError,
)
from dimescheduler_openapi._call import Call, call
from dimescheduler_openapi._parsing import parse_json
from dimescheduler_openapi._version import __version__
from dimescheduler_raw.api.job import job_get_job
from fakeapi import Received, Reply, Script, serve_api, unused_port

API_KEY = "ak-SECRET-core-tests"
ROOT = Path(__file__).resolve().parents[2]


def echo(received: Received) -> Reply:
    if received.path == "/job":  # what the generated job_get_job can parse
        return Reply.json([], headers={"X-Echo-Path": received.path})
    return Reply.json(
        {
            "method": received.method,
            "path": received.path,
            "query": received.query,
            "body": received.body.decode(),
        },
        headers={"X-Echo-Path": received.path},
    )


def ping(path: str = "/ping") -> Call[Any]:
    return call("GET", path, parse_json)


# --- execute --------------------------------------------------------------------------------------------


def test_execute_sends_method_path_repeated_params_and_json_body() -> None:
    with serve_api(echo) as api, DimeSchedulerClient(API_KEY, api.base_url) as client:
        answer = client.execute(
            call(
                "POST",
                "/appointment/ab%2Fc",
                parse_json,
                params=[("resourceNo", "R1"), ("resourceNo", "R2"), ("from", "2026-01-01")],
                json={"jobNo": "J-1", "note": "café"},
                has_body=True,
            )
        )
    assert answer == {
        "method": "POST",
        "path": "/appointment/ab%2Fc",
        "query": [["resourceNo", "R1"], ["resourceNo", "R2"], ["from", "2026-01-01"]],
        "body": '{"jobNo":"J-1","note":"café"}',
    }
    headers = api.received[0].headers
    assert headers["content-type"] == "application/json"
    assert headers["user-agent"] == f"dimescheduler-openapi-python/{__version__}"
    assert headers["accept"] == "application/json"


def test_a_body_of_none_is_sent_as_json_null_and_no_body_means_none_sent() -> None:
    with serve_api(echo) as api, DimeSchedulerClient(API_KEY, api.base_url) as client:
        assert client.execute(call("DELETE", "/x", parse_json, json=None, has_body=True))["body"] == "null"
        assert client.execute(call("DELETE", "/x", parse_json, json={"ignored": 1}))["body"] == ""
    assert "content-type" not in api.received[1].headers


def test_extra_headers_are_merged_and_may_replace_the_user_agent() -> None:
    with serve_api(echo) as api:
        headers = {"X-Tenant": "north", "User-Agent": "my-app/2"}
        with DimeSchedulerClient(API_KEY, api.base_url, headers=headers) as client:
            client.execute(ping())
    received = api.received[0].headers
    assert received["x-tenant"] == "north"
    assert received["user-agent"] == "my-app/2"
    assert received["x-api-key"] == API_KEY


@pytest.mark.parametrize(
    ("status", "error"),
    [
        (400, BadRequestError),
        (401, AuthenticationError),
        (403, PermissionDeniedError),
        (404, NotFoundError),
        (409, ConflictError),
        (422, UnprocessableEntityError),
        (418, APIStatusError),
        (500, InternalServerError),
    ],
)
def test_error_statuses_raise_typed_errors(status: int, error: type[APIStatusError]) -> None:
    reply = Reply.json({"message": "went\nwrong"}, status=status)
    with (
        serve_api(Script([], then=reply)) as api,
        DimeSchedulerClient(API_KEY, api.base_url, retry=False) as c,
        pytest.raises(APIStatusError) as caught,
    ):
        c.execute(ping("/job"))
    assert type(caught.value) is error
    assert caught.value.status_code == status
    assert caught.value.body == {"message": "went\nwrong"}
    assert str(caught.value).startswith(f"HTTP {status} ")
    assert str(caught.value).endswith("from GET /job: went wrong")


def test_rate_limit_error_carries_retry_after() -> None:
    reply = Reply.json({"message": "slow"}, status=429, headers={"Retry-After": "12"})
    with (
        serve_api(Script([reply])) as api,
        DimeSchedulerClient(API_KEY, api.base_url, retry=False) as c,
        pytest.raises(RateLimitError) as caught,
    ):
        c.execute(ping())
    assert caught.value.retry_after == 12.0


def test_connection_refused_is_an_api_connection_error() -> None:
    url = f"http://127.0.0.1:{unused_port()}"
    with (
        DimeSchedulerClient(API_KEY, url, retry=False) as client,
        pytest.raises(APIConnectionError) as caught,
    ):
        client.execute(call("GET", "/job", parse_json, params=[("q", "1")]))
    assert not isinstance(caught.value, APITimeoutError)
    assert isinstance(caught.value.__cause__, httpx.ConnectError)
    assert str(caught.value).startswith(f"GET {url}/job failed: ConnectError")
    assert "\n" not in str(caught.value)


def test_read_timeout_is_an_api_timeout_error() -> None:
    with (
        serve_api(Script([Reply(delay=3.0)])) as api,
        DimeSchedulerClient(API_KEY, api.base_url, timeout=0.2, retry=False) as client,
        pytest.raises(APITimeoutError, match=r"^GET http://.*/ping timed out \(ReadTimeout\)$") as caught,
    ):
        client.execute(ping())
    assert isinstance(caught.value.__cause__, httpx.ReadTimeout)


def test_per_call_timeout_overrides_the_client_timeout() -> None:
    slow = Reply(200, b"{}", {"Content-Type": "application/json"}, delay=0.5)
    with serve_api(lambda r: slow) as api:
        with (
            DimeSchedulerClient(API_KEY, api.base_url, timeout=10.0, retry=False) as client,
            pytest.raises(APITimeoutError),
        ):
            client.execute(ping(), timeout=0.1)
        with DimeSchedulerClient(API_KEY, api.base_url, timeout=0.1, retry=False) as client:
            assert client.execute(ping(), timeout=5.0) == {}


@pytest.mark.asyncio
async def test_async_execute_and_errors() -> None:
    with serve_api(Script([Reply.json({"message": "gone"}, status=404)], then=Reply.json([1, 2]))) as api:
        async with AsyncDimeSchedulerClient(API_KEY, api.base_url) as client:
            with pytest.raises(NotFoundError, match="from GET /job: gone"):
                await client.execute(ping("/job"))
            assert await client.execute(ping("/job")) == [1, 2]
    url = f"http://127.0.0.1:{unused_port()}"
    async with AsyncDimeSchedulerClient(API_KEY, url, retry=False) as client:
        with pytest.raises(APIConnectionError):
            await client.execute(ping())


# --- injecting httpx pieces -----------------------------------------------------------------------------


def test_custom_transport_is_used_under_auth_and_retries() -> None:
    seen: list[httpx.Request] = []

    def handler(request: httpx.Request) -> httpx.Response:
        seen.append(request)
        return httpx.Response(503 if len(seen) == 1 else 200, json={"n": len(seen)})

    retry = dimescheduler_openapi.RetryConfig(sleep=lambda s: None)
    with DimeSchedulerClient(API_KEY, transport=httpx.MockTransport(handler), retry=retry) as client:
        assert client.execute(ping()) == {"n": 2}
    assert [str(r.url) for r in seen] == ["https://api.dimescheduler.com/ping"] * 2
    assert seen[0].headers["x-api-key"] == API_KEY


def test_injected_http_client_is_wired_and_closed_with_the_client() -> None:
    with serve_api(Script([Reply(503)])) as api:
        http = httpx.Client(headers={"X-Tenant": "south"})
        retry = dimescheduler_openapi.RetryConfig(sleep=lambda s: None)
        with DimeSchedulerClient(API_KEY, api.base_url, http_client=http, retry=retry, timeout=7.0) as client:
            assert client.execute(ping()) == {"ok": True}
            assert http.timeout == httpx.Timeout(7.0)
        assert http.is_closed
    assert api.count("/ping") == 2  # retried through the injected client's own transport
    headers = api.received[1].headers
    assert (headers["x-api-key"], headers["x-tenant"]) == (API_KEY, "south")
    assert headers["user-agent"].startswith("dimescheduler-openapi-python/")


def test_proxy_mounts_of_an_injected_client_get_retries_too() -> None:
    calls: list[str] = []

    def handler(request: httpx.Request) -> httpx.Response:
        calls.append(str(request.url))
        return httpx.Response(500 if len(calls) == 1 else 200, json={})

    mounted = httpx.Client(mounts={"https://": httpx.MockTransport(handler)})
    retry = dimescheduler_openapi.RetryConfig(sleep=lambda s: None)
    with DimeSchedulerClient(API_KEY, Environment.SANDBOX, http_client=mounted, retry=retry) as client:
        client.execute(ping())
    assert calls == ["https://sandbox.api.dimescheduler.com/ping"] * 2


@pytest.mark.asyncio
async def test_injected_async_http_client() -> None:
    with serve_api(echo) as api:
        http = httpx.AsyncClient(headers={"X-Tenant": "east"})
        async with AsyncDimeSchedulerClient(API_KEY, api.base_url, http_client=http) as client:
            assert (await client.execute(ping()))["path"] == "/ping"
        assert http.is_closed
    assert api.received[0].headers["x-tenant"] == "east"


def test_httpx_keyword_arguments_reach_the_httpx_client() -> None:
    # Changed in issue 9: this used follow_redirects=True, which is now refused (test_credentials.py).
    seen: list[str] = []

    def hook(request: httpx.Request) -> None:
        seen.append(request.url.path)

    with (
        serve_api(echo) as api,
        DimeSchedulerClient(API_KEY, api.base_url, event_hooks={"request": [hook]}) as client,
    ):
        assert client.execute(ping("/old"))["path"] == "/old"
    assert seen == ["/old"]


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"http_client": httpx.AsyncClient()}, "http_client must be an httpx.Client, not AsyncClient"),
        (
            {"http_client": httpx.Client(), "transport": httpx.HTTPTransport()},
            "either http_client= or transport=",
        ),
        ({"http_client": httpx.Client(), "verify": False}, "either http_client= or verify="),
        ({"transport": httpx.AsyncHTTPTransport()}, "transport must be an httpx.BaseTransport"),
        ({"base_url": "https://x"}, "base_url= cannot be passed through to httpx"),
        ({"auth": ("u", "p")}, "auth= cannot be passed through to httpx"),
        ({"headers": {"A": 1}}, "headers must map str to str"),
    ],
)
def test_bad_httpx_arguments_are_configuration_errors(kwargs: dict[str, Any], message: str) -> None:
    with pytest.raises(ConfigurationError, match=message):
        DimeSchedulerClient(API_KEY, **kwargs)


def test_bad_async_httpx_arguments_are_configuration_errors() -> None:
    with pytest.raises(ConfigurationError, match=r"httpx\.AsyncClient, not Client"):
        AsyncDimeSchedulerClient(API_KEY, http_client=httpx.Client())  # type: ignore[arg-type]
    with pytest.raises(ConfigurationError, match=r"transport must be an httpx\.AsyncBaseTransport"):
        AsyncDimeSchedulerClient(API_KEY, transport=httpx.HTTPTransport())  # type: ignore[arg-type]


# --- raw ------------------------------------------------------------------------------------------------


def test_raw_client_shares_auth_and_retries() -> None:
    with serve_api(Script([Reply(503)], then=Reply.json([{"jobNo": "J-7", "name": "Boiler"}]))) as api:
        retry = dimescheduler_openapi.RetryConfig(sleep=lambda s: None)
        with DimeSchedulerClient(API_KEY, api.base_url, retry=retry) as client:
            jobs = job_get_job.sync(client=client.raw)
            assert client.raw is client.raw
    assert isinstance(jobs, list)
    assert [(job.job_no, job.name) for job in jobs] == [("J-7", "Boiler")]
    assert api.count("/job") == 2
    assert all(r.headers["x-api-key"] == API_KEY for r in api.received)


@pytest.mark.asyncio
async def test_async_raw_client() -> None:
    with serve_api(lambda r: Reply.json([{"jobNo": "J-8"}])) as api:
        async with AsyncDimeSchedulerClient(API_KEY, api.base_url) as client:
            jobs = await job_get_job.asyncio(client=client.raw)
    assert isinstance(jobs, list)
    assert jobs[0].job_no == "J-8"
    assert api.received[0].headers["x-api-key"] == API_KEY


# --- capture_response -----------------------------------------------------------------------------------


def test_capture_response_gives_status_and_headers() -> None:
    with serve_api(echo) as api, DimeSchedulerClient(API_KEY, api.base_url) as client:
        client.execute(ping("/before"))
        with client.capture_response() as captured:
            assert captured.response is None
            client.execute(ping("/first"))
            client.execute(ping("/second"))
        client.execute(ping("/after"))
        with client.capture_response() as raw_captured:
            job_get_job.sync_detailed(client=client.raw)
    assert captured.response is not None
    assert captured.response.status_code == 200
    assert captured.response.headers["x-echo-path"] == "/second"
    assert captured.response.elapsed.total_seconds() > 0 and captured.response.json()["path"] == "/second"
    assert raw_captured.response is not None and raw_captured.response.headers["x-echo-path"] == "/job"


def test_capture_response_records_error_answers_too() -> None:
    with (
        serve_api(Script([Reply.json({}, status=404)])) as api,
        DimeSchedulerClient(API_KEY, api.base_url) as c,
    ):
        captured_block = c.capture_response()
        with captured_block as captured, pytest.raises(NotFoundError):
            c.execute(ping())
    assert captured.response is not None and captured.response.status_code == 404


def test_capture_response_is_per_thread() -> None:
    entered = threading.Barrier(2, timeout=10)
    a_done = threading.Event()
    seen: dict[str, str | None] = {}

    with serve_api(echo) as api, DimeSchedulerClient(API_KEY, api.base_url) as client:

        def worker(name: str) -> None:
            with client.capture_response() as captured:
                entered.wait()  # both blocks are open before anything is sent
                if name == "b":
                    a_done.wait(10)
                client.execute(ping(f"/{name}"))
                if name == "a":
                    a_done.set()
            seen[name] = captured.response.headers["x-echo-path"] if captured.response else None

        threads = [threading.Thread(target=worker, args=(name,)) for name in ("a", "b")]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(15)
    assert seen == {"a": "/a", "b": "/b"}


@pytest.mark.asyncio
async def test_capture_response_is_per_task() -> None:
    with serve_api(echo) as api:
        async with AsyncDimeSchedulerClient(API_KEY, api.base_url) as client:
            both_open = asyncio.Barrier(2)

            async def task(name: str) -> str | None:
                with client.capture_response() as captured:
                    await both_open.wait()
                    await client.execute(ping(f"/{name}"))
                    await asyncio.sleep(0.05)  # let the other task's answer arrive inside this block
                return captured.response.headers["x-echo-path"] if captured.response else None

            results = await asyncio.wait_for(asyncio.gather(task("a"), task("b")), timeout=15)
    assert list(results) == ["/a", "/b"]


def test_capture_response_only_records_its_own_client() -> None:
    with (
        serve_api(echo) as api,
        DimeSchedulerClient(API_KEY, api.base_url) as one,
        DimeSchedulerClient(API_KEY, api.base_url) as two,
        one.capture_response() as captured,
    ):
        one.execute(ping("/one"))
        two.execute(ping("/two"))
    assert captured.response is not None and captured.response.headers["x-echo-path"] == "/one"


# --- lifecycle and public API ---------------------------------------------------------------------------


def test_close_and_context_manager() -> None:
    with DimeSchedulerClient(API_KEY) as client:
        assert not client._http.is_closed
    assert client._http.is_closed
    client.close()  # closing twice is harmless
    other = DimeSchedulerClient(API_KEY)
    other.close()
    assert other._http.is_closed


@pytest.mark.asyncio
async def test_async_close_and_context_manager() -> None:
    async with AsyncDimeSchedulerClient(API_KEY) as client:
        assert not client._http.is_closed
    assert client._http.is_closed
    other = AsyncDimeSchedulerClient(API_KEY)
    await other.aclose()
    assert other._http.is_closed


def test_vendor_style_construction_keeps_working() -> None:
    with DimeSchedulerClient(API_KEY, Environment.Sandbox, timeout=5.0, headers={"X": "y"}, retry=None) as a:
        assert a.base_url == "https://sandbox.api.dimescheduler.com"
    with DimeSchedulerClient(API_KEY, dimescheduler.Environment.Test) as b:
        assert b.environment is Environment.TEST


def test_signature_is_a_superset_of_the_vendor_client() -> None:
    ours = inspect.signature(DimeSchedulerClient).parameters
    vendor = inspect.signature(dimescheduler.DimeSchedulerClient).parameters
    for name, parameter in vendor.items():
        assert name in ours, name
        assert ours[name].kind == parameter.kind, name
    assert list(ours)[:2] == list(vendor)[:2] == ["api_key", "environment"]
    assert ours["timeout"].default == vendor["timeout"].default == 30.0


def test_public_api() -> None:
    from dimescheduler_openapi import _errors

    assert set(_errors.__all__) <= set(dimescheduler_openapi.__all__)
    for name in dimescheduler_openapi.__all__:
        assert getattr(dimescheduler_openapi, name) is not None
    assert dimescheduler_openapi.__version__ == __version__
    assert {
        "DimeSchedulerClient",
        "AsyncDimeSchedulerClient",
        "Environment",
        "RetryConfig",
        "MutationResult",
    } <= set(dimescheduler_openapi.__all__)
    with pytest.raises(AttributeError, match="has no attribute 'Nope'"):
        dimescheduler_openapi.Nope  # noqa: B018


def test_import_is_cheap_and_loads_clients_lazily() -> None:
    code = (
        "import sys, dimescheduler_openapi as d\n"
        "heavy = [m for m in sys.modules if m.startswith('dimescheduler_raw') or m == 'dimescheduler_openapi._client']\n"
        "print(heavy)\n"
        "d.DimeSchedulerClient\n"
        "print('dimescheduler_openapi._client' in sys.modules)\n"
    )
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(ROOT / "overlay"), str(ROOT / "generated")])}
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=env, timeout=60)
    assert result.returncode == 0, result.stderr
    assert result.stdout.splitlines() == ["[]", "True"]


@pytest.mark.parametrize("bad", [-1, 0, "30", httpx.Timeout(5.0, read=-2.0)])
def test_bad_client_timeout_is_a_configuration_error(bad: Any) -> None:
    with pytest.raises(ConfigurationError, match="timeout"):
        DimeSchedulerClient(api_key="k", environment="http://127.0.0.1:1", timeout=bad)


def test_bad_call_timeout_is_refused_before_sending() -> None:
    from dimescheduler_openapi import InvalidRequestError

    sent: list[httpx.Request] = []

    def handler(request: httpx.Request) -> httpx.Response:
        sent.append(request)
        return httpx.Response(200, json=[])

    with DimeSchedulerClient(
        api_key="k", environment="http://127.0.0.1:1", transport=httpx.MockTransport(handler)
    ) as client:
        with pytest.raises(InvalidRequestError, match="timeout"):
            client.categories.get_all(timeout=-5)
        assert client.categories.get_all(timeout=None) == [] and len(sent) == 1
