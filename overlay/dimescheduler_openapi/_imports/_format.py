"""Writing one value the way the import procedures read it (all parameter values travel as strings).

The rules follow the vendor's .NET SDK, which is what the server is known to accept:

- None (or a missing key) leaves the parameter out: both its name and its value are omitted.
- string: str as given; uuid.UUID and int are written with str().
- int: an integer (not a bool), an integral float/Decimal, or a string of digits -> "42".
- enum: as int, written as the integer value ("1"); IntEnum members are accepted, names ("High") are not.
  The value must be one of the members the facts list.
- decimal: "." separator, no exponent, no trailing fractional zeros: 1e-7 -> "0.0000001", 1e20 ->
  "100000000000000000000", Decimal("-2.50") -> "-2.5", -0.0 -> "0". A float is read through its shortest
  repr (0.1 -> "0.1", not the binary expansion). Numeric strings are accepted ("1.5", not "1,5"); NaN and
  infinities are refused.
- bool: "True" / "False" (also from the strings "true"/"false" in any case).
- datetime: the .NET "u" pattern `yyyy-MM-dd HH:mm:ssZ` in UTC. Aware datetimes are converted to UTC;
  naive datetimes are taken to be UTC already (written unchanged, never shifted by the local zone); a plain
  date is midnight; ISO 8601 strings (what the generated models' to_dict() produce) are parsed first.
  Fractions of a second are dropped, as .NET's "u" pattern does.
- date: `yyyy-MM-dd` (a date, or an ISO date string; a datetime is refused rather than truncated).
- list: the items joined with ";" (an item containing ";" is refused); a str is taken as already joined.
- timespan: a .NET TimeSpan tick count (100 ns units): a timedelta, or the TimeSpan text
  "[-][d.]hh:mm[:ss[.fffffff]]" (what the models hold) is converted; a string of digits is sent as ticks
  unchanged. Bare ints are refused: they could mean seconds or ticks.

Errors are one line naming the procedure, the field and the expected kind; the value is quoted only for
fields that cannot hold a secret.
"""

from __future__ import annotations

import datetime as dt
import enum
import re
import uuid
from decimal import Decimal, InvalidOperation
from typing import Any

from .._errors import InvalidRequestError
from ._spec import FieldSpec

TICKS_PER_SECOND = 10_000_000
TICKS_PER_MICROSECOND = 10
INTEGER_TEXT = re.compile(r"^[+-]?\d+$")
TIMESPAN_TEXT = re.compile(r"^(-)?(?:(\d+)\.)?(\d{1,2}):(\d{2})(?::(\d{2})(?:\.(\d{1,7}))?)?$")
SECRET_WORDS = ("password", "secret", "token", "apikey")


class ValueFormatError(InvalidRequestError):
    """A record value cannot be written as its import parameter."""


def format_value(value: Any, field: FieldSpec, procedure: str) -> str | None:
    """The parameter text for `value`, or None when the parameter is to be left out."""
    if value is None:
        return None
    try:
        return WRITERS[field.kind](value, field)
    except _Refused as refused:
        shown = "" if _is_secret(field) else f" {_short_repr(value)}"
        raise ValueFormatError(
            f"{procedure}: field {field.json_name!r} ({field.parameter}) expects {refused.expected};"
            f" got {type(value).__name__}{shown}"
        ) from None


class _Refused(Exception):
    def __init__(self, expected: str) -> None:
        super().__init__(expected)
        self.expected = expected


def write_string(value: Any, field: FieldSpec) -> str:
    if isinstance(value, str):
        return value
    if isinstance(value, uuid.UUID) or (isinstance(value, int) and not isinstance(value, bool)):
        return str(value)
    raise _Refused("a string")


def _integer(value: Any, expected: str) -> int:
    if isinstance(value, bool):
        raise _Refused(expected)
    if isinstance(value, int):
        return int(value)
    if isinstance(value, enum.Enum) and isinstance(value.value, int) and not isinstance(value.value, bool):
        return value.value
    if isinstance(value, float | Decimal) and _finite(value) and value == int(value):
        return int(value)
    if isinstance(value, str) and INTEGER_TEXT.match(value.strip()):
        return int(value.strip())
    raise _Refused(expected)


def write_int(value: Any, field: FieldSpec) -> str:
    return str(_integer(value, "an integer"))


def write_enum(value: Any, field: FieldSpec) -> str:
    members = ", ".join(str(v) for v in field.enum)
    number = _integer(value, f"an enum integer ({members})" if members else "an enum integer")
    if field.enum and number not in field.enum:
        raise _Refused(f"one of {members}")
    return str(number)


def write_decimal(value: Any, field: FieldSpec) -> str:
    expected = "a decimal number"
    if isinstance(value, bool):
        raise _Refused(expected)
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        number = Decimal(repr(value)) if _finite(value) else None
    elif isinstance(value, Decimal):
        number = value
    elif isinstance(value, str):
        try:
            number = Decimal(value.strip())
        except InvalidOperation:
            number = None
    else:
        number = None
    if number is None or not number.is_finite():
        raise _Refused(expected)
    return plain_decimal(number)


def plain_decimal(number: Decimal) -> str:
    """Fixed-point text with no exponent and no trailing fractional zeros."""
    text = format(number, "f")
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    return "0" if text in ("-0", "") else text


def write_bool(value: Any, field: FieldSpec) -> str:
    if isinstance(value, bool):
        return "True" if value else "False"
    if isinstance(value, str) and value.strip().lower() in ("true", "false"):
        return "True" if value.strip().lower() == "true" else "False"
    raise _Refused("a boolean")


def write_datetime(value: Any, field: FieldSpec) -> str:
    expected = "a datetime (or an ISO 8601 string)"
    if isinstance(value, str):
        try:
            value = dt.datetime.fromisoformat(value.strip())
        except ValueError:
            raise _Refused(expected) from None
    if isinstance(value, dt.datetime):
        moment = value.astimezone(dt.UTC) if value.utcoffset() is not None else value
    elif isinstance(value, dt.date):
        moment = dt.datetime(value.year, value.month, value.day)
    else:
        raise _Refused(expected)
    return (
        f"{moment.year:04d}-{moment.month:02d}-{moment.day:02d} "
        f"{moment.hour:02d}:{moment.minute:02d}:{moment.second:02d}Z"
    )


def write_date(value: Any, field: FieldSpec) -> str:
    expected = "a date (or an ISO date string)"
    if isinstance(value, str):
        try:
            value = dt.date.fromisoformat(value.strip())
        except ValueError:
            raise _Refused(expected) from None
    if isinstance(value, dt.datetime) or not isinstance(value, dt.date):
        raise _Refused(expected)
    return f"{value.year:04d}-{value.month:02d}-{value.day:02d}"


def write_list(value: Any, field: FieldSpec) -> str:
    expected = "a list of strings without ';'"
    if isinstance(value, str):
        return value
    if not isinstance(value, list | tuple):
        raise _Refused(expected)
    items = []
    for item in value:
        try:
            text = write_string(item, field)
        except _Refused:
            raise _Refused(expected) from None
        if ";" in text:
            raise _Refused(expected)
        items.append(text)
    return ";".join(items)


def write_timespan(value: Any, field: FieldSpec) -> str:
    expected = "a timedelta, a '[d.]hh:mm:ss' string or a tick-count string"
    if isinstance(value, dt.timedelta):
        return str(
            (value.days * 86_400 + value.seconds) * TICKS_PER_SECOND
            + value.microseconds * TICKS_PER_MICROSECOND
        )
    if not isinstance(value, str):
        raise _Refused(expected)
    text = value.strip()
    if INTEGER_TEXT.match(text):
        return text
    match = TIMESPAN_TEXT.match(text)
    if not match:
        raise _Refused(expected)
    sign, days, hours, minutes, seconds, fraction = match.groups()
    if int(hours) > 23 or int(minutes) > 59 or int(seconds or 0) > 59:
        raise _Refused(expected)
    total = ((int(days or 0) * 24 + int(hours)) * 60 + int(minutes)) * 60 + int(seconds or 0)
    ticks = total * TICKS_PER_SECOND + int((fraction or "").ljust(7, "0"))
    return str(-ticks if sign else ticks)


WRITERS = {
    "string": write_string,
    "int": write_int,
    "enum": write_enum,
    "decimal": write_decimal,
    "bool": write_bool,
    "datetime": write_datetime,
    "date": write_date,
    "list": write_list,
    "timespan": write_timespan,
}


def _finite(value: float | Decimal) -> bool:
    return value.is_finite() if isinstance(value, Decimal) else value == value and abs(value) != float("inf")


def _is_secret(field: FieldSpec) -> bool:
    names = (field.json_name.lower(), field.parameter.lower())
    return any(word in name for word in SECRET_WORDS for name in names)


def _short_repr(value: Any) -> str:
    text = " ".join(repr(value).split())
    return text if len(text) <= 60 else text[:57] + "..."
