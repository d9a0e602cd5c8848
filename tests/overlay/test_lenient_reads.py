"""Every overlay read, lenient by default and strict on request, with full and sparse answers.

Answers are built from the document the tests sample (`DIMESCHEDULER_TEST_SPEC`, else openapi/): a full
answer carries every property of the read model, a sparse one leaves most out (the required ones first, as a
server skipping nulls writes them) and holds null in a field the document says is not nullable. Lenient
reads turn both into the typed model; with `strict_responses` a sparse answer missing a required field raises
UnexpectedResponseError naming the field. tests/overlay/test_aspnet_shape.py runs this file against a client
generated from a document whose reads reuse the write schemas with their `required` lists.
"""

from __future__ import annotations

import asyncio
import warnings
from collections.abc import Callable, Iterator
from datetime import date
from typing import Any

import httpx
import pytest
from dimescheduler_openapi import (
    AsyncDimeSchedulerClient,
    DimeSchedulerClient,
    ResponseValueWarning,
    UnexpectedResponseError,
    strict_responses,
)
from dimescheduler_openapi._parsing import parse_models
from dimescheduler_openapi._resources._operations import declared_operations
from dimescheduler_raw import aliases
from dimescheduler_raw.routes import ROUTES
from dimescheduler_raw.types import UNSET
from fakeapi import FakeAPI, Received, Reply, serve_api
from spec_samples import assert_typed_answer, minimal, resolve, response_schema, schema_of, template_of

# Arguments of the reads that take some (every other read is called without any).
ARGS: dict[tuple[str, str], tuple[Any, ...]] = {
    ("appointments", "get"): (date(2024, 5, 1), date(2024, 5, 2)),
    ("appointments", "get_by_id"): ("A1",),
    ("jobs", "get"): ("J1",),
    ("notifications", "get"): (1, 10),
    ("resource_capacities", "get"): (date(2024, 5, 1), date(2024, 5, 2)),
    ("time_entries", "get"): (date(2024, 5, 1), date(2024, 5, 2)),
    ("time_sessions", "get"): (date(2024, 5, 1), date(2024, 5, 2)),
    ("geocoding", "geocode_text"): ("Grote Markt 1", "BE"),
}
# Generators over every page (they send more than one request); their single-page reads are covered.
SKIPPED_METHODS = {"iter_all"}

READS = sorted(
    (accessor, method)
    for accessor, methods in declared_operations().items()
    for method, endpoint in methods.items()
    if endpoint.method == "GET" and method not in SKIPPED_METHODS
)


def _object_schema(schema: dict[str, Any]) -> dict[str, Any]:
    return resolve(schema)


TIME_SPAN = "01:30:00"  # .NET TimeSpan, `format: time-span` (its pattern is not in spec_samples)


def sample(prop: dict[str, Any]) -> Any:
    """A value `prop` accepts."""
    if "d{2}:" in resolve(prop).get("pattern", ""):
        return TIME_SPAN
    return minimal(prop, items=1)


def full(schema: dict[str, Any]) -> dict[str, Any]:
    """Every property of the object schema, each with a value its schema accepts."""
    properties = _object_schema(schema).get("properties", {})
    return {name: sample(prop) for name, prop in properties.items()}


def _nullable(schema: dict[str, Any]) -> bool:
    kind = schema.get("type")
    return (
        schema.get("nullable") is True
        or (isinstance(kind, list) and "null" in kind)
        or any(resolve(v).get("type") == "null" for v in schema.get("oneOf", []) + schema.get("anyOf", []))
    )


def sparse(schema: dict[str, Any]) -> dict[str, Any]:
    """Most properties left out (every required one first), null in one that is not nullable."""
    resolved = _object_schema(schema)
    properties: dict[str, Any] = resolved.get("properties", {})
    required = set(resolved.get("required", []))
    kept = [name for i, name in enumerate(properties) if name not in required and i % 3 == 0]
    answer = {name: sample(properties[name]) for name in kept}
    for name in kept:
        if not _nullable(resolve(properties[name])):
            answer[name] = None
            break
    return answer


def omitting(schema: dict[str, Any]) -> dict[str, Any]:
    """The sparse answer without its null: only fields left out."""
    properties = _object_schema(schema).get("properties", {})
    return {k: (sample(properties[k]) if v is None else v) for k, v in sparse(schema).items()}


def answer_for(schema: dict[str, Any] | None, shape: Callable[[dict[str, Any]], dict[str, Any]]) -> Any:
    if schema is None:
        return {"ok": True}
    resolved = resolve(schema)
    if resolved.get("type") == "array":
        return [shape(resolved["items"])]
    return shape(schema)


def missing_required(schema: dict[str, Any] | None) -> list[str]:
    """The required properties a sparse answer to `schema` leaves out (its items', for a list)."""
    if schema is None:
        return []
    resolved = resolve(schema)
    if resolved.get("type") == "array":
        resolved = resolve(resolved["items"])
    return list(resolved.get("required", []))


class Answers:
    """Serves, for any read, the answer `shape` makes from the operation's 200 schema."""

    def __init__(self) -> None:
        self.shape: Callable[[dict[str, Any]], dict[str, Any]] = full

    def __call__(self, received: Received) -> Reply:
        template = template_of(received.method, received.path)
        if template is None:
            return Reply.json({"message": "no such operation"}, status=404)
        return Reply.json(answer_for(response_schema(received.method, template), self.shape))


@pytest.fixture(scope="module")
def answers() -> Answers:
    return Answers()


@pytest.fixture(scope="module")
def api(answers: Answers) -> Iterator[FakeAPI]:
    with serve_api(answers) as server:
        yield server


def read(client: Any, accessor: str, method: str) -> Any:
    return getattr(getattr(client, accessor), method)(*ARGS.get((accessor, method), ()))


def route_of(accessor: str, method: str) -> tuple[str, str]:
    endpoint = declared_operations()[accessor][method]
    return endpoint.method, endpoint.path


def scripted(body: Any) -> Callable[[Received], Reply]:
    return lambda received: Reply.json(body)


def test_every_read_of_the_overlay_is_covered() -> None:
    assert len(READS) == 52
    assert all(route_of(*r) in ROUTES for r in READS)


@pytest.mark.parametrize("shape", ["full", "sparse"])
@pytest.mark.parametrize(("accessor", "method"), READS, ids=[f"{a}.{m}" for a, m in READS])
def test_lenient_reads_return_typed_models(
    accessor: str, method: str, shape: str, api: FakeAPI, answers: Answers
) -> None:
    answers.shape = full if shape == "full" else sparse
    http_method, path = route_of(accessor, method)
    with warnings.catch_warnings():
        warnings.simplefilter("error", ResponseValueWarning)  # null and absent fields are not reported
        with DimeSchedulerClient(api_key="k", environment=api.base_url, retry=False) as client:
            result = read(client, accessor, method)

        async def run() -> Any:
            async with AsyncDimeSchedulerClient(
                api_key="k", environment=api.base_url, retry=False
            ) as aclient:
                return await getattr(getattr(aclient, accessor), method)(*ARGS.get((accessor, method), ()))

        async_result = asyncio.run(run())
    assert_typed_answer(result, http_method, path)
    assert_typed_answer(async_result, http_method, path)
    assert result == async_result


@pytest.mark.parametrize(("accessor", "method"), READS, ids=[f"{a}.{m}" for a, m in READS])
def test_strict_reads_name_the_missing_required_field(
    accessor: str, method: str, api: FakeAPI, answers: Answers
) -> None:
    http_method, path = route_of(accessor, method)
    schema = response_schema(http_method, path)
    with DimeSchedulerClient(api_key="k", environment=api.base_url, retry=False, strict_responses=True) as c:
        answers.shape = full
        assert_typed_answer(read(c, accessor, method), http_method, path)
        answers.shape = omitting  # null in an enum or a list is a value strict reads refuse
        required = missing_required(schema)
        if not required:
            assert_typed_answer(read(c, accessor, method), http_method, path)
            return
        with pytest.raises(UnexpectedResponseError) as caught:
            read(c, accessor, method)
    assert f"without the required field '{required[0]}'" in str(caught.value)


def test_a_strict_block_overrides_the_client_for_one_call() -> None:
    """`importance` is an integer enum: "high" is a value the model cannot hold."""
    listed = response_schema("GET", "/job")
    assert listed is not None
    body = [{**minimal(resolve(listed)["items"]), "jobNo": "J1", "importance": "high"}]  # required ones too
    with serve_api(scripted(body)) as api:
        with (
            DimeSchedulerClient(
                api_key="k", environment=api.base_url, retry=False, strict_responses=True
            ) as c,
            warnings.catch_warnings(record=True),
        ):
            warnings.simplefilter("always")
            with pytest.raises(UnexpectedResponseError, match="whose field 'importance' holds a string"):
                c.jobs.get_all()
            with strict_responses(False):
                kept: Any = c.jobs.get_all()[0].importance  # typed Importance; kept as received
                assert kept == "high"
        with (
            DimeSchedulerClient(api_key="k", environment=api.base_url, retry=False) as client,
            warnings.catch_warnings(record=True) as caught,
        ):
            warnings.simplefilter("always")
            kept = client.jobs.get_all()[0].importance
            assert kept == "high"
            with strict_responses(), pytest.raises(UnexpectedResponseError, match="importance"):
                client.jobs.get_all()
    assert len(caught) == 1 and caught[0].category is ResponseValueWarning


# --- values of another type than documented ------------------------------------------------------------


def test_a_value_the_model_cannot_convert_is_kept_and_reported_once_per_field() -> None:
    items = [{"jobNo": f"J{i}", "startDate": "someday", "importance": "high"} for i in range(3)]
    with (
        serve_api(scripted(items)) as api,
        DimeSchedulerClient(api_key="k", environment=api.base_url, retry=False) as client,
        warnings.catch_warnings(record=True) as caught,
    ):
        warnings.simplefilter("always")
        jobs: Any = client.jobs.get_all()
    assert [job.start_date for job in jobs] == ["someday"] * 3
    assert [job.importance for job in jobs] == ["high"] * 3
    messages = sorted(str(w.message) for w in caught if w.category is ResponseValueWarning)
    assert len(messages) == 2
    assert ".importance: the answer holds a string (3 times)" in messages[0]
    assert ".startDate: the answer holds a string (3 times)" in messages[1]
    # what was kept goes back as it came
    assert jobs[0].to_dict()["startDate"] == "someday" and jobs[0].to_dict()["importance"] == "high"


def answer(body: Any) -> httpx.Response:
    return httpx.Response(200, json=body, request=httpx.Request("GET", "http://127.0.0.1/appointment"))


def test_the_write_model_an_aspnet_read_answers_with_is_read_leniently() -> None:
    """Job, the body of POST /job (what an ASP.NET read answers with), requires sourceApp, sourceType, jobNo
    and shortDescription; `importance` is an integer enum, `startDate` a nullable date-time."""
    model: Any = aliases.Job  # the class of the body of POST /job, whatever the vendor calls it
    name = model.__name__
    parse = parse_models(model)
    body = [{"jobNo": "J1", "importance": "high", "startDate": "tomorrow", "shortDescription": None, "x": 1}]
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        (job,) = parse(answer(body))
    assert (job.job_no, job.importance, job.start_date, job.short_description) == (
        "J1",
        "high",
        "tomorrow",
        None,
    )
    assert job.source_app is UNSET and job.additional_properties == {"x": 1}
    assert sorted(str(w.message).split(":")[0] for w in caught) == [f"{name}.importance", f"{name}.startDate"]
    assert job.to_dict() == {
        "x": 1,
        "jobNo": "J1",
        "shortDescription": None,
        "importance": "high",
        "startDate": "tomorrow",
    }
    with strict_responses(), pytest.raises(UnexpectedResponseError, match="without the required field"):
        parse(answer(body))
    whole = [{**minimal(schema_of(aliases.TARGETS["Job"])), "importance": "high"}]
    with strict_responses(), pytest.raises(UnexpectedResponseError) as error:
        parse(answer(whole))
    assert f"whose field 'importance' holds a string, which {name} cannot hold" in str(error.value)


@pytest.mark.parametrize(
    ("body", "problem"),
    [
        ({"jobNo": "J1"}, "a JSON object"),  # an object where a list is documented
        ([{"x-unknown": 1}], "none of them a field of"),
        (["J1"], "item 0"),
    ],
)
def test_answers_of_another_shape_still_raise_in_both_modes(body: Any, problem: str) -> None:
    with (
        serve_api(scripted(body)) as api,
        DimeSchedulerClient(api_key="k", environment=api.base_url, retry=False) as client,
    ):
        with pytest.raises(UnexpectedResponseError, match=problem):
            client.jobs.get_all()
        # a strict read may stop earlier, at a required field the object lacks
        with (
            strict_responses(),
            pytest.raises(UnexpectedResponseError, match=f"{problem}|without the required"),
        ):
            client.jobs.get_all()


def test_an_empty_object_is_a_model_with_nothing_set() -> None:
    with (
        serve_api(scripted([{}])) as api,
        DimeSchedulerClient(api_key="k", environment=api.base_url, retry=False) as client,
    ):
        (job,) = client.jobs.get_all()
    assert job.to_dict() == {}
