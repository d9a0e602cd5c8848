"""The root command: global options (environment, credentials, timeout, retries, output, verbosity), one
group per accessor, `import`, `procedures`; overlay errors become one stderr line and an exit code."""

from __future__ import annotations

import os
import sys
from pathlib import Path
from typing import Any

import click

from .._errors import DimeSchedulerError
from .._version import __version__
from ._commands import PROG, LazyGroup, accessor_groups
from ._exit import INTERRUPTED, exit_code, one_line
from ._output import FORMATS, emit, stdout_format
from ._session import Session, enable_verbose

ROOT_HELP = f"""Command line for the Dime.Scheduler API, built on the dimescheduler_openapi client (same auth,
environments, retries and errors).

\b
Credentials (never as plain option values):
  DIMESCHEDULER_API_KEY, or --api-key-stdin
  DIMESCHEDULER_USERNAME + DIMESCHEDULER_PASSWORD, or --username with
  --password-stdin / DIMESCHEDULER_PASSWORD / a prompt on a terminal
Environment: --environment or DIMESCHEDULER_ENVIRONMENT (production, sandbox,
  test, or a URL); default production.

\b
Exit codes: 0 ok, 2 usage or input error (nothing sent), 3 API error status,
4 connection error or timeout, 5 import finished with failed records, 130 interrupted.

\b
Examples:
  {PROG} categories get-all
  {PROG} jobs get J1 -o json
  {PROG} categories create --name A --display-name "A" --color "#22d3ee"
  {PROG} import jobs.csv --procedure job.append --failed failed.csv
"""


class RootGroup(LazyGroup):
    """Maps the overlay's errors to one line on stderr and the documented exit codes."""

    def invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except DimeSchedulerError as exc:
            click.echo(one_line(exc), err=True)
            session = ctx.find_object(Session)
            if session is not None and session.verbose and exc.__cause__ is not None:
                click.echo(f"  caused by {type(exc.__cause__).__name__}", err=True)
            ctx.exit(exit_code(exc))
        except KeyboardInterrupt:
            click.echo("interrupted", err=True)
            ctx.exit(INTERRUPTED)
        except BrokenPipeError:
            # The reader stopped early (`| head`): what it wanted was written. Exit quietly and successfully;
            # stdout goes to /dev/null so the interpreter's final flush does not fail again.
            devnull = os.open(os.devnull, os.O_WRONLY)
            os.dup2(devnull, sys.stdout.fileno())
            ctx.exit(0)


def _import_command() -> click.Command:
    @click.command(
        "import",
        epilog=f"""\b
Examples:
  {PROG} import jobs.csv --procedure job.append
  {PROG} import pins.ndjson -p pin.append --chunk-size 200 --concurrency 4 --failed failed.ndjson
  {PROG} import failed.ndjson -p pin.append      # re-run what failed (_row and _error are read as such)
  {PROG} import --resume failed.ndjson.journal   # after an interruption: send the rows not written
  {PROG} import tasks.xlsx -p task.append --dry-run -o ndjson""",
    )
    @click.argument("file", required=False, type=click.Path(exists=True, dir_okay=False, path_type=Path))
    @click.option(
        "--procedure",
        "-p",
        help="entity.append|delete|clear (job.append) or a procedure name.",
    )
    @click.option(
        "--format",
        "file_format",
        type=click.Choice(["csv", "json", "ndjson", "xlsx"]),
        help="Default: from the suffix.",
    )
    @click.option("--delimiter", default=",", show_default=True, help="CSV cell separator.")
    @click.option(
        "--chunk-size",
        default=500,
        show_default=True,
        type=click.IntRange(min=1),
        help="Records per request.",
    )
    @click.option(
        "--concurrency", default=8, show_default=True, type=click.IntRange(min=1), help="Requests in flight."
    )
    @click.option(
        "--failed",
        "failed_path",
        type=click.Path(dir_okay=False, path_type=Path),
        help="Write the rows not written here (input's format, row in _row, reason in _error).",
    )
    @click.option(
        "--unknown",
        "unknown_path",
        type=click.Path(dir_okay=False, path_type=Path),
        help="Write rows that may or may not have been written here (check them before re-sending).",
    )
    @click.option(
        "--journal",
        "journal_path",
        type=click.Path(dir_okay=False, path_type=Path),
        help="Record each chunk as it is sent and answered here. Default: FAILED.journal.",
    )
    @click.option(
        "--resume",
        type=click.Path(exists=True, dir_okay=False, path_type=Path),
        help="Continue an interrupted import from its journal: send only the rows not known to be written.",
    )
    @click.option("--stop-on-error", is_flag=True, help="Read no further input after a chunk fails.")
    @click.option(
        "--progress",
        "progress_mode",
        type=click.Choice(["auto", "bar", "plain", "none"]),
        default="auto",
        show_default=True,
        help="auto: a bar on a terminal, periodic lines otherwise (stderr).",
    )
    @click.option("--dry-run", is_flag=True, help="Print the /import requests instead of sending them.")
    @click.option(
        "--output", "-o", type=click.Choice(FORMATS), default=None, help="Format of the final report."
    )
    def import_(file: Path | None, procedure: str | None, **options: Any) -> None:
        """Bulk import records from a CSV, JSON (array), NDJSON or .xlsx file through POST /import.

        Columns are the API's JSON names (jobNo) or the procedure's parameter names (JobNo), in any case;
        unknown columns are refused before anything is sent. Empty cells are left out.
        """
        from ._import import run_import

        session = click.get_current_context().find_object(Session) or Session()
        code = run_import(session, file, procedure, **options)
        if code:
            click.get_current_context().exit(code)

    return import_


def _procedures_command() -> click.Command:
    @click.command("procedures", epilog=f"\b\nExamples:\n  {PROG} procedures\n  {PROG} procedures job.append")
    @click.argument("procedure", required=False)
    @click.option("--output", "-o", type=click.Choice(FORMATS), default=None)
    def procedures_(procedure: str | None, output: str | None) -> None:
        """List the import procedures, or the columns one takes (JSON name, parameter, kind, required)."""
        from .._imports import procedures
        from ._import import _snake, find_procedure

        fmt = stdout_format(output)
        if procedure is None:
            rows = [
                {
                    "name": f"{_snake(s.entity)}.{s.transaction}",
                    "procedure": s.procedure,
                    "fields": len(s.fields),
                }
                for s in procedures.specs
                if s.primary
            ]
        else:
            spec = find_procedure(procedure)
            rows = [
                {"column": f.json_name, "parameter": f.parameter, "kind": f.kind, "required": f.required}
                for f in spec.fields
            ]
        emit(rows, fmt, sys.stdout)

    return procedures_


@click.group(
    cls=RootGroup,
    loaders={**accessor_groups(), "import": _import_command, "procedures": _procedures_command},
    help=ROOT_HELP,
    context_settings={"help_option_names": ["-h", "--help"], "max_content_width": 110},
)
@click.option(
    "--version",
    is_flag=True,
    expose_value=False,
    is_eager=True,
    callback=lambda ctx, _param, value: _print_version(ctx) if value else None,
    help="Show the version and the vendor document the client was generated from, and exit.",
)
@click.option("--environment", "-e", metavar="NAME|URL", help="production, sandbox, test or a base URL.")
@click.option("--username", "-u", help="JWT login name (the password: --password-stdin, env or prompt).")
@click.option("--password-stdin", is_flag=True, help="Read the password from the first line of stdin.")
@click.option("--api-key-stdin", is_flag=True, help="Read the API key from the first line of stdin.")
@click.option(
    "--timeout", type=click.FloatRange(min=0, min_open=True), help="Seconds per request [default: 30]."
)
@click.option("--retries", type=click.IntRange(min=0), help="Retries per request [default: 3].")
@click.option("--output", "-o", type=click.Choice(FORMATS), default=None, help="Default output format.")
@click.option("--verbose", "-v", is_flag=True, help="Log requests and timings to stderr (secrets redacted).")
@click.pass_context
def cli(ctx: click.Context, /, **options: Any) -> None:
    session = Session(**options)
    ctx.obj = session
    ctx.call_on_close(session.close)
    if session.verbose:
        enable_verbose()


def _print_version(ctx: click.Context) -> None:
    """`dimescheduler-openapi 0.1.0` and a line on the document: title, counts, sha256, source and date."""
    from dimescheduler_raw import SPEC

    click.echo(f"{PROG} {__version__}")
    click.echo(f"generated from {SPEC.summary()}")
    ctx.exit(0)


def main(argv: list[str] | None = None) -> None:
    """The console script: `dimescheduler-openapi` (also `python -m dimescheduler_openapi`)."""
    cli.main(args=argv, prog_name=PROG, complete_var="_DIMESCHEDULER_OPENAPI_COMPLETE")
