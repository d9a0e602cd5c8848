"""`python -m dimescheduler_openapi ...`: the command line (needs the `cli` extra: click, rich)."""

from __future__ import annotations

from ._cli._entry import main

if __name__ == "__main__":
    main()
