"""Write the import-procedure table of the overlay from the public facts about the API.

`POST /import` runs mboc_* stored procedures; which parameters each one takes is known only from the facts
folder (schemas.json), which the project may not read at build or test time. This script turns those facts
into a committed Python data module once; it runs by hand, never at build, generation or test time:

    python scripts/build_import_table.py FACTS_DIR [--out PATH] [--reference JSON]

PATH defaults to overlay/dimescheduler_openapi/_imports/_procedures.py; JSON to scripts/import_reference.json,
the facts read from the vendor's .NET SDK (parameter order, defaults, required, max lengths per procedure).

How the facts become procedures:
- every `import_procedures` value (and `import_procedures_alt` value) that names a `mboc_*` procedure; the
  `ImportRequest` pseudo-entry names wildcards, not procedures, and is skipped;
- append fields: fields with an import name whose `import_on` is absent or lists "append";
- delete fields: the entity's `delete_fields` when the facts list them, else fields with an import name whose
  `import_on` is absent or lists "delete", plus key fields `required_on` delete (the Resource case: its only
  key is marked append-only by the .NET SDK, which maps no delete parameters);
- clear fields: the parameter names the entity notes give after "given" ("... given SourceApp, SourceType,
  ResourceNo."); a clear procedure whose parameters cannot be derived that way is left out;
- required: on append when `required_on` lists create or update; on delete and clear when it lists delete;
- value kind from type/format: enum (integer with enum values), int, decimal (number), bool, datetime,
  date, list (array of strings), timespan (format time-span), string (everything else).

Then the .NET reference decides, for every procedure it has (an alternative name follows its entity's primary
procedure of the same transaction): the parameters and their order, `required` (a field with a default is
never missing), `default` / `default_now` and `max_length`; its `overrides` section replaces the list of a
procedure where this project deliberately differs. Procedures the reference lacks keep the facts' fields,
required flags and max lengths, with no defaults.
"""

from __future__ import annotations

import argparse
import json
import re
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Any

Json = dict[str, Any]

DEFAULT_OUT = Path("overlay/dimescheduler_openapi/_imports/_procedures.py")
DEFAULT_REFERENCE = Path(__file__).resolve().parent / "import_reference.json"
LINE_LENGTH = 110
PROCEDURE_NAME = re.compile(r"^mboc_[A-Za-z0-9_]+$")
CLEAR_PARAMETERS = re.compile(r"[Cc]lear procedure[^.]*?\bgiven ([A-Za-z0-9_]+(?:, (?:and )?[A-Za-z0-9_]+)*)")
SKIPPED_ENTRIES = ("_meta", "_enums", "dtos", "ImportRequest")
SIMPLE_KINDS = {"number": "decimal", "boolean": "bool", "date-time": "datetime", "date": "date"}

HEADER = '''\
"""The import-procedure table: every mboc_* procedure POST /import can run, with its ordered parameters.

GENERATED from the public facts about the Dime.Scheduler API (schemas.json) and the facts read from the
vendor's .NET SDK (scripts/import_reference.json) by

    python scripts/build_import_table.py FACTS_DIR --out {out}

Do not edit by hand: that script is the only thing that writes this file; rerun it to change the table.
{count} procedures.
"""

from __future__ import annotations

from typing import Final

from ._spec import FieldSpec as F
from ._spec import ProcedureSpec as P
'''


class TableError(Exception):
    """The facts cannot be turned into a table (one-line message)."""


@dataclass(frozen=True)
class Field:
    json_name: str
    parameter: str
    kind: str
    required: bool
    enum: tuple[int, ...]
    default: str | None = None
    default_now: bool = False
    max_length: int | None = None


@dataclass(frozen=True)
class Procedure:
    entity: str
    name: str
    transaction: str
    fields: tuple[Field, ...]
    primary: bool
    send_unset: bool = False


def value_kind(entity: str, field: Json) -> str:
    ftype, fmt = field.get("type"), field.get("format")
    if ftype == "integer":
        return "enum" if field.get("enum") else "int"
    if ftype == "string":
        return "timespan" if fmt == "time-span" else "string"
    if ftype == "array":
        if (field.get("items") or {}).get("type") != "string":
            raise TableError(f"{entity}.{field['name']}: only arrays of strings can be import parameters")
        return "list"
    if isinstance(ftype, str) and ftype in SIMPLE_KINDS:
        return SIMPLE_KINDS[ftype]
    raise TableError(f"{entity}.{field['name']}: type {ftype!r} has no import encoding")


def make_field(entity: str, field: Json, transaction: str) -> Field:
    required_on = set(field.get("required_on") or ())
    if transaction == "append":
        required = bool(required_on & {"create", "update"})
    else:
        required = "delete" in required_on
    return Field(
        json_name=field["name"],
        parameter=field["import_name"],
        kind=value_kind(entity, field),
        required=required,
        enum=tuple(int(v) for v in field.get("enum") or ()),
        max_length=field.get("max_length") if value_kind(entity, field) == "string" else None,
    )


def reference_entry(
    reference: Json, entity: str, procedure: str, transaction: str, primary: bool
) -> Json | None:
    """The reference's parameter list for a procedure (an override first), or None when it has none."""
    entry = ((reference.get("entities") or {}).get(entity) or {}).get(transaction)
    if entry is not None and primary and entry["procedure"] != procedure:
        entry = None
    override = (reference.get("overrides") or {}).get(procedure)
    if override is not None:
        return {**(entry or {}), "parameters": override["parameters"]}
    return None if entry is None else dict(entry)


def apply_reference(entity: str, procedure: str, fields: list[Json], entry: Json) -> tuple[Field, ...]:
    """The procedure's fields in the reference's order, with its required flags, defaults and max lengths."""
    by_parameter = {f["import_name"]: f for f in fields}
    chosen = []
    for parameter in entry["parameters"]:
        name = parameter["name"]
        if name not in by_parameter:
            raise TableError(f"{entity}: reference parameter {name!r} of {procedure} is not in the facts")
        base = make_field(entity, by_parameter[name], "append")
        default = parameter.get("default")
        default_now = bool(parameter.get("default_now"))
        if default is not None and not isinstance(default, str):
            raise TableError(f"{entity}: reference default of {procedure}.{name} must be the wire text")
        chosen.append(
            Field(
                json_name=base.json_name,
                parameter=base.parameter,
                kind=base.kind,
                required=bool(parameter.get("required")) and default is None and not default_now,
                enum=base.enum,
                default=default,
                default_now=default_now,
                max_length=parameter.get("max_length"),
            )
        )
    return tuple(chosen)


def append_fields(entity: str, facts: Json) -> list[Json]:
    return [f for f in facts["fields"] if f["import_name"] and "append" in (f.get("import_on") or ["append"])]


def delete_fields(entity: str, facts: Json) -> list[Json]:
    by_name = {f["name"]: f for f in facts["fields"]}
    if facts.get("delete_fields"):
        missing = [n for n in facts["delete_fields"] if n not in by_name or not by_name[n]["import_name"]]
        if missing:
            raise TableError(f"{entity}: delete_fields {missing} have no import parameter")
        return [by_name[n] for n in facts["delete_fields"]]
    return [
        f
        for f in facts["fields"]
        if f["import_name"]
        and ("delete" in (f.get("import_on") or ["delete"]) or "delete" in (f.get("required_on") or ()))
    ]


def clear_fields(entity: str, facts: Json) -> list[Json] | None:
    match = CLEAR_PARAMETERS.search(facts.get("notes") or "")
    if not match:
        return None
    by_parameter = {f["import_name"]: f for f in facts["fields"] if f["import_name"]}
    names = [n.removeprefix("and ") for n in match.group(1).split(", ")]
    unknown = [n for n in names if n not in by_parameter]
    if unknown:
        raise TableError(f"{entity}: clear procedure parameters {unknown} are not import names of its fields")
    return [by_parameter[n] for n in names]


def entity_procedures(entity: str, facts: Json, reference: Json) -> list[Procedure]:
    named: list[tuple[str, str, bool]] = []
    for key, value in (facts.get("import_procedures") or {}).items():
        if isinstance(value, str) and PROCEDURE_NAME.match(value) and key in ("append", "delete", "clear"):
            named.append((key, value, True))
    for key, value in (facts.get("import_procedures_alt") or {}).items():
        if isinstance(value, str) and PROCEDURE_NAME.match(value):
            transaction = "delete" if "delete" in key else "append"
            named.append((transaction, value, False))
    procedures = []
    for transaction, name, primary in named:
        if transaction == "append":
            chosen: list[Json] | None = append_fields(entity, facts)
        elif transaction == "delete":
            chosen = delete_fields(entity, facts)
        else:
            chosen = clear_fields(entity, facts)
            if chosen is None:
                print(f"note: {entity}: no parameters derivable for {name}; left out", file=sys.stderr)
                continue
        if not chosen:
            raise TableError(f"{entity}: procedure {name} has no parameters in the facts")
        entry = reference_entry(reference, entity, name, transaction, primary)
        if entry is None:
            fields = tuple(make_field(entity, f, transaction) for f in chosen)
        else:
            # The reference may name any of the entity's import parameters, not only the facts' choice.
            fields = apply_reference(entity, name, [f for f in facts["fields"] if f["import_name"]], entry)
        parameters = [f.parameter for f in fields]
        if len(set(parameters)) != len(parameters):
            raise TableError(f"{entity}: procedure {name} repeats a parameter name")
        send_unset = bool(entry and entry.get("sends_unset_as_null"))
        procedures.append(Procedure(entity, name, transaction, fields, primary, send_unset))
    return procedures


def check_unambiguous(entity: str, facts: Json) -> None:
    """Records may use JSON or parameter names in any case: each spelling must mean one field."""
    seen: dict[str, str] = {}
    for f in facts["fields"]:
        for key in {f["name"], f["import_name"]} - {None}:
            owner = seen.setdefault(key.lower(), f["name"])
            if owner != f["name"]:
                raise TableError(f"{entity}: key {key!r} names both {owner!r} and {f['name']!r}")


def build_table(schemas: Json, reference: Json | None = None) -> tuple[list[Procedure], dict[str, list[str]]]:
    reference = reference or {}
    procedures: list[Procedure] = []
    rest_only: dict[str, list[str]] = {}
    for entity, facts in schemas.items():
        if entity in SKIPPED_ENTRIES or not isinstance(facts, dict) or "fields" not in facts:
            continue
        found = entity_procedures(entity, facts, reference)
        if not found:
            continue
        check_unambiguous(entity, facts)
        procedures.extend(found)
        rest_only[entity] = [f["name"] for f in facts["fields"] if not f["import_name"]]
    names = [p.name for p in procedures]
    if len(set(names)) != len(names):
        raise TableError("a procedure name is listed by two entities")
    check_reference_used(reference, set(names))
    return procedures, rest_only


def check_reference_used(reference: Json, names: set[str]) -> None:
    """A reference procedure the facts do not produce is drift between the two sources: stop."""
    listed = [
        entry["procedure"]
        for entity in (reference.get("entities") or {}).values()
        for key, entry in entity.items()
        if isinstance(entry, dict) and "procedure" in entry
    ]
    listed += [name for name in reference.get("overrides") or {} if not name.startswith("_")]
    unknown = sorted(set(listed) - names)
    if unknown:
        raise TableError(f"reference procedures {unknown} are not import procedures of the facts")


def quote(text: str) -> str:
    """A double-quoted Python literal, the way ruff format writes it (the facts' names are plain ASCII)."""
    return json.dumps(text)


def render_field(field: Field, indent: int) -> list[str]:
    """One `F(...),` entry, wrapped the way ruff format wraps a call that does not fit on one line."""
    args = [quote(field.json_name), quote(field.parameter), quote(field.kind)]
    if field.required:
        args.append("required=True")
    if field.enum:
        args.append(f"enum={field.enum!r}")
    if field.default is not None:
        args.append(f"default={quote(field.default)}")
    if field.default_now:
        args.append("default_now=True")
    if field.max_length is not None:
        args.append(f"max_length={field.max_length}")
    pad, inner = " " * indent, " " * (indent + 4)
    joined = ", ".join(args)
    if len(pad) + len(f"F({joined}),") <= LINE_LENGTH:
        return [f"{pad}F({joined}),"]
    if len(inner) + len(joined) <= LINE_LENGTH:
        return [f"{pad}F(", f"{inner}{joined}", f"{pad}),"]
    return [f"{pad}F(", *(f"{inner}{a}," for a in args), f"{pad}),"]


def render(procedures: list[Procedure], rest_only: dict[str, list[str]], out: str) -> str:
    lines = [HEADER.format(out=out, count=len(procedures))]
    lines.append("PROCEDURES: Final[tuple[P, ...]] = (")
    for p in procedures:
        lines.append("    P(")
        lines.append(f"        {quote(p.entity)},")
        lines.append(f"        {quote(p.name)},")
        lines.append(f"        {quote(p.transaction)},")
        single = render_field(p.fields[0], 8) if len(p.fields) == 1 else []
        if len(single) == 1:
            # ruff format joins a one-item tuple onto one line: its trailing comma is not "magic".
            lines.append(f"        ({single[0].strip()[:-1]},),")
        else:
            lines.append("        (")
            for f in p.fields:
                lines.extend(render_field(f, 12))
            lines.append("        ),")
        if not p.primary:
            lines.append("        primary=False,")
        if p.send_unset:
            lines.append("        send_unset=True,")
        lines.append("    ),")
    lines.append(")")
    lines.append("")
    lines.append("# Fields with no import parameter (REST only): skipped when a record carries them.")
    lines.append("REST_ONLY_FIELDS: Final[dict[str, tuple[str, ...]]] = {")
    for entity, names in rest_only.items():
        inner = ", ".join(quote(n) for n in names) + ("," if len(names) == 1 else "")
        lines.append(f"    {quote(entity)}: ({inner}),")
    lines.append("}")
    return "\n".join(lines) + "\n"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("facts_dir", type=Path, help="folder holding schemas.json")
    parser.add_argument("--out", type=Path, default=DEFAULT_OUT, help=f"output (default {DEFAULT_OUT})")
    parser.add_argument(
        "--reference", type=Path, default=DEFAULT_REFERENCE, help="facts read from the .NET SDK (JSON)"
    )
    args = parser.parse_args(argv)
    source = args.facts_dir / "schemas.json"
    try:
        schemas = json.loads(source.read_text(encoding="utf-8"))
        reference = json.loads(args.reference.read_text(encoding="utf-8"))
        procedures, rest_only = build_table(schemas, reference)
    except (OSError, ValueError, KeyError, TableError) as exc:
        print(f"error: {source}: {exc}", file=sys.stderr)
        return 1
    out_label = args.out.as_posix() if not args.out.is_absolute() else str(DEFAULT_OUT)
    args.out.write_text(render(procedures, rest_only, out_label), encoding="utf-8")
    print(f"wrote {args.out} ({len(procedures)} procedures)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
