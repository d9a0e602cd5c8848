"""Which fields a table shows: a few readable default columns per entity, or the ones `--columns` names.

The defaults come from the route table, never from a list of entities: the fields that identify a record
(the required fields of the route's DELETE body, `sourceApp`/`sourceType` left out when other keys remain),
then name- and description-like fields of the answer's model (`displayName`, `name`, `shortDescription`,
`description`, start and end), at most `MAX_DEFAULT` in all. `--columns all` shows every field; a table
too wide for the terminal is printed one record per block instead.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Sequence

import click

MAX_DEFAULT = 6
# Scope of a record in the back office: part of the key, but the same on every row of most answers.
_SCOPE = ("sourceApp", "sourceType")
_READABLE = (
    re.compile(r"^(display)?name$", re.I),
    re.compile(r"^(short)?description$", re.I),
    re.compile(r"^(subject|title|text|email|color|type)$", re.I),
    re.compile(r"^(start|end)(date|time)?$", re.I),
)


def default_columns(method: str, path: str) -> list[str]:
    """The default table columns for the answer of `method path` (JSON names), or [] to show every field."""
    from dimescheduler_raw.routes import ROUTES

    route = ROUTES.get((method, path))
    if route is None:
        return []
    fields = _answer_fields(route.response if route.response_shape != "page" else route.page_item)
    if not fields:
        return []
    delete = ROUTES.get(("DELETE", path))
    keys = [f for f in (delete.body_required if delete else ()) if f in fields]
    if not keys:
        keys = [f for f in fields if re.search(r"(^id$|No$|Id$)", f)][:2]
    chosen = [k for k in keys if k not in _SCOPE] or keys
    for pattern in _READABLE:
        chosen += [f for f in fields if pattern.match(f) and f not in chosen]
    return chosen[:MAX_DEFAULT]


def _answer_fields(class_name: str | None) -> list[str]:
    """The JSON names of the fields of a generated model class (`_FD_FIELD_KEYS` of its module)."""
    if not class_name:
        return []
    import importlib

    from dimescheduler_raw import models

    cls = getattr(models, class_name, None)
    if cls is None:
        return []
    module = importlib.import_module(cls.__module__)
    return list(getattr(module, "_FD_FIELD_KEYS", ()))


def _closest(name: str, known: list[str]) -> str:
    """ " (did you mean 'jobNo'?)": compared in lower case, a little looser than for body keys."""
    by_lower = {k.lower(): k for k in known}
    close = difflib.get_close_matches(name.lower(), list(by_lower), n=1, cutoff=0.5)
    return f" (did you mean {by_lower[close[0]]!r}?)" if close else ""


def parse_columns(text: str | None) -> list[str] | None:
    """`--columns a,b,c` -> ["a", "b", "c"]; "all" -> []; None -> None (the defaults)."""
    if text is None:
        return None
    names = [name.strip() for name in text.split(",") if name.strip()]
    if names == ["all"]:
        return []
    if not names:
        raise click.BadParameter("name at least one column, or 'all'", param_hint="--columns")
    return names


def select(rows: Sequence[dict[str, object]], wanted: list[str], known: list[str]) -> list[str]:
    """The columns to print: `wanted` matched to the fields seen (any case); unknown ones are refused."""
    by_lower = {name.lower(): name for name in known}
    chosen: list[str] = []
    for name in wanted:
        found = by_lower.get(name.lower())
        if found is None:
            if not rows:  # nothing to compare with: keep the name, it prints as an empty column
                chosen.append(name)
                continue
            raise click.BadParameter(f"no field {name!r}{_closest(name, known)}", param_hint="--columns")
        chosen.append(found)
    return chosen
