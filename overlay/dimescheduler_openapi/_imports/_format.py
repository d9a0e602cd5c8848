"""Writing one value the way the import procedures read it (all parameter values travel as strings).

The rules follow the vendor's .NET SDK, which is what the server is known to accept:

- None (or a missing key) leaves the parameter out: both its name and its value are omitted.
- string: str as given; uuid.UUID and int are written with str() (ints of more than 4,000 digits are
  refused).
- int: an integer (not a bool), an integral float/Decimal, or a string of digits (any script's digits;
  written in ASCII) -> "42", within a 64-bit integer.
- enum: as int, written as the integer value ("1"); IntEnum members are accepted, names ("High") are not.
  The value must be one of the members the facts list.
- decimal: "." separator, no exponent, no trailing fractional zeros: 1e-7 -> "0.0000001", 1e20 ->
  "100000000000000000000", Decimal("-2.50") -> "-2.5", -0.0 -> "0". A float is read through its shortest
  repr (0.1 -> "0.1", not the binary expansion). Numeric strings are accepted ("1.5", not "1,5"); NaN and
  infinities are refused, and so is what a .NET decimal cannot hold (a magnitude of 2**96 or more, more
  than 28 decimal places), which also bounds the text written ("1e100000000" is refused, not expanded).
- bool: "True" / "False" (also from the strings "true"/"false" in any case).
- datetime: the .NET "u" pattern `yyyy-MM-dd HH:mm:ssZ` in UTC. Aware datetimes are converted to UTC;
  naive datetimes are taken to be UTC already (written unchanged, never shifted by the local zone); a plain
  date is midnight; ISO 8601 strings (what the generated models' to_dict() produce) are parsed first.
  Fractions of a second are dropped, as .NET's "u" pattern does. A moment outside years 1-9999 once in UTC
  is refused.
- date: `yyyy-MM-dd` (a date, or an ISO date string; a datetime is refused rather than truncated).
- list: the items joined with ";" (an item containing ";" is refused); a str is taken as already joined.
- timespan: a .NET TimeSpan tick count (100 ns units): a timedelta, or the TimeSpan text
  "[-][d.]hh:mm[:ss[.fffffff]]" (what the models hold) is converted; a string of digits is sent as ticks
  (written in ASCII, like the int writer). Bare ints are refused: they could mean seconds or ticks. The
  result must fit a .NET TimeSpan (a 64-bit tick count).

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
INT64_MAX = 2**63 - 1
DECIMAL_LIMIT = 2**96  # a .NET decimal holds magnitudes below this
DECIMAL_PLACES = 28  # and at most this many digits after the point
INT_TEXT_DIGITS = 4000  # below Python's default limit on int <-> str conversion (4300 digits)
INTEGER_TEXT = re.compile(r"^[+-]?\d{1,19}$")
TIMESPAN_TEXT = re.compile(r"^(-)?(?:(\d{1,8})\.)?(\d{1,2}):(\d{2})(?::(\d{2})(?:\.(\d{1,7}))?)?$")
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
    if isinstance(value, uuid.UUID):
        return str(value)
    if isinstance(value, int) and not isinstance(value, bool):
        if value.bit_length() > INT_TEXT_DIGITS * 3.32:  # about INT_TEXT_DIGITS decimal digits
            raise _Refused(f"a string (or an integer of at most {INT_TEXT_DIGITS} digits)")
        return str(value)
    raise _Refused("a string")


def _integer(value: Any, expected: str) -> int:
    """A 64-bit integer from an int, an integral float/Decimal, an IntEnum member or a string of digits."""
    if isinstance(value, bool):
        raise _Refused(expected)
    number: int | None = None
    if isinstance(value, int):
        number = int(value)
    elif isinstance(value, enum.Enum) and isinstance(value.value, int) and not isinstance(value.value, bool):
        number = value.value
    elif isinstance(value, float | Decimal) and _finite(value) and -INT64_MAX <= value <= INT64_MAX:
        # the magnitude is checked first: int(Decimal("1e100000000")) would build a 100-million-digit int
        number = int(value) if value == int(value) else None
    elif isinstance(value, str) and INTEGER_TEXT.match(value.strip()):
        number = int(value.strip())
    if number is None or abs(number) > INT64_MAX:
        raise _Refused(expected if number is None else f"{expected} within 64 bits")
    return number


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
    beyond = f"{expected} within a .NET decimal (magnitude below 2**96)"
    if isinstance(value, int):
        if abs(value) >= DECIMAL_LIMIT:
            raise _Refused(beyond)
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
    if number.copy_abs() >= DECIMAL_LIMIT:  # copy_abs: no rounding, no overflow for huge exponents
        raise _Refused(beyond)
    if _decimal_places(number) > DECIMAL_PLACES:
        raise _Refused(f"{expected} with at most {DECIMAL_PLACES} decimal places")
    return plain_decimal(number)


def _decimal_places(number: Decimal) -> int:
    """Digits after the point once trailing zeros are dropped (without rounding, unlike normalize())."""
    _, digits, exponent = number.as_tuple()
    assert isinstance(exponent, int)  # finite
    zeros = len(digits) - len("".join(map(str, digits)).rstrip("0"))
    return max(0, -(exponent + zeros)) if any(digits) else 0


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
        try:
            moment = value.astimezone(dt.UTC) if value.utcoffset() is not None else value
        except OverflowError:
            raise _Refused(f"{expected} within years 1-9999 once in UTC") from None
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
        ticks = (value.days * 86_400 + value.seconds) * TICKS_PER_SECOND
        return _ticks(ticks + value.microseconds * TICKS_PER_MICROSECOND, expected)
    if not isinstance(value, str):
        raise _Refused(expected)
    text = value.strip()
    if INTEGER_TEXT.match(text):
        return _ticks(int(text), expected)
    match = TIMESPAN_TEXT.match(text)
    if not match:
        raise _Refused(expected)
    sign, days, hours, minutes, seconds, fraction = match.groups()
    if int(hours) > 23 or int(minutes) > 59 or int(seconds or 0) > 59:
        raise _Refused(expected)
    total = ((int(days or 0) * 24 + int(hours)) * 60 + int(minutes)) * 60 + int(seconds or 0)
    ticks = total * TICKS_PER_SECOND + int(fraction or 0) * 10 ** (7 - len(fraction or ""))
    return _ticks(-ticks if sign else ticks, expected)


def _ticks(ticks: int, expected: str) -> str:
    """A tick count as ASCII digits, within a .NET TimeSpan (64-bit)."""
    if abs(ticks) > INT64_MAX:
        raise _Refused(f"{expected} within a .NET TimeSpan (about 29,000 years)")
    return str(ticks)


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
    if isinstance(value, int) and value.bit_length() > 200:  # its repr can exceed Python's int-to-text limit
        return f"<an integer of {value.bit_length()} bits>"
    text = " ".join(repr(value[:80] if isinstance(value, str) else value).split())
    return text if len(text) <= 60 else text[:57] + "..."
