"""Writes the generated pages of the documentation site's reference (run by mkdocs-gen-files, `nox -s docs`).

- `changelog.md`: `CHANGELOG.md` as is.
- `reference/accessors.md`: `api.md` (written by `scripts/api_doc.py` from the overlay's code) as is.
- `reference/operations.md`: every operation of `openapi/dimescheduler.json` (method + path), the accessor
  method that sends it, the generated function, and the operation's `x-confidence` (how well the public
  sources agree on it: high, medium, low, none).
- `reference/models.md`: every stable model name of `dimescheduler_openapi.models`, the route and role it is
  bound to, and its fields: Python attribute, JSON name (what a dict body uses), type, required, description.

Everything comes from the code, the route table and the normalized document; nothing is listed by hand.
`python scripts/docs_reference.py --out DIR` writes the same pages into a folder (to look at them).
"""

from __future__ import annotations

import json
import re
import sys
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
METHODS = ("get", "put", "post", "delete", "patch", "head", "options")
_ATTRIBUTE = re.compile(r"^ {8}(\w+) \((.+?)\): ?(.*)$")
_CONTINUATION = re.compile(r"^ {12,}(\S.*)$")


def _cell(text: str) -> str:
    return " ".join(text.split()).replace("|", "\\|")


def accessor_page() -> str:
    return (ROOT / "api.md").read_text(encoding="utf-8")


def changelog_page() -> str:
    return (ROOT / "CHANGELOG.md").read_text(encoding="utf-8")


def _accessor_methods() -> dict[tuple[str, str], list[str]]:
    from dimescheduler_openapi._resources import SyncResources, declared_operations

    found: dict[tuple[str, str], list[str]] = {}
    for accessor, methods in sorted(declared_operations(SyncResources).items()):
        for name, endpoint in sorted(methods.items()):
            found.setdefault((endpoint.method, endpoint.path), []).append(f"client.{accessor}.{name}")
    return found


def operations_page() -> str:
    from dimescheduler_raw.routes import ROUTES

    document = json.loads((ROOT / "openapi" / "dimescheduler.json").read_text(encoding="utf-8"))
    accessors = _accessor_methods()
    rows: list[str] = []
    counts: dict[str, int] = {}
    for path, item in document["paths"].items():
        for method in METHODS:
            operation = item.get(method)
            if not isinstance(operation, dict):
                continue
            confidence = str(operation.get("x-confidence", "none"))
            counts[confidence] = counts.get(confidence, 0) + 1
            route = ROUTES.get((method.upper(), path))
            function = f"`{route.module.removeprefix('dimescheduler_raw.')}`" if route else "(left out)"
            methods = ", ".join(f"`{m}`" for m in accessors.get((method.upper(), path), [])) or "raw only"
            rows.append(
                f"| `{method.upper()} {path}` | {confidence} | {methods} |"
                f" {_cell(operation.get('summary', ''))} | {function} |"
            )
    summary = ", ".join(f"{count} {name}" for name, count in sorted(counts.items()))
    doubtful = [row for row in rows if row.split(" | ")[1] in ("low", "none")]
    return "\n".join(
        [
            "# Operations and their confidence",
            "",
            "Every operation of `openapi/dimescheduler.json`, the accessor method that sends it, the generated",
            "function in `dimescheduler_raw` and its `x-confidence`: how well the public sources the pinned",
            "document was reconstructed from agree on it (high, medium, low; none when the document does not say).",
            "Treat a low-confidence operation as a guess: check its answers before relying on their shape.",
            f"Written from the document and the route table when the site is built ({summary}).",
            "",
            "## Low or no confidence",
            "",
            "| operation | confidence | accessor method | summary | generated function |",
            "|---|---|---|---|---|",
            *doubtful,
            "",
            "## Every operation",
            "",
            "| operation | confidence | accessor method | summary | generated function |",
            "|---|---|---|---|---|",
            *rows,
            "",
        ]
    )


def model_fields(cls: type) -> Iterator[tuple[str, str, str, bool, str]]:
    """(python name, JSON name, type, required, description) of each field of a generated model class.

    Python names, types and descriptions come from the class docstring (the generator's rendering of the
    schema), JSON names from the model module's `_FD_FIELD_KEYS` (the keys `from_dict` reads, in field order).
    """
    import attrs

    module = sys.modules[cls.__module__]
    keys: tuple[str, ...] = getattr(module, "_FD_FIELD_KEYS", ())
    names = [f.name for f in attrs.fields(cls) if f.name != "additional_properties"]
    if len(keys) != len(names):
        raise RuntimeError(f"{cls.__name__}: {len(names)} fields but {len(keys)} JSON keys")
    described: dict[str, tuple[str, str]] = {}
    current: str | None = None
    for line in (cls.__doc__ or "").splitlines():
        match = _ATTRIBUTE.match(line)
        if match:
            current = match.group(1)
            described[current] = (match.group(2), match.group(3))
        elif current and (more := _CONTINUATION.match(line)):
            kind, text = described[current]
            described[current] = (kind, f"{text} {more.group(1)}")
        else:
            current = None
    for name, key in zip(names, keys, strict=True):
        if re.sub(r"[^a-z0-9]", "", name.lower()) != re.sub(r"[^a-z0-9]", "", key.lower()):
            raise RuntimeError(f"{cls.__name__}: field {name} does not match JSON key {key}")
        kind, text = described.get(name, ("", ""))
        yield name, key, kind, "Unset" not in kind, text


def models_page() -> str:
    from dimescheduler_openapi import models
    from dimescheduler_openapi._resources._names import STABLE_MODELS

    lines = [
        "# Models and their JSON names",
        "",
        "Every name of `dimescheduler_openapi.models`, the route and role it is bound to, and its fields. Typed",
        "models take the Python names (`Job(source_app=...)`, as `help(Job)` shows them); dict bodies and",
        '`to_dict()` use the JSON names (`{"sourceApp": ...}`). A field left out holds `UNSET`. Written from',
        "the generated classes and the route table when the site is built.",
        "",
    ]
    for name in sorted(STABLE_MODELS):
        method, path, role = STABLE_MODELS[name]
        try:
            cls = getattr(models, name)
        except AttributeError as exc:
            lines += [f"## {name}", "", f"Not in this client: {exc}", ""]
            continue
        lines += [
            f"## {name}",
            "",
            f"`{method} {path}` {role.replace('_', ' ')}; class `{cls.__name__}`.",
            "",
        ]
        fields = list(model_fields(cls))
        if not fields:
            lines += ["Any JSON object (the document describes no fields).", ""]
            continue
        lines += ["| Python | JSON | type | required | description |", "|---|---|---|---|---|"]
        lines += [
            f"| `{py}` | `{key}` | {_cell(kind)} | {'yes' if required else ''} | {_cell(text)} |"
            for py, key, kind, required, text in fields
        ]
        lines.append("")
    return "\n".join(lines)


PAGES: dict[str, Callable[[], str]] = {
    "reference/accessors.md": accessor_page,
    "reference/operations.md": operations_page,
    "reference/models.md": models_page,
    "changelog.md": changelog_page,
}


def write_all(write: Callable[[str, str], Any]) -> None:
    for name, page in PAGES.items():
        write(name, page())


def _mkdocs() -> None:
    import mkdocs_gen_files

    def write(name: str, text: str) -> None:
        with mkdocs_gen_files.open(name, "w") as handle:
            handle.write(text)

    write_all(write)


if __name__ == "<run_path>":  # mkdocs-gen-files runs the script with runpy.run_path
    _mkdocs()
elif __name__ == "__main__":
    if sys.argv[1:2] != ["--out"] or len(sys.argv) != 3:
        sys.exit("usage: python scripts/docs_reference.py --out DIR")
    out = Path(sys.argv[2])

    def write(name: str, text: str) -> None:
        (out / name).parent.mkdir(parents=True, exist_ok=True)
        (out / name).write_text(text, encoding="utf-8")

    write_all(write)
