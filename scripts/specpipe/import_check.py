"""Import every module of a generated package in a fresh interpreter, and trace the failing ones back to
the document: an endpoint module to its operation (through the route table), a model module to the
component schema whose class (or inline class: ``holder_index_type_0`` belongs to ``Holder``) it holds.

``nox -s generate`` never ends with a module that does not import: what fails is left out, named, and the
client generated again; what cannot be traced fails the run in one line.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any

from .errors import GenerationError
from .leftout import GeneratorReport

IMPORT_TIMEOUT_SECONDS = 300
FIELD_PREFIX = "field_"  # the generator's field_prefix (scripts/openapi-python-client.yaml)
_MESSAGE_CHARS = 300

# Run as `python -c SCRIPT PACKAGE`: prints {module: "Error: message"} for every module that fails.
_SCRIPT = r"""
import importlib, json, pkgutil, sys
package = sys.argv[1]
failed = {}
def note(name, exc):
    text = str(exc).strip().splitlines()
    failed[name] = type(exc).__name__ + (": " + text[0][:300] if text else "")
try:
    root = importlib.import_module(package)
except BaseException as exc:
    note(package, exc)
else:
    def onerror(name):
        note(name, sys.exc_info()[1])
    for info in pkgutil.walk_packages(root.__path__, package + ".", onerror=onerror):
        try:
            importlib.import_module(info.name)
        except BaseException as exc:
            note(info.name, exc)
print(json.dumps(failed, sort_keys=True))
"""


def failing_modules(package_dir: Path, *, timeout: float = IMPORT_TIMEOUT_SECONDS) -> dict[str, str]:
    """``{module: "NameError: ..."}`` for every module of the package in ``package_dir`` that does not
    import (empty when all do). Raises GenerationError when the check itself cannot run."""
    env = dict(os.environ, PYTHONPATH=str(package_dir.parent), PYTHONDONTWRITEBYTECODE="1")
    command = [sys.executable, "-B", "-c", _SCRIPT, package_dir.name]
    try:
        proc = subprocess.run(
            command,
            cwd=package_dir.parent,
            env=env,
            capture_output=True,
            text=True,
            timeout=timeout,
            check=False,
        )
    except subprocess.TimeoutExpired:
        raise GenerationError(
            f"importing the generated modules did not finish within {timeout:.0f} s"
        ) from None
    except OSError as exc:
        raise GenerationError(f"cannot import the generated modules: {exc.strerror}") from None
    try:
        failed = json.loads(proc.stdout.strip().splitlines()[-1])
    except (ValueError, IndexError):
        last = proc.stderr.strip().splitlines()[-1:] or ["no output"]
        raise GenerationError(
            f"the import check of the generated modules failed: {last[0][:_MESSAGE_CHARS]}"
        ) from None
    return {str(name): str(error) for name, error in failed.items()} if isinstance(failed, dict) else {}


def trace(
    failed: Mapping[str, str],
    package: str,
    endpoint_modules: Mapping[str, tuple[str, str]],
    document: Mapping[str, Any],
) -> tuple[GeneratorReport, list[str]]:
    """The operations and schemas behind the ``failed`` modules (as a report ``leave_out`` takes), and the
    failures traced to neither. ``endpoint_modules``: endpoint module name -> (method, path)."""
    report = GeneratorReport(component_phrase="does not import")
    model_modules = _model_modules(document)
    untraced = []
    # A failing model breaks every module importing it: trace models first and only they, if any fail.
    models = {name: error for name, error in failed.items() if name.startswith(f"{package}.models.")}
    for name, error in sorted((models or failed).items()):
        reason = f"generated module {name.removeprefix(package + '.')} does not import: {error}"
        if name in endpoint_modules:
            method, path = endpoint_modules[name]
            report.operations[(method.lower(), path)] = reason
            continue
        schema = _owner(name.removeprefix(f"{package}.models."), model_modules) if name in models else None
        if schema is not None:
            report.components.setdefault(("schemas", schema), reason)
        else:
            untraced.append(f"{name}: {error}")
    if report.operations or report.components:
        # modules such as the package or `models/__init__` fail because one above does
        untraced = [line for line in untraced if not _is_container(line.split(":", 1)[0], package)]
    return report, untraced


def describe_untraced(untraced: Iterable[str]) -> str:
    lines = list(untraced)
    shown = "; ".join(lines[:3]) + (f"; and {len(lines) - 3} more" if len(lines) > 3 else "")
    return f"{len(lines)} generated module(s) do not import and cannot be traced to an operation or schema: {shown}"


def _is_container(module: str, package: str) -> bool:
    """The package, its sub-packages and the modules importing every model or endpoint."""
    whole = {package, f"{package}.models", f"{package}.api", f"{package}.routes", f"{package}.aliases"}
    return module in whole or (module.count(".") == 2 and module.startswith(f"{package}.api."))


def _model_modules(document: Mapping[str, Any]) -> dict[str, str]:
    """Module name of each component schema's class -> schema name (the generator's own naming)."""
    from openapi_python_client.strings import ClassName, PythonIdentifier

    components = document.get("components")
    schemas = components.get("schemas") if isinstance(components, dict) else None
    found: dict[str, str] = {}
    for name, schema in schemas.items() if isinstance(schemas, dict) else []:
        title = schema.get("title") if isinstance(schema, dict) else None
        class_name = ClassName(title if isinstance(title, str) and title else name, prefix=FIELD_PREFIX)
        found.setdefault(str(PythonIdentifier(class_name, FIELD_PREFIX)), name)
    return found


def _owner(module: str, model_modules: Mapping[str, str]) -> str | None:
    """The schema whose class is in ``module``, or whose inline classes are (longest name first)."""
    if module in model_modules:
        return model_modules[module]
    prefixes = [known for known in model_modules if module.startswith(known + "_")]
    return model_modules[max(prefixes, key=len)] if prefixes else None
