"""The pages a reader reads: README.md and the documentation site's Markdown under docs/.

Tests of documented snippets read them from here, wherever a snippet lives (README or a docs page).
"""

from __future__ import annotations

import re
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
README = REPO / "README.md"
DOCS = REPO / "docs"


def pages() -> list[Path]:
    """README.md first, then every Markdown page under docs/ in path order."""
    return [README, *sorted(DOCS.rglob("*.md"))]


def blocks(language: str, *, marker: str | None = None, paths: list[Path] | None = None) -> list[str]:
    """Fenced code blocks in `language` (after an HTML comment `marker` line when given), in page order."""
    prefix = re.escape(f"<!-- {marker} -->\n") if marker else ""
    found: list[str] = []
    for path in paths if paths is not None else pages():
        found += re.findall(prefix + rf"```{language}\n(.*?)```", path.read_text(encoding="utf-8"), re.S)
    return found
