"""One command per accessor method, derived from `declared_operations(SyncResources)`, the methods'
signatures and the route table; nothing here names an accessor, a method or a field.

- A method whose route takes a body (`ROUTES[(method, path)].body`) gets one option per body field
  (`--display-name`), `--json FILE|-` for a whole body (or a list of them where the route takes a list) and
  `--dry-run`.
- Any other method's parameters become arguments (positional without default) and options (the rest);
  `timeout` is the root `--timeout`; `deadline` (per call) is the client's.

Groups build their commands on first use, so `--help` of one group imports only that group's models.
"""

from __future__ import annotations

import difflib
import inspect
import json
import sys
from collections.abc import Callable, Iterator
from functools import cached_property
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import click

from .._resources import SyncResources, declared_operations
from .._resources._endpoint import Endpoint
from ._columns import default_columns, parse_columns
from ._dryrun import RecordingClient, describe, dry_run_target, print_requests
from ._fields import BodyField, body_fields, kebab, route
from ._output import FORMATS, emit, stdout_format
from ._session import Session

PROG = "dimescheduler-openapi"
RESERVED_OPTIONS = frozenset({"json", "dry-run", "output", "help"})


class LazyGroup(click.Group):
    """A group whose subcommands are made by loaders on first use (`list_commands` does not build them)."""

    def __init__(self, *args: Any, loaders: dict[str, Callable[[], click.Command]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.loaders = loaders

    def list_commands(self, ctx: click.Context) -> list[str]:
        return sorted({*super().list_commands(ctx), *self.loaders})

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        found = super().get_command(ctx, cmd_name)
        if found is None and cmd_name in self.loaders:
            found = self.loaders[cmd_name]()
            self.add_command(found, cmd_name)
        return found

    def resolve_command(
        self, ctx: click.Context, args: list[str]
    ) -> tuple[str | None, click.Command | None, list[str]]:
        """As click's, with a did-you-mean when the name is unknown (`job` -> `jobs`, `get-al` -> `get-all`)."""
        name = args[0] if args else ""
        if not args or self.get_command(ctx, name) is not None or name.startswith("-"):
            return super().resolve_command(ctx, args)
        close = suggest_command(name, self.list_commands(ctx))
        ctx.fail(f"No such command '{name}'." + (f" Did you mean '{close}'?" if close else ""))


def suggest_command(name: str, names: list[str]) -> str | None:
    """The closest command name: a singular/plural or kebab/snake spelling first, else difflib's pick."""
    wanted = name.lower().replace("_", "-")
    for candidate in names:
        if wanted in (candidate, candidate + "s", candidate + "es") or candidate in (
            wanted + "s",
            wanted + "es",
        ):
            return candidate
    close = difflib.get_close_matches(wanted, names, n=1, cutoff=0.6)
    return close[0] if close else None


def accessor_groups() -> dict[str, Callable[[], click.Command]]:
    """Loaders of one group per accessor (`categories`, `action-uris`, ...)."""
    return {
        kebab(accessor): _group_loader(accessor, methods)
        for accessor, methods in sorted(declared_operations(SyncResources).items())
    }


def _group_loader(accessor: str, methods: dict[str, Endpoint]) -> Callable[[], click.Command]:
    def load() -> click.Command:
        loaders = {kebab(m): _command_loader(accessor, m, e) for m, e in sorted(methods.items())}
        summary = ", ".join(f"{kebab(m)} ({e.method} {e.path})" for m, e in sorted(methods.items()))
        return LazyGroup(
            kebab(accessor),
            loaders=loaders,
            help=f"`client.{accessor}`: {summary}.",
            short_help=f"client.{accessor}: {len(methods)} command{'s' if len(methods) > 1 else ''}",
        )

    return load


def _command_loader(accessor: str, method: str, endpoint: Endpoint) -> Callable[[], click.Command]:
    return lambda: build_command(accessor, method, endpoint)


def bound_method(target: Any, accessor: str, method: str) -> Callable[..., Any]:
    bound: Callable[..., Any] = getattr(getattr(target, accessor), method)
    return bound


def _method(accessor: str, method: str) -> Callable[..., Any]:
    """The method on a resource built without an executor (resources keep it until they are called)."""
    accessor_property = vars(SyncResources)[accessor]
    assert isinstance(accessor_property, cached_property)
    return bound_method(SimpleNamespace(**{accessor: accessor_property.func(None)}), accessor, method)


def build_command(accessor: str, method: str, endpoint: Endpoint) -> click.Command:
    """The click command for `client.<accessor>.<method>` (sends `endpoint`)."""
    function = _method(accessor, method)
    parameters = [
        p for p in inspect.signature(function).parameters.values() if p.name not in ("timeout", "deadline")
    ]
    found = route(endpoint.method, endpoint.path)
    doc = inspect.getdoc(function)
    first_line = (doc or "").split("\n\n")[0].replace("\n", " ")
    sends = f"Sends {endpoint.method} {endpoint.path}"
    if found is not None and found.body:
        return _write_command(
            accessor, method, endpoint, found.body_shape, body_fields(found), first_line, sends
        )
    return _read_command(accessor, method, endpoint, parameters, first_line, sends)


# --- writes --------------------------------------------------------------------------------------------


def _write_command(
    accessor: str,
    method: str,
    endpoint: Endpoint,
    shape: str | None,
    fields: list[BodyField],
    summary: str,
    sends: str,
) -> click.Command:
    many = shape in ("list", "one_or_list")
    params: list[click.Parameter] = []
    by_dest: dict[str, BodyField] = {}
    for body_field in fields:
        name = kebab(body_field.json_name)
        option = f"--body-{name}" if name in RESERVED_OPTIONS else f"--{name}"
        dest = "field_" + name.replace("-", "_")
        by_dest[dest] = body_field
        marks = "[required] " if body_field.required else ""
        choices = ""
        if body_field.enum is not None:
            choices = " One of: " + ", ".join(f"{m.value}={m.name.lower()}" for m in body_field.enum) + "."
        params.append(
            click.Option(
                [option, dest],
                metavar=body_field.kind.upper() if body_field.kind != "string" else "TEXT",
                help=f"{marks}{body_field.help}{choices} (JSON `{body_field.json_name}`)".strip(),
            )
        )
    params += [
        click.Option(
            ["--json", "json_source"],
            metavar="FILE|-",
            help="The body as JSON from a file or stdin ('-')"
            + (": one object or an array of them." if many else ": one object.")
            + " Field options given too override its keys.",
        ),
        click.Option(["--dry-run"], is_flag=True, help="Print the request(s) instead of sending them."),
        _output_option(),
    ]
    required = [f for f in fields if f.required]
    example_fields = " ".join(f"--{kebab(f.json_name)} {_placeholder(f)}" for f in required)
    epilog = (
        f"\b\nExamples:\n  {PROG} {kebab(accessor)} {kebab(method)} {example_fields}".rstrip()
        + f"\n  {PROG} {kebab(accessor)} {kebab(method)} --json body.json --dry-run"
    )

    def callback(json_source: str | None, dry_run: bool, output: str | None, **values: str | None) -> None:
        session = _session()
        body = _body(session, fields, by_dest, values, json_source, many)
        fmt = stdout_format(output or session.output)
        if dry_run:
            recorder = RecordingClient()
            bound_method(recorder, accessor, method)(body)
            target = dry_run_target(session.environment, session.username)
            print_requests(describe(recorder.calls, *target), fmt, sys.stdout)
            return
        emit(bound_method(session.client(), accessor, method)(body), fmt, sys.stdout)

    return click.Command(
        kebab(method),
        params=params,
        callback=callback,
        help=f"{summary + ' ' if summary else ''}{sends} with a JSON body built from the options below"
        f" (required fields are marked) or read with --json.",
        short_help=f"{endpoint.method} {endpoint.path}",
        epilog=epilog,
    )


def _placeholder(field: BodyField) -> str:
    samples = {
        "int": "1",
        "float": "1.5",
        "bool": "true",
        "datetime": "2026-01-31T08:00:00Z",
        "date": "2026-01-31",
    }
    if field.kind == "enum" and field.enum is not None:
        return str(next(iter(field.enum)).value)
    if field.kind == "json":
        return "'[...]'"
    return samples.get(field.kind, field.json_name.upper())


def _body(
    session: Session,
    fields: list[BodyField],
    by_dest: dict[str, BodyField],
    values: dict[str, str | None],
    json_source: str | None,
    many: bool,
) -> Any:
    given: dict[str, Any] = {}
    for dest, text in values.items():
        if text is None:
            continue
        body_field = by_dest[dest]
        try:
            given[body_field.json_name] = body_field.convert(text)
        except ValueError as exc:
            raise click.BadParameter(f"{text!r}: {exc}", param_hint=body_field.option) from None
    if json_source is None:
        missing = [f.option for f in fields if f.required and f.json_name not in given]
        if missing:
            raise click.UsageError(
                f"missing required option(s) {', '.join(missing)} (or give the body with --json)"
            )
        return given
    loaded = _load_json(session, json_source)
    if isinstance(loaded, list):
        if not many:
            raise click.UsageError("--json: this route takes one object, not an array")
        if given:
            raise click.UsageError("--json: field options cannot be combined with an array of bodies")
        if not all(isinstance(item, dict) for item in loaded):
            raise click.UsageError("--json: every item of the array must be an object")
        return loaded
    if not isinstance(loaded, dict):
        raise click.UsageError(f"--json: expected an object{' or an array' if many else ''}")
    return {**loaded, **given}


def _load_json(session: Session, source: str) -> Any:
    try:
        if source == "-":
            session.take_stdin("--json -")
            return json.load(sys.stdin)
        return json.loads(Path(source).read_text(encoding="utf-8-sig"))
    except OSError as exc:
        raise click.BadParameter(f"cannot read {source}: {exc.strerror}", param_hint="--json") from None
    except ValueError as exc:
        raise click.BadParameter(f"not JSON: {exc}", param_hint="--json") from None
    except RecursionError:
        raise click.BadParameter("JSON nested too deeply to read", param_hint="--json") from None


# --- reads ---------------------------------------------------------------------------------------------


def _read_command(
    accessor: str,
    method: str,
    endpoint: Endpoint,
    parameters: list[inspect.Parameter],
    summary: str,
    sends: str,
) -> click.Command:
    params: list[click.Parameter] = []
    example: list[str] = []
    for parameter in parameters:
        param, sample = _read_parameter(parameter)
        params.append(param)
        if sample:
            example.append(sample)
    params.append(_output_option())
    defaults = default_columns(endpoint.method, endpoint.path)
    params.append(
        click.Option(
            ["--columns", "-c", "columns_text"],
            metavar="A,B,...|all",
            help="Fields to show, JSON names, in every format ('all': every field)."
            + (f" Table default: {','.join(defaults)}." if defaults else ""),
        )
    )
    if endpoint.method != "GET":  # none today: reads are GETs
        params.append(
            click.Option(["--dry-run"], is_flag=True, help="Print the request instead of sending it.")
        )

    def callback(output: str | None, columns_text: str | None, dry_run: bool = False, **values: Any) -> None:
        session = _session()
        chosen = parse_columns(columns_text)
        args, kwargs = [], {}
        for parameter in parameters:
            value = values[parameter.name]
            if parameter.annotation.startswith("Mapping"):
                value = _query(value)
            elif isinstance(value, tuple):
                value = list(value) or None
            if (
                parameter.kind is inspect.Parameter.POSITIONAL_OR_KEYWORD
                and parameter.default is inspect.Parameter.empty
            ):
                args.append(value)
            elif value is not None:
                kwargs[parameter.name] = value
        fmt = stdout_format(output or session.output)
        if dry_run:
            recorder = RecordingClient()
            bound_method(recorder, accessor, method)(*args, **kwargs)
            target = dry_run_target(session.environment, session.username)
            print_requests(describe(recorder.calls, *target), fmt, sys.stdout)
            return
        result = bound_method(session.client(), accessor, method)(*args, **kwargs)
        emit(result, fmt, sys.stdout, columns=chosen, default_columns=defaults)

    return click.Command(
        kebab(method),
        params=params,
        callback=callback,
        help=f"{summary + ' ' if summary else ''}{sends}.",
        short_help=f"{endpoint.method} {endpoint.path}",
        epilog=f"\b\nExample:\n  {PROG} {kebab(accessor)} {kebab(method)} {' '.join(example)}".rstrip(),
    )


def _read_parameter(parameter: inspect.Parameter) -> tuple[click.Parameter, str]:
    """The click parameter for one method parameter (annotations are strings: `from __future__`)."""
    annotation = str(parameter.annotation)
    optional = "None" in annotation or parameter.default is not inspect.Parameter.empty
    base = annotation.replace(" | None", "").strip()
    if base == "datetime | date | str":  # DateTimeValue, as the documented accessor classes spell it out
        base = "DateTimeValue"
    name = kebab(parameter.name)
    metavar = {"DateTimeValue": "DATETIME", "str": "TEXT", "int": "INTEGER", "bool": "BOOLEAN"}.get(base)
    click_type: click.ParamType[Any] | None = {"str": click.STRING, "int": click.INT, "bool": click.BOOL}.get(
        base
    )
    if base == "DateTimeValue":
        click_type = click.STRING
    positional = (
        parameter.kind is inspect.Parameter.POSITIONAL_OR_KEYWORD
        and parameter.default is inspect.Parameter.empty
    )
    if positional and click_type is not None:
        sample = {"DATETIME": "2026-01-01T00:00:00Z", "INTEGER": "1"}.get(
            metavar or "", parameter.name.upper()
        )
        return click.Argument([parameter.name], type=click_type, metavar=parameter.name.upper()), sample
    default = None if parameter.default is inspect.Parameter.empty else parameter.default
    shown = f" [default: {default}]" if default is not None else ""
    if click_type is not None:
        return (
            click.Option(
                [f"--{name}", parameter.name],
                type=click_type,
                default=default,
                metavar=metavar,
                help=f"{base}{shown}",
            ),
            "",
        )
    if base == "list[str]":
        return (
            click.Option(
                [f"--{name}", parameter.name], multiple=True, metavar="TEXT", help="Repeat for several."
            ),
            "",
        )
    if base.startswith("Mapping[str"):
        return (
            click.Option(
                [f"--{name}", parameter.name],
                multiple=True,
                metavar="KEY=VALUE",
                help="A query parameter; repeat for several (a repeated key sends the key several times).",
            ),
            "",
        )
    raise TypeError(
        f"no command-line form for parameter {parameter.name}: {annotation} (optional={optional})"
    )


def _query(pairs: tuple[str, ...]) -> dict[str, Any] | None:
    query: dict[str, Any] = {}
    for pair in pairs:
        key, sep, value = pair.partition("=")
        if not sep or not key:
            raise click.BadParameter(f"{pair!r} is not KEY=VALUE", param_hint="--query")
        if key in query:
            previous = query[key]
            query[key] = [*previous, value] if isinstance(previous, list) else [previous, value]
        else:
            query[key] = value
    return query or None


def _output_option() -> click.Option:
    return click.Option(
        ["--output", "-o"],
        type=click.Choice(FORMATS),
        default=None,
        help="table (default on a terminal), json (default when piped), ndjson or csv.",
    )


def _session() -> Session:
    session = click.get_current_context().find_object(Session)
    if session is None:  # a command invoked without the root group (tests)
        session = Session()
    return session


def iter_commands(group: click.Group, ctx: click.Context) -> Iterator[tuple[str, click.Command]]:
    """Every leaf command under `group` as ("categories create", command), building lazy ones."""
    for name in group.list_commands(ctx):
        command = group.get_command(ctx, name)
        if isinstance(command, click.Group):
            for sub, leaf in iter_commands(command, ctx):
                yield f"{name} {sub}", leaf
        elif command is not None:
            yield name, command
