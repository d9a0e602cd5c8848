"""``long-text``: a ``description`` or ``summary`` longer than ``MAX_TEXT_CHARS`` characters is cut there.

Such text only ends up in docstrings, but openapi-python-client's time grows with the square of its length
(a 16 MiB description took 34 s, twice that four times as long; a 49 MB document did not finish in 15
minutes). The longest description in 40 published documents has 61,367 characters (bunq). The cut text
ends with a note of how much was cut, and the summary counts the cuts. ``openapi/upstream.json`` keeps
the vendor's text as it was.
"""

from __future__ import annotations

from typing import Any

from .normalize import FixUp

RULE = "long-text"
MAX_TEXT_CHARS = 100_000
TEXT_KEYS = ("description", "summary")


def cut_long_texts(doc: dict[str, Any]) -> list[FixUp]:
    """Cut, in place, every description and summary beyond MAX_TEXT_CHARS (walked without recursion)."""
    fixups = []
    stack: list[tuple[Any, str]] = [(doc, "")]
    while stack:
        value, where = stack.pop()
        if isinstance(value, dict):
            for key, item in value.items():
                place = f"{where}.{key}" if where else str(key)
                if key in TEXT_KEYS and isinstance(item, str) and len(item) > MAX_TEXT_CHARS:
                    cut = len(item) - MAX_TEXT_CHARS
                    value[key] = (
                        f"{item[:MAX_TEXT_CHARS]} [... {cut:,} more characters cut by nox -s generate]"
                    )
                    fixups.append(FixUp(RULE, place, f"cut {cut:,} of {len(item):,} characters"))
                else:
                    stack.append((item, place))
        elif isinstance(value, list):
            stack.extend((item, f"{where}.{index}") for index, item in enumerate(value))
    return sorted(fixups, key=lambda fixup: fixup.location)
