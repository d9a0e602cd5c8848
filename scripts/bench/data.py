"""Benchmark inputs built from openapi/dimescheduler.json: the widest model, full records, job imports."""

from __future__ import annotations

import json
import re
from functools import cache
from typing import Any

from .harness import REPO

SPEC = REPO / "openapi" / "dimescheduler.json"
# The date-time shapes seen on the wire: .NET without zone, UTC 'Z', 7-digit fraction with offset.
DATE_TIMES = ("2024-05-01T08:30:00", "2024-05-01T08:30:00Z", "2024-05-01T08:30:00.1234567+02:00")


@cache
def schemas() -> dict[str, Any]:
    document = json.loads(SPEC.read_text(encoding="utf-8"))
    found: dict[str, Any] = document["components"]["schemas"]
    return found


def widest_read_model() -> str:
    """The component with the most properties; among equals the read model (`...ListItem`, what GETs return)."""
    candidates = [
        (len(s.get("properties", {})), name.endswith("ListItem"), name) for name, s in schemas().items()
    ]
    return max(candidates)[2]


def module_name(class_name: str) -> str:
    return re.sub(r"(?<!^)(?=[A-Z])", "_", class_name).lower()


def _target(schema: dict[str, Any]) -> dict[str, Any]:
    if "$ref" in schema:
        resolved: dict[str, Any] = schemas()[schema["$ref"].rsplit("/", 1)[-1]]
        return resolved
    if "anyOf" in schema:
        return _target(next(s for s in schema["anyOf"] if s.get("type") != "null"))
    return schema


def value_for(schema: dict[str, Any], i: int) -> Any:
    """A non-null value of the property's type (every field present, none null: the most work to decode)."""
    schema = _target(schema)
    if "enum" in schema:
        return schema["enum"][i % len(schema["enum"])]
    kind = schema.get("type")
    if isinstance(kind, list):
        kind = next(k for k in kind if k != "null")
    fmt = schema.get("format")
    if kind == "string":
        if fmt == "date-time":
            return DATE_TIMES[i % len(DATE_TIMES)]
        if fmt == "uuid":
            return f"3fa85f64-5717-4562-b3fc-{i:012x}"
        return f"value {i}"
    if kind == "integer":
        return i
    if kind == "number":
        return i + 0.25
    if kind == "boolean":
        return i % 2 == 0
    if kind == "array":
        return []
    raise ValueError(f"no benchmark value for {schema!r}")


def full_records(name: str, count: int) -> list[dict[str, Any]]:
    properties = schemas()[name]["properties"]
    return [{key: value_for(prop, i) for key, prop in properties.items()} for i in range(count)]


def job_records(count: int) -> list[dict[str, Any]]:
    """Job write records with the fields a back-office sync typically fills."""
    return [
        {
            "sourceApp": "BC",
            "sourceType": "SO",
            "jobNo": f"JOB-{i:06d}",
            "shortDescription": f"Service order {i}",
            "description": "Yearly maintenance of the heating installation",
            "customerNo": f"C{i % 500:05d}",
            "customerName": "Contoso Ltd.",
            "siteAddress": "Main Street 1, 9000 Gent",
            "siteAddressGeoLat": 51.05,
            "siteAddressGeoLong": 3.72,
            "importance": i % 3,
            "creationDateTime": "2024-05-01T08:30:00",
            "freeText1": "x" * 20,
            "freeDecimal1": 1.5,
            "freeBit1": True,
        }
        for i in range(count)
    ]
