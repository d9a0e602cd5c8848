"""Load the vendor's document: parse JSON or YAML, check its version, convert Swagger 2.0 to OpenAPI 3.0.

Parsing is bounded: a document nested more than ``MAX_DEPTH`` levels deep, or a YAML document whose aliases
expand to more than ``MAX_NODES`` nodes (a "billion laughs" bomb), is refused with a one-line SpecError
before anything recurses into it or expands it. YAML is composed by a SafeLoader that counts nodes and
depth as it goes, an alias counting as the whole subtree it stands for.
"""

from __future__ import annotations

import datetime
import json
import math
import re
import subprocess
import tempfile
from pathlib import Path
from typing import Any

import yaml

from .errors import PipelineError, SpecError
from .fetch import display_url
from .node import NODE_MODULES, node_tool

ACCEPTED = "this pipeline accepts OpenAPI 3.0/3.1 and Swagger 2.0"
CONVERTER = "swagger2openapi"
CONVERT_TIMEOUT_SECONDS = 120

# Real documents nest a few dozen levels and have at most a few hundred thousand nodes.
MAX_DEPTH = 200
MAX_NODES = 2_000_000

# "3.0.3", "3.1.0", "3.1.1-rc1"; two-part "3.0" is tolerated because some emitters write it.
_VERSION_RE = re.compile(r"^(\d+)\.(\d+)(?:\.(\d+))?(?:-[0-9A-Za-z.-]+)?$")


def parse_document(data: bytes, source: str) -> dict[str, Any]:
    """Parse ``data`` (JSON first, then YAML) into a mapping that is an OpenAPI or Swagger document."""
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise SpecError(f"{source} is not UTF-8 text (byte {exc.start}: {exc.reason})") from None
    if not text.strip():
        raise SpecError(f"{source} is empty: expected an OpenAPI document (JSON or YAML)")

    doc = _parse_text(text, source)
    _check_depth(doc, source)
    if not isinstance(doc, dict):
        raise SpecError(f"{source} is not an OpenAPI document: top level is {_kind(doc)}, expected a mapping")
    if "openapi" not in doc and "swagger" not in doc:
        raise SpecError(
            f"{source} is not an OpenAPI document: it has neither an 'openapi' nor a 'swagger' key"
        )
    try:
        result: dict[str, Any] = _json_compatible(doc, source, "")
    except RecursionError:
        raise SpecError(f"{source} is nested too deeply or refers to itself (a YAML alias loop?)") from None
    _refuse_external_refs(result, source)
    return result


def _refuse_external_refs(doc: Any, source: str) -> None:
    """Every ``$ref`` must point into the document itself (``#/...``).

    The validator and the converters would otherwise read local files or fetch URLs named by a document
    the vendor (or anyone in between) controls, and quote what they read in error messages."""
    stack: list[tuple[Any, str]] = [(doc, "")]
    while stack:
        value, where = stack.pop()
        if isinstance(value, dict):
            ref = value.get("$ref")
            if isinstance(ref, str) and not ref.startswith("#"):
                shown = display_url(ref.split("#", 1)[0])[:120]
                raise SpecError(
                    f"{source} has an external $ref {shown!r} at {where or 'the top level'}: "
                    "only references within the document (#/...) are followed"
                )
            stack.extend((item, f"{where}.{key}" if where else str(key)) for key, item in value.items())
        elif isinstance(value, list):
            stack.extend((item, f"{where}.{index}") for index, item in enumerate(value))


def ensure_openapi3(doc: dict[str, Any], source: str) -> tuple[dict[str, Any], list[str]]:
    """Return an OpenAPI 3.0.x/3.1.x document and notes on what was done; convert Swagger 2.0."""
    if "openapi" in doc and "swagger" in doc:
        raise SpecError(
            f"{source} has both an 'openapi' and a 'swagger' key: cannot tell which version it is"
        )
    if "swagger" in doc:
        version = doc["swagger"]
        if version != "2.0":
            raise SpecError(f"unsupported Swagger version {_show(version)} in {source}: {ACCEPTED}")
        _require_structure(doc, source)
        converted = _convert_swagger2(doc, source)
        _check_openapi_version(converted.get("openapi"), source)
        _require_structure(converted, source)
        note = (
            f"converted Swagger 2.0 to OpenAPI {converted['openapi']} with {CONVERTER} {_converter_version()}"
        )
        return converted, [note]
    _check_openapi_version(doc.get("openapi"), source)
    _require_structure(doc, source)
    return doc, []


class _TooDeep(Exception):
    pass


class _TooLarge(Exception):
    pass


class _AliasLoop(Exception):
    pass


class _BoundedLoader(yaml.SafeLoader):
    """A SafeLoader that refuses deep nesting, alias loops and aliases that expand beyond MAX_NODES.

    Depth counts mappings and sequences (the top level is 1), as ``_check_depth`` does for JSON; an alias
    counts as the nodes and levels of the node it stands for."""

    def __init__(self, stream: str) -> None:
        super().__init__(stream)
        self._depth = 0  # open mappings and sequences
        self._deepest = 0  # the deepest level reached inside the node being composed
        self._nodes = 0
        self._anchored: dict[int, tuple[int, int]] = {}  # id(node) -> (nodes, levels) it expands to

    def compose_node(self, parent: yaml.Node | None, index: int) -> yaml.Node | None:
        event: yaml.Event = self.peek_event()  # type: ignore[no-untyped-call]
        if isinstance(event, yaml.AliasEvent):
            self._count_alias(event.anchor)
            return super().compose_node(parent, index)
        collection = isinstance(event, yaml.MappingStartEvent | yaml.SequenceStartEvent)
        self._depth += collection
        if self._depth > MAX_DEPTH:
            raise _TooDeep
        self._grow(1)
        start, outer_deepest = self._nodes, self._deepest
        self._deepest = self._depth
        node = super().compose_node(parent, index)
        if isinstance(event, yaml.NodeEvent) and event.anchor is not None:
            levels = self._deepest - self._depth + collection
            self._anchored[id(node)] = (self._nodes - start + 1, levels)
        self._deepest = max(outer_deepest, self._deepest)
        self._depth -= collection
        return node

    def _count_alias(self, anchor: str | None) -> None:
        node = self.anchors.get(anchor)
        if node is None:
            return  # the composer reports the undefined alias
        expanded = self._anchored.get(id(node))
        if expanded is None:
            raise _AliasLoop  # the anchored node is still being composed: it contains itself
        size, levels = expanded
        if self._depth + levels > MAX_DEPTH:
            raise _TooDeep
        self._deepest = max(self._deepest, self._depth + levels)
        self._grow(size)

    def _grow(self, count: int) -> None:
        self._nodes += count
        if self._nodes > MAX_NODES:
            raise _TooLarge


def _parse_text(text: str, source: str) -> Any:
    try:
        return json.loads(text, parse_constant=lambda name: _not_a_number(name, source))
    except RecursionError:
        raise SpecError(_too_deep(source)) from None
    except json.JSONDecodeError as json_error:
        try:
            return _load_yaml(text, source)
        except yaml.YAMLError as yaml_error:
            if text.lstrip()[:1] in ("{", "["):
                raise SpecError(
                    f"{source} is not valid JSON: {json_error.msg} "
                    f"at line {json_error.lineno} column {json_error.colno} (truncated document?)"
                ) from None
            raise SpecError(f"{source} is not valid YAML: {_yaml_problem(yaml_error)}") from None
    except ValueError as exc:  # an integer beyond Python's int-from-text digit limit
        raise SpecError(f"{source} is not usable JSON: {str(exc).splitlines()[0][:200]}") from None


def _not_a_number(name: str, source: str) -> Any:
    """json.loads's hook for NaN and Infinity, which JSON does not have and generated code cannot hold."""
    raise SpecError(f"{source} holds {name}, which is not JSON (a number must be finite)")


def _load_yaml(text: str, source: str) -> Any:
    loader = _BoundedLoader(text)
    try:
        return loader.get_single_data()
    except _TooDeep:
        raise SpecError(_too_deep(source)) from None
    except _TooLarge:
        raise SpecError(
            f"{source} expands to more than {MAX_NODES:,} nodes (YAML aliases?): refused as a likely alias bomb"
        ) from None
    except _AliasLoop:
        raise SpecError(f"{source} is nested too deeply or refers to itself (a YAML alias loop?)") from None
    finally:
        loader.dispose()


def _too_deep(source: str) -> str:
    return f"{source} is nested more than {MAX_DEPTH} levels deep: refused"


def _check_depth(value: Any, source: str) -> None:
    """Refuse data nested more than MAX_DEPTH levels (walked with an explicit stack, never recursively)."""
    stack = [(value, 1)]
    while stack:
        item, depth = stack.pop()
        if isinstance(item, dict | list):
            if depth > MAX_DEPTH:
                raise SpecError(_too_deep(source))
            children = item.values() if isinstance(item, dict) else item
            stack.extend((child, depth + 1) for child in children)


def _yaml_problem(error: yaml.YAMLError) -> str:
    if isinstance(error, yaml.MarkedYAMLError):
        problem = error.problem or error.context or "syntax error"
        mark = error.problem_mark or error.context_mark
        if mark is not None:
            return f"{problem} at line {mark.line + 1} column {mark.column + 1}"
        return problem
    return str(error).splitlines()[0] if str(error) else type(error).__name__


def _json_compatible(value: Any, source: str, where: str) -> Any:
    """Turn what YAML may produce (int keys, dates) into plain JSON data; refuse what cannot be."""
    if isinstance(value, dict):
        out: dict[str, Any] = {}
        for key, item in value.items():
            if isinstance(key, bool) or not isinstance(key, str | int):
                raise SpecError(f"{source} has a non-string key {key!r} at {where or 'the top level'}")
            name = str(key)
            out[name] = _json_compatible(item, source, f"{where}.{name}" if where else name)
        return out
    if isinstance(value, list):
        return [_json_compatible(item, source, f"{where}.{index}") for index, item in enumerate(value)]
    if isinstance(value, datetime.date | datetime.datetime):
        return value.isoformat()
    if isinstance(value, float) and not math.isfinite(value):
        raise SpecError(f"{source} holds {value!r} at {where}, which is not JSON (a number must be finite)")
    if value is None or isinstance(value, str | int | float | bool):
        return value
    raise SpecError(f"{source} has a value of type {type(value).__name__} at {where}: not JSON data")


def _check_openapi_version(version: Any, source: str) -> None:
    if version is None:
        raise SpecError(f"{source} has no 'openapi' version string: {ACCEPTED}")
    if not isinstance(version, str):
        raise SpecError(
            f"{source} has a garbled OpenAPI version {_show(version)}: expected a string like '3.0.3'"
        )
    match = _VERSION_RE.match(version.strip())
    if match is None:
        raise SpecError(f"{source} has a garbled OpenAPI version {version!r}: expected a string like '3.0.3'")
    major, minor = int(match.group(1)), int(match.group(2))
    if (major, minor) not in ((3, 0), (3, 1)):
        raise SpecError(f"unsupported OpenAPI version {version.strip()} in {source}: {ACCEPTED}")


def _require_structure(doc: dict[str, Any], source: str) -> None:
    for key in ("info", "paths"):
        if not isinstance(doc.get(key), dict):
            raise SpecError(f"{source} is truncated or not an OpenAPI document: it has no {key!r} object")


def _convert_swagger2(doc: dict[str, Any], source: str) -> dict[str, Any]:
    tool = node_tool(CONVERTER)
    with tempfile.TemporaryDirectory(prefix="specpipe-s2o-") as tmp:
        in_path, out_path = Path(tmp) / "swagger2.json", Path(tmp) / "openapi3.json"
        in_path.write_text(json.dumps(doc), encoding="utf-8")
        try:
            proc = subprocess.run(
                [tool, "--patch", "--outfile", str(out_path), str(in_path)],
                capture_output=True,
                text=True,
                timeout=CONVERT_TIMEOUT_SECONDS,
                check=False,
            )
        except subprocess.TimeoutExpired:
            raise PipelineError(
                f"{CONVERTER} did not finish within {CONVERT_TIMEOUT_SECONDS} s converting {source}"
            ) from None
        except OSError as exc:
            raise PipelineError(f"cannot run {CONVERTER} ({exc.strerror}): is Node.js installed?") from None
        if proc.returncode != 0 or not out_path.exists():
            raise SpecError(f"{CONVERTER} could not convert {source}: {_first_error_line(proc.stderr)}")
        return parse_document(out_path.read_bytes(), f"{source} (converted by {CONVERTER})")


def _first_error_line(stderr: str) -> str:
    lines = [line.strip() for line in stderr.splitlines() if line.strip()]
    for line in lines:
        if "Error" in line:
            return line
    return lines[0] if lines else "no error output"


def _converter_version() -> str:
    try:
        meta = json.loads((NODE_MODULES / CONVERTER / "package.json").read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return "(unknown version)"
    version = meta.get("version") if isinstance(meta, dict) else None
    return version if isinstance(version, str) else "(unknown version)"


def _kind(value: Any) -> str:
    if value is None:
        return "null"
    if isinstance(value, list):
        return "a list"
    if isinstance(value, str):
        return "a string"
    return f"a {type(value).__name__}"


def _show(value: Any) -> str:
    if value is None or value == "":
        return "(missing)"
    if isinstance(value, str):
        return value
    return f"{value!r} (a {type(value).__name__}, not a string)"
