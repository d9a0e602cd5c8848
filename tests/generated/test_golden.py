"""Golden-record tests: what our config and templates generate for tests/generated/golden.py's spec, and how
that code behaves next to openapi-python-client's stock templates.

Refresh the record after an intended change: `/work/venv/bin/python tests/generated/golden.py --refresh`.
"""

from __future__ import annotations

import collections
import datetime
import difflib
import re
import types
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from golden import GOLDEN_DIR, PACKAGE, SPEC, listing
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from packages import model_class
from schemas import json_schema, strategy

COMPONENTS: dict[str, Any] = SPEC["components"]["schemas"]
MODELS = [name for name, schema in COMPONENTS.items() if schema.get("type") == "object"]
REFRESH = "refresh it with `/work/venv/bin/python tests/generated/golden.py --refresh` and review the diff"


def test_generated_tree_matches_the_golden_record(golden_fast: Path) -> None:
    expected = listing(GOLDEN_DIR / PACKAGE)
    actual = listing(golden_fast)
    assert expected, f"no golden record under {GOLDEN_DIR}; {REFRESH}"
    missing, extra = sorted(expected.keys() - actual.keys()), sorted(actual.keys() - expected.keys())
    assert not missing and not extra, f"files missing {missing}, unexpected {extra}; {REFRESH}"
    for name in sorted(expected):
        if expected[name] != actual[name]:
            diff = difflib.unified_diff(
                expected[name].splitlines(),
                actual[name].splitlines(),
                "golden/" + name,
                "generated/" + name,
                lineterm="",
            )
            pytest.fail(f"{name} differs from the golden record; {REFRESH}\n" + "\n".join(list(diff)[:60]))


# ---------------------------------------------------------------- same behaviour as the stock templates

# No date-time text that only the dateutil fallback parses: that is the one intended difference (tested below).
JUNK = st.sampled_from(
    [None, 0, 7, -1, 2.5, True, "", "x", "blue", "not a date", "2024-05-01", "Z", [], [1], {}]
)


def outcome(cls: type, data: Any) -> tuple[str, Any]:
    """What from_dict + to_dict make of data, comparable across two packages (names and addresses removed)."""
    try:
        obj = cls.from_dict(data)  # type: ignore[attr-defined]
    except Exception:  # both must raise; which exception is not part of the contract
        return ("raises", None)
    text = shown_fields(repr(obj))
    try:
        return ("ok", (list(obj.to_dict().items()), text))
    except Exception:
        return ("to_dict raises", text)


def shown_fields(text: str) -> str:
    """A repr with unset fields and empty additional properties left out: the stock templates print every
    field (UNSET as an object address), ours only the set ones; what is shown must agree."""
    text = re.sub(r"<[\w.]+\.types\.Unset object at 0x[0-9a-f]+>", "UNSET", text)
    text = re.sub(r"\b\w+=UNSET(, )?", "", text)
    text = re.sub(r"(, )?additional_properties=\{\}", "", text)
    return text.replace(", )", ")")


@st.composite
def perturbed(draw: st.DrawFn, name: str) -> Any:
    """Valid data for the schema, then maybe a key dropped, a value replaced by junk, or not a dict at all."""
    data: dict[str, Any] = draw(strategy(json_schema(name, COMPONENTS)))
    keys = sorted(COMPONENTS[name].get("properties", {}))
    for _ in range(draw(st.integers(0, 2))):
        if keys and draw(st.booleans()):
            data[draw(st.sampled_from(keys))] = draw(JUNK)
        elif data and draw(st.booleans()):
            del data[draw(st.sampled_from(sorted(data)))]
    shape = draw(st.sampled_from(["dict", "dict", "dict", "mappingproxy", "defaultdict", "pairs"]))
    if shape == "mappingproxy":
        return types.MappingProxyType(data)
    if shape == "defaultdict":
        return collections.defaultdict(lambda: "made up by __missing__", data)
    return list(data.items()) if shape == "pairs" else data


@pytest.mark.parametrize("name", MODELS)
def test_fast_templates_behave_like_the_stock_ones(name: str, golden_fast: Path, golden_stock: Path) -> None:
    fast, stock = model_class("golden_fast", name), model_class("golden_stock", name)

    @settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
    @given(perturbed(name))
    def check(data: Any) -> None:
        assert outcome(fast, data) == outcome(stock, data)

    check()


# ---------------------------------------------------------------- behaviour spelled out


def widget(**changes: Any) -> dict[str, Any]:
    return {"name": "w", "createdAt": "2024-05-01T08:30:00Z", "level": 1, **changes}


def make(name: str) -> Callable[..., Any]:
    cls = model_class("golden_fast", name)
    return cls.from_dict  # type: ignore[attr-defined, no-any-return]


def test_absent_keys_stay_unset_even_where_the_field_has_a_default(golden_fast: Path) -> None:
    types_module = __import__("golden_fast.types", fromlist=["UNSET"])
    obj = make("Widget")(widget())
    assert obj.count is types_module.UNSET and obj.active is types_module.UNSET
    assert obj.to_dict() == {"name": "w", "createdAt": "2024-05-01T08:30:00+00:00", "level": 1}
    assert (
        model_class("golden_fast", "Widget")(  # the constructor still applies the defaults
            name="w", created_at=datetime.datetime(2024, 5, 1), level=obj.level
        ).count
        == 0
    )


def test_repr_shows_only_the_fields_that_are_set(golden_fast: Path) -> None:
    obj = make("Widget")({**widget(), "extra": 1})
    assert repr(obj) == (
        "Widget(name='w', created_at=datetime.datetime(2024, 5, 1, 8, 30, tzinfo=datetime.timezone.utc), "
        "level=<Level.VALUE_1: 1>, additional_properties={'extra': 1})"
    )
    assert "UNSET" not in repr(obj) and "object at 0x" not in repr(obj)
    assert repr(__import__("golden_fast.types", fromlist=["UNSET"]).UNSET) == "UNSET"


def test_unknown_keys_are_kept_in_order_and_written_first(golden_fast: Path) -> None:
    obj = make("Widget")({"zeta": 1, **widget(), "alpha": {"nested": [1]}})
    assert list(obj.additional_properties.items()) == [("zeta", 1), ("alpha", {"nested": [1]})]
    assert list(obj.to_dict())[:2] == ["zeta", "alpha"]
    assert obj["alpha"] == {"nested": [1]} and "zeta" in obj


def test_a_closed_model_drops_unknown_keys(golden_fast: Path) -> None:
    obj = make("Closed")({"code": "c", "other": 1})
    assert obj.to_dict() == {"code": "c"}
    assert not hasattr(obj, "additional_properties")


def test_missing_required_key_raises_key_error(golden_fast: Path) -> None:
    with pytest.raises(KeyError, match="createdAt"):
        make("Widget")({"name": "w", "level": 1})


def test_date_times_fall_back_to_dateutil_for_forms_fromisoformat_rejects(golden_fast: Path) -> None:
    obj = make("Widget")(widget(createdAt="2024-05-01T24:00:00", updatedAt="2024-05"))
    assert obj.created_at == datetime.datetime(2024, 5, 2, 0, 0)
    assert obj.updated_at == datetime.datetime(2024, 5, 1, 0, 0)
    seven_digits = make("Widget")(widget(createdAt="2024-05-01T08:30:00.1234567+02:00"))
    assert seven_digits.created_at.microsecond == 123456 and seven_digits.created_at.utcoffset() is not None


def test_unparseable_date_times_raise_when_required_and_stay_text_when_nullable(golden_fast: Path) -> None:
    with pytest.raises(ValueError):
        make("Widget")(widget(createdAt="not a date"))
    obj = make("Widget")(widget(updatedAt="not a date"))
    assert obj.updated_at == "not a date" and obj.to_dict()["updatedAt"] == "not a date"


def test_unknown_enum_values_parse_and_round_trip(golden_fast: Path) -> None:
    obj = make("Widget")(widget(level=9, colour="blue", level2=None))
    assert obj.level.name == "UNKNOWN_9" and obj.level.value == 9
    assert obj.colour.name == "UNKNOWN_blue" and obj.colour == "blue"
    again = make("Widget")(obj.to_dict())
    assert again.to_dict() == obj.to_dict()
    assert (
        obj.to_dict()["level"] == 9 and obj.to_dict()["colour"] == "blue" and obj.to_dict()["level2"] is None
    )


def test_typed_nested_values(golden_fast: Path) -> None:
    obj = make("Widget")(
        widget(
            guid="3FA85F64-5717-4562-B3FC-2C963F66AFA6",
            dueOn="2024-02-29",
            parent={"id": 1, "x": True},
            parts=[{"label": "a"}],
            stamp={"id": 2},
            meta={"source": "s", "more": 1},
        )
    )
    assert str(obj.guid) == "3fa85f64-5717-4562-b3fc-2c963f66afa6"
    assert obj.due_on == datetime.date(2024, 2, 29)
    assert obj.parent.id == 1 and obj.parent.additional_properties == {"x": True}
    assert obj.parts[0].label == "a" and obj.stamp.id == 2 and obj.meta.source == "s"
    out = obj.to_dict()
    assert out["guid"] == "3fa85f64-5717-4562-b3fc-2c963f66afa6" and out["dueOn"] == "2024-02-29"
    assert out["parent"] == {"x": True, "id": 1} and out["meta"] == {"more": 1, "source": "s"}


def test_any_mapping_or_pairs_is_accepted_like_dict(golden_fast: Path) -> None:
    data = widget(note="n")
    as_dict = make("Widget")(data)
    assert make("Widget")(types.MappingProxyType(data)) == as_dict
    assert make("Widget")(list(data.items())) == as_dict
    assert make("Empty")([("a", 1)]).additional_properties == {"a": 1}
    lenient = collections.defaultdict(lambda: "made up", data)
    assert make("Widget")(lenient) == as_dict and lenient == data  # never calls __missing__
