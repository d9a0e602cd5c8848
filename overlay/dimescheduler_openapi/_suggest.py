"""A "did you mean ...?" hint for a misspelt name, shared by the import builders and the body key checks."""

from __future__ import annotations

import difflib
from collections.abc import Sequence

__all__ = ["did_you_mean"]


def did_you_mean(name: str, candidates: Sequence[str]) -> str:
    """ " (did you mean 'jobNo'?)" for the closest candidate (or the same name in another case), else ""."""
    close = difflib.get_close_matches(name, candidates, n=1, cutoff=0.6)
    if not close:
        lowered = {c.lower(): c for c in candidates}
        close = [lowered[name.lower()]] if name.lower() in lowered else []
    return f" (did you mean {close[0]!r}?)" if close else ""
