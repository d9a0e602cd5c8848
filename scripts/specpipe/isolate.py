"""Find the operations or component schemas a failing step fails on, so that only they are left out.

A step (normalizing, validating, generating, building the route table) that fails on a whole document is
re-run on parts of it: the components alone, then operations in halves (each part keeps every component),
down to single operations. Failures are assumed to come from single parts, as they do for every construct
seen in published documents; a failure that only two parts together cause is not isolated (the caller
then fails in one line, naming what was tried).

The search is bounded by ``max_checks`` runs of the step and by a deadline; it returns what it found so
far when either runs out.
"""

from __future__ import annotations

import copy
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any

from .leftout import HTTP_METHODS, GeneratorReport

Operation = tuple[str, str]  # (method, path)
Component = tuple[str, str]  # (kind, name)

# The step on a part of the document: None when it succeeds, else a one-line reason.
Check = Callable[[dict[str, Any]], "str | None"]

DEFAULT_MAX_CHECKS = 80
DEFAULT_SECONDS = 120.0


@dataclass
class Isolated:
    """What the step fails on: operations and components with their reasons; ``complete`` when the search
    was not cut short and every failing part was found."""

    operations: dict[Operation, str] = field(default_factory=dict)
    components: dict[Component, str] = field(default_factory=dict)
    checks: int = 0
    complete: bool = True

    def __bool__(self) -> bool:
        return bool(self.operations or self.components)

    def report(self, operation_phrase: str, *, component_phrase: str) -> GeneratorReport:
        """As a report ``leftout.leave_out`` understands: an operation's reason reads
        ``<operation_phrase>: <why>``, a schema's ``schema X <component_phrase>: <why>``."""
        return GeneratorReport(
            operations={key: f"{operation_phrase}: {reason}" for key, reason in self.operations.items()},
            components=dict(self.components),
            component_phrase=component_phrase,
        )


def operations_of(document: dict[str, Any]) -> list[Operation]:
    paths = document.get("paths")
    found: list[Operation] = []
    for path, item in paths.items() if isinstance(paths, dict) else []:
        if isinstance(item, dict):
            found.extend((method, path) for method in HTTP_METHODS if method in item)
    return found


def with_operations(
    document: dict[str, Any], kept: list[Operation], *, prune: bool = False
) -> dict[str, Any]:
    """A copy of ``document`` holding only the operations ``kept`` (path items without one go);
    ``prune``: and only the components they refer to, directly or not."""
    wanted: dict[str, set[str]] = {}
    for method, path in kept:
        wanted.setdefault(path, set()).add(method)
    doc = {key: value for key, value in document.items() if key != "paths"}
    paths: dict[str, Any] = {}
    source = document.get("paths")
    for path, item in source.items() if isinstance(source, dict) else []:
        if path in wanted and isinstance(item, dict):
            paths[path] = {
                key: value for key, value in item.items() if key not in HTTP_METHODS or key in wanted[path]
            }
    doc["paths"] = paths
    if prune:
        doc = _pruned_components(doc, _closure(document, list(_refs(paths))))
    return copy.deepcopy(doc)


def with_schemas(document: dict[str, Any], kept: list[str], *, prune: bool = False) -> dict[str, Any]:
    """A copy of ``document`` without operations, holding only the component schemas ``kept`` and what
    they refer to (so that no reference dangles); ``prune``: no other component either."""
    roots = [f"#/components/schemas/{_escape(name)}" for name in kept]
    needed = _closure(document, roots)
    doc = with_operations(document, [])
    components = doc.get("components")
    if isinstance(components, dict):
        if prune:
            return _pruned_components(doc, needed)
        schemas = components.get("schemas")
        if isinstance(schemas, dict):
            doc["components"] = dict(components)
            doc["components"]["schemas"] = {
                name: value for name, value in schemas.items() if ("schemas", name) in needed
            }
    return doc


_PRUNABLE = ("schemas", "parameters", "responses", "requestBodies", "headers", "examples", "links", "callbacks",
             "pathItems")  # fmt: skip


def _pruned_components(doc: dict[str, Any], needed: set[Component]) -> dict[str, Any]:
    components = doc.get("components")
    if not isinstance(components, dict):
        return doc
    kept: dict[str, Any] = {}
    for kind, items in components.items():
        if kind in _PRUNABLE and isinstance(items, dict):
            kept[kind] = {name: value for name, value in items.items() if (kind, name) in needed}
        else:
            kept[kind] = items
    return {**doc, "components": kept}


def _closure(document: dict[str, Any], roots: list[str]) -> set[Component]:
    """Every component the references ``roots`` lead to, directly or not."""
    components = document.get("components")
    components = components if isinstance(components, dict) else {}
    needed: set[Component] = set()
    stack = list(roots)
    while stack:
        key = _component(stack.pop())
        if key is None or key in needed:
            continue
        items = components.get(key[0])
        if isinstance(items, dict) and key[1] in items:
            needed.add(key)
            stack.extend(_refs(items[key[1]]))
    return needed


def _component(ref: str) -> Component | None:
    parts = ref.split("/")
    if len(parts) == 4 and parts[0] == "#" and parts[1] == "components":
        return parts[2], parts[3].replace("~1", "/").replace("~0", "~")
    return None


def _escape(name: str) -> str:
    return name.replace("~", "~0").replace("/", "~1")


def isolate(
    document: dict[str, Any],
    check: Check,
    *,
    prune: bool = False,
    max_checks: int = DEFAULT_MAX_CHECKS,
    seconds: float = DEFAULT_SECONDS,
) -> Isolated:
    """The operations and component schemas ``check`` fails on, each alone (see the module docstring)."""
    found = Isolated()
    deadline = time.monotonic() + seconds

    def failing(part: dict[str, Any]) -> str | None:
        if found.checks >= max_checks or time.monotonic() > deadline:
            found.complete = False
            return None
        found.checks += 1
        return check(part)

    components = document.get("components")
    schemas = components.get("schemas") if isinstance(components, dict) else None
    names = list(schemas) if isinstance(schemas, dict) else []
    whole = failing(with_schemas(document, names, prune=prune))
    if whole is not None:
        check_schemas: Callable[[list[Any]], str | None] = lambda part: failing(  # noqa: E731
            with_schemas(document, part, prune=prune)
        )
        for name, reason in _halve(names, check_schemas, whole):
            found.components[("schemas", name)] = reason
        if not found.components:
            found.complete = False
            return found  # the document fails without any operation or schema: nothing to leave out
        document = _without_schemas(document, list(found.components))

    def check_operations(part: list[Operation]) -> str | None:
        return failing(with_operations(document, part, prune=prune))

    for operation, reason in _halve(operations_of(document), check_operations):
        found.operations[operation] = reason
    remaining = [operation for operation in operations_of(document) if operation not in found.operations]
    # What fails only together with another part (two paths equal up to their placeholder names): the
    # shortest failing prefix ends with one of them; leaving it out undoes that combination.
    while remaining and found.complete:
        failure = check_operations(remaining)
        if failure is None:
            break
        end = _shortest_failing_prefix(remaining, check_operations)
        if end is None:
            break
        found.operations[remaining[end - 1]] = f"{failure} (together with an operation before it)"
        del remaining[end - 1]
    return found


def _shortest_failing_prefix(items: list[Any], check: Callable[[list[Any]], str | None]) -> int | None:
    """The smallest n such that ``items[:n]`` fails (``items`` as a whole fails), by bisection."""
    low, high = 1, len(items)
    while low < high:
        middle = (low + high) // 2
        if check(items[:middle]) is not None:
            high = middle
        else:
            low = middle + 1
    return high if high >= 1 else None


def _halve(
    items: list[Any], check: Callable[[list[Any]], str | None], known: str | None = None
) -> Iterator[tuple[Any, str]]:
    """Every item ``check`` fails on alone, found by checking halves of the parts that fail (``known``:
    the reason ``items`` as a whole fail, already checked)."""
    if not items:
        return
    reason = known if known is not None else check(items)
    if reason is None:
        return
    if len(items) == 1:
        yield items[0], reason
        return
    middle = len(items) // 2
    yield from _halve(items[:middle], check)
    yield from _halve(items[middle:], check)


def _without_schemas(document: dict[str, Any], removed: list[Component]) -> dict[str, Any]:
    from .leftout import leave_out

    report = GeneratorReport(components=dict.fromkeys(removed, "isolated"))
    return leave_out(document, report).document


def _refs(value: Any) -> Iterator[str]:
    """Every ``$ref`` string inside ``value`` (walked without recursion)."""
    stack = [value]
    while stack:
        item = stack.pop()
        if isinstance(item, dict):
            ref = item.get("$ref")
            if isinstance(ref, str):
                yield ref
            stack.extend(item.values())
        elif isinstance(item, list):
            stack.extend(item)
