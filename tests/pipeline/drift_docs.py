"""Small OpenAPI 3.1 documents for the drift tests: one base and the edits that make each change class."""

from __future__ import annotations

import copy
from collections.abc import Callable
from typing import Any

Doc = dict[str, Any]

BASE: Doc = {
    "openapi": "3.1.0",
    "info": {"title": "Drift test", "version": "1.0"},
    "servers": [{"url": "https://api.example.com"}],
    "security": [{"ApiKey": []}],
    "paths": {
        "/job": {
            "get": {
                "operationId": "jobGetJob",
                "tags": ["Job"],
                "summary": "List jobs",
                "parameters": [{"name": "page", "in": "query", "schema": {"type": "integer"}}],
                "responses": {
                    "200": {
                        "description": "The jobs.",
                        "headers": {"X-Total": {"schema": {"type": "integer"}}},
                        "content": {
                            "application/json": {
                                "schema": {
                                    "type": "array",
                                    "items": {"$ref": "#/components/schemas/JobListItem"},
                                }
                            }
                        },
                    },
                    "404": {"description": "No jobs."},
                },
            },
            "post": {
                "operationId": "jobPostJob",
                "tags": ["Job"],
                "summary": "Create jobs",
                "requestBody": {
                    "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Job"}}}
                },
                "responses": {"200": {"description": "Done."}},
            },
        },
        "/job/{jobNo}": {
            "delete": {
                "operationId": "jobDeleteJobByJobNo",
                "tags": ["Job"],
                "summary": "Delete a job",
                "parameters": [
                    {"name": "jobNo", "in": "path", "required": True, "schema": {"type": "string"}}
                ],
                "responses": {"200": {"description": "Done."}},
            }
        },
    },
    "components": {
        "schemas": {
            "Job": {
                "type": "object",
                "description": "A job as sent.",
                "properties": {
                    "jobNo": {"type": "string"},
                    "priority": {"type": "string", "enum": ["low", "high"]},
                    "duration": {"type": "integer", "format": "int32"},
                },
            },
            "JobListItem": {
                "type": "object",
                "description": "A job as read.",
                "properties": {
                    "jobNo": {"type": "string"},
                    "status": {"type": "string", "enum": ["open", "done"]},
                    "site": {"$ref": "#/components/schemas/Site"},
                },
            },
            "Site": {"type": "object", "description": "A site.", "properties": {"name": {"type": "string"}}},
            "Unused": {"type": "object", "description": "Referenced by nothing.", "properties": {}},
        },
        "securitySchemes": {"ApiKey": {"type": "apiKey", "in": "header", "name": "X-API-KEY"}},
    },
}


def base() -> Doc:
    return copy.deepcopy(BASE)


def edited(edit: Callable[[Doc], object]) -> Doc:
    doc = base()
    edit(doc)
    return doc


def schema(doc: Doc, name: str) -> Doc:
    found: Doc = doc["components"]["schemas"][name]
    return found


def op(doc: Doc, path: str, method: str) -> Doc:
    found: Doc = doc["paths"][path][method]
    return found
