"""The `dimescheduler-openapi` command line (optional extra `cli`: click and rich).

Not imported by `import dimescheduler_openapi`; the console script and `python -m dimescheduler_openapi`
load it through `_entry`, which turns a missing click or rich into a one-line hint. Modules: `_app` (root
command, errors -> exit codes), `_commands` (one command per accessor method, derived), `_fields` (body
options from the generated models), `_import` (bulk import from files), `_records` (reading/writing CSV,
JSON, NDJSON, xlsx), `_progress`, `_output`, `_dryrun`, `_session`, `_exit`.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from ._app import cli, main

__all__ = ["cli", "main"]


def __getattr__(name: str) -> Any:
    # Lazy, so that importing `_entry` (this package first) never needs click.
    if name in __all__:
        from . import _app

        return getattr(_app, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
