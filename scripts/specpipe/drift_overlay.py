"""Overlay accessor methods whose OpenAPI operation the live document dropped.

The overlay declares, per accessor method, the operation it sends:
``dimescheduler_openapi._resources.declared_operations()`` -> ``{accessor: {method: Endpoint(method,
path)}}``. An operation counts as present when the live document has that HTTP method on a path with the
same template; placeholder names are ignored (``/job/{no}`` matches ``/job/{jobNo}``) because the overlay
fills placeholders by the names in its own declaration, so a renamed placeholder does not break it.
"""

from __future__ import annotations

import importlib
import re
import sys
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from .drift_changes import BREAKING, Severity
from .errors import PipelineError

OVERLAY_PACKAGE = "dimescheduler_openapi"
_PLACEHOLDER = re.compile(r"\{[^}/]*\}")


@dataclass(frozen=True, order=True)
class OverlayOperation:
    accessor: str  # "jobs.get_all"
    method: str  # "GET"
    path: str  # "/job"


@dataclass(frozen=True)
class OverlayChange:
    accessor: str
    operation: str
    severity: Severity
    message: str

    def to_json(self) -> dict[str, str]:
        return {
            "accessor": self.accessor,
            "operation": self.operation,
            "severity": self.severity,
            "message": self.message,
        }


def declared_overlay_operations(search_paths: Iterable[Path] = ()) -> list[OverlayOperation]:
    """What the overlay's accessor methods send; ``search_paths`` go first on sys.path while importing."""
    added = [str(path) for path in search_paths if str(path) not in sys.path]
    sys.path[:0] = added
    try:
        resources = importlib.import_module(f"{OVERLAY_PACKAGE}._resources")
        declared: Mapping[str, Mapping[str, Any]] = resources.declared_operations()
    except Exception as exc:  # any import or declaration error makes the check unavailable, not the run
        raise PipelineError(
            f"cannot read the overlay's declared operations: {type(exc).__name__}: {exc}"
        ) from None
    finally:
        for path in added:
            sys.path.remove(path)
    return sorted(
        OverlayOperation(f"{accessor}.{name}", str(endpoint.method).upper(), str(endpoint.path))
        for accessor, methods in declared.items()
        for name, endpoint in methods.items()
    )


def missing_operations(
    operations: Iterable[OverlayOperation], pinned: Mapping[str, Any], live: Mapping[str, Any]
) -> list[OverlayChange]:
    """Accessor methods whose operation the pinned document has and the live one no longer has.
    (An operation missing from both is a mismatch between overlay and pinned copy, which the overlay's
    own tests catch; it is not drift.)"""
    in_pinned, in_live = _templates(pinned), _templates(live)
    return [
        OverlayChange(
            op.accessor,
            f"{op.method} {op.path}",
            BREAKING,
            f"`client.{op.accessor}()` sends `{op.method} {op.path}`, which the live document no longer has.",
        )
        for op in operations
        if (key := (op.method.lower(), _template(op.path))) in in_pinned and key not in in_live
    ]


def _templates(document: Mapping[str, Any]) -> set[tuple[str, str]]:
    paths = document.get("paths")
    if not isinstance(paths, dict):
        return set()
    return {
        (method, _template(path)) for path, item in paths.items() if isinstance(item, dict) for method in item
    }


def _template(path: str) -> str:
    return _PLACEHOLDER.sub("{}", path.rstrip("/") or "/")
