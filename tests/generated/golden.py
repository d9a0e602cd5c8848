"""Golden record of the code our generator config and templates produce for a small spec.

The spec below touches every path of scripts/templates/model.py.jinja (plain, converted, nullable and
generic properties, nested models, lists, enums, additionalProperties true/false/typed, models with zero
and one field) plus one endpoint. test_golden.py generates it with the pipeline's own generator call
(specpipe.generate.run_generator + finish_package) and compares the result with tests/generated/golden/.

After an intended change to the templates, the config or the generator pin, refresh the record and review
the diff like any other code change:

    /work/venv/bin/python tests/generated/golden.py --refresh     (from the repository root)
"""

from __future__ import annotations

import json
import shutil
import sys
import tempfile
from pathlib import Path
from typing import Any

from packages import generate

HERE = Path(__file__).resolve().parent
GOLDEN_DIR = HERE / "golden"
PACKAGE = "dimescheduler_raw"

NULLABLE_DATE_TIME = {"type": ["string", "null"], "format": "date-time"}

SPEC: dict[str, Any] = {
    "openapi": "3.1.0",
    "info": {"title": "Golden", "version": "1.0"},
    "paths": {
        "/widgets": {
            "get": {
                "operationId": "widgetGetWidgets",
                "tags": ["Widget"],
                "parameters": [
                    {"name": "page", "in": "query", "schema": {"type": "integer", "format": "int32"}}
                ],
                "responses": {
                    "200": {
                        "description": "The widgets.",
                        "content": {
                            "application/json": {
                                "schema": {"type": "array", "items": {"$ref": "#/components/schemas/Widget"}}
                            }
                        },
                    }
                },
            },
            "post": {
                "operationId": "widgetPostWidget",
                "tags": ["Widget"],
                "requestBody": {
                    "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Widget"}}}
                },
                "responses": {"200": {"description": "Stored."}},
            },
        }
    },
    "components": {
        "schemas": {
            "Level": {"type": "integer", "format": "int32", "enum": [0, 1, 2], "description": "Level."},
            "Colour": {"type": "string", "enum": ["red", "green"], "description": "Colour."},
            "Part": {
                "type": "object",
                "additionalProperties": True,
                "properties": {"id": {"type": "integer"}, "label": {"type": "string"}},
            },
            "Widget": {
                "type": "object",
                "description": "A model with every kind of property the templates treat differently.",
                "additionalProperties": True,
                "required": ["name", "createdAt", "level"],
                "properties": {
                    "name": {"type": "string", "maxLength": 20},
                    "createdAt": {"type": "string", "format": "date-time"},
                    "level": {"$ref": "#/components/schemas/Level"},
                    "note": {"type": "string"},
                    "count": {"type": "integer", "format": "int32", "default": 0},
                    "ratio": {"type": ["number", "null"]},
                    "active": {"type": "boolean", "default": True},
                    "updatedAt": NULLABLE_DATE_TIME,
                    "dueOn": {"type": "string", "format": "date"},
                    "guid": {"type": ["string", "null"], "format": "uuid"},
                    "colour": {"anyOf": [{"$ref": "#/components/schemas/Colour"}, {"type": "null"}]},
                    "level2": {"anyOf": [{"$ref": "#/components/schemas/Level"}, {"type": "null"}]},
                    "parent": {"$ref": "#/components/schemas/Part"},
                    "parts": {"type": "array", "items": {"$ref": "#/components/schemas/Part"}},
                    "tags": {"type": "array", "items": {"type": "string"}},
                    "stamp": {
                        "anyOf": [
                            {"type": "string", "format": "date-time"},
                            {"$ref": "#/components/schemas/Part"},
                        ]
                    },
                    "type": {"type": "string", "description": "A name that is a Python builtin."},
                    "meta": {
                        "type": "object",
                        "additionalProperties": True,
                        "properties": {"source": {"type": "string"}},
                    },
                },
            },
            "Closed": {
                "type": "object",
                "additionalProperties": False,
                "required": ["code"],
                "properties": {"code": {"type": "string"}},
            },
            "Empty": {"type": "object", "additionalProperties": True},
            "Catalog": {
                "type": "object",
                "description": "Unknown keys hold models.",
                "additionalProperties": {"$ref": "#/components/schemas/Part"},
                "properties": {"title": {"type": "string"}, "kind": {"const": "catalog"}},
            },
            "Stamps": {
                "type": "object",
                "description": "Unknown keys hold date-times.",
                "additionalProperties": {"type": "string", "format": "date-time"},
            },
            "Counts": {
                "type": "object",
                "additionalProperties": {"type": "integer"},
                "properties": {"total": {"type": "integer"}, "since": NULLABLE_DATE_TIME},
            },
        }
    },
}


def spec_text() -> str:
    return json.dumps(SPEC, indent=2) + "\n"


def listing(root: Path) -> dict[str, str]:
    return {
        path.relative_to(root).as_posix(): path.read_text(encoding="utf-8")
        for path in sorted(root.rglob("*"))
        if path.is_file() and "__pycache__" not in path.parts
    }


def refresh() -> None:
    with tempfile.TemporaryDirectory() as tmp:
        package = generate(spec_text(), Path(tmp), stock=False)
        target = GOLDEN_DIR / PACKAGE
        if target.exists():
            shutil.rmtree(target)
        shutil.copytree(package, target, ignore=shutil.ignore_patterns("__pycache__"))
    print(f"refreshed {target.relative_to(HERE.parents[1])} ({len(listing(target))} files)")


if __name__ == "__main__":
    if sys.argv[1:] != ["--refresh"]:
        sys.exit("usage: python tests/generated/golden.py --refresh")
    refresh()
