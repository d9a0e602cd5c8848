"""What openapi-python-client could not generate, and the document without it.

The generator prints a block per problem on stderr: a header line, a blank line, a detail (one or more
lines), often the offending part of the document as indented JSON. The headers this module attributes:

- ``WARNING parsing GET /x within tag. Endpoint will not be generated.``: the operation was dropped;
- ``WARNING parsing GET /x within tag.`` (the detail says what: a response or body omitted): the operation
  was generated without part of itself;
- ``Unable to parse schema /components/schemas/X`` and ``Unable to process schema /components/schemas/X:``
  (its detail may list further schemas removed with it), ``Unable to parse parameter
  /components/parameters/X``: a component the generator removed.

``read_generator_output`` turns the output into a ``GeneratorReport``; anything it cannot attribute to an
operation or a component (a failed post-hook, an error that stopped the whole run) lands in ``other``.
``leave_out`` removes the reported operations, the reported components, every component that refers to a
removed one and every operation that uses any of them, so that the generator can be run again on a
document it fully understands.
"""

from __future__ import annotations

import copy
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from typing import Any

HTTP_METHODS = ("get", "put", "post", "delete", "options", "head", "patch", "trace")
SHOWN_AT_MOST = 10
_REASON_CHARS = 200
_COMPONENT_HEADER = re.compile(r"^Unable to (?:parse|process) (?:schema|parameter) (/components/\S+?):?$")
_COMPONENT_PATH = re.compile(r"^/components/([^/\s]+)/([^/\s]+)$")
_OTHER_HEADERS = (
    re.compile(r"^Skipping Integration$"),
    re.compile(r"^\S+ failed$"),
    re.compile(r"^Unable to generate the client$"),
    re.compile(r"^Failed to parse OpenAPI document$"),
    re.compile(
        r"^(?:Unable to parse this part of your OpenAPI document|Problem creating a (?:Property|Parameter)):$"
    ),
    re.compile(r"^(?:Invalid (?:JSON|YAML) from provided source|Could not get OpenAPI document)"),
)
_BANNERS = ("Warning(s) encountered while generating", "Error(s) encountered while generating")
_FOOTER = "If you believe this was a mistake"
_REMOVED_WITH = "Failure to process schema has resulted in the removal of:"
_KINDS = {
    "schemas": "schema",
    "parameters": "parameter",
    "requestBodies": "request body",
    "responses": "response",
}
_OBJECT_REPR = re.compile(r"\s*<[\w.]+ object at 0x[0-9a-fA-F]+>")
_OMITTED_RESPONSE = re.compile(r"^Cannot parse response for status code\s*\((.*)\), response will be omitted")

Operation = tuple[str, str]  # (method, path), method lower case
Component = tuple[str, str]  # (kind, name): ("schemas", "Job")


@dataclass(frozen=True)
class LeftOut:
    """An operation the client does not have, and why."""

    method: str
    path: str
    reason: str

    def as_dict(self) -> dict[str, str]:
        return {"method": self.method, "path": self.path, "reason": self.reason}

    def __str__(self) -> str:
        return f"{self.method} {self.path} ({self.reason})"


@dataclass
class GeneratorReport:
    """The generator's problems: per operation, per component, and whatever could not be attributed."""

    operations: dict[Operation, str] = field(default_factory=dict)
    components: dict[Component, str] = field(default_factory=dict)
    other: list[str] = field(default_factory=list)
    fatal: bool = False
    component_phrase: str = "cannot be generated"  # "schema X <phrase>: <reason>"

    def __bool__(self) -> bool:
        return bool(self.operations or self.components or self.other or self.fatal)


@dataclass
class _Block:
    header: str
    detail: list[str] = field(default_factory=list)


def read_generator_output(stderr: str, document: dict[str, Any]) -> GeneratorReport:
    """Attribute each problem block of the generator's stderr to an operation or component of ``document``."""
    report = GeneratorReport(fatal=_BANNERS[1] in stderr)
    operations = list(_operations(document))
    for block in _blocks(stderr):
        _attribute(block, operations, report, document)
    return report


@dataclass(frozen=True)
class Pruned:
    """The document without what the generator cannot generate, the operations left out, and the components
    removed (with why); ``unused`` are the reasons of reported components no left-out operation needed."""

    document: dict[str, Any]
    left_out: list[LeftOut]
    removed: dict[Component, str]
    unused: list[str]


def leave_out(document: dict[str, Any], report: GeneratorReport) -> Pruned:
    """A copy of ``document`` without what ``report`` names and without everything that depends on it."""
    doc = copy.deepcopy(document)
    removed, roots = _removed_components(doc, report)
    left_out, needed = [], set()
    for method, path, operation, item in list(_operation_items(doc)):
        hit = _first_removed(_refs([operation, item.get("parameters")]), removed)
        reason = removed[hit] if hit is not None else report.operations.get((method, path))
        if reason is not None:
            left_out.append(LeftOut(method.upper(), path, reason))
            needed.update([roots[hit]] if hit is not None else [])
            del item[method]
    for path, item in list(doc.get("paths", {}).items()):
        if isinstance(item, dict) and not any(method in item for method in HTTP_METHODS):
            del doc["paths"][path]
    for kind, name in removed:
        del doc["components"][kind][name]
    left_out.sort(key=lambda op: (op.path, HTTP_METHODS.index(op.method.lower())))
    unused = [
        f"{removed[root]} (no operation uses it)"
        for root in dict.fromkeys(roots.values())
        if root not in needed
    ]
    return Pruned(doc, left_out, removed, unused)


def describe(left_out: list[LeftOut], other: Iterable[str] = ()) -> str:
    """One line: how many operations could not be generated, each with its reason, then other problems."""
    problems = list(other)
    parts = []
    if left_out:
        parts.append(f"could not generate {_count(left_out, 'operation')}: {_shown(map(str, left_out))}")
    if problems:
        also = "other " if left_out else ""
        parts.append(f"{_count(problems, also + 'problem')}: {_shown(problems, '; ')}")
    if left_out:
        return "openapi-python-client " + "; ".join(parts)
    return "openapi-python-client failed" + (f" with {parts[0]}" if parts else "")


def _count(items: list[Any], noun: str) -> str:
    return f"{len(items)} {noun}{'' if len(items) == 1 else 's'}"


def _shown(items: Iterable[str], separator: str = ", ") -> str:
    listed = list(items)
    more = len(listed) - SHOWN_AT_MOST
    return separator.join(listed[:SHOWN_AT_MOST]) + (f"{separator}and {more} more" if more > 0 else "")


# --- reading the output ---------------------------------------------------------------------------


def _blocks(stderr: str) -> Iterator[_Block]:
    """Header + detail blocks; the JSON dumps of document parts and the banner and footer are skipped."""
    block: _Block | None = None
    in_json = False
    for raw in stderr.splitlines():
        line = raw.rstrip()
        if in_json or line == "{":
            in_json = line != "}"
            continue
        if not line.strip() or line.startswith((*_BANNERS, _FOOTER)):
            continue
        if block is None or _starts_block(line, block):
            if block is not None:
                yield block
            block = _Block(line)
        else:
            block.detail.append(line.strip())
    if block is not None:
        yield block


def _starts_block(line: str, current: _Block) -> bool:
    if _attributable(line):
        return True
    # A detail can read like a generic header ("Unable to parse this part of your OpenAPI document:" when
    # the generator had nothing more to say): right after an operation or component header it is the detail.
    awaits_detail = not current.detail and _attributable(current.header)
    return not awaits_detail and any(pattern.match(line) for pattern in _OTHER_HEADERS)


def _attributable(line: str) -> bool:
    return line.startswith("WARNING parsing ") or _COMPONENT_HEADER.match(line) is not None


def _attribute(
    block: _Block, operations: list[Operation], report: GeneratorReport, document: dict[str, Any]
) -> None:
    reason = _reason(block.detail)
    operation = _operation_of(block.header, operations)
    component = _component_of(block.header)
    if component is not None:
        component = _document_component(component, document)
    if operation is not None:
        report.operations.setdefault(operation, reason)
    elif component is not None:
        # The schemas removed with it (listed in the detail) are the ones referring to it: leave_out finds them.
        report.components.setdefault(component, reason)
    else:
        header = _OBJECT_REPR.sub("", block.header).strip()
        report.other.append(f"{header} ({reason})" if block.detail else header)


def _operation_of(header: str, operations: list[Operation]) -> Operation | None:
    if not header.startswith("WARNING parsing "):
        return None
    matches = [
        (method, path)
        for method, path in operations
        if header.startswith(f"WARNING parsing {method.upper()} {path} within ")
    ]
    return max(matches, key=lambda op: len(op[1]), default=None)


def _component_of(header: str) -> Component | None:
    match = _COMPONENT_HEADER.match(header)
    path = _COMPONENT_PATH.match(match.group(1)) if match else None
    return (path.group(1), _unescape(path.group(2))) if path else None


def _document_component(component: Component, document: dict[str, Any]) -> Component:
    """The document's component behind a name the generator made up for a part of it: ``Indexes_type_0``
    (a oneOf variant or the object of a nullable schema), ``Job_item``, ``Job_additional_property``
    belong to ``Indexes`` and ``Job``: the longest document name followed by ``_`` (the name itself if none)."""
    kind, name = component
    components = document.get("components")
    items = components.get(kind) if isinstance(components, dict) else None
    if not isinstance(items, dict) or name in items:
        return component
    owners = [known for known in items if name.startswith(f"{known}_")]
    return (kind, max(owners, key=len)) if owners else component


def _reason(detail: list[str]) -> str:
    lines = detail[: detail.index(_REMOVED_WITH)] if _REMOVED_WITH in detail else detail
    text = " ".join(_OBJECT_REPR.sub("", line).strip() for line in lines).strip()
    omitted = _OMITTED_RESPONSE.match(text)
    if omitted:
        text = f"a response cannot be read: {omitted.group(1)}"
    text = text or "no detail given"
    return text if len(text) <= _REASON_CHARS else text[: _REASON_CHARS - 3] + "..."


# --- pruning the document -------------------------------------------------------------------------


def _removed_components(
    doc: dict[str, Any], report: GeneratorReport
) -> tuple[dict[Component, str], dict[Component, Component]]:
    """The reported components that exist, plus every component that refers to one of them: each with why,
    and with the reported component it goes back to."""
    components = doc.get("components", {})
    removed = {
        key: f"{_noun(key)} {report.component_phrase}: {reason}"
        for key, reason in report.components.items()
        if key[1] in components.get(key[0], {})
    }
    roots = {key: key for key in removed}
    growing = True
    while growing:
        growing = False
        for kind, items in components.items():
            for name, value in items.items() if isinstance(items, dict) else []:
                hit = None if (kind, name) in removed else _first_removed(_refs([value]), removed)
                if hit is not None:
                    removed[(kind, name)] = f"{removed[hit]} (needed by {_noun((kind, name))})"
                    roots[(kind, name)] = roots[hit]
                    growing = True
    return removed, roots


def _first_removed(refs: Iterable[str], removed: dict[Component, str]) -> Component | None:
    """The first removed component among ``refs`` (None if none is)."""
    for ref in refs:
        key = _ref_component(ref)
        if key is not None and key in removed:
            return key
    return None


def _noun(component: Component) -> str:
    kind, name = component
    return f"{_KINDS.get(kind, kind)} {name}"


def _ref_component(ref: str) -> Component | None:
    parts = ref.split("/")
    if len(parts) >= 4 and parts[0] == "#" and parts[1] == "components":
        return parts[2], _unescape(parts[3])
    return None


def _refs(values: list[Any]) -> Iterator[str]:
    """Every ``$ref`` string inside ``values`` (walked without recursion)."""
    stack = list(values)
    while stack:
        value = stack.pop()
        if isinstance(value, dict):
            ref = value.get("$ref")
            if isinstance(ref, str):
                yield ref
            stack.extend(value.values())
        elif isinstance(value, list):
            stack.extend(value)


def _operations(doc: dict[str, Any]) -> Iterator[Operation]:
    for method, path, _operation, _item in _operation_items(doc):
        yield method, path


def _operation_items(doc: dict[str, Any]) -> Iterator[tuple[str, str, dict[str, Any], dict[str, Any]]]:
    paths = doc.get("paths")
    for path, item in paths.items() if isinstance(paths, dict) else []:
        if isinstance(item, dict):
            for method in HTTP_METHODS:
                if isinstance(item.get(method), dict):
                    yield method, path, item[method], item


def _unescape(token: str) -> str:
    return token.replace("~1", "/").replace("~0", "~")
