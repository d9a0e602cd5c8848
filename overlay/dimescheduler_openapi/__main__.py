"""`python -m dimescheduler_openapi ...`: the command line (needs the `cli` extra: click, rich)."""

from __future__ import annotations

import sys


def _run() -> None:
    try:
        from ._cli import main
    except ImportError as exc:  # click or rich missing
        sys.stderr.write(
            f"the command line needs the cli extra: pip install 'dimescheduler-openapi[cli]' ({exc})\n"
        )
        raise SystemExit(2) from None
    main()


if __name__ == "__main__":
    _run()
