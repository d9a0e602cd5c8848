"""The `dimescheduler-openapi` command line (optional extra `cli`: click and rich).

Not imported by `import dimescheduler_openapi`; the console script and `python -m dimescheduler_openapi`
load it. Modules: `_app` (root command, errors -> exit codes), `_commands` (one command per accessor
method, derived), `_fields` (body options from the generated models), `_import` (bulk import from files),
`_records` (reading/writing CSV, JSON, NDJSON, xlsx), `_progress`, `_output`, `_dryrun`, `_session`, `_exit`.
"""

from __future__ import annotations

from ._app import cli, main

__all__ = ["cli", "main"]
