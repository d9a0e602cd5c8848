"""The drift rules: one row per rule ID (oasdiff's ID where one matches), its level for a user of the
generated Python client and of the overlay, and why.

Levels: ``breaking`` (code built on the pinned client stops working or sends requests the server now
rejects), ``warning`` (it keeps working but may behave differently: a person should look), ``info``.
What the client does, which every reason below relies on (openapi-python-client 0.29.1 and overlay/):

- requests: the client sends what the caller passes; an optional parameter or property the caller leaves
  out is not sent (``UNSET``) unless the document gave it a default, which the generated signature then
  carries and sends; it never validates a value against the schema (the server does);
- responses: ``from_dict`` reads a required property with ``d.pop(name)`` (missing -> ``KeyError``), an
  optional one with ``d.pop(name, UNSET)``, converts enums with ``Enum(value)`` (an unknown value becomes
  a pseudo-member ``UNKNOWN_<value>``: scripts/templates), a union by trying each shape (none matching ->
  ``TypeError``), dates with ``isoparse``, nested objects with the nested model; it never validates
  other keywords (bounds, patterns, ``contains`` ...);
- it reads only ``application/json`` (and ``+json``) response bodies and sends JSON, multipart or form
  bodies; it ignores ``servers`` (the base URL is the caller's), webhooks and ``operationId`` for routing
  (the overlay binds to method + path); every security scheme ends up as the one credential the caller
  configured, sent as ``Authorization: Bearer`` or as the API-key header the scheme names.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Final, Literal

Level = Literal["breaking", "warning", "info"]
BREAKING: Final = "breaking"
WARNING: Final = "warning"
INFO: Final = "info"
LEVELS: Final = (BREAKING, WARNING, INFO)


@dataclass(frozen=True)
class Rule:
    level: Level
    why: str


# Rules named one by one: ID -> (level, why). IDs are oasdiff's unless marked "(own)".
_NAMED: Final[dict[str, tuple[Level, str]]] = {
    # paths and operations
    "api-path-removed-without-deprecation": (BREAKING, "every function of the path is gone"),
    "api-removed-without-deprecation": (BREAKING, "the operation's function is gone"),
    "api-removed-with-deprecation": (
        BREAKING,
        "oasdiff: INFO; a deprecated operation removed still removes a function callers may use",
    ),
    "api-path-removed-with-deprecation": (BREAKING, "as api-removed-with-deprecation, for a whole path"),
    "endpoint-added": (INFO, "a new function; nothing existing changes"),
    "endpoint-deprecated": (INFO, "still works"),
    "endpoint-reactivated": (INFO, "still works"),
    "api-operation-id-changed": (
        WARNING,
        "(own) the raw function is renamed (listed under Python API); the overlay binds to method + path",
    ),
    "api-operation-id-added": (
        WARNING,
        "the raw function may be renamed; the overlay binds to method + path",
    ),
    "api-operation-id-removed": (
        WARNING,
        "the raw function may be renamed; the overlay binds to method + path",
    ),
    "webhook-added": (INFO, "the client implements no webhooks"),
    "webhook-removed": (INFO, "oasdiff: ERR; the client implements no webhooks, nothing it does changes"),
    # parameters
    "new-required-request-parameter": (BREAKING, "old calls do not send it; the server rejects them"),
    "new-request-path-parameter": (BREAKING, "old calls build a URL without it"),
    "new-optional-request-parameter": (INFO, "old calls leave it out, as allowed"),
    "request-parameter-removed": (
        WARNING,
        "old calls may still send it; most servers ignore an unknown parameter",
    ),
    "request-parameter-became-required": (BREAKING, "old calls that leave it out are rejected"),
    "request-parameter-became-optional": (INFO, "the request accepts more"),
    "request-parameter-serialization-changed": (
        BREAKING,
        "(own) the client serializes it as the pinned document said (style, explode, in)",
    ),
    "request-parameter-default-value-added": (
        WARNING,
        "oasdiff: ERR; old calls omit it and the server now applies the default: behaviour may change",
    ),
    "request-parameter-default-value-changed": (
        INFO,
        "oasdiff: ERR; the generated signature carries the old default and sends it, so old calls "
        "still ask for the old value",
    ),
    "request-parameter-default-value-removed": (
        INFO,
        "oasdiff: ERR; the generated signature carries the old default and sends it",
    ),
    "request-parameter-became-enum": (BREAKING, "values old calls send may now be rejected"),
    # request bodies
    "request-body-removed": (BREAKING, "old calls send a body the operation no longer documents"),
    "request-body-added-required": (BREAKING, "old calls send no body"),
    "request-body-added-optional": (INFO, "old calls send no body, as allowed"),
    "request-body-became-required": (BREAKING, "old calls that send no body are rejected"),
    "request-body-became-optional": (INFO, "the request accepts more"),
    "request-body-media-type-removed": (BREAKING, "the client sends this media type"),
    "request-body-media-type-removed-unused": (
        INFO,
        "(own) oasdiff: ERR; the client never sends this media type (it sends JSON, multipart or form)",
    ),
    "request-body-media-type-added": (INFO, "the request accepts more"),
    "new-required-request-property": (BREAKING, "old calls do not send it"),
    "new-required-request-property-with-default": (BREAKING, "old calls do not send it"),
    "new-optional-request-property": (INFO, "old calls leave it out, as allowed"),
    "request-property-removed": (
        WARNING,
        "old calls still send it; the server ignores it unless it rejects unknown properties",
    ),
    "request-property-became-required": (BREAKING, "old calls that leave it out are rejected"),
    "request-property-became-optional": (INFO, "the request accepts more"),
    # responses
    "response-success-status-removed": (BREAKING, "the client parses only the statuses it knew"),
    "response-success-status-added": (INFO, "a new success status; existing ones stay"),
    "response-non-success-status-removed": (INFO, "fewer error codes: the response promises more"),
    "response-non-success-status-added": (INFO, "an error status more; the client raises on errors alike"),
    "response-media-type-removed": (BREAKING, "the client reads this JSON media type"),
    "response-media-type-removed-unused": (
        INFO,
        "(own) oasdiff: ERR; the client reads only JSON bodies and never asks for this media type",
    ),
    "response-media-type-added": (INFO, "the client keeps reading JSON"),
    "response-required-property-removed": (BREAKING, "`from_dict` pops it: KeyError"),
    "response-optional-property-removed": (WARNING, "it reads as UNSET: code that relied on it sees less"),
    "response-required-property-added": (INFO, "the response promises more"),
    "response-optional-property-added": (INFO, "the response promises more; old models ignore it"),
    "response-property-became-optional": (BREAKING, "`from_dict` pops it as required: KeyError"),
    "response-property-became-required": (INFO, "the response promises more"),
    "required-response-header-removed": (BREAKING, "code reading the header finds none"),
    "optional-response-header-removed": (WARNING, "code reading the header may find none"),
    "response-header-became-optional": (BREAKING, "code reading the header may find none"),
    "response-header-became-required": (INFO, "(own) the response promises more"),
    "response-header-added": (INFO, "the response promises more"),
    # schemas anywhere (the subject part of these IDs is filled in by drift_compare)
    "api-schema-removed": (
        INFO,
        "a component nothing uses any more; a model removed is listed under Python API",
    ),
    "api-schema-added": (INFO, "(own) a new model"),
    # security and servers
    "api-security-added": (INFO, "the client always sends the credential the caller configured"),
    "api-security-removed": (INFO, "the credential the client sends is no longer needed"),
    "api-security-scope-added": (INFO, "scopes are granted to the credential, not chosen by the client"),
    "api-security-scope-removed": (INFO, "the credential keeps working"),
    "api-global-security-added": (INFO, "the client always sends the credential the caller configured"),
    "api-global-security-removed": (INFO, "the credential the client sends is no longer needed"),
    "api-global-security-scope-added": (
        INFO,
        "scopes are granted to the credential, not chosen by the client",
    ),
    "api-global-security-scope-removed": (INFO, "the credential keeps working"),
    "api-security-component-added": (INFO, "a new scheme; nothing existing changes"),
    "api-security-component-removed": (
        INFO,
        "a scheme no operation requires any more; the client's credential is what operations require",
    ),
    "api-security-component-type-changed": (
        INFO,
        "the credential travels the same way (e.g. oauth2 -> http bearer: the same Bearer token)",
    ),
    "api-security-component-credentials-changed": (
        BREAKING,
        "(own) the credential must travel another way (another header, basic instead of bearer)",
    ),
    "api-security-component-oauth-url-changed": (INFO, "the client does not run OAuth flows"),
    "api-security-component-oauth-token-url-changed": (INFO, "the client does not run OAuth flows"),
    "api-security-component-oauth-scope-added": (INFO, "the client does not run OAuth flows"),
    "api-security-component-oauth-scope-removed": (INFO, "the client does not run OAuth flows"),
    "servers-changed": (INFO, "(own) the generated client never reads servers: the caller sets the base URL"),
    "other": (INFO, "(own) descriptions, examples, tags, extensions: outside the client contract"),
    "generation-failed": (BREAKING, "(own) the client cannot be generated from the new document"),
}

# Schema rules, table-driven: (what changed) -> (level in a request, level in a response, why).
# An ID is ``<direction>-<subject>-<what>``: request-body-type-changed, response-property-max-decreased...
_SCHEMA: Final[dict[str, tuple[Level, Level, str]]] = {
    "type-changed": (BREAKING, BREAKING, "values of the old type are rejected / no longer arrive"),
    "type-generalized": (
        INFO,
        BREAKING,
        "request accepts more (int -> number, a type added); a response may now hold what old code cannot read",
    ),
    "type-specialized": (
        BREAKING,
        INFO,
        "request rejects some old values; a response promises more (number -> int, a type dropped)",
    ),
    "became-nullable": (INFO, BREAKING, "request accepts more; a response may now be null"),
    "became-not-nullable": (BREAKING, INFO, "old calls sending null are rejected; a response promises more"),
    "became-enum": (BREAKING, INFO, "request values are restricted; a response promises more"),
    "enum-value-added": (
        INFO,
        WARNING,
        "the generated enums parse an unknown value as a pseudo-member UNKNOWN_<value> (scripts/templates): "
        "nothing fails, but code matching on the known members meets a new one",
    ),
    "enum-value-removed": (BREAKING, INFO, "old calls may send the value; a response promises more"),
    "x-extensible-enum-value-removed": (BREAKING, INFO, "a value old calls may send is gone"),
    "enum-removed": (
        INFO,
        BREAKING,
        "(own) any value: requests accept more, old response enums cannot parse",
    ),
    "any-of-added": (INFO, BREAKING, "a request accepts more; a response may hold an unknown shape"),
    "one-of-added": (INFO, BREAKING, "a request accepts more; a response may hold an unknown shape"),
    "any-of-removed": (BREAKING, INFO, "old calls may send the removed shape; a response promises more"),
    "one-of-removed": (BREAKING, INFO, "old calls may send the removed shape; a response promises more"),
    "wrapped-in-one-of": (
        BREAKING,
        BREAKING,
        "oneOf accepts a value matching exactly one subschema (an old request may match several); a "
        "response may be a shape the old model cannot read",
    ),
    "wrapped-in-any-of": (INFO, BREAKING, "a request accepts more; a response may be an unknown shape"),
    "all-of-added": (
        BREAKING,
        INFO,
        "another schema to satisfy: requests accept less, responses promise more",
    ),
    "all-of-removed": (WARNING, INFO, "one schema less to satisfy"),
    "discriminator-added": (INFO, INFO, "the generated client does not route on the discriminator"),
    "discriminator-removed": (INFO, INFO, "the generated client does not route on the discriminator"),
    "discriminator-changed": (INFO, INFO, "the generated client does not route on the discriminator"),
    "default-value-added": (INFO, INFO, "a property default the server applies; absent ones stay absent"),
    "default-value-removed": (INFO, INFO, "a property default the server applies; absent ones stay absent"),
    "default-value-changed": (INFO, INFO, "a property default the server applies; absent ones stay absent"),
    "pattern-added": (BREAKING, INFO, "old values may no longer match"),
    "pattern-changed": (WARNING, WARNING, "old values may no longer match / new ones may not match the old"),
    "pattern-removed": (INFO, WARNING, "requests accept more; responses promise less"),
    "format-changed": (BREAKING, BREAKING, "(own) the client converts by format (dates, binary)"),
    "deprecated": (INFO, INFO, "still works"),
    "read-only-changed": (INFO, INFO, "(own) the generated models send and read every property alike"),
    "write-only-changed": (INFO, INFO, "(own) the generated models send and read every property alike"),
    # tightened / loosened bounds (set: a bound where there was none, which oasdiff rates WARN in requests)
    "tightened": (BREAKING, INFO, "old calls may fall outside; a response promises more"),
    "loosened": (INFO, BREAKING, "a request accepts more; a response may now hold what it promised not to"),
    "set": (WARNING, INFO, "a bound where there was none: often the server's limit written down"),
    # JSON Schema keywords the client does not read: tighter in requests, looser in responses break
    "keyword-added": (BREAKING, INFO, "another condition on requests; a response promises more"),
    "keyword-removed": (INFO, BREAKING, "requests accept more; a response promises less"),
    "keyword-changed": (BREAKING, BREAKING, "a changed condition: both ways can break"),
    "shape-changed": (BREAKING, BREAKING, "tuple positions (prefixItems) changed: both ways can break"),
}

# Bounds: keyword -> (name in the ID, which way tightens it)
BOUNDS: Final[dict[str, tuple[str, str]]] = {
    "maximum": ("max", "decreased"),
    "exclusiveMaximum": ("exclusive-max", "decreased"),
    "maxLength": ("max-length", "decreased"),
    "maxItems": ("max-items", "decreased"),
    "maxProperties": ("max-properties", "decreased"),
    "maxContains": ("max-contains", "decreased"),
    "minimum": ("min", "increased"),
    "exclusiveMinimum": ("exclusive-min", "increased"),
    "minLength": ("min-length", "increased"),
    "minItems": ("min-items", "increased"),
    "minProperties": ("min-properties", "increased"),
    "minContains": ("min-contains", "increased"),
}

# Keywords compared as a whole (added / removed / changed), named as oasdiff names them.
KEYWORDS: Final[dict[str, str]] = {
    "contains": "contains",
    "if": "if",
    "then": "then",
    "else": "else",
    "not": "not",
    "propertyNames": "property-names",
    "unevaluatedItems": "unevaluated-items",
    "unevaluatedProperties": "unevaluated-properties",
    "contentSchema": "content-schema",
    "contentMediaType": "content-media-type",
    "contentEncoding": "content-encoding",
    "const": "const",
    "uniqueItems": "unique-items",
    "multipleOf": "multiple-of",
    "dependentRequired": "dependent-required",
    "dependentSchemas": "dependent-schema",
    "patternProperties": "pattern-property",
}

DIRECTIONS: Final = ("request", "response")
SUBJECTS: Final = ("body", "property", "parameter", "parameter-property", "header")


def _schema_rules() -> dict[str, Rule]:
    rules: dict[str, Rule] = {}
    for what, (request, response, why) in _SCHEMA.items():
        for direction, level in zip(DIRECTIONS, (request, response), strict=True):
            for subject in SUBJECTS:
                rules[f"{direction}-{subject}-{what}"] = Rule(level, why)
    for name, tightens in BOUNDS.values():
        loosens = "increased" if tightens == "decreased" else "decreased"
        for direction in DIRECTIONS:
            for subject in SUBJECTS:
                prefix = f"{direction}-{subject}-{name}"
                for suffix, kind in ((tightens, "tightened"), (loosens, "loosened"), ("set", "set")):
                    rules[f"{prefix}-{suffix}"] = _from_schema(kind, direction)
                rules[f"{prefix}-removed"] = _from_schema("loosened", direction)
    for name in KEYWORDS.values():
        for direction in DIRECTIONS:
            for subject in SUBJECTS:
                for suffix in ("added", "removed", "changed"):
                    rules[f"{direction}-{subject}-{name}-{suffix}"] = _from_schema(
                        f"keyword-{suffix}", direction
                    )
    for direction in DIRECTIONS:
        for subject in SUBJECTS:
            for suffix in ("added", "removed", "changed"):
                rules[f"{direction}-{subject}-prefix-items-{suffix}"] = _from_schema(
                    "shape-changed", direction
                )
    return rules


def _from_schema(what: str, direction: str) -> Rule:
    request, response, why = _SCHEMA[what]
    return Rule(request if direction == "request" else response, why)


RULES: Final[dict[str, Rule]] = {
    **_schema_rules(),
    **{rule_id: Rule(level, why) for rule_id, (level, why) in _NAMED.items()},
}


def rule(rule_id: str) -> Rule:
    """The rule for ``rule_id``; KeyError for an ID the table does not know (a bug in drift_compare)."""
    return RULES[rule_id]
