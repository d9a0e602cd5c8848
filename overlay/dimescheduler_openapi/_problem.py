"""The server's reason for an error answer, in one short line: what a person needs to fix the request.

Read from, in order:
- RFC 9457 (RFC 7807) problem details, as ASP.NET Core writes them: `title`, `detail` when it adds to the
  title, and the field errors of a validation problem (`errors`: `{"Field": ["message", ...]}`, or a list
  of `{"field"/"name"/"propertyName", "message"/"detail"/"errorMessage"}` objects);
- the `sl-violations` header of a Stoplight Prism mock (a JSON array of `{location, message}`), which is
  where the mock says why it refused a request;
- otherwise the first message-like key of a JSON object (`message`, `error`, ...), or a text body.

At most `MAX_FIELDS` field errors are named, then "and N more"; each is cut to `MAX_FIELD_TEXT` characters.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping
from typing import Any

MAX_FIELDS = 3
MAX_FIELD_TEXT = 100
_MESSAGE_KEYS = ("message", "error", "detail", "title", "Message", "Error", "Description")
_FIELD_KEYS = ("field", "name", "propertyName", "PropertyName", "pointer", "path")
_TEXT_KEYS = ("message", "detail", "errorMessage", "ErrorMessage", "reason", "title")


def server_reason(body: Any, headers: Mapping[str, str] | None = None) -> str | None:
    """One line naming the server's reason for an error answer, or None when it gave none."""
    parts: list[str] = []
    if isinstance(body, Mapping):
        title, detail = _text(body.get("title")), _text(body.get("detail"))
        parts += [p for p in (title, detail if detail != title else None) if p]
        if not parts:
            parts += [m for m in (_message(body),) if m]
        fields = _field_errors(body.get("errors"))
        if fields:
            parts.append(_summary(fields))
    elif isinstance(body, str) and body.strip():
        parts.append(" ".join(body.split()))
    violations = _violations(headers.get("sl-violations") if headers else None)
    if violations:
        parts.append(_summary(violations))
    return "; ".join(parts) if parts else None


def _text(value: Any) -> str | None:
    return " ".join(value.split()) if isinstance(value, str) and value.strip() else None


def _message(body: Mapping[str, Any]) -> str | None:
    for key in _MESSAGE_KEYS:
        text = _text(body.get(key))
        if text:
            return text
    return None


def _field_errors(errors: Any) -> list[str]:
    """`{"Field": ["msg"]}` or `[{"field": ..., "message": ...}]` or `["msg"]` -> ["Field: msg", ...]."""
    found: list[str] = []
    if isinstance(errors, Mapping):
        for name, messages in errors.items():
            items = messages if isinstance(messages, list) else [messages]
            texts = [
                t for t in (_text(m) if not isinstance(m, Mapping) else _item_text(m) for m in items) if t
            ]
            found += [f"{name or '(body)'}: {t}" for t in texts] or [str(name)]
    elif isinstance(errors, list):
        for item in errors:
            if isinstance(item, Mapping):
                text = _item_text(item)
                field = next((str(item[k]) for k in _FIELD_KEYS if item.get(k)), None)
                if text:
                    found.append(f"{field}: {text}" if field else text)
            elif _text(item):
                found.append(_text(item) or "")
    return found


def _item_text(item: Mapping[str, Any]) -> str | None:
    for key in _TEXT_KEYS:
        text = _text(item.get(key))
        if text:
            return text
    return None


def _violations(header: str | None) -> list[str]:
    """Prism's `sl-violations`: `[{"location": ["request", "body", "name"], "message": "..."}]`."""
    if not header:
        return []
    try:
        items = json.loads(header)
    except ValueError:
        return [" ".join(header.split())]
    found: list[str] = []
    for item in items if isinstance(items, list) else [items]:
        if not isinstance(item, Mapping):
            continue
        text = _item_text(item)
        location = item.get("location")
        where = ".".join(str(part) for part in location) if isinstance(location, list) and location else None
        if text:
            found.append(f"{where}: {text}" if where else text)
    return found


def _summary(items: Iterable[str]) -> str:
    listed = list(items)
    shown = [t if len(t) <= MAX_FIELD_TEXT else t[: MAX_FIELD_TEXT - 3] + "..." for t in listed[:MAX_FIELDS]]
    more = len(listed) - len(shown)
    return "; ".join(shown) + (f"; and {more} more" if more else "")


# The retry transports count the attempts of a request here (`request.extensions`); errors say how many.
ATTEMPTS = "dimescheduler_openapi.attempts"


def attempts_note(request: Any) -> str:
    """ " (after 4 attempts)" when the request was sent more than once (retried), else ""."""
    extensions = getattr(request, "extensions", None)
    attempts = extensions.get(ATTEMPTS) if isinstance(extensions, Mapping) else None
    return f" (after {attempts} attempts)" if isinstance(attempts, int) and attempts > 1 else ""
