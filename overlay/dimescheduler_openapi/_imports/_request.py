"""`ImportRequest`: one item of the `POST /import` body, and reading such items from plain mappings."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from .._errors import InvalidRequestError

WIRE_KEYS = ("StoredProcedureName", "ParameterNames", "ParameterValues")


@dataclass(frozen=True, slots=True)
class ImportRequest:
    """One procedure call: parallel name/value sequences, stored as tuples. `to_dict()` is the wire form."""

    stored_procedure_name: str
    parameter_names: Sequence[str]
    parameter_values: Sequence[str | None]

    def __post_init__(self) -> None:
        names, values = tuple(self.parameter_names), tuple(self.parameter_values)
        if not isinstance(self.stored_procedure_name, str) or not self.stored_procedure_name.strip():
            raise InvalidRequestError("ImportRequest needs a non-empty stored_procedure_name")
        if not all(isinstance(n, str) and n for n in names):
            raise InvalidRequestError(
                f"{self.stored_procedure_name}: every parameter name must be a non-empty string"
            )
        if not all(v is None or isinstance(v, str) for v in values):
            raise InvalidRequestError(
                f"{self.stored_procedure_name}: parameter values must be strings or None"
            )
        if len(names) != len(values):
            raise InvalidRequestError(
                f"{self.stored_procedure_name}: {len(names)} parameter names but {len(values)} values"
            )
        object.__setattr__(self, "parameter_names", names)
        object.__setattr__(self, "parameter_values", values)

    def to_dict(self) -> dict[str, Any]:
        """The JSON object `/import` expects, with the PascalCase keys every documented example uses."""
        return {
            "StoredProcedureName": self.stored_procedure_name,
            "ParameterNames": list(self.parameter_names),
            "ParameterValues": list(self.parameter_values),
        }

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> ImportRequest:
        """Read an item in wire form; keys in any case (`storedProcedureName` or `StoredProcedureName`)."""
        by_key: dict[str, Any] = {}
        for key, value in data.items():
            canonical = next(
                (k for k in WIRE_KEYS if isinstance(key, str) and k.lower() == key.lower()), None
            )
            if canonical is None:
                raise InvalidRequestError(f"import request has an unknown key {key!r}; expected {WIRE_KEYS}")
            by_key[canonical] = value
        missing = [k for k in WIRE_KEYS if k not in by_key]
        if missing:
            raise InvalidRequestError(f"import request lacks {', '.join(missing)}")
        names, values = by_key["ParameterNames"], by_key["ParameterValues"]
        if not isinstance(names, list | tuple) or not isinstance(values, list | tuple):
            raise InvalidRequestError("import request ParameterNames and ParameterValues must be lists")
        return cls(by_key["StoredProcedureName"], tuple(names), tuple(values))


def as_import_request(item: object) -> ImportRequest:
    """An ImportRequest from itself, a wire-form mapping, or a model with `to_dict()` (dimescheduler_raw)."""
    if isinstance(item, ImportRequest):
        return item
    if isinstance(item, Mapping):
        return ImportRequest.from_dict(item)
    to_dict = getattr(item, "to_dict", None)
    if callable(to_dict):
        data = to_dict()
        if isinstance(data, Mapping):
            return ImportRequest.from_dict(data)
    raise InvalidRequestError(f"cannot send a {type(item).__name__} as an import request")


def import_body(requests: Iterable[object]) -> list[dict[str, Any]]:
    """The JSON array for one `POST /import`."""
    return [as_import_request(item).to_dict() for item in requests]
