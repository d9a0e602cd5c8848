"""Building `ImportRequest`s from records, driven by the generated procedure table.

A record is a mapping (or a dimescheduler_raw model, read through its `to_dict()`) keyed by the API's
camelCase JSON names (`jobNo`) or by the procedure's parameter names (`JobNo`), in any case. Keys the entity
knows but the chosen procedure does not take (append-only fields on a delete, REST-only fields such as
`appointmentNo`) are skipped, so one record can feed both the append and the delete procedure; keys the
entity does not know are an error. Parameters follow the table's order; values are written by `_format`;
a field the record leaves out gets the table's default, and `_records` reads models and checks lengths.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from functools import cache
from typing import Any

from .._errors import InvalidRequestError
from .._suggest import did_you_mean as _suggest
from ._format import format_value
from ._procedures import PROCEDURES, REST_ONLY_FIELDS
from ._records import check_length, default_text, model_mapping
from ._request import ImportRequest
from ._spec import FieldSpec, ProcedureSpec, Transaction

Record = Mapping[str, Any] | Any


def _normal(name: str) -> str:
    return name.replace("_", "").replace("-", "").lower()


BY_PROCEDURE: dict[str, ProcedureSpec] = {spec.procedure.lower(): spec for spec in PROCEDURES}
ENTITIES: dict[str, str] = {_normal(spec.entity): spec.entity for spec in PROCEDURES}


def procedure_spec(procedure: str) -> ProcedureSpec:
    """The table entry of a procedure, by name (SQL names are case-insensitive)."""
    spec = BY_PROCEDURE.get(procedure.lower()) if isinstance(procedure, str) else None
    if spec is None:
        raise InvalidRequestError(
            f"unknown import procedure {procedure!r}{_suggest(str(procedure), [s.procedure for s in PROCEDURES])}"
        )
    return spec


def entity_name(entity: str | type[Any]) -> tuple[str, bool]:
    """(table entity name, whether the spelling asks for delete): 'job', 'task_filter_value', JobDelete.

    A model class is known by its stable names (`dimescheduler_openapi.models`, bound to routes) first, so
    a class the vendor renamed (`JobDto`) still means Job; then by its own name.
    """
    if isinstance(entity, type):
        spellings = [*_stable_names(entity.__name__), entity.__name__]
    elif isinstance(entity, str):
        spellings = [entity]
    else:
        raise InvalidRequestError(f"an import entity is a name or a model class, not {type(entity).__name__}")
    for spelling in spellings:
        is_delete_model = isinstance(entity, type) and spelling.endswith("Delete")
        found = ENTITIES.get(_normal(spelling.removesuffix("Delete") if is_delete_model else spelling))
        if found is not None:
            return found, is_delete_model
    raise InvalidRequestError(
        f"unknown import entity {spellings[-1]!r}{_suggest(spellings[-1], sorted(set(ENTITIES.values())))}"
    )


def _stable_names(class_name: str) -> list[str]:
    """Stable names bound to a generated class, write models before delete models."""
    from dimescheduler_raw.aliases import TARGETS

    names = [alias for alias, target in TARGETS.items() if target == class_name]
    return sorted(names, key=lambda alias: (alias.endswith("Delete"), alias))


def entity_procedure(entity: str, transaction: Transaction) -> ProcedureSpec:
    for spec in PROCEDURES:
        if spec.entity == entity and spec.transaction == transaction and spec.primary:
            return spec
    raise InvalidRequestError(f"{entity} has no {transaction} import procedure")


def import_request(entity: str | type[Any], record: Record, *, delete: bool = False) -> ImportRequest:
    """Build the request for `entity`'s append procedure, or its delete procedure with `delete=True`.

    `entity` is a table entity name in any spelling ("Job", "job", "task_filter_value") or a generated model
    class; a `...Delete` model class (JobDelete) selects the delete procedure by itself.
    """
    name, is_delete_model = entity_name(entity)
    return build_import(entity_procedure(name, "delete" if delete or is_delete_model else "append"), record)


def build_import(procedure: str | ProcedureSpec, record: Record) -> ImportRequest:
    """Build the request for one procedure (name or table entry) from a record."""
    spec = procedure if isinstance(procedure, ProcedureSpec) else procedure_spec(procedure)
    data = record_mapping(record, spec.procedure)
    fields, skipped = _keys(spec.procedure)
    given: dict[str, tuple[str, Any]] = {}
    for key, value in data.items():
        field = fields.get(key.lower()) if isinstance(key, str) else None
        if field is None:
            if isinstance(key, str) and key.lower() in skipped:
                continue
            known = [f.json_name for f in spec.fields]
            raise InvalidRequestError(
                f"{spec.procedure}: unknown field {key!r} for {spec.entity}{_suggest(str(key), known)}"
            )
        if field.parameter in given:
            raise InvalidRequestError(
                f"{spec.procedure}: field {field.json_name!r} given twice (as {given[field.parameter][0]!r}"
                f" and {key!r})"
            )
        given[field.parameter] = (key, value)
    names: list[str] = []
    values: list[str | None] = []
    missing: list[str] = []
    for field in spec.fields:
        if field.parameter in given:
            # An explicit None leaves the parameter out, default or not (a .NET property set to null).
            text = format_value(given[field.parameter][1], field, spec.procedure)
            if text is not None:
                check_length(text, field, spec.procedure)
        else:
            text = default_text(field, spec.procedure)
        if text is None:
            if field.required:
                missing.append(f"{field.json_name!r} ({field.parameter})")
            elif spec.send_unset:
                names.append(field.parameter)
                values.append(None)
            continue
        names.append(field.parameter)
        values.append(text)
    if missing:
        raise InvalidRequestError(f"{spec.procedure}: missing required field {', '.join(missing)}")
    return ImportRequest(spec.procedure, tuple(names), tuple(values))


def record_mapping(record: Record, procedure: str) -> Mapping[Any, Any]:
    if isinstance(record, Mapping):
        return record
    spec = BY_PROCEDURE.get(procedure.lower())
    data = model_mapping(record, spec.fields if spec is not None else ())
    if data is not None:
        return data
    raise InvalidRequestError(
        f"{procedure}: a record is a mapping or a model with to_dict(), not {type(record).__name__}"
    )


@cache
def _keys(procedure: str) -> tuple[dict[str, FieldSpec], frozenset[str]]:
    """Lower-cased key -> field of this procedure, and the keys of the entity's other fields (skipped)."""
    spec = BY_PROCEDURE[procedure.lower()]
    own: dict[str, FieldSpec] = {}
    for field in spec.fields:
        own[field.json_name.lower()] = field
        own[field.parameter.lower()] = field
    others = {name.lower() for name in REST_ONLY_FIELDS.get(spec.entity, ())}
    for sibling in PROCEDURES:
        if sibling.entity == spec.entity:
            for field in sibling.fields:
                others.update((field.json_name.lower(), field.parameter.lower()))
    return own, frozenset(others - own.keys())


class EntityImports:
    """The procedures of one entity: `.append(record)`, `.delete(record)`, `.clear(record)`."""

    __slots__ = ("entity", "specs")

    def __init__(self, entity: str, specs: Mapping[Transaction, ProcedureSpec]) -> None:
        self.entity = entity
        self.specs = dict(specs)

    def append(self, record: Record) -> ImportRequest:
        return build_import(self._spec("append"), record)

    def delete(self, record: Record) -> ImportRequest:
        return build_import(self._spec("delete"), record)

    def clear(self, record: Record) -> ImportRequest:
        return build_import(self._spec("clear"), record)

    def _spec(self, transaction: Transaction) -> ProcedureSpec:
        spec = self.specs.get(transaction)
        if spec is None:
            raise InvalidRequestError(f"{self.entity} has no {transaction} import procedure")
        return spec

    def __repr__(self) -> str:
        listed = ", ".join(f"{t}={s.procedure}" for t, s in self.specs.items())
        return f"<EntityImports {self.entity}: {listed}>"


class ProcedureRegistry:
    """Every entity of the table by snake_case attribute (`procedures.task_filter_value.clear(...)`) or by
    any spelling of its name (`procedures["TaskFilterValue"]`). `specs` is the whole table."""

    def __init__(self) -> None:
        grouped: dict[str, dict[Transaction, ProcedureSpec]] = {}
        for spec in PROCEDURES:
            if spec.primary:
                grouped.setdefault(spec.entity, {})[spec.transaction] = spec
        self._entities = {_normal(e): EntityImports(e, specs) for e, specs in grouped.items()}
        self._attributes = {_snake(e): self._entities[_normal(e)] for e in grouped}
        self.specs: tuple[ProcedureSpec, ...] = PROCEDURES

    def __getattr__(self, name: str) -> EntityImports:
        if name.startswith("_"):
            raise AttributeError(name)
        try:
            return self._attributes[name]
        except KeyError:
            raise AttributeError(
                f"no import entity {name!r}{_suggest(name, sorted(self._attributes))}"
            ) from None

    def __getitem__(self, entity: str) -> EntityImports:
        return self._entities[_normal(entity_name(entity)[0])]

    def __iter__(self) -> Iterator[EntityImports]:
        return iter(self._entities.values())

    def __len__(self) -> int:
        return len(self._entities)

    def __dir__(self) -> list[str]:
        return sorted({*super().__dir__(), *self._attributes})

    def __repr__(self) -> str:
        return f"<ProcedureRegistry: {len(self._entities)} entities, {len(self.specs)} procedures>"


def _snake(name: str) -> str:
    out = [f"_{c.lower()}" if c.isupper() and i else c.lower() for i, c in enumerate(name)]
    return "".join(out)


procedures = ProcedureRegistry()
