"""Property tests over every component schema of openapi/dimescheduler.json and the committed generated models.

For data drawn from a schema: `Model.from_dict(data).to_dict()` gives data back (date-times compared as
instants, uuids case-insensitively, since to_dict writes isoformat/lowercase), unknown keys included, and
from_dict(to_dict(x)) == x. The fast templates also behave exactly like openapi-python-client's stock
templates on valid and broken data (generated from the same spec into a temporary folder).
"""

from __future__ import annotations

import importlib
import subprocess
import sys
from pathlib import Path
from typing import Any

import dimescheduler_raw.models as models
import pytest
from dimescheduler_raw.types import UNSET
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from hypothesis_jsonschema import from_schema
from packages import REPO, model_class
from schemas import canonical, json_schema, spec_schemas, strategy
from test_golden import outcome

SCHEMAS = spec_schemas()
# Named arrays (`JobList`, rule named-body-array) are `list[Job]` in the client, not classes.
ARRAYS = sorted(name for name, schema in SCHEMAS.items() if schema.get("type") == "array")
OBJECTS = sorted(name for name, schema in SCHEMAS.items() if "enum" not in schema and name not in ARRAYS)
ENUMS = sorted(name for name, schema in SCHEMAS.items() if "enum" in schema)
SETTINGS = settings(max_examples=20, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def test_every_component_schema_has_a_model() -> None:
    assert len(OBJECTS) > 100 and len(ENUMS) > 5
    assert set(SCHEMAS) - set(ARRAYS) <= set(models.__all__)
    assert not set(ARRAYS) & set(models.__all__)


@pytest.mark.parametrize("name", OBJECTS)
def test_from_dict_to_dict_round_trip(name: str) -> None:
    cls: Any = getattr(models, name)
    schema = json_schema(name)
    known = set(schema.get("properties", {}))

    @SETTINGS
    @given(strategy(schema))
    def check(data: dict[str, Any]) -> None:
        obj = cls.from_dict(data)
        out = obj.to_dict()
        assert canonical(schema, out) == canonical(schema, data)
        assert obj.additional_properties == {k: v for k, v in data.items() if k not in known}
        assert cls.from_dict(out) == obj
        for key in known - data.keys():  # absent stays absent
            assert key not in out

    check()


@pytest.mark.parametrize("name", OBJECTS)
def test_unknown_fields_are_kept(name: str) -> None:
    cls: Any = getattr(models, name)
    schema = json_schema(name)
    extra = {"x-added-by-server": {"nested": [1, "two", None]}, "zz": 0.5}

    @settings(SETTINGS, max_examples=5)
    @given(strategy(schema))
    def check(data: dict[str, Any]) -> None:
        obj = cls.from_dict({**data, **extra})
        for key, value in extra.items():
            assert obj.additional_properties[key] == value
            assert obj.to_dict()[key] == value

    check()


@pytest.mark.parametrize("name", ENUMS)
def test_enums_accept_known_and_unknown_values(name: str) -> None:
    enum: Any = getattr(models, name)
    for value in SCHEMAS[name]["enum"]:
        assert enum(value).value == value and enum(value) is enum(value)
    unknown = max(SCHEMAS[name]["enum"]) + 100
    member = enum(unknown)
    assert member.value == unknown and member.name == f"UNKNOWN_{unknown}"
    with pytest.raises(ValueError):
        enum("not an int")


def test_unknown_enum_value_from_the_server_round_trips() -> None:
    data = {
        "sourceApp": "BC",
        "jobNo": "J1",
        "taskNo": "T1",
        "importance": 42,
        "taskType": 7,
        "schedulingMode": 1,
    }
    task = models.TaskListItem.from_dict(data)
    assert task.importance.name == "UNKNOWN_42" and task.task_type.value == 7
    assert task.to_dict() == data
    assert models.TaskListItem.from_dict(task.to_dict()) == task


def test_absent_keys_are_unset_not_defaults() -> None:
    task = models.Task.from_dict(
        {"sourceApp": "a", "sourceType": "b", "jobNo": "j", "taskNo": "t", "shortDescription": "s"}
    )
    assert task.infinite_task is UNSET and task.check_appointments is UNSET
    assert "infiniteTask" not in task.to_dict()


# ---------------------------------------------------------------- identical to the stock templates

JUNK = st.sampled_from([None, 0, 9, 2.5, True, "", "x", "not a date", "2024-05-01", [], [1], {}, {"a": 1}])


@st.composite
def perturbed(draw: st.DrawFn, name: str) -> Any:
    data: dict[str, Any] = draw(strategy(json_schema(name)))
    keys = sorted(SCHEMAS[name].get("properties", {}))
    for _ in range(draw(st.integers(0, 2))):
        if keys and draw(st.booleans()):
            data[draw(st.sampled_from(keys))] = draw(JUNK)
        elif data:
            del data[draw(st.sampled_from(sorted(data)))]
    return data


@pytest.mark.parametrize("name", OBJECTS)
def test_same_behaviour_as_the_stock_templates(name: str, spec_stock: Path) -> None:
    fast, stock = getattr(models, name), model_class("spec_stock", name)

    @settings(SETTINGS, max_examples=15)
    @given(perturbed(name))
    def check(data: Any) -> None:
        assert outcome(fast, data) == outcome(stock, data)

    check()


# ---------------------------------------------------------------- lazy package


def run_python(code: str) -> str:
    result = subprocess.run(
        [sys.executable, "-c", code],
        cwd=REPO / "generated",
        capture_output=True,
        text=True,
        check=True,
        timeout=60,
    )
    return result.stdout.strip()


def test_importing_one_model_imports_neither_the_others_nor_httpx() -> None:
    out = run_python(
        "import sys; from dimescheduler_raw.models import Task; "
        "print(sorted(m for m in sys.modules if m.startswith('dimescheduler_raw.models.')), 'httpx' in sys.modules)"
    )
    assert out == (
        "['dimescheduler_raw.models.importance', 'dimescheduler_raw.models.scheduling_mode', "
        "'dimescheduler_raw.models.task', 'dimescheduler_raw.models.task_type'] False"
    )


def test_the_package_root_is_light_and_still_exports_the_clients() -> None:
    assert run_python("import sys, dimescheduler_raw; print('httpx' in sys.modules)") == "False"
    assert (
        run_python("from dimescheduler_raw import Client, AuthenticatedClient; print(Client.__name__)")
        == "Client"
    )


def test_every_lazy_name_resolves_and_unknown_names_fail() -> None:
    for name in models.__all__:
        cls = getattr(models, name)
        assert cls.__name__ == name
        assert importlib.import_module(cls.__module__).__dict__[name] is cls
    assert set(models.__all__) <= set(dir(models))
    with pytest.raises(AttributeError, match="NoSuchModel"):
        models.NoSuchModel  # noqa: B018
    with pytest.raises(ImportError):
        exec("from dimescheduler_raw.models import NoSuchModel", {})


def for_hypothesis_jsonschema(schema: Any) -> Any:
    """Drop OpenAPI-only formats (int32, double, time-span, ...) that JSON Schema generators do not know."""
    if isinstance(schema, list):
        return [for_hypothesis_jsonschema(item) for item in schema]
    if not isinstance(schema, dict):
        return schema
    out: dict[str, Any] = {}
    for key, value in schema.items():
        if key == "format" and value not in {"date-time", "date", "email", "uuid"}:
            continue
        if key == "properties":
            out[key] = {name: for_hypothesis_jsonschema(sub) for name, sub in value.items()}
        else:
            out[key] = for_hypothesis_jsonschema(value)
    return out


@pytest.mark.parametrize("name", OBJECTS)
def test_round_trip_of_instances_from_hypothesis_jsonschema(name: str) -> None:
    """The same round trip on instances drawn by hypothesis-jsonschema, an independent reading of the schema."""
    cls: Any = getattr(models, name)
    schema = for_hypothesis_jsonschema(json_schema(name))
    known = set(schema.get("properties", {}))
    instances = from_schema(schema, custom_formats={"uuid": st.uuids().map(str)})

    @settings(max_examples=10, deadline=None, suppress_health_check=list(HealthCheck))
    @given(instances)
    def check(data: dict[str, Any]) -> None:
        obj = cls.from_dict(data)
        out = obj.to_dict()
        assert canonical(schema, out) == canonical(schema, data)
        assert obj.additional_properties == {k: v for k, v in data.items() if k not in known}
        assert cls.from_dict(out) == obj

    check()
