"""Bytes -> typed records, side by side: the overlay's read path against pydantic v2 and msgspec.

The pydantic model and the msgspec Struct are built from the same JSON schema on every run, the same way:
snake_case attributes with the JSON names as aliases, every field optional (None when absent), date-times
parsed into `datetime`, enums into an IntEnum made from the schema's values. That is the work the generated
model does too (its from_dict maps names, parses date-times, looks enums up), so the rows compare equal work.

"Ours" is the parse function `client.tasks.get()` hands its answer to (`_resources._scheduling.task_list`),
fed an `httpx.Response` holding the bytes: with orjson (when installed) and with the standard library.
The `over HTTP` rows time whole requests against scripts/bench/server.py on 127.0.0.1.
"""

from __future__ import annotations

import datetime
import enum
import gc
import importlib
import json
import keyword
import re
import tempfile
import tracemalloc
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import httpx

from .calls import API_KEY
from .data import _target, full_records, schemas, widest_read_model
from .harness import Row, compared, interleaved, server_process

RECORDS = 10_000
GOAL_VS_PYDANTIC = 1.0
GOAL_VS_MSGSPEC = 2.5
_SCALARS = {"string": str, "integer": int, "number": float, "boolean": bool}


def snake(name: str, taken: Callable[[str], bool]) -> str:
    out = re.sub(r"(?<=[a-z0-9])(?=[A-Z])", "_", name).lower()
    return out + "_" if keyword.iskeyword(out) or taken(out) else out


def field_types(name: str) -> dict[str, Any]:
    """JSON name -> Python type (without None) of every property of schema `name`."""
    enums: dict[str, type[enum.IntEnum]] = {}
    types: dict[str, Any] = {}
    for key, prop in schemas()[name]["properties"].items():
        target = _target(prop)
        if "enum" in target:
            enum_name = prop.get("$ref", key).rsplit("/", 1)[-1]
            if enum_name not in enums:
                functional: Any = enum.IntEnum  # the functional API with a computed name
                made: Any = functional(enum_name, {f"V{v}": v for v in target["enum"]})
                enums[enum_name] = made
            types[key] = enums[enum_name]
            continue
        kind: Any = target.get("type")
        if isinstance(kind, list):
            kind = next(k for k in kind if k != "null")
        types[key] = datetime.datetime if target.get("format") == "date-time" else _SCALARS[kind]
    return types


def pydantic_decoder(name: str) -> Callable[[bytes], list[Any]]:
    """TypeAdapter(list[Model]).validate_json, Model from pydantic.create_model (as datamodel-code-generator
    writes it: `field_name: T | None = Field(None, alias="jsonName")`)."""
    pydantic: Any = importlib.import_module("pydantic")
    fields = {
        snake(key, lambda n: n.startswith("model_") or hasattr(pydantic.BaseModel, n)): (
            kind | None,
            pydantic.Field(None, alias=key),
        )
        for key, kind in field_types(name).items()
    }
    model = pydantic.create_model(f"{name}Pydantic", **fields)
    adapter = pydantic.TypeAdapter(list[model])  # type: ignore[valid-type]
    decode: Callable[[bytes], list[Any]] = adapter.validate_json
    return decode


def msgspec_decoder(name: str) -> Callable[[bytes], list[Any]]:
    """msgspec.json.Decoder(list[Struct]).decode, Struct from msgspec.defstruct (same names and types)."""
    msgspec: Any = importlib.import_module("msgspec")
    fields = [
        (snake(key, lambda n: False), kind | None, msgspec.field(default=None, name=key))
        for key, kind in field_types(name).items()
    ]
    struct: Any = msgspec.defstruct(f"{name}Struct", fields)
    decode: Callable[[bytes], list[Any]] = msgspec.json.Decoder(list[struct]).decode
    return decode


def overlay_parser() -> Callable[[httpx.Response], list[Any]]:
    """The function `client.tasks.get()` parses its answer with."""
    from dimescheduler_openapi._resources._scheduling import task_list

    return task_list(None, None, None).parse


@contextmanager
def standard_json() -> Iterator[None]:
    """The overlay parsing with the standard library's json, as without orjson installed."""
    from dimescheduler_openapi import _parsing

    before = _parsing.fast_loads
    _parsing.fast_loads = None
    try:
        yield
    finally:
        _parsing.fast_loads = before


def without_orjson(run: Callable[[], object]) -> Callable[[], object]:
    def wrapped() -> object:
        with standard_json():
            return run()

    return wrapped


def has_orjson() -> bool:
    from dimescheduler_openapi import _parsing

    return _parsing._fast_loads() is not None


def response_for(body: bytes) -> httpx.Response:
    return httpx.Response(
        200,
        content=body,
        headers={"Content-Type": "application/json; charset=utf-8"},
        request=httpx.Request("GET", "http://127.0.0.1/task"),
    )


def _plain(value: Any) -> Any:
    """A decoded value made comparable across decoders: enums as ints, date-times to the second."""
    if isinstance(value, str):
        try:
            value = datetime.datetime.fromisoformat(value)
        except ValueError:
            return value
    if isinstance(value, datetime.datetime):
        return value.replace(microsecond=0)  # msgspec rounds 7-digit fractions, the others truncate
    return int(value) if isinstance(value, enum.IntEnum) else value


def check_equal_work(name: str, ours: list[Any], pydantic: list[Any], msgspec: list[Any]) -> None:
    """The three decoders read the same records into the same values (compared on a few records)."""
    types = field_types(name)
    snakes = {key: snake(key, lambda n: False) for key in types}
    if not len(ours) == len(pydantic) == len(msgspec):
        raise RuntimeError("the decoders disagree on the number of records")
    for i in range(3):
        mine = {k: _plain(v) for k, v in ours[i].to_dict().items()}
        theirs = {
            "pydantic": {
                k: _plain(v) for k, v in pydantic[i].model_dump(by_alias=True, exclude_none=True).items()
            },
            "msgspec": {k: _plain(getattr(msgspec[i], snakes[k])) for k in types},
        }
        for label, values in theirs.items():
            if values != mine:
                diff = sorted(k for k in mine if mine[k] != values.get(k))[:5]
                raise RuntimeError(f"{label} and the overlay read record {i} differently: {diff}")
        if not any(isinstance(getattr(msgspec[i], s), datetime.datetime) for s in snakes.values()):
            raise RuntimeError("msgspec did not parse date-times")


def peak_bytes(run: Callable[[], object]) -> int:
    """Peak memory traced while `run` decodes (its result included), on its own (tracing is slow)."""
    gc.collect()
    tracemalloc.start()
    try:
        result = run()
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    del result
    return peak


def typed_rows(rounds: int, records: int = RECORDS) -> list[Row]:
    name = widest_read_model()
    body = json.dumps(full_records(name, records)).encode()
    parse = overlay_parser()
    response = response_for(body)
    pydantic = pydantic_decoder(name)
    msgspec = msgspec_decoder(name)
    orjson_loads: Any = importlib.import_module("orjson").loads
    check_equal_work(name, parse(response), pydantic(body), msgspec(body))
    fast = has_orjson()
    cases: dict[str, Callable[[], object]] = {
        "json.loads": lambda: json.loads(body),
        "orjson.loads": lambda: orjson_loads(body),
        "ours": lambda: parse(response),
        "ours, json": without_orjson(lambda: parse(response)),
        "pydantic": lambda: pydantic(body),
        "msgspec": lambda: msgspec(body),
    }
    times = interleaved(cases, rounds=rounds)
    peaks = {label: peak_bytes(run) for label, run in cases.items()}
    over_http = _over_http(name, body, records, rounds, pydantic, msgspec)

    what = f"{records:,} x {name} ({len(field_types(name))} fields, all present), {len(body) / 1e6:.1f} MB"
    memory = ", ".join(f"{label} {peak / 2**20:.0f} MiB" for label, peak in peaks.items())
    ours_label = "ours (orjson)" if fast else "ours (json: orjson not installed)"

    def row(label: str, case: str, base: str, goal_ratio: float | None, note: str = "") -> Row:
        return compared(
            times,
            case,
            base,
            group="typed decode",
            name=label,
            goal=_goal(goal_ratio),
            goal_ratio=goal_ratio,
            note=note or what,
            extra={"peak_bytes": {case: peaks[case], base: peaks[base]}},
        )

    rows = [
        row(f"{ours_label} vs pydantic v2", "ours", "pydantic", GOAL_VS_PYDANTIC),
        row(f"{ours_label} vs msgspec", "ours", "msgspec", GOAL_VS_MSGSPEC),
        row("  ours (json) vs pydantic v2", "ours, json", "pydantic", None),
        row("  ours (json) vs msgspec", "ours, json", "msgspec", None),
        row("  ours vs json.loads alone", "ours", "json.loads", None),
        row("  pydantic v2 vs json.loads alone", "pydantic", "json.loads", None),
        row("  msgspec vs json.loads alone", "msgspec", "json.loads", None),
        row("  orjson.loads vs json.loads", "orjson.loads", "json.loads", None),
        row("  peak memory (tracemalloc): ours vs pydantic v2", "ours", "pydantic", None, memory),
    ]
    memory_row = rows[-1]
    memory_row.measured, memory_row.baseline = peaks["ours"] / 2**20, peaks["pydantic"] / 2**20
    memory_row.unit, memory_row.samples = "MiB", {}
    memory_row.ratio = peaks["ours"] / peaks["pydantic"] if peaks["pydantic"] else None
    return rows + over_http


def _over_http(
    name: str,
    body: bytes,
    records: int,
    rounds: int,
    pydantic: Callable[[bytes], list[Any]],
    msgspec: Callable[[bytes], list[Any]],
) -> list[Row]:
    """`client.tasks.get()` against the local server answering the same bytes, against httpx + a decoder."""
    from dimescheduler_openapi import DimeSchedulerClient

    with tempfile.TemporaryDirectory(prefix="bench-task-") as tmp:
        path = Path(tmp) / "task.json"
        path.write_bytes(body)
        with (
            server_process(task_body=path) as base_url,
            httpx.Client(base_url=base_url, headers={"X-API-KEY": API_KEY}) as raw,
            DimeSchedulerClient(api_key=API_KEY, environment=base_url) as client,
        ):
            if len(client.tasks.get()) != len(json.loads(raw.get("/task").content)):
                raise RuntimeError("the overlay and httpx disagree on GET /task")
            times = interleaved(
                {
                    "httpx + json.loads": lambda: json.loads(raw.get("/task").content),
                    "client.tasks.get()": client.tasks.get,
                    "client.tasks.get(), json": without_orjson(client.tasks.get),
                    "httpx + pydantic": lambda: pydantic(raw.get("/task").content),
                    "httpx + msgspec": lambda: msgspec(raw.get("/task").content),
                },
                rounds=rounds,
            )
    note = f"GET /task answering {len(body) / 1e6:.1f} MB ({records:,} x {name}), keep-alive, 127.0.0.1"

    def row(label: str, case: str, base: str, goal_ratio: float | None) -> Row:
        return compared(
            times,
            case,
            base,
            group="typed decode",
            name=label,
            goal=_goal(goal_ratio),
            goal_ratio=goal_ratio,
            note=note,
        )

    return [
        row(
            "over HTTP: client.tasks.get() vs httpx + pydantic", "client.tasks.get()", "httpx + pydantic", 1.0
        ),
        row("over HTTP: client.tasks.get() vs httpx + msgspec", "client.tasks.get()", "httpx + msgspec", 2.5),
        row(
            "  same, overlay without orjson vs httpx + msgspec",
            "client.tasks.get(), json",
            "httpx + msgspec",
            None,
        ),
        row("  client.tasks.get() vs httpx + json.loads", "client.tasks.get()", "httpx + json.loads", None),
    ]


def _goal(goal_ratio: float | None) -> str:
    return "info" if goal_ratio is None else f"<= {goal_ratio:.2g}x"
