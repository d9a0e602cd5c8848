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
    """One procedure parameter: the API's camelCase JSON name, its parameter name, how values are written."""

    json_name: str
    parameter: str
    kind: ValueKind
    required: bool = False
    enum: tuple[int, ...] = ()


@dataclass(frozen=True, slots=True)
class ProcedureSpec:
    """One import procedure. `primary` is False for an alternative name some vendor SDK uses instead."""

    entity: str
    procedure: str
    transaction: Transaction
    fields: tuple[FieldSpec, ...]
    primary: bool = True
