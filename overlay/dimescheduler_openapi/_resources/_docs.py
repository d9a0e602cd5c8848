"""What `help()` and IDEs show for an accessor: per accessor, a subclass whose methods name concrete types.

The resource classes are generic (`SyncCrud[W, L, D]`), so their methods' own annotations say
`entity: Entities[W]` and `-> L`, which tells a reader nothing at run time. `documented(cls, accessor, route)`
builds, once per accessor and at first use, a subclass of `cls` whose public methods are copies of the
inherited functions (same code, no wrapper: calls cost nothing more) with

- `__annotations__` naming the stable models of `dimescheduler_openapi.models` bound to the accessor's
  route (`_names.STABLE_MODELS`): `entity: 'Category | Mapping[str, Any] | Sequence[...]'`,
  `-> 'list[CategoryListItem]'`; type aliases (`Timeout`, `DateTimeValue`, ...) are spelled out;
- a `__doc__` naming the route, what the method sends, what it returns and what it raises.

mypy sees none of this: the static types come from the class declarations and `_accessors.py`, unchanged.
`method_docs()` gives the same facts as data, for `scripts/api_doc.py` (api.md).
"""

from __future__ import annotations

import inspect
import re
import types
from collections.abc import Callable, Hashable
from dataclasses import dataclass
from functools import cache
from typing import Any, Final, TypeVar, cast

from ._endpoint import Endpoint
from ._names import STABLE_MODELS

T = TypeVar("T")

_BY_ROLE: Final[dict[tuple[str, str, str], str]] = {key: name for name, key in STABLE_MODELS.items()}

JSON_OBJECT = "Mapping[str, Any]"

# Aliases of the overlay, spelled out (what a reader of help() can type).
_ALIASES: Final = {
    "JsonObject": JSON_OBJECT,
    "ImportPayload": "ImportRequest | ImportRequestBody | Mapping[str, Any] | "
    "Sequence[ImportRequest | ImportRequestBody | Mapping[str, Any]]",
    "Timeout": "float | httpx.Timeout | None",
    "Deadline": "float | None",
    "DateTimeValue": "datetime | date | str",
}

STATUS_ERRORS = (
    "`APIStatusError` subclasses for an error status (`BadRequestError` 400, `AuthenticationError` 401, "
    "`PermissionDeniedError` 403, `NotFoundError` 404, `ConflictError` 409, `UnprocessableEntityError` 422, "
    "`RateLimitError` 429, `InternalServerError` 5xx, `RedirectError` 3xx)"
)
COMMON_ERRORS = (
    "`InvalidRequestError` (refused before sending); "
    f"{STATUS_ERRORS}; `UnexpectedResponseError` (a 2xx whose body is not the documented shape); "
    "`APIConnectionError` / `APITimeoutError` (no answer, or past the deadline); "
    "`UnsupportedOperationError` (the route is not in the vendor document the client was generated from; "
    "raised before anything is sent)"
)
MUTATION_ERROR = "`MutationFailedError` (the write envelope reports a failure under HTTP 2xx)"
PAGINATION_ERROR = "`PaginationError` (the server ignores the page number)"

MUTATION_RETURNS = (
    "`MutationResult`: the write envelope `{content, contentType, statusCode}` unwrapped (`success`, "
    "`status_code`, `message`, `appointments`, `content` decoded from its JSON string)"
)
JSON_RETURNS = "`Any`: the parsed JSON answer, or None for an empty body (the API documents no shape for it)"
LEFT_OUT_RETURNS = (
    "`Any`: untyped JSON (the parsed answer, or None for an empty body): the vendor documents this route but "
    "`nox -s generate` left it out ({reason}), so it has no model"
)


def _left_out_reason(endpoint: Endpoint) -> str | None:
    """Why generation left out an operation the vendor documents (`dimescheduler_raw.routes.LEFT_OUT`)."""
    from ._resolve import left_out

    if not left_out(endpoint.method, endpoint.path):
        return None
    from importlib import import_module

    reason: str = import_module("dimescheduler_raw.routes").LEFT_OUT[endpoint.method, endpoint.path]
    return reason


@dataclass(frozen=True, slots=True)
class MethodDoc:
    """One public accessor method, as documented: route, signature, what it sends, returns and raises."""

    accessor: str
    name: str
    endpoint: Endpoint
    is_async: bool
    signature: str
    summary: str
    sends: str
    returns: str
    raises: str
    types: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class Roles:
    """The stable model names bound to an accessor's route, by type variable of the generic resources."""

    values: dict[str, str]

    @staticmethod
    def of(route: str | None, kind: str) -> Roles:
        if route is None:
            return Roles({})
        write = _BY_ROLE.get(("POST", route, "body"), "Any")
        delete = _BY_ROLE.get(("DELETE", route, "body"), "Any")
        read = _BY_ROLE.get(("GET", route, "response"), "Any")
        many_reads = read if _BY_ROLE.get(("GET", route, "page_item")) else f"list[{read}]"
        if kind == "listing":
            return Roles({"R": read})
        return Roles({"W": write, "D": delete, "L": many_reads})


def entities(model: str) -> str:
    return f"{model} | {JSON_OBJECT} | Sequence[{model} | {JSON_OBJECT}]"


def concrete(annotation: str, roles: Roles) -> str:
    """An annotation string of the generic classes with type variables and aliases replaced."""
    text = re.sub(
        r"\bEntities\[(\w+)\]", lambda m: entities(roles.values.get(m.group(1), m.group(1))), annotation
    )
    text = re.sub(r"\b[WDLR]\b", lambda m: roles.values.get(m.group(0), m.group(0)), text)
    return re.sub(r"\b(\w+)\b", lambda m: _ALIASES.get(m.group(1), m.group(1)), text)


_GENERIC_SUMMARY: Final = {
    "create": "Create one {W} or several (POST).",
    "update": "Update one {W} or several (PUT).",
    "delete": "Delete one or several, identified by the fields of {D} (DELETE with a JSON body).",
    "get_all": "Every {item}.",
}
_GENERIC_SENDS: Final = {
    "create": "JSON body: one object or an array ({W} models or dicts in the API's JSON casing, mixed is "
    "fine; dict keys are sent as given, checked against every model of the route's entity and the {W} "
    "required fields)",
    "update": "JSON body: one object or an array ({W} models or dicts in the API's JSON casing; dict keys are "
    "sent as given, checked against every model of the route's entity)",
    "delete": "JSON body: one object or an array ({D} models or dicts in the API's JSON casing; the whole "
    "record is fine: keys of any model of the route's entity are sent as given)",
    "get_all": "`query` as query parameters (None values left out, lists as repeated keys, booleans "
    "`true`/`false`, anything else `str()`), or nothing",
}


def _split_doc(doc: str | None) -> tuple[str, str]:
    """(summary, Sends: text) from a hand-written docstring (`Sends: ...` as its own paragraph)."""
    if not doc:
        return "", ""
    summary, sends = [], ""
    for paragraph in inspect.cleandoc(doc).split("\n\n"):
        if paragraph.startswith("Sends:"):
            sends = " ".join(paragraph.removeprefix("Sends:").split())
        else:
            summary.append(" ".join(paragraph.split()))
    return " ".join(summary), sends


def _camel(name: str) -> str:
    head, *rest = name.split("_")
    return head + "".join(part.title() for part in rest)


def _auto_sends(name: str, endpoint: Endpoint, annotations: dict[str, str]) -> str:
    """What a method sends, from its route and signature (hand-written `Sends:` paragraphs take precedence)."""
    arguments = [key for key in annotations if key not in ("return", "timeout", "deadline")]
    placeholders = re.findall(r"\{(\w+)\}", endpoint.path)
    if endpoint.method != "GET" and arguments:
        return f"JSON body: `{arguments[0]}` ({annotations[arguments[0]]}; dicts in the API's JSON casing)"
    parts = [f"path `{{{p}}}` from `{_camel_back(p, arguments)}`" for p in placeholders]
    query = [a for a in arguments if _camel(a) not in placeholders]
    if name == "iter_all":
        query.append("page")
    if query:
        names = ", ".join(f"`{_camel(a)}`" for a in query)
        parts.append(f"query {names} (None values left out)")
    if name == "iter_all":
        parts.append("one request per page, the next only when the previous page is used up")
    return "; ".join(parts) or "nothing (no parameters)"


def _camel_back(placeholder: str, arguments: list[str]) -> str:
    return next((a for a in arguments if _camel(a) == placeholder), placeholder)


def _returns(annotation: str) -> str:
    if annotation == "MutationResult":
        return MUTATION_RETURNS
    if annotation == "Any":
        return JSON_RETURNS
    if annotation.startswith(("Iterator[", "AsyncIterator[")):
        return f"`{annotation}`: items fetched lazily, one page request at a time as the iteration goes"
    return f"`{annotation}` (models of `dimescheduler_openapi.models`, parsed from the JSON answer)"


def _raises(name: str, returns: str) -> str:
    extra = []
    if returns == "MutationResult":
        extra.append(MUTATION_ERROR)
    if name == "iter_all":
        extra.append(PAGINATION_ERROR)
    return "; ".join([*extra, COMMON_ERRORS])


_MODEL_NAME = re.compile(r"\b[A-Z]\w+\b")
_NOT_MODELS: Final = frozenset(
    {"Any", "Mapping", "Sequence", "Iterator", "AsyncIterator", "MutationResult", "None", "ImportRequest"}
)


def _describe(
    cls: type, accessor: str, name: str, endpoint: Endpoint, roles: Roles
) -> tuple[dict[str, Any], MethodDoc]:
    function = getattr(cls, name)
    annotations = {key: concrete(str(value), roles) for key, value in function.__annotations__.items()}
    returns = annotations.get("return", "Any")
    summary, sends = _split_doc(function.__doc__)  # the generic classes' methods have none
    values = {**roles.values, "item": returns.removeprefix("list[").removesuffix("]")}
    generic = roles.values and function.__qualname__.split(".")[0] in ("SyncCrud", "AsyncCrud")
    if not summary:
        summary = _GENERIC_SUMMARY.get(name, "").format(**values) if roles.values else ""
    if not sends:
        sends = _GENERIC_SENDS[name].format(**values) if generic else _auto_sends(name, endpoint, annotations)
    signature = inspect.signature(function)
    parameters = [
        p.replace(annotation=annotations.get(p.name, p.annotation)) for p in signature.parameters.values()
    ]
    shown = signature.replace(parameters=parameters[1:], return_annotation=returns)
    words = " ".join(str(v) for k, v in annotations.items() if k not in ("timeout", "deadline"))
    models = tuple(sorted({w for w in _MODEL_NAME.findall(words) if w not in _NOT_MODELS}))
    reason = _left_out_reason(endpoint)
    if reason is not None:
        summary = f"{summary} Untyped: left out by generation ({reason}).".strip()
    doc = MethodDoc(
        accessor=accessor,
        name=name,
        endpoint=endpoint,
        is_async=inspect.iscoroutinefunction(function) or inspect.isasyncgenfunction(function),
        signature=_signature_text(shown),
        summary=summary,
        sends=sends,
        returns=_returns(returns) if reason is None else LEFT_OUT_RETURNS.format(reason=reason),
        raises=_raises(name, returns),
        types=models,
    )
    return annotations, doc


def _signature_text(signature: inspect.Signature) -> str:
    parts, star = [], False
    for p in signature.parameters.values():
        if p.kind is inspect.Parameter.KEYWORD_ONLY and not star:
            parts.append("*")
            star = True
        default = "" if p.default is inspect.Parameter.empty else f" = {p.default!r}"
        parts.append(f"{p.name}: {p.annotation}{default}")
    return f"({', '.join(parts)}) -> {signature.return_annotation}"


def docstring(doc: MethodDoc) -> str:
    """The `__doc__` of a documented method."""
    return (
        f"{doc.summary}\n\n"
        f"Route: {doc.endpoint.method} {doc.endpoint.path}\n"
        f"Sends: {doc.sends}.\n"
        f"Returns: {doc.returns}.\n"
        f"Raises: {doc.raises}.\n"
        "Every method also takes keyword-only `timeout` (seconds per network wait, or an httpx.Timeout) and "
        "`deadline` (seconds for the whole call, retries included). Models: `dimescheduler_openapi.models`."
    )


def _copy(function: Callable[..., Any], owner: str, doc: str, annotations: dict[str, Any]) -> Any:
    copied = types.FunctionType(
        function.__code__,
        function.__globals__,
        function.__name__,
        function.__defaults__,
        function.__closure__,
    )
    copied.__kwdefaults__ = function.__kwdefaults__
    copied.__module__ = function.__module__
    copied.__qualname__ = f"{owner}.{function.__name__}"
    copied.__doc__ = doc
    copied.__annotations__ = annotations
    return copied


def _public_methods(cls: type, endpoints: dict[str, Endpoint]) -> dict[str, Endpoint]:
    return {name: endpoints[name] for name in sorted(endpoints) if callable(getattr(cls, name, None))}


def documented(cls: type[T], accessor: str, route: str | None, kind: str) -> type[T]:
    """The subclass of resource class `cls` that `client.<accessor>` is an instance of (built once).

    `route` is the CRUD or listing route whose stable names fill the type variables (None for service
    resources, whose methods already name their models); `kind` is "crud", "listing" or "service".
    """
    built: type[T] = _documented(cast(Hashable, cls), accessor, route, kind)
    return built


@cache
def _documented(hashable: Hashable, accessor: str, route: str | None, kind: str) -> type:
    cls = cast(type, hashable)
    roles = Roles.of(route, kind)
    probe: Any = object.__new__(cls)
    if route is not None:
        from ._crud import Crud, Listing

        probe._spec = Listing(route) if kind == "listing" else Crud(route)
    owner = "".join(part.title() for part in accessor.split("_"))
    prefix = "Async" if cls.__name__.startswith("Async") else "Sync"
    name = f"{prefix}{owner}"
    namespace: dict[str, Any] = {"__slots__": (), "__module__": cls.__module__, "__qualname__": name}
    docs: list[MethodDoc] = []
    for method, endpoint in _public_methods(cls, probe._endpoints()).items():
        annotations, doc = _describe(cls, accessor, method, endpoint, roles)
        namespace[method] = _copy(getattr(cls, method), name, docstring(doc), annotations)
        docs.append(doc)
    lines = "\n".join(f"    {d.name}{d.signature}  [{d.endpoint.method} {d.endpoint.path}]" for d in docs)
    namespace["__doc__"] = (
        f"`client.{accessor}`: {prefix.lower()} methods, each sending one API operation.\n\n{lines}\n"
    )
    namespace["_DOCS"] = tuple(docs)
    return type(name, (cls,), namespace)


def method_docs(resource_class: type) -> tuple[MethodDoc, ...]:
    """The documented methods of a class built by `documented` (empty for any other class)."""
    docs: tuple[MethodDoc, ...] = getattr(resource_class, "_DOCS", ())
    return docs
