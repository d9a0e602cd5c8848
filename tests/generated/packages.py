"""Generate packages into temporary folders and import them under names of their own.

The generated code only uses relative imports, so a package generated into any folder can be imported as,
say, `stock_raw` next to the committed `dimescheduler_raw` without either shadowing the other.
"""

from __future__ import annotations

import importlib
import importlib.util
import shutil
import sys
from pathlib import Path
from types import ModuleType
from unittest import mock

REPO = Path(__file__).resolve().parents[2]
SCRIPTS = REPO / "scripts"
OUR_TEMPLATES = SCRIPTS / "templates"
# The baseline the fast templates must behave like: openapi-python-client's own templates plus our tolerant
# enums (those are behaviour we chose, not a speed trick).
BASELINE_OVERRIDES = ("int_enum.py.jinja", "str_enum.py.jinja")


def generate(spec_text: str, workdir: Path, *, stock: bool) -> Path:
    """Run the pipeline's generator steps on spec_text; stock=True swaps our templates for the baseline."""
    if str(SCRIPTS) not in sys.path:
        sys.path.insert(0, str(SCRIPTS))
    from specpipe import generate as pipeline

    workdir.mkdir(parents=True, exist_ok=True)
    if stock:
        templates = workdir / "baseline-templates"
        templates.mkdir()
        for name in BASELINE_OVERRIDES:
            shutil.copy(OUR_TEMPLATES / name, templates / name)
        with mock.patch.object(pipeline, "TEMPLATES_DIR", templates):
            package = pipeline.run_generator(spec_text, workdir)
    else:
        package = pipeline.run_generator(spec_text, workdir)
    pipeline.finish_package(package)
    return package


def load_package(alias: str, package_dir: Path) -> ModuleType:
    """Import the package in package_dir as `alias` (replacing an earlier one of that name)."""
    for name in [n for n in sys.modules if n == alias or n.startswith(alias + ".")]:
        del sys.modules[name]
    spec = importlib.util.spec_from_file_location(
        alias, package_dir / "__init__.py", submodule_search_locations=[str(package_dir)]
    )
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[alias] = module
    spec.loader.exec_module(module)
    return module


def model_class(package: str, class_name: str) -> type:
    models = importlib.import_module(f"{package}.models")
    cls: type = getattr(models, class_name)
    return cls
