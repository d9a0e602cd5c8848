"""The console script's entry point: a one-line hint instead of a traceback when the `cli` extra is missing.

The `dimescheduler-openapi` script is installed with the package, but click and rich only come with
`pip install "dimescheduler-openapi[cli]"`.
"""

from __future__ import annotations

import sys


def main(argv: list[str] | None = None) -> None:
    try:
        from ._app import main as run
    except ModuleNotFoundError as exc:
        if exc.name not in ("click", "rich"):
            raise
        print(
            f"error: the command line needs {exc.name}: pip install 'dimescheduler-openapi[cli]'",
            file=sys.stderr,
        )
        sys.exit(2)
    run(argv)
