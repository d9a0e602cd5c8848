"""Every answer to a read that is not what the route documents raises the library's typed error, with the
status and the body: pages that are not JSON, empty bodies, redirects, and JSON of another shape (which used
to become all-unset models without a word). Against local servers, sync and async."""

from __future__ import annotations

import warnings
from collections.abc import Callable
from typing import Any

import pytest
from dimescheduler_openapi import (
    APIStatusError,
    AsyncDimeSchedulerClient,
    DimeSchedulerClient,
    RedirectError,
    UnexpectedResponseError,
    strict_responses,
)
from fakeapi import Reply, Script, serve_api

API_KEY = "ak-SECRET-read-outcomes"

Read = Callable[[Any], Any]

READS: dict[str, Read] = {
    "categories.get_all (a list)": lambda c: c.categories.get_all(),
    "jobs.get (one object)": lambda c: c.jobs.get("J1"),
    "notifications.get (a page)": lambda c: c.notifications.get(1, 10),
}

NOT_JSON: dict[str, tuple[Reply, str]] = {
    "html page": (
        Reply(200, b"<html><head><title>Sign in</title></head></html>", {"Content-Type": "text/html"}),
        "got an HTML page: '<html><head><title>Sign in</title></head></html>'",
    ),
    "truncated json": (
        Reply(200, b'[{"name": "Boil', {"Content-Type": "application/json"}),
        """got text that is not JSON: '[{"name": "Boil'""",
    ),
    "empty 200": (Reply(200), "got an empty body"),
    "204": (Reply(204), "got HTTP 204"),  # the document defines only 200 for every read
    "plain text": (
        Reply(200, b"Service temporarily unavailable", {"Content-Type": "text/plain"}),
        "got text",
    ),
}


def read_error(reply: Reply, read: Read) -> APIStatusError:
    with (
        serve_api(Script([], then=reply)) as api,
        DimeSchedulerClient(API_KEY, api.base_url) as client,
        pytest.raises(APIStatusError) as caught,
    ):
        read(client)
    error = caught.value
    assert "\n" not in str(error)
    return error


@pytest.mark.parametrize("read_name", sorted(READS))
@pytest.mark.parametrize("answer", sorted(NOT_JSON))
def test_answers_that_are_not_json_raise_with_status_and_text(read_name: str, answer: str) -> None:
    reply, description = NOT_JSON[answer]
    error = read_error(reply, READS[read_name])
    assert type(error) is UnexpectedResponseError
    assert error.status_code == reply.status
    assert description in str(error)
    assert error.body == (reply.body.decode() if reply.body else None)
    assert error.response.status_code == reply.status and error.response.content == reply.body


def test_a_redirected_read_is_a_redirect_error_without_the_query() -> None:
    reply = Reply(302, headers={"Location": "https://login.example/sso?return=/job/J1&ticket=SECRET-t"})
    error = read_error(reply, READS["jobs.get (one object)"])
    assert isinstance(error, RedirectError)
    assert error.location == "https://login.example/sso" and "SECRET" not in str(error)
    assert str(error) == (
        "HTTP 302 Found from GET /job/J1: redirected to https://login.example/sso (the client does not follow "
        "redirects; check the environment URL)"
    )


@pytest.mark.parametrize(
    ("read_name", "body", "got"),
    [
        ("categories.get_all (a list)", {"errors": ["x"]}, "got a JSON object with keys 'errors'"),
        ("categories.get_all (a list)", "ok", "got a JSON string"),
        ("categories.get_all (a list)", None, "got JSON null"),
        (
            "categories.get_all (a list)",
            ["ab", "cd"],
            "got item 0: a JSON string",
        ),  # dict("ab") == {"a": "b"}
        ("categories.get_all (a list)", [{"name": "A"}, 5], "got item 1: the JSON value 5"),
        (
            "categories.get_all (a list)",
            [{"Name": "A", "Colour": "red"}],
            "got item 0: a JSON object with keys 'Name', 'Colour', none of them a field of CategoryListItem",
        ),
        ("jobs.get (one object)", [{"jobNo": "J1"}], "got a JSON array"),
        ("jobs.get (one object)", [["jobNo", "J1"]], "got a JSON array"),  # dict([...]) would read the pair
        ("jobs.get (one object)", {"message": "no such job"}, "none of them a field of JobListItem"),
        ("notifications.get (a page)", [], "got a JSON array"),
        ("notifications.get (a page)", {"items": [], "count": 0}, "none of them a field of"),
    ],
)
def test_json_of_another_shape_raises_instead_of_an_empty_model(read_name: str, body: Any, got: str) -> None:
    error = read_error(Reply.json(body), READS[read_name])
    assert type(error) is UnexpectedResponseError
    assert error.status_code == 200 and error.body == body
    assert got in str(error), str(error)


@pytest.mark.parametrize(("data", "kind"), [("x", "a string"), ([5], "an array"), (None, "null")])
def test_a_value_the_model_cannot_read_raises_when_strict_and_is_kept_otherwise(data: Any, kind: str) -> None:
    """Lenient reads (the default) keep it as received; tests/overlay/test_lenient_reads.py has the rest."""
    reply = Reply.json({"data": data, "total": 1})
    with strict_responses():
        error = read_error(reply, READS["notifications.get (a page)"])
    assert type(error) is UnexpectedResponseError
    assert f"got a JSON object with keys 'data', 'total' whose field 'data' holds {kind}," in str(error)
    with (
        serve_api(Script([], then=reply)) as api,
        DimeSchedulerClient(API_KEY, api.base_url) as client,
        warnings.catch_warnings(record=True),
    ):
        warnings.simplefilter("always")
        page = client.notifications.get(1, 10)
    assert page.data == data and page.total == 1


def test_documented_answers_still_parse() -> None:
    replies = Script(
        [
            Reply.json([{"name": "A", "displayName": "A", "color": "#000000", "extra": 1}]),
            Reply.json({"jobNo": "J1"}),
            Reply.json([]),
            Reply.json({}),
        ]
    )
    with serve_api(replies) as api, DimeSchedulerClient(API_KEY, api.base_url) as client:
        [category] = client.categories.get_all()
        assert (category.name, category.additional_properties) == ("A", {"extra": 1})
        assert client.jobs.get("J1").job_no == "J1"
        assert client.categories.get_all() == []
        assert client.jobs.get("J2").to_dict() == {}  # an empty object is a job with nothing set


@pytest.mark.asyncio
@pytest.mark.parametrize(
    "reply",
    [
        NOT_JSON["html page"][0],
        NOT_JSON["204"][0],
        Reply.json({"errors": []}),
        Reply(302, headers={"Location": "/x"}),
    ],
)
async def test_async_reads_raise_the_same_errors(reply: Reply) -> None:
    with serve_api(Script([], then=reply)) as api:
        async with AsyncDimeSchedulerClient(API_KEY, api.base_url) as client:
            with pytest.raises(APIStatusError) as caught:
                await client.categories.get_all()
    expected = RedirectError if reply.status == 302 else UnexpectedResponseError
    assert type(caught.value) is expected and caught.value.status_code == reply.status
