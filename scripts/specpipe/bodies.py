"""``json-body-only``: a request body offered both as JSON and as a form (``application/x-www-form-urlencoded``
or ``multipart/form-data``) with the same schema keeps the JSON entry only.

openapi-python-client 0.29.1 turns such a body into ``body: Thing | Thing | Unset`` without importing
``Unset`` (the module does not import) and would send every body as a form anyway, since both branches
test ``isinstance(body, Thing)``. Swagger 2.0 documents with ``consumes: [application/json, ...,
application/x-www-form-urlencoded]`` convert into exactly this. The API takes the JSON form too, so the
client sends JSON; the summary names each body changed. A form with a schema of its own is left alone.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from .normalize import FixUp

RULE = "json-body-only"
HTTP_METHODS = ("get", "put", "post", "delete", "options", "head", "patch", "trace")
FORMS = ("application/x-www-form-urlencoded", "multipart/form-data")


def keep_json_bodies(doc: dict[str, Any]) -> list[FixUp]:
    """Drop, in place, the form entries of request bodies that offer the same schema as JSON."""
    fixups = []
    for where, body in _request_bodies(doc):
        content = body.get("content")
        if not isinstance(content, dict):
            continue
        json_media = next((media for name, media in content.items() if _is_json(name)), None)
        if not isinstance(json_media, dict):
            continue
        dropped = [
            name
            for name, media in content.items()
            if name.split(";")[0].strip().lower() in FORMS
            and isinstance(media, dict)
            and media.get("schema") == json_media.get("schema")
        ]
        for name in dropped:
            del content[name]
        if dropped:
            fixups.append(
                FixUp(RULE, where, f"kept the JSON body; dropped the same body as {', '.join(dropped)}")
            )
    return sorted(fixups, key=lambda fixup: fixup.location)


def _is_json(media_type: str) -> bool:
    base = media_type.split(";")[0].strip().lower()
    return base == "application/json" or base.endswith("+json")


def _request_bodies(doc: dict[str, Any]) -> Iterator[tuple[str, dict[str, Any]]]:
    paths = doc.get("paths")
    for path, item in paths.items() if isinstance(paths, dict) else []:
        for method in HTTP_METHODS:
            operation = item.get(method) if isinstance(item, dict) else None
            body = operation.get("requestBody") if isinstance(operation, dict) else None
            if isinstance(body, dict):
                yield f"paths.{path}.{method}.requestBody", body
    components = doc.get("components")
    bodies = components.get("requestBodies") if isinstance(components, dict) else None
    for name, body in bodies.items() if isinstance(bodies, dict) else []:
        if isinstance(body, dict):
            yield f"components.requestBodies.{name}", body
