"""The raw client generated with openapi-python-client's stock templates, for before/after numbers.

Same spec, config and generator call as `nox -s generate`; only scripts/templates is swapped for a folder
holding just our tolerant-enum overrides. The result is imported under another name (the generated code
only uses relative imports), next to the committed dimescheduler_raw.
"""

from __future__ import annotations

import importlib
import importlib.util
import shutil
import sys
from pathlib import Path
from types import ModuleType
from unittest import mock

from .harness import REPO, SCRIPTS_DIR

BASELINE_OVERRIDES = ("int_enum.py.jinja", "str_enum.py.jinja")


def generate_stock(workdir: Path) -> Path:
    from specpipe import generate as pipeline

    templates = workdir / "stock-templates"
    templates.mkdir(parents=True)
    for name in BASELINE_OVERRIDES:
        shutil.copy(SCRIPTS_DIR / "templates" / name, templates / name)
    text = (REPO / "openapi" / "dimescheduler.json").read_text(encoding="utf-8")
    with mock.patch.object(pipeline, "TEMPLATES_DIR", templates):
        return pipeline.run_generator(text, workdir)


def load_as(alias: str, package_dir: Path) -> ModuleType:
    spec = importlib.util.spec_from_file_location(
        alias, package_dir / "__init__.py", submodule_search_locations=[str(package_dir)]
    )
    if spec is None or spec.loader is None:
        raise ImportError(f"cannot import {package_dir} as {alias}")
    module = importlib.util.module_from_spec(spec)
    sys.modules[alias] = module
    spec.loader.exec_module(module)
    return module


def stock_model(workdir: Path, class_name: str) -> type:
    load_as("bench_stock_raw", generate_stock(workdir))
    model: type = getattr(importlib.import_module("bench_stock_raw.models"), class_name)
    return model
