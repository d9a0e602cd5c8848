"""Encoding a request body as JSON, refusing (with the field named) what JSON cannot carry."""

from __future__ import annotations

import json
import math
from collections.abc import Iterator, Mapping
from typing import Any

from ._errors import InvalidRequestError

__all__ = ["encode_json"]

_HINTS = {
    "datetime": "pass value.isoformat()",
    "date": "pass value.isoformat()",
    "time": "pass value.isoformat()",
    "Decimal": "pass a float or a string",
    "UUID": "pass str(value)",
    "bytes": "pass text",
}


def encode_json(body: Any, where: str) -> bytes:
    """Compact UTF-8 JSON of `body`. A value JSON cannot carry (NaN, infinity, a datetime, a set, a circular
    reference) raises InvalidRequestError naming `where` and the field: "POST /job: body[1].freeDecimal1 is
    NaN, which JSON cannot carry"."""
    try:
        return json.dumps(body, ensure_ascii=False, separators=(",", ":"), allow_nan=False).encode()
    except (ValueError, TypeError, RecursionError):  # UnicodeEncodeError (a lone surrogate) is a ValueError
        try:
            problem = next(_problems(body, "body", set()), "the body cannot be written as JSON")
        except RecursionError:
            problem = "the body is nested too deeply to write as JSON"
        raise InvalidRequestError(f"{where}: {problem}") from None


def _problems(value: Any, path: str, seen: set[int]) -> Iterator[str]:
    """Why parts of `value` are not JSON, depth first, each naming its path."""
    if isinstance(value, str):
        if not _encodable(value):
            yield f"{path} holds a lone surrogate (text that is not valid Unicode), which JSON cannot carry"
        return
    if value is None or isinstance(value, bool | int):
        return
    if isinstance(value, float):
        if not math.isfinite(value):
            yield f"{path} is {value!r}, which JSON cannot carry"
        return
    if isinstance(value, Mapping | list | tuple):
        if id(value) in seen:
            yield f"{path} refers back to itself (a circular reference)"
            return
        seen.add(id(value))
        if isinstance(value, Mapping):
            for key, item in value.items():
                if not isinstance(key, str | int | float | bool) and key is not None:
                    yield f"{path} has a key of type {type(key).__name__}; JSON keys are strings"
                    return
                if isinstance(key, str) and not _encodable(key):
                    yield f"{path} has a key holding a lone surrogate (text that is not valid Unicode)"
                    return
                yield from _problems(item, f"{path}.{key}", seen)
        else:
            for index, item in enumerate(value):
                yield from _problems(item, f"{path}[{index}]", seen)
        seen.discard(id(value))
        return
    kind = type(value).__name__
    hint = _HINTS.get(kind)
    yield f"{path} is a {kind}, which JSON cannot carry" + (f" ({hint})" if hint else "")


def _encodable(text: str) -> bool:
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True
