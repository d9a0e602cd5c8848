"""The route table and the stable model names, written into the generated package by `nox -s generate`.

The contract this project binds to is method + path. The vendor's generator chooses schema names and
operationIds, and may rename them at any time; openapi-python-client turns those into class and function
names. So, after generation, the pipeline writes two modules into `generated/dimescheduler_raw/`:

- `routes.py`: `ROUTES`, every generated operation keyed by `(METHOD, path template)`, with its generated
  module and function, the model classes its JSON request body takes, the model class its success answer
  is parsed into and whether that answer is one object, a list or a page (an object holding a list of
  models and a count). It is read from openapi-python-client's own parse of the document
  (`GeneratorData`), so every name in it is a name the generator emitted.
- `aliases.py`: the stable names the overlay and its users write (`Job`, `CategoryListItem`,
  `NotificationPage`, ...), declared in `overlay/dimescheduler_openapi/_resources/_names.py` as
  `name -> (method, path, role)` and bound here, through `ROUTES`, to whatever class the generator made
  for that route. Renaming a DTO in the vendor document changes the target, never the alias.
"""

from __future__ import annotations

import re
import runpy
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal

from .drift_changes import resolve
from .errors import GenerationError

Shape = Literal["one", "list", "one_or_list", "page"]
Role = Literal["body", "response", "page_item"]
ROLES: tuple[Role, ...] = ("body", "response", "page_item")
PACKAGE = "dimescheduler_raw"
NAMES_FILE = (
    Path(__file__).resolve().parents[2] / "overlay" / "dimescheduler_openapi" / "_resources" / "_names.py"
)
_COUNT_WORDS = ("total", "count")


@dataclass(frozen=True)
class Route:
    """One generated operation, as `routes.py` records it (every name is the generator's)."""

    method: str
    path: str
    tag: str
    function: str
    body: tuple[str, ...] = ()
    body_shape: Shape | None = None
    body_fields: tuple[str, ...] = ()
    body_required: tuple[str, ...] = ()
    response: str | None = None
    response_shape: Shape | None = None
    page_items: str | None = None
    page_item: str | None = None
    page_total: str | None = None
    success: tuple[str, ...] = ()
    dropped: tuple[str, ...] = ()  # document parameters the generated function lacks (not rendered)

    @property
    def key(self) -> tuple[str, str]:
        return (self.method, self.path)

    def model(self, role: Role) -> str | None:
        if role == "body":
            return self.body[0] if len(self.body) == 1 else None
        if role == "page_item":
            return self.page_item
        return self.response


@dataclass(frozen=True)
class Alias:
    """A stable name bound to a route's model: `target` is None when the route has no such model."""

    name: str
    method: str
    path: str
    role: Role
    target: str | None
    reason: str | None = None


def build_routes(document: Mapping[str, Any], config_path: Path) -> list[Route]:
    """Parse ``document`` the way openapi-python-client does and describe every operation it generates."""
    from openapi_python_client.config import Config, ConfigFile, MetaType
    from openapi_python_client.parser import GeneratorData
    from openapi_python_client.parser.errors import GeneratorError

    config = Config.from_sources(
        ConfigFile.load_from_path(config_path), MetaType.NONE, "document", "utf-8", True, None
    )
    data = GeneratorData.from_dict(dict(document), config=config)
    if isinstance(data, GeneratorError):
        raise GenerationError(f"openapi-python-client cannot read the document: {data.header}")
    # The generator rewrites placeholders (`{jobNo}` -> `{job_no}`); the table keeps the document's templates.
    # Paths equal up to placeholder names share a skeleton; each operation finds the one that declares it.
    templates: dict[str, list[str]] = {}
    for path in document.get("paths", {}):
        templates.setdefault(_skeleton(path), []).append(path)
    routes = [
        _route(str(tag), endpoint, templates, document)
        for tag, collection in data.endpoint_collections_by_tag.items()
        for endpoint in collection.endpoints
    ]
    return sorted(routes, key=lambda route: (route.path, route.method))


def _dropped_parameters(
    endpoint: Any, operation: Mapping[str, Any], item: Mapping[str, Any], doc: Any
) -> tuple[str, ...]:
    """Parameters the document declares for the operation that the generated function does not take:
    openapi-python-client leaves some out without a warning, and nothing may be dropped silently."""
    generated = {
        (location, str(prop.name.get_untrusted_value()))
        for location in ("query", "path", "header", "cookie")
        for prop in getattr(endpoint, f"{location}_parameters")
    }
    declared = []
    for parameter in [*(item.get("parameters") or []), *(operation.get("parameters") or [])]:
        if isinstance(parameter, dict) and isinstance(parameter.get("$ref"), str):
            parameter = resolve(doc, parameter["$ref"])
        if isinstance(parameter, dict) and isinstance(parameter.get("name"), str):
            declared.append((str(parameter.get("in")), parameter["name"]))
    return tuple(
        f"{name} (in {location})"
        for location, name in dict.fromkeys(declared)
        if (location, name) not in generated
    )


def _skeleton(path: str) -> str:
    """A path template with its placeholder names blanked (OpenAPI forbids two paths that only differ there)."""
    return re.sub(r"\{[^}/]*\}", "{}", path)


def _route(tag: str, endpoint: Any, templates: Mapping[str, list[str]], document: Mapping[str, Any]) -> Route:
    body = _body(endpoint.bodies)
    path, item, operation = _declaration(endpoint, templates, document)
    dropped = _dropped_parameters(endpoint, operation, item, document)
    declared = operation.get("responses")
    responses = declared if isinstance(declared, Mapping) else {}
    success = tuple(sorted(str(code) for code in responses if str(code).startswith("2")))
    response, shape = _success(endpoint.responses.patterns)
    page_items = page_item = page_total = None
    if shape == "one" and response is not None:
        page = _page(response)
        if page is not None:
            shape = "page"
            page_items, page_item, page_total = page
    return Route(
        method=endpoint.method.upper(),
        path=path,
        tag=tag,
        function=str(endpoint.name),
        body=body.models,
        body_shape=body.shape,
        body_fields=body.fields,
        body_required=body.required,
        response=_class_name(response),
        response_shape=shape,
        page_items=page_items,
        page_item=page_item,
        page_total=page_total,
        success=success,
        dropped=dropped,
    )


def _declaration(
    endpoint: Any, templates: Mapping[str, list[str]], document: Mapping[str, Any]
) -> tuple[str, Mapping[str, Any], Mapping[str, Any]]:
    """The document's path template, path item and operation behind a generated endpoint; the generator's
    path and empty mappings when the document has none (the route is still recorded, never a crash)."""
    generated = str(endpoint.path.get_untrusted_value())
    method = str(endpoint.method).lower()
    paths = document.get("paths")
    paths = paths if isinstance(paths, Mapping) else {}
    for path in templates.get(_skeleton(generated), []):
        item = paths.get(path)
        if isinstance(item, Mapping) and isinstance(item.get(method), Mapping):
            return path, item, item[method]
    return generated, {}, {}


@dataclass(frozen=True)
class _Body:
    models: tuple[str, ...] = ()
    shape: Shape | None = None
    fields: tuple[str, ...] = ()
    required: tuple[str, ...] = ()


def _body(bodies: Iterable[Any]) -> _Body:
    """Models a JSON body takes, whether it is one object, a list of them, or either, and the JSON names of
    the fields of its model (all, and the required ones) when there is exactly one model."""
    for body in bodies:
        if str(body.body_type) != "json":
            continue
        alternatives = list(getattr(body.prop, "inner_properties", None) or [body.prop])
        singles = [prop for prop in alternatives if _is_model(prop)]
        lists = [prop.inner_property for prop in alternatives if _is_model_list(prop)]
        # A one-object alternative wins: the model inside a named array (`$ref: XList`) may be a bare
        # reference whose fields the generator has not filled in.
        models = {_class_name(prop): prop for prop in [*lists, *singles]}
        if not models:
            return _Body()
        shape: Shape = "one_or_list" if singles and lists else "list" if lists else "one"
        if len(models) != 1:
            return _Body(tuple(models), shape)
        model = next(iter(models.values()))
        required = tuple(_json_name(prop) for prop in model.required_properties or ())
        optional = tuple(_json_name(prop) for prop in model.optional_properties or ())
        return _Body(tuple(models), shape, required + optional, required)
    return _Body()


def _json_name(prop: Any) -> str:
    return str(prop.name.get_untrusted_value())


def _success(patterns: Iterable[Any]) -> tuple[Any, Shape | None]:
    """The model behind the first 2xx answer and whether it is one object or a list."""
    for response in sorted(patterns, key=lambda r: r.status_code.range or (999, 999)):
        low, high = response.status_code.range or (0, 0)
        if not (low >= 200 and high <= 299):
            continue
        prop = response.prop
        if _is_model(prop):
            return prop, "one"
        if _is_model_list(prop):
            return prop.inner_property, "list"
        return None, None
    return None, None


def _page(model: Any) -> tuple[str, str, str | None] | None:
    """(items attribute, item class, count attribute) when ``model`` is a page of models, else None."""
    properties = [*model.required_properties, *model.optional_properties]
    items = [prop for prop in properties if _is_model_list(prop)]
    counts = [
        prop
        for prop in properties
        if type(prop).__name__ == "IntProperty"
        and any(word in str(prop.python_name).lower() for word in _COUNT_WORDS)
    ]
    if len(items) != 1:
        return None
    total = str(counts[0].python_name) if counts else None
    return str(items[0].python_name), str(_class_name(items[0].inner_property)), total


def _is_model(prop: Any) -> bool:
    return type(prop).__name__ == "ModelProperty"


def _is_model_list(prop: Any) -> bool:
    return type(prop).__name__ == "ListProperty" and _is_model(prop.inner_property)


def _class_name(prop: Any) -> Any:
    return None if prop is None else str(prop.class_info.name)


def load_stable_names(path: Path = NAMES_FILE) -> dict[str, tuple[str, str, Role]]:
    """The overlay's declaration `STABLE_MODELS = {name: (method, path, role)}` (a data-only module)."""
    names = runpy.run_path(str(path))["STABLE_MODELS"]
    if not isinstance(names, dict):
        raise GenerationError(f"{path}: STABLE_MODELS must be a dict")
    for name, (method, route, role) in names.items():
        if not name.isidentifier() or role not in ROLES:
            raise GenerationError(f"{path}: bad stable model {name!r} -> {(method, route, role)!r}")
    return names


def bind_aliases(routes: Iterable[Route], names: Mapping[str, tuple[str, str, Role]]) -> list[Alias]:
    """Bind each stable name to the class generated for its route and role."""
    by_key = {route.key: route for route in routes}
    aliases = []
    for name, (method, path, role) in sorted(names.items()):
        route = by_key.get((method, path))
        if route is None:
            aliases.append(Alias(name, method, path, role, None, f"{method} {path} is not in the client"))
            continue
        target = route.model(role)
        reason = None if target else f"{method} {path} has no {role.replace('_', ' ')} model"
        aliases.append(Alias(name, method, path, role, target, reason))
    return aliases


def render_routes(routes: Iterable[Route]) -> str:
    """The text of `routes.py` (the do-not-edit header is added later, like on every generated file).

    The JSON field names of each body model are written once, in `BODY_FIELDS`, however many routes take
    that model; `Route.body_fields` / `body_required` read them from there."""
    routes = list(routes)
    rows, fields = [], {}
    for route in routes:
        if len(route.body) == 1 and route.body_fields:
            fields[route.body[0]] = (route.body_fields, route.body_required)
        values = [
            ("method", route.method),
            ("path", route.path),
            ("tag", route.tag),
            ("function", route.function),
            ("body", route.body),
            ("body_shape", route.body_shape),
            ("response", route.response),
            ("response_shape", route.response_shape),
            ("page_items", route.page_items),
            ("page_item", route.page_item),
            ("page_total", route.page_total),
            ("success", route.success),
        ]
        args = ", ".join(f"{name}={value!r}" for name, value in values if value not in (None, ()))
        rows.append(f"    ({route.method!r}, {route.path!r}): Route({args}),\n")
    models = "".join(
        f"    {name!r}: ({names!r}, {required!r}),\n" for name, (names, required) in sorted(fields.items())
    )
    return ROUTES_TEMPLATE.format(rows="".join(rows), fields=models)


def render_aliases(aliases: Iterable[Alias]) -> str:
    """The text of `aliases.py`: TYPE_CHECKING imports for type checkers, a lazy `__getattr__` at run time."""
    aliases = list(aliases)
    imports, missing, targets, gaps = [], [], [], []
    for alias in aliases:
        where = f"{alias.method} {alias.path} {alias.role}"
        if alias.target is None:
            missing.append(f"    {alias.name}: TypeAlias = Any  # {alias.reason}\n")
            gaps.append(f"    {alias.name!r}: {alias.reason!r},\n")
        else:
            imports.append(f"    from .models import {alias.target} as {alias.name}  # {where}\n")
            targets.append(f"    {alias.name!r}: {alias.target!r},\n")
    return ALIASES_TEMPLATE.format(
        imports="".join(imports) + "".join(missing) or "    pass\n",
        all="".join(f"    {alias.name!r},\n" for alias in aliases if alias.target),
        targets="".join(targets),
        gaps="".join(gaps),
    )


ROUTES_TEMPLATE = '''\
"""Every generated operation, keyed by (HTTP method, path template): the contract, not the vendor's names.

`ROUTES[("GET", "/job/{{jobNo}}")]` says which module of `dimescheduler_raw.api` holds the operation
(`api.<tag>.<function>`), which classes of `dimescheduler_raw.models` its JSON request body takes (`body`,
one object, a list or either: `body_shape`; the JSON names of that model's fields in `body_fields`, the
required ones in `body_required`), and which class its success answer is parsed into
(`response`; `response_shape` is "one", "list" or "page": an object whose `page_items` attribute holds a
list of `page_item` models and whose `page_total` attribute counts them); `success` lists the 2xx status
codes the document defines for it ("200", "2XX", ...): no other answer counts as success. Written by
`nox -s generate` from openapi-python-client's own parse of openapi/dimescheduler.json.
"""

from __future__ import annotations

from typing import Final, NamedTuple


class Route(NamedTuple):
    """One operation: where its generated function lives and which models it sends and answers."""

    method: str
    path: str
    tag: str
    function: str
    body: tuple[str, ...] = ()
    body_shape: str | None = None
    response: str | None = None
    response_shape: str | None = None
    page_items: str | None = None
    page_item: str | None = None
    page_total: str | None = None
    success: tuple[str, ...] = ()

    @property
    def module(self) -> str:
        """The generated module, e.g. `dimescheduler_raw.api.job.job_get_job_by_job_no`."""
        return f"dimescheduler_raw.api.{{self.tag}}.{{self.function}}"

    @property
    def body_fields(self) -> tuple[str, ...]:
        """JSON names of every field of the body model (required first); () unless there is one model."""
        return BODY_FIELDS[self.body[0]][0] if len(self.body) == 1 and self.body[0] in BODY_FIELDS else ()

    @property
    def body_required(self) -> tuple[str, ...]:
        """JSON names of the body model's required fields; () unless there is one model."""
        return BODY_FIELDS[self.body[0]][1] if len(self.body) == 1 and self.body[0] in BODY_FIELDS else ()


BODY_FIELDS: Final[dict[str, tuple[tuple[str, ...], tuple[str, ...]]]] = {{
{fields}}}
"""Body model class -> (JSON names of all its fields, of its required fields)."""

ROUTES: Final[dict[tuple[str, str], Route]] = {{
{rows}}}
'''

ALIASES_TEMPLATE = '''\
"""Stable names for the models the overlay sends and reads, bound to routes (method + path), not to the
vendor's schema names.

Each name is declared in overlay/dimescheduler_openapi/_resources/_names.py as (method, path, role) and
bound by `nox -s generate` to the class openapi-python-client generated for that route (see `routes.py`),
so regenerating from a document that renames its schemas keeps every name here, and code type-checked
against it keeps type-checking. Names whose route or model is missing from the document are typed `Any`
and raise AttributeError at run time, naming the reason. Import them from `dimescheduler_openapi.models`.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any, Final

if TYPE_CHECKING:
    from typing import TypeAlias

{imports}
__all__ = (
{all})

TARGETS: Final[dict[str, str]] = {{
{targets}}}
"""Stable name -> class name in `dimescheduler_raw.models`."""

MISSING: Final[dict[str, str]] = {{
{gaps}}}
"""Stable names this document cannot bind, with the reason."""


def __getattr__(name: str) -> Any:
    if name in MISSING:
        raise AttributeError(f"{{__name__}}.{{name}} is not available: {{MISSING[name]}}")
    try:
        target = TARGETS[name]
    except KeyError:
        raise AttributeError(f"module {{__name__!r}} has no attribute {{name!r}}") from None
    value = getattr(importlib.import_module("dimescheduler_raw.models"), target)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(__all__))
'''


@dataclass(frozen=True)
class RouteModules:
    """What `write_route_modules` wrote: every route, and every stable name with its binding."""

    routes: list[Route]
    aliases: list[Alias]

    @property
    def dropped_parameters(self) -> list[str]:
        """One line per document parameter a generated function does not take."""
        return [
            f"{route.method} {route.path}: parameter {name} is not in the generated function"
            for route in self.routes
            for name in route.dropped
        ]


def write_route_modules(package_dir: Path, document: Mapping[str, Any], config_path: Path) -> RouteModules:
    """Write `routes.py` and `aliases.py` into a freshly generated package; return what they hold."""
    import subprocess
    import sys

    routes = build_routes(document, config_path)
    aliases = bind_aliases(routes, load_stable_names())
    files = [package_dir / "routes.py", package_dir / "aliases.py"]
    files[0].write_text(render_routes(routes), encoding="utf-8")
    files[1].write_text(render_aliases(aliases), encoding="utf-8")
    command = [sys.executable, "-m", "ruff", "format", "--quiet", "--no-cache", "--isolated"]
    command += ["--line-length", "110", "--target-version", "py311", *map(str, files)]
    proc = subprocess.run(command, capture_output=True, text=True, check=False)
    if proc.returncode != 0:
        raise GenerationError(f"ruff could not format the route table: {proc.stderr.strip()[:300]}")
    return RouteModules(routes, aliases)
