"""Errors carry the server's reason (RFC 9457 problem details, Prism's `sl-violations`), in the message, the
CLI's line and each failed import row; retries are logged at INFO and counted in the final error."""

from __future__ import annotations

import json
import logging

import pytest
from dimescheduler_openapi import (
    APIConnectionError,
    BadRequestError,
    DimeSchedulerClient,
    InternalServerError,
    RetryConfig,
)
from dimescheduler_openapi._problem import server_reason
from fakeapi import Received, Reply, serve_api, unused_port
from prism import prism_url  # noqa: F401  (session fixture)

API_KEY = "k-reason-7"
VALIDATION = {
    "type": "https://tools.ietf.org/html/rfc9110#section-15.5.1",
    "title": "One or more validation errors occurred.",
    "status": 400,
    "errors": {"ParameterValues": ["bad value"]},
    "traceId": "00-abc-01",
}


def answer(body: object, status: int = 400, headers: dict[str, str] | None = None):  # type: ignore[no-untyped-def]
    def handler(received: Received) -> Reply:
        return Reply.json(body, status=status, headers=headers)

    return handler


def test_field_errors_of_a_validation_problem_are_in_the_message() -> None:
    with (
        serve_api(answer(VALIDATION)) as api,
        DimeSchedulerClient(API_KEY, api.base_url) as client,
        pytest.raises(BadRequestError) as caught,
    ):
        client.categories.get_all()
    message = str(caught.value)
    assert "One or more validation errors occurred.; ParameterValues: bad value" in message
    assert caught.value.body == VALIDATION  # the whole answer is still there


def test_many_field_errors_are_cut_with_a_count() -> None:
    errors = {f"Field{i}": [f"problem {i}"] for i in range(7)}
    reason = server_reason({"title": "Invalid", "detail": "Fix the fields", "errors": errors})
    assert reason == (
        "Invalid; Fix the fields; Field0: problem 0; Field1: problem 1; Field2: problem 2; and 4 more"
    )


def test_problem_details_in_other_shapes() -> None:
    assert server_reason({"title": "Conflict", "detail": "Conflict"}) == "Conflict"
    assert (
        server_reason({"errors": [{"field": "jobNo", "message": "is required"}, "plain"]})
        == "jobNo: is required; plain"
    )
    assert server_reason({"message": "nope"}) == "nope"
    assert server_reason("  text\n body ") == "text body"
    assert server_reason({"unrelated": 1}) is None


def test_prism_violations_header_is_in_the_message() -> None:
    violations = [
        {
            "location": ["request", "body", "name"],
            "severity": "Error",
            "code": "required",
            "message": "must have required property 'name'",
        },
        {
            "location": ["request", "body", "color"],
            "severity": "Error",
            "code": "type",
            "message": "must be string",
        },
    ]
    headers = {"sl-violations": json.dumps(violations)}
    with (
        serve_api(answer({}, 422, headers)) as api,
        DimeSchedulerClient(API_KEY, api.base_url) as client,
        pytest.raises(Exception) as caught,
    ):
        client.categories.create({"name": "A", "displayName": "A", "color": "#fff"})
    message = str(caught.value)
    assert "request.body.name: must have required property 'name'" in message
    assert "request.body.color: must be string" in message


def test_retries_are_logged_at_info_and_counted_in_the_error(caplog: pytest.LogCaptureFixture) -> None:
    config = RetryConfig(max_retries=2, sleep=lambda seconds: None, jitter=lambda: 0.5)
    caplog.set_level(logging.INFO, logger="dimescheduler_openapi")
    with (
        serve_api(answer({"title": "down"}, 500)) as api,
        DimeSchedulerClient(API_KEY, api.base_url, retry=config) as client,
        pytest.raises(InternalServerError) as caught,
    ):
        client.jobs.get("J1")
    assert str(caught.value).endswith("(after 3 attempts)")
    retries = [r for r in caplog.records if r.levelno == logging.INFO and "retrying" in r.getMessage()]
    assert [r.getMessage() for r in retries] == [
        "retrying GET /job/J1 after HTTP 500 Internal Server Error (attempt 1 of 3 failed); waiting 0.25 s",
        "retrying GET /job/J1 after HTTP 500 Internal Server Error (attempt 2 of 3 failed); waiting 0.50 s",
    ]


def test_connection_errors_count_their_attempts() -> None:
    config = RetryConfig(max_retries=1, sleep=lambda seconds: None)
    with (
        DimeSchedulerClient(API_KEY, f"http://127.0.0.1:{unused_port()}", retry=config) as client,
        pytest.raises(APIConnectionError) as caught,
    ):
        client.jobs.get("J1")
    assert str(caught.value).endswith("(after 2 attempts)")


def test_one_attempt_says_nothing_about_attempts() -> None:
    with (
        serve_api(answer(VALIDATION)) as api,
        DimeSchedulerClient(API_KEY, api.base_url) as client,
        pytest.raises(BadRequestError) as caught,
    ):
        client.categories.get_all()
    assert "attempt" not in str(caught.value)


@pytest.mark.node
def test_the_mocks_reason_is_in_the_message(prism_url: str) -> None:  # noqa: F811
    """Against Prism itself: a body that breaks the document is refused with the violations in the message."""
    from dimescheduler_openapi._call import call
    from dimescheduler_openapi._parsing import parse_mutation

    body = {"name": "no display name or color"}
    with (
        DimeSchedulerClient(api_key="test-key", environment=prism_url, retry=False) as client,
        pytest.raises(BadRequestError) as refused,
    ):
        client.execute(call("POST", "/category", parse_mutation, json=body, has_body=True))
    message = str(refused.value)
    assert "request.body: Request body must have required property 'displayName'" in message, message
    assert "color" in message
