"""Write the first pinned copy of the vendor document from the public facts about the API.

The live document at https://api.dimescheduler.com/docs cannot be reached from the machines this project is
built on, so `openapi/upstream.json` was reconstructed once from a folder of facts (operations.json,
schemas.json). This script is that reconstruction; it runs by hand, never at build, generation or test time:

    python scripts/build_pinned_spec.py FACTS_DIR [--out openapi/upstream.json]

The output is shaped the way ASP.NET publishes documents (JSON request bodies offered under three media
types, `text/plain` next to JSON on responses, no operationIds), so the pinned copy goes through the same
normalization a live copy needs.
"""

from __future__ import annotations

import argparse
import json
import re
import sys
from pathlib import Path
from typing import Any

Json = dict[str, Any]

EXCLUDED_PREFIXES = ("/webhooks/", "/mcp")

# operations.json names some bodies differently from schemas.json.
BODY_ENTITY_ALIASES = {
    "Address": "Geocode",
    "SetupPackage": "ImportSetup",
    "TaskAssignmentRequest": "TaskAssignment",
    "DailyRouteOptimizationRequest": "OptimizationDailyRouteRequest",
    "FieldServiceOptimizationRequest": "OptimizationFieldServiceRequest",
    "ProfessionalServicesOptimizationRequest": "OptimizationProfessionalServicesRequest",
}

# GET routes with no body entity in the facts: which entity the list holds.
READ_ENTITY_BY_PATH = {
    "/resourcetype": "ResourceType",
    "/calendar": "Calendar",
    "/appointmentDependency": "AppointmentDependency",
    "/appointmentField": "AppointmentField",
    "/recommendation/scorers": "RecommendationScorers",
}

JSON_BODY_TYPES = ("application/json", "text/json", "application/*+json")
JSON_RESPONSE_TYPES = ("text/plain", "application/json", "text/json")

ERROR_RESPONSES = {
    "400": ("BadRequest", "The request was malformed or failed validation."),
    "401": ("Unauthorized", "No valid API key or bearer token was sent."),
    "403": ("Forbidden", "The credentials are valid but may not perform this operation."),
    "404": ("NotFound", "The route or the addressed record does not exist."),
    "409": ("Conflict", "The change conflicts with the current state of the record."),
    "429": ("TooManyRequests", "Rate limit reached; wait for the time in Retry-After."),
    "5XX": ("ServerError", "The server failed to process the request."),
}


def load_facts(facts_dir: Path) -> tuple[list[Json], Json]:
    operations = json.loads((facts_dir / "operations.json").read_text(encoding="utf-8"))
    schemas = json.loads((facts_dir / "schemas.json").read_text(encoding="utf-8"))
    return operations, schemas


def enum_member_names(labels: dict[str, str]) -> dict[str, str]:
    """Turn labels like "OAuth2 client credentials (basic auth header)" into member names."""

    def words(text: str) -> str:
        parts = re.findall(r"[A-Za-z0-9]+", text)
        return "".join(p if p.isupper() and len(p) > 1 else p[:1].upper() + p[1:] for p in parts)

    short = {value: words(label.split(" (")[0]) for value, label in labels.items()}
    counts: dict[str, int] = {}
    for name in short.values():
        counts[name] = counts.get(name, 0) + 1
    names = {}
    for value, label in labels.items():
        name = short[value] if counts[short[value]] == 1 else words(label)
        if not name or name[0].isdigit():
            name = f"Value{value}"
        names[value] = name
    return names


def field_schema(field: Json, enums: Json) -> Json:
    kind = field["type"]
    schema: Json
    if kind == "date-time":
        schema = {"type": "string", "format": "date-time"}
    elif kind == "date":
        schema = {"type": "string", "format": "date"}
    elif kind == "array":
        items = field.get("items") or {}
        schema = {"type": "array", "items": item_schema(items, enums)}
    elif kind == "object":
        schema = object_schema(field.get("properties", []), enums, description=None)
    else:
        schema = {"type": kind}
    fmt = field.get("format")
    if fmt and kind not in ("date-time", "date"):
        schema["format"] = fmt
    if "max_length" in field and kind == "string":
        schema["maxLength"] = field["max_length"]
    if "pattern" in field:
        schema["pattern"] = field["pattern"]
    if "enum" in field:
        schema = enum_reference(field, enums, schema)
    if field.get("nullable"):
        if "$ref" in schema:
            schema = {"anyOf": [schema, {"type": "null"}]}
        else:
            schema["type"] = [schema["type"], "null"]
    default = field.get("default")
    if default is not None and default_fits(default, kind):
        schema["default"] = default
    if field.get("description"):
        schema["description"] = field["description"]
    if field.get("import_name"):
        schema["x-import-parameter"] = field["import_name"]
    if field.get("import_on"):
        schema["x-import-on"] = field["import_on"]
    if field.get("verified") is False:
        schema["x-unverified"] = True
    return schema


def item_schema(items: Json, enums: Json) -> Json:
    schema: Json = {"type": items.get("type", "string")}
    if "enum" in items:
        schema = enum_reference(items, enums, schema)
    return schema


def enum_reference(field: Json, enums: Json, schema: Json) -> Json:
    """Shared enums live in components (as ASP.NET emits them); a field's own subset stays inline."""
    name = field.get("enum_ref")
    if name in enums and list(enums[name]["values"]) == list(field["enum"]):
        return ref(name)
    schema["enum"] = field["enum"]
    add_enum_names(schema, name, enums)
    return schema


def enum_components(enums: Json) -> Json:
    out: Json = {}
    for name, spec in enums.items():  # TransactionType only picks a procedure client-side
        if name == "TransactionType" or not all(isinstance(v, int) for v in spec["values"]):
            continue
        schema: Json = {"type": "integer", "format": "int32", "enum": list(spec["values"])}
        add_enum_names(schema, name, enums)
        labels = ", ".join(f"{v} = {spec['labels'][str(v)]}" for v in spec["values"])
        schema = {"description": f"{name} (sent as an integer): {labels}.", **schema}
        out[name] = schema
    return out


def add_enum_names(schema: Json, enum_ref: str | None, enums: Json) -> None:
    if not enum_ref or enum_ref not in enums:
        return
    labels = {str(k): v for k, v in enums[enum_ref].get("labels", {}).items()}
    if not all(str(v) in labels for v in schema["enum"]):
        return
    names = enum_member_names({str(v): labels[str(v)] for v in schema["enum"]})
    schema["x-enum-varnames"] = [names[str(v)] for v in schema["enum"]]
    schema["x-enum-descriptions"] = [labels[str(v)] for v in schema["enum"]]


def default_fits(default: Any, kind: str) -> bool:
    checks: dict[str, Any] = {
        "string": str,
        "integer": int,
        "number": (int, float),
        "boolean": bool,
        "array": list,
    }
    expected = checks.get(kind)
    if expected is None or (isinstance(default, bool) and kind in ("integer", "number")):
        return False
    return isinstance(default, expected)


def object_schema(
    fields: list[Json], enums: Json, *, description: str | None, required: list[str] | None = None
) -> Json:
    schema: Json = {"type": "object"}
    if description:
        schema["description"] = description
    if required:
        schema["required"] = required
    schema["properties"] = {f["name"]: field_schema(f, enums) for f in fields}
    schema["additionalProperties"] = True
    return schema


def required_for(fields: list[Json], action: str) -> list[str]:
    """Names required for `action` ("create" or "delete"), from required_on, else required + import_on."""
    out = []
    for f in fields:
        if "required_on" in f:
            if action in f["required_on"]:
                out.append(f["name"])
        elif f.get("required"):
            import_on = f.get("import_on")
            wanted = "delete" if action == "delete" else "append"
            if not import_on or wanted in import_on:
                out.append(f["name"])
    return out


def entity_description(name: str, entity: Json) -> str:
    route = entity.get("route")
    text = f"{name}: the body of {route}." if route else f"{name}."
    procedures = {k: v for k, v in entity.get("import_procedures", {}).items() if v}
    if procedures.get("append") and procedures["append"].startswith("mboc_"):
        text += f" Import procedure: {procedures['append']}"
        if procedures.get("delete") and str(procedures["delete"]).startswith("mboc_"):
            text += f" (delete: {procedures['delete']})"
        text += "."
    if not entity.get("fields"):
        text += " The vendor documents no fields for it; any JSON object is accepted."
    return text


def build_components(schemas: Json, read_entities: set[str]) -> tuple[Json, dict[str, str], dict[str, str]]:
    """Component schemas, plus for each entity the schema its reads and its deletes use."""
    enums = schemas["_enums"]
    components: Json = {}
    read_model: dict[str, str] = {}
    delete_model: dict[str, str] = {}
    dtos = schemas["dtos"]
    entities = [k for k in schemas if not k.startswith("_") and k != "dtos"]
    for name in entities:
        entity = schemas[name]
        fields = entity.get("fields", [])
        if name == "ImportRequest":
            # Every documented /import example and both vendor SDKs send the PascalCase names.
            fields = [dict(f, name=f["aliases"][0]) for f in fields]
        candidates = [dict(c, verified=False) for c in entity.get("candidate_fields", [])]
        create_required = required_for(fields, "create")
        schema = object_schema(
            fields + candidates, enums, description=entity_description(name, entity), required=create_required
        )
        procedures = {k: v for k, v in entity.get("import_procedures", {}).items() if v}
        if any(str(v).startswith("mboc_") for v in procedures.values()):
            schema["x-import-procedures"] = procedures
        schema["x-confidence"] = entity.get("confidence", "none")
        components[name] = schema

        dto_name = f"{name}ListItem"
        if dto_name in dtos:
            read_model[name] = dto_name
        elif create_required and name in read_entities:
            twin = {k: v for k, v in schema.items() if k not in ("required", "x-import-procedures")}
            twin["description"] = (
                f"A {name} as the API returns it. The vendor does not document the read shape, so this mirrors "
                f"the {name} write model with every field optional."
            )
            components[dto_name] = twin
            read_model[name] = dto_name
        else:
            read_model[name] = name

        delete_fields = [f for f in fields if f.get("import_on") != ["append"]]
        delete_required = required_for(fields, "delete")
        if (
            "DELETE" in entity.get("methods", {})
            and delete_fields
            and (len(delete_fields) != len(fields) or delete_required != create_required)
        ):
            delete_name = f"{name}Delete"
            components[delete_name] = object_schema(
                delete_fields,
                enums,
                description=f"The keys that delete a {name} (the body of DELETE {entity.get('route')}).",
                required=delete_required,
            )
            delete_model[name] = delete_name
        else:
            delete_model[name] = name

    for dto_name, dto in dtos.items():
        if dto_name in ("MutationResponse", "ErrorBody", "TokenResponse", "RecommendationResponse"):
            continue
        if dto_name in ("SendSuccessResponseBody", "AppointmentWebhookPayload", "WebhookSubscriptionRequest"):
            continue  # shapes of the 2023 connector and of webhooks, which the client does not cover
        components[dto_name] = object_schema(
            dto["fields"], enums, description=f"{dto_name}: {dto.get('returned_by', 'a response shape')}."
        )
    components.update(fixed_components(read_model["Notification"]))
    components.update(enum_components(enums))
    return dict(sorted(components.items())), read_model, delete_model


def fixed_components(notification_model: str) -> Json:
    return {
        "MutationResponse": {
            "type": "object",
            "description": (
                "Result envelope of every write. `content` is a JSON document serialised as a string "
                "(see MutationContent); `statusCode` is the import's own status, which can report a failure "
                "under HTTP 200."
            ),
            "properties": {
                "content": {"type": "string", "description": "JSON text of a MutationContent."},
                "contentType": {"type": "string", "description": "Media type of `content`."},
                "statusCode": {"type": "integer", "format": "int32", "description": "200 means success."},
            },
            "additionalProperties": True,
        },
        "MutationContent": {
            "type": "object",
            "description": (
                "The decoded `content` of a MutationResponse. Success carries Success/Message/Status/Phrase "
                "(and Appointments on appointment routes); failure carries Error/Description. Keys are PascalCase."
            ),
            "properties": {
                "Success": {"type": "boolean"},
                "Message": {"type": ["string", "null"]},
                "Status": {"type": "integer", "format": "int32"},
                "Phrase": {"type": ["string", "null"]},
                "Appointments": {"type": "array", "items": {"$ref": "#/components/schemas/AppointmentMap"}},
                "Error": {"type": ["string", "null"]},
                "Description": {"type": ["string", "null"]},
            },
            "additionalProperties": True,
        },
        "AppointmentMap": {
            "type": "object",
            "description": "Ids of one appointment a write created or updated.",
            "properties": {
                "Id": {"type": "integer", "format": "int64"},
                "Guid": {"type": "string", "format": "uuid"},
            },
            "additionalProperties": True,
        },
        "ErrorBody": {
            "type": "object",
            "description": (
                "Body of a 4xx/5xx answer. Its exact shape is undocumented; it looks like RFC 9457 problem "
                "details, and clients read message, error, detail or title."
            ),
            "properties": {
                "type": {"type": "string"},
                "title": {"type": "string"},
                "status": {"type": "integer", "format": "int32"},
                "detail": {"type": "string"},
                "instance": {"type": "string"},
                "message": {"type": "string"},
                "error": {"type": "string"},
                "traceId": {"type": "string"},
            },
            "additionalProperties": True,
        },
        "TokenResponse": {
            "type": "object",
            "description": "Answer of POST /token: a JWT to send as `Authorization: Bearer <token>`.",
            "required": ["token"],
            "properties": {"token": {"type": "string", "description": "The JWT."}},
            "additionalProperties": True,
        },
        "NotificationPage": {
            "type": "object",
            "description": "One page of notifications (shape reported as {data, total}; not confirmed by the vendor).",
            "properties": {
                "data": {"type": "array", "items": {"$ref": f"#/components/schemas/{notification_model}"}},
                "total": {
                    "type": "integer",
                    "format": "int64",
                    "description": "Number of notifications in all.",
                },
            },
            "additionalProperties": True,
        },
        "RecommendationResponse": {
            "type": "object",
            "description": "Time slots the recommendation engine proposes, best first.",
            "properties": {
                "slots": {"type": "array", "items": {"$ref": "#/components/schemas/RecommendationSlot"}},
            },
            "additionalProperties": True,
        },
        "RecommendationSlot": {
            "type": "object",
            "description": "One proposed slot: when, who, and how far the resource travels.",
            "properties": {
                "start": {"type": "string", "format": "date-time"},
                "end": {"type": "string", "format": "date-time"},
                "resourceNo": {"type": "string"},
                "resourceName": {"type": "string"},
                "distance": {"type": "number", "format": "double", "description": "Travel distance in km."},
            },
            "additionalProperties": True,
        },
        "GeocodeResult": {
            "type": "object",
            "description": "Coordinates found for an address (shape undocumented; any JSON object is accepted).",
            "additionalProperties": True,
        },
        "OptimizationResult": {
            "type": "object",
            "description": "Result of an optimization run (shape undocumented; any JSON object is accepted).",
            "additionalProperties": True,
        },
    }


def ref(name: str) -> Json:
    return {"$ref": f"#/components/schemas/{name}"}


def json_content(schema: Json, media_types: tuple[str, ...], example: Any = None) -> Json:
    media: Json = {"schema": schema}
    if example is not None:
        media["example"] = example
    return {name: dict(media) for name in media_types}


# What a successful write answers (mock servers serve it instead of inventing a statusCode).
MUTATION_EXAMPLE = {
    "content": json.dumps({"Success": True, "Message": "Import successful", "Status": 200, "Phrase": None}),
    "contentType": "application/json",
    "statusCode": 200,
}


def query_parameter(q: Json) -> Json:
    kind = q["type"]
    if kind.startswith("array"):
        schema: Json = {"type": "array", "items": {"type": "string"}}
        param: Json = {"name": q["name"], "in": "query", "style": "form", "explode": True}
    else:
        schema = {"type": kind}
        if q.get("format"):
            schema["format"] = q["format"]
        param = {"name": q["name"], "in": "query"}
    param["required"] = bool(q.get("required"))
    if q.get("notes"):
        param["description"] = q["notes"]
    param["schema"] = schema
    return param


def path_parameters(path: str) -> list[Json]:
    return [
        {"name": name, "in": "path", "required": True, "schema": {"type": "string"}}
        for name in re.findall(r"{([^}]+)}", path)
    ]


def success_response(op: Json, read_model: dict[str, str], body_entity: str | None) -> Json:
    path, method, text = op["path"], op["method"], op["response"]
    if path == "/token":
        return {"description": "A JWT.", "content": json_content(ref("TokenResponse"), JSON_RESPONSE_TYPES)}
    if text.startswith("import result envelope") or path in ("/message", "/user"):
        return {
            "description": "The write envelope; check its statusCode too.",
            "content": json_content(ref("MutationResponse"), JSON_RESPONSE_TYPES, MUTATION_EXAMPLE),
        }
    if path == "/notification" and method == "GET":
        return {
            "description": "One page of notifications.",
            "content": json_content(ref("NotificationPage"), JSON_RESPONSE_TYPES),
        }
    if path == "/recommendation":
        return {
            "description": "Proposed slots.",
            "content": json_content(ref("RecommendationResponse"), JSON_RESPONSE_TYPES),
        }
    if path == "/geocode":
        return {
            "description": "Coordinates.",
            "content": json_content(ref("GeocodeResult"), JSON_RESPONSE_TYPES),
        }
    if path.startswith("/optimization/"):
        return {
            "description": "The optimization result.",
            "content": json_content(ref("OptimizationResult"), JSON_RESPONSE_TYPES),
        }
    if method == "GET":
        entity = body_entity or READ_ENTITY_BY_PATH.get(path)
        if entity is None:
            raise SystemExit(f"no read model for GET {path}")
        model = read_model[entity]
        if "{" in path:
            return {"description": f"The {entity}.", "content": json_content(ref(model), JSON_RESPONSE_TYPES)}
        schema = {"type": "array", "items": ref(model)}
        return {"description": f"The {entity} records.", "content": json_content(schema, JSON_RESPONSE_TYPES)}
    return {"description": "Success; the vendor does not document a body."}


def entity_for_path(operations: list[Json], path: str) -> str | None:
    base = re.sub(r"/{[^}]+}$", "", path)
    for op in operations:
        if op["path"] == base and op.get("body_entity"):
            return str(BODY_ENTITY_ALIASES.get(op["body_entity"], op["body_entity"]))
    return None


def build_operation(
    op: Json, operations: list[Json], read_model: dict[str, str], delete_model: dict[str, str]
) -> Json:
    entity = op.get("body_entity")
    entity = BODY_ENTITY_ALIASES.get(entity, entity) if entity else None
    out: Json = {"tags": [op["tag"]], "summary": op["summary"]}
    if op.get("notes"):
        out["description"] = op["notes"]
    params = path_parameters(op["path"]) + [query_parameter(q) for q in op.get("query", [])]
    if params:
        out["parameters"] = params
    if entity and op["body"] != "none":
        model = delete_model.get(entity, entity) if op["method"] == "DELETE" else entity
        schema = ref(model)
        if op["body"] == "object-or-array":
            schema = {"oneOf": [ref(model), {"type": "array", "items": ref(model)}]}
        out["requestBody"] = {"required": True, "content": json_content(schema, JSON_BODY_TYPES)}
    read_entity = entity if op["method"] != "GET" else entity_for_path(operations, op["path"])
    responses: Json = {"200": success_response(op, read_model, read_entity)}
    codes = ("400", "401", "429", "5XX") if op["path"] == "/token" else tuple(ERROR_RESPONSES)
    for code in codes:
        responses[code] = {"$ref": f"#/components/responses/{ERROR_RESPONSES[code][0]}"}
    out["responses"] = responses
    if op["path"] == "/token":
        out["security"] = []
    out["x-confidence"] = op["confidence"]
    return out


def error_responses() -> Json:
    out: Json = {}
    for code, (name, text) in ERROR_RESPONSES.items():
        response: Json = {"description": text, "content": {"application/json": {"schema": ref("ErrorBody")}}}
        if code == "429":
            response["headers"] = {
                "Retry-After": {
                    "description": "Seconds to wait, or an HTTP date.",
                    "schema": {"type": "string"},
                }
            }
        out[name] = response
    return out


def build_document(operations: list[Json], schemas: Json) -> Json:
    kept = [op for op in operations if not op["path"].startswith(EXCLUDED_PREFIXES)]
    read_entities = {
        entity
        for op in kept
        if op["method"] == "GET"
        for entity in [entity_for_path(kept, op["path"]) or READ_ENTITY_BY_PATH.get(op["path"])]
        if entity
    }
    components, read_model, delete_model = build_components(schemas, read_entities)
    paths: Json = {}
    for op in kept:
        paths.setdefault(op["path"], {})[op["method"].lower()] = build_operation(
            op, kept, read_model, delete_model
        )
    servers = schemas["_meta"]["servers"]
    return {
        "openapi": "3.1.0",
        "info": {
            "title": "Dime.Scheduler API",
            "version": "1.0",
            "description": (
                "REST API of Dime.Scheduler, the resource-planning board: jobs, tasks, appointments, resources, "
                "indicators, filters, containers, captions, notifications, connectors, users, the bulk /import "
                "pipeline, time tracking, optimization and geocoding. Authenticate with an API key in the "
                "X-API-KEY header, or with a JWT from POST /token sent as a bearer token."
            ),
        },
        "servers": [
            {"url": servers["production"], "description": "Production"},
            {"url": servers["sandbox"], "description": "Sandbox"},
            {"url": servers["test"].split(" ")[0], "description": "Test"},
        ],
        "security": [{"ApiKey": []}, {"Bearer": []}],
        "tags": sorted(
            ({"name": t, "description": f"{t} operations."} for t in {op["tag"] for op in kept}),
            key=lambda t: t["name"],
        ),
        "paths": dict(sorted(paths.items(), key=lambda kv: kv[0].lower())),
        "components": {
            "schemas": components,
            "responses": error_responses(),
            "securitySchemes": {
                "ApiKey": {"type": "apiKey", "in": "header", "name": "X-API-KEY", "description": "API key."},
                "Bearer": {
                    "type": "http",
                    "scheme": "bearer",
                    "bearerFormat": "JWT",
                    "description": "JWT from POST /token.",
                },
            },
        },
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("facts_dir", type=Path, help="folder with operations.json and schemas.json")
    parser.add_argument("--out", type=Path, default=Path("openapi/upstream.json"))
    args = parser.parse_args(argv)
    operations, schemas = load_facts(args.facts_dir)
    document = build_document(operations, schemas)
    args.out.write_text(json.dumps(document, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    count = sum(len(v) for v in document["paths"].values())
    print(
        f"wrote {args.out}: {len(document['paths'])} paths, {count} operations, "
        f"{len(document['components']['schemas'])} schemas"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
