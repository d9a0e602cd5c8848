"""Every error class survives pickling (process pools) with its message, status and the fields users read,
and its pickled bytes hold no secret. Errors are made the way users meet them: from clients answered by an
in-process transport or a local server."""

from __future__ import annotations

import json
import multiprocessing
import pickle
from collections.abc import Callable, Iterator
from concurrent.futures import ProcessPoolExecutor
from typing import Any

import dimescheduler_openapi
import httpx
import pytest
from dimescheduler_openapi import (
    APIStatusError,
    BulkImportError,
    DimeSchedulerClient,
    DimeSchedulerError,
    MutationFailedError,
    NotFoundError,
    RateLimitError,
    procedures,
    run_bulk_sync,
)
from dimescheduler_openapi._call import call
from dimescheduler_openapi._parsing import parse_json
from fakeapi import make_jwt
from reachable import leaked

API_KEY = "ak-SECRET-pickling-0b7d"
PASSWORD = "pw-SECRET-pickling-91ce"
TOKEN = make_jwt(None, jti=31337)
SECRETS = [API_KEY, PASSWORD, TOKEN]
FAILED_ENVELOPE = {
    "content": json.dumps({"Success": False, "Error": "Procedure failed", "Description": "bad colour"}),
    "contentType": "application/json",
    "statusCode": 400,
}


def answering(status: int, **kwargs: Any) -> DimeSchedulerClient:
    """An API-key client whose every request gets this answer (headers carry a request id and a cookie)."""
    headers = {"X-Request-Id": "req-42", "Set-Cookie": f"s={TOKEN}", **kwargs.pop("headers", {})}
    transport = httpx.MockTransport(lambda request: httpx.Response(status, headers=headers, **kwargs))
    return DimeSchedulerClient(API_KEY, "https://api.test", transport=transport, retry=False)


def failing(exc: type[httpx.TransportError]) -> DimeSchedulerClient:
    def handler(request: httpx.Request) -> httpx.Response:
        raise exc("it broke", request=request)

    return DimeSchedulerClient(
        API_KEY, "https://api.test", transport=httpx.MockTransport(handler), retry=False
    )


def jwt_refused() -> DimeSchedulerClient:
    transport = httpx.MockTransport(lambda request: httpx.Response(401, json={"message": "wrong password"}))
    return DimeSchedulerClient(
        environment="https://api.test", username="u", password=PASSWORD, transport=transport, retry=False
    )


def raised(action: Callable[[], Any]) -> DimeSchedulerError:
    with pytest.raises(DimeSchedulerError) as caught:
        action()
    return caught.value


def broken_input() -> Iterator[Any]:
    yield procedures.pin.append({"name": "P0", "color": "#00FF00"})
    raise OSError("disk went away")


def all_errors() -> dict[str, DimeSchedulerError]:
    ping = call("GET", "/ping", parse_json)
    category = {"name": "A", "displayName": "A", "color": "#000000"}
    errors: dict[str, DimeSchedulerError] = {
        f"HTTP {status}": raised(
            lambda status=status: answering(status, json={"message": "no"}).execute(ping)
        )
        for status in (400, 401, 403, 404, 409, 418, 422, 500, 503)
    }
    errors["HTTP 429"] = raised(lambda: answering(429, headers={"Retry-After": "7"}).execute(ping))
    errors["HTTP 302"] = raised(
        lambda: answering(302, headers={"Location": "https://x.test/a?k=1"}).execute(ping)
    )
    errors["HTML under 200"] = raised(lambda: answering(200, html="<html>proxy</html>").categories.get_all())
    errors["failed envelope"] = raised(
        lambda: answering(200, json=FAILED_ENVELOPE).categories.create(category)
    )
    errors["connect error"] = raised(lambda: failing(httpx.ConnectError).execute(ping))
    errors["read timeout"] = raised(lambda: failing(httpx.ReadTimeout).execute(ping))
    errors["refused token"] = raised(lambda: jwt_refused().execute(ping))
    errors["repeated pages"] = raised(
        lambda: list(answering(200, json=[{"taskNo": "T"}]).tasks.iter_all(page_size=1))
    )
    errors["key in the environment query"] = raised(
        lambda: DimeSchedulerClient(environment="https://api.test?key=" + API_KEY)
    )
    errors["dot segment"] = raised(lambda: answering(200).jobs.get(".."))
    errors["bad import value"] = raised(
        lambda: procedures.appointment.append({"planningQuantity": "lots", "appointmentId": 1})
    )
    errors["broken input"] = raised(
        lambda: run_bulk_sync(answering(200, json=FAILED_ENVELOPE), broken_input(), chunk_size=1)
    )
    errors["too large"] = raised(
        lambda: DimeSchedulerClient(
            api_key=API_KEY,
            environment="https://api.test",
            transport=httpx.MockTransport(
                lambda request: httpx.Response(200, content=b"[" + b" " * 2048 + b"]")
            ),
            max_response_bytes=1024,
        ).execute(ping)
    )
    errors["unsupported"] = dimescheduler_openapi.UnsupportedOperationError("GET /gone is not in the client")
    errors["base"] = DimeSchedulerError("something")
    errors["api error"] = dimescheduler_openapi.APIError(
        "something else", request=httpx.Request("GET", "https://x")
    )
    return errors


ERRORS = all_errors()
FIELDS = (
    "message",
    "status_code",
    "body",
    "request_id",
    "retry_after",
    "location",
    "expected",
    "status",
    "error",
    "description",
    "report",
)


def test_every_error_class_is_covered() -> None:
    def subclasses(cls: type[Any]) -> set[type[Any]]:
        return {cls} | {c for sub in cls.__subclasses__() for c in subclasses(sub)}

    ours = {c for c in subclasses(DimeSchedulerError) if c.__module__.startswith("dimescheduler_openapi")}
    assert {type(error) for error in ERRORS.values()} == ours


@pytest.mark.parametrize("name", sorted(ERRORS))
def test_errors_round_trip_through_pickle(name: str) -> None:
    error = ERRORS[name]
    data = pickle.dumps(error)
    clone = pickle.loads(data)
    assert type(clone) is type(error) and str(clone) == str(error) and clone.args == error.args
    for field in FIELDS:
        if hasattr(error, field):
            assert getattr(clone, field) == getattr(error, field), field
    if isinstance(error, APIStatusError):
        assert dict(clone.headers) == dict(error.headers)
        assert (
            clone.response.status_code == error.status_code
            and clone.response.content == error.response.content
        )
    request = getattr(error, "request", None)
    if request is not None:
        assert (clone.request.method, clone.request.url) == (request.method, request.url)
    assert leaked(data, SECRETS) == [] and leaked(error, SECRETS) == []


def test_the_fields_are_what_users_read() -> None:
    limited = ERRORS["HTTP 429"]
    assert (
        isinstance(limited, RateLimitError) and limited.retry_after == 7.0 and limited.request_id == "req-42"
    )
    assert limited.headers["set-cookie"] == "[redacted]"
    failed = ERRORS["failed envelope"]
    assert isinstance(failed, MutationFailedError)
    assert (failed.status, failed.error, failed.description) == (400, "Procedure failed", "bad colour")
    broken = ERRORS["broken input"]
    assert isinstance(broken, BulkImportError) and broken.report.records == 1


def raise_in_worker(kind: str) -> None:
    """Runs in a child process: raise an error the way a client would."""
    request = httpx.Request("GET", "https://api.test/job/J1", headers={"X-API-KEY": API_KEY})
    if kind == "not found":
        from dimescheduler_openapi._errors import status_error

        raise status_error(httpx.Response(404, json={"message": "no job J1"}, request=request))
    if kind == "rate limit":
        from dimescheduler_openapi._errors import status_error

        raise status_error(
            httpx.Response(429, headers={"Retry-After": "3"}, request=request), retry_after=3.0
        )
    from dimescheduler_openapi._parsing import parse_mutation

    parse_mutation(httpx.Response(200, json=FAILED_ENVELOPE, request=request))


@pytest.mark.parametrize(
    ("kind", "error", "check"),
    [
        ("not found", NotFoundError, lambda e: e.status_code == 404 and e.body == {"message": "no job J1"}),
        ("rate limit", RateLimitError, lambda e: e.retry_after == 3.0),
        ("failed envelope", MutationFailedError, lambda e: e.description == "bad colour"),
    ],
)
def test_errors_cross_a_process_pool(kind: str, error: type[Exception], check: Callable[[Any], bool]) -> None:
    with ProcessPoolExecutor(max_workers=1, mp_context=multiprocessing.get_context("spawn")) as pool:
        future = pool.submit(raise_in_worker, kind)
        with pytest.raises(error) as caught:
            future.result(timeout=60)
    assert check(caught.value)
    assert leaked(caught.value, [API_KEY]) == []
