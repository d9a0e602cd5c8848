"""The shape of the import table: one `ProcedureSpec` per mboc_* procedure, one `FieldSpec` per parameter.

The table itself (`_procedures.py`) is generated from the public facts by `scripts/build_import_table.py`.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

Transaction = Literal["append", "delete", "clear"]
ValueKind = Literal["string", "int", "decimal", "bool", "datetime", "date", "enum", "list", "timespan"]


@dataclass(frozen=True, slots=True)
class FieldSpec:
    """One procedure parameter: the API's camelCase JSON name, its parameter name, how values are written.

    `default` is the wire text sent when a record leaves the field out (what the vendor's .NET SDK sends for
    an unset property); `default_now` sends the current UTC time instead. `max_length` is in UTF-16 code
    units, as .NET's [MaxLength] counts them.
    """

    json_name: str
    parameter: str
    kind: ValueKind
    required: bool = False
    enum: tuple[int, ...] = ()
    default: str | None = None
    default_now: bool = False
    max_length: int | None = None


@dataclass(frozen=True, slots=True)
class ProcedureSpec:
    """One import procedure. `primary` is False for an alternative name some vendor SDK uses instead.

    `send_unset` sends every parameter, None for the ones a record leaves out (the .NET SDK's clear requests).
    """

    entity: str
    procedure: str
    transaction: Transaction
    fields: tuple[FieldSpec, ...]
    primary: bool = True
    send_unset: bool = False
