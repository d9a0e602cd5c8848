"""Finding secrets in everything an object lets a caller reach: attributes (dicts and slots), items of
containers, exception causes, contexts, notes and args, and what httpx requests and responses hold (headers,
bodies, history, the redirect request). Frames and tracebacks are not followed (any live traceback reaches
the caller's locals); modules, classes and functions neither."""

from __future__ import annotations

import types
from collections.abc import Iterator
from typing import Any

import httpx

__all__ = ["leaked", "texts"]

_SKIP = (
    types.FrameType,
    types.TracebackType,
    types.ModuleType,
    type,
    types.FunctionType,
    types.BuiltinFunctionType,
    types.MethodType,
    types.CodeType,
)
_LIMIT = 200_000  # objects visited at most


def _children(obj: Any) -> list[Any]:
    children: list[Any] = []
    if isinstance(obj, dict):
        for key, value in obj.items():
            children += [key, value]
        return children
    if isinstance(obj, list | tuple | set | frozenset):
        return list(obj)
    if isinstance(obj, BaseException):
        children += [obj.args, obj.__cause__, obj.__context__, getattr(obj, "__notes__", None)]
    if isinstance(obj, httpx.Response):
        children += [obj.headers.raw, obj.history, obj.next_request, obj._request]
        children.append(getattr(obj, "_content", None))
    if isinstance(obj, httpx.Request):
        children += [obj.headers.raw, str(obj.url), getattr(obj, "_content", None)]
    children.append(getattr(obj, "__dict__", None))
    for cls in type(obj).__mro__:
        for slot in getattr(cls, "__slots__", ()):
            if isinstance(slot, str) and not slot.startswith("__"):
                children.append(getattr(obj, slot, None))
    return children


def texts(root: Any) -> Iterator[str | bytes]:
    """Every str and bytes reachable from `root`."""
    seen: set[int] = set()
    stack = [root]
    while stack:
        obj = stack.pop()
        if obj is None or id(obj) in seen or isinstance(obj, (*_SKIP, int, float, bool)):
            continue
        seen.add(id(obj))
        assert len(seen) < _LIMIT, "object graph too large to search"
        if isinstance(obj, str | bytes | bytearray):
            yield bytes(obj) if isinstance(obj, bytearray) else obj
            continue
        stack.extend(_children(obj))


def leaked(root: Any, secrets: list[str]) -> list[str]:
    """The secrets found anywhere reachable from `root`."""
    found: set[str] = set()
    for text in texts(root):
        for secret in secrets:
            needle: str | bytes = secret.encode() if isinstance(text, bytes) else secret
            if needle in text:  # type: ignore[operator]
                found.add(secret)
    return sorted(found)
