"""Writes `dimescheduler_raw/spec_info.py`: which vendor document the generated package was built from.

`dimescheduler_raw.SPEC` (and `dimescheduler-openapi --version`) read it at run time: where the document came
from, when, its sha256 (of `openapi/upstream.json`) and what it holds. The values are those of
`openapi/upstream.meta.json` as this run leaves it, and counts of the document the package was generated
from, so the module changes exactly when the document or its record does (two runs in a row change nothing).
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any

HTTP_METHODS = ("get", "put", "post", "delete", "options", "head", "patch", "trace")


def _literal(value: object) -> str:
    return json.dumps(value) if isinstance(value, str) else repr(value)


def render_spec_info(header: str, meta: Mapping[str, Any] | None, document: Mapping[str, Any]) -> str:
    """The module's source text. `meta`: the upstream record (None: no record); `document`: as generated."""
    meta = meta or {}
    paths = document.get("paths", {})
    info = document.get("info", {})
    operations = sum(1 for item in paths.values() for method in item if method in HTTP_METHODS)
    values = {
        "source": meta.get("source"),
        "found_via": meta.get("found_via"),
        "fetched_at": meta.get("fetched_at") or meta.get("reconstructed_at"),
        "sha256": meta.get("sha256"),
        "title": info.get("title"),
        "version": info.get("version"),
        "openapi": document.get("openapi"),
        "paths": len(paths),
        "operations": operations,
        "schemas": len(document.get("components", {}).get("schemas", {})),
        "left_out": len(meta.get("left_out", ())),
    }
    # json.dumps: double-quoted strings, as the formatter writes them (valid Python for str values)
    fields = "\n".join(f"        {name}={_literal(value)}," for name, value in values.items())
    return f'''{header}"""The vendor document this package was generated from: `dimescheduler_raw.SPEC`.

Written by `nox -s generate` from openapi/upstream.meta.json and the normalized document.
"""

from __future__ import annotations

from typing import Final, NamedTuple


class SpecInfo(NamedTuple):
    """Where the document came from and what it holds.

    source: the URL it was fetched from (None: not fetched, e.g. reconstructed); found_via: how the URL was
    found (a docs page, a well-known path, "reconstructed"); fetched_at: when (ISO 8601, UTC; for a
    reconstructed copy when it was made); sha256: of openapi/upstream.json; title, version, openapi: the
    document's `info.title`, `info.version` and OpenAPI version; paths, operations, schemas: counts in the
    document the package was generated from; left_out: operations the generator could not generate.
    """

    source: str | None
    found_via: str | None
    fetched_at: str | None
    sha256: str | None
    title: str | None
    version: str | None
    openapi: str | None
    paths: int
    operations: int
    schemas: int
    left_out: int

    def summary(self) -> str:
        """One line: "Dime.Scheduler API 1.0 (OpenAPI 3.1.0), 177 operations, sha256 5b733948..., ..."."""
        where = self.source or self.found_via or "unknown source"
        when = f" at {{self.fetched_at}}" if self.fetched_at else ""
        digest = (self.sha256 or "unknown")[:12]
        return (
            f"{{self.title}} {{self.version}} (OpenAPI {{self.openapi}}): {{self.operations}} operations,"
            f" {{self.schemas}} schemas; sha256 {{digest}}; from {{where}}{{when}}"
        )


SPEC: Final = SpecInfo(
{fields.replace("        ", "    ")}
)
'''
