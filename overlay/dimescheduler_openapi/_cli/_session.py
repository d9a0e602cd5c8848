"""What the root options configure: credentials, environment, timeout, retries, output, verbosity; and the
one client built from them (on first use, so `--help` and dry runs of bad input never need credentials).

Secrets are never taken as plain option values (they would sit in shell history, `ps` output and CI logs):
the API key comes from DIMESCHEDULER_API_KEY or `--api-key-stdin`; the password from DIMESCHEDULER_PASSWORD,
`--password-stdin` or a hidden prompt on a terminal.
"""

from __future__ import annotations

import logging
import os
import sys
import time
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

import click

from .._config import ENV_PASSWORD, ENV_USERNAME

if TYPE_CHECKING:
    from .._client import DimeSchedulerClient


@dataclass
class Session:
    """The root command's options, and the client they describe (built once, closed at exit)."""

    environment: str | None = None
    username: str | None = None
    api_key_stdin: bool = False
    password_stdin: bool = False
    timeout: float | None = None
    retries: int | None = None
    output: str | None = None
    verbose: bool = False
    stdin_taken: bool = False
    started: float = field(default_factory=time.monotonic)
    _client: DimeSchedulerClient | None = None

    def take_stdin(self, what: str) -> None:
        """Stdin can feed one thing: a secret or a body."""
        if self.stdin_taken:
            raise click.UsageError(f"{what} cannot read stdin: it already carries a credential or a body")
        self.stdin_taken = True

    def client(self) -> DimeSchedulerClient:
        if self._client is None:
            from .._client import DimeSchedulerClient

            kwargs: dict[str, Any] = {}
            if self.timeout is not None:
                kwargs["timeout"] = self.timeout
            if self.retries is not None:
                kwargs["retry"] = self.retries
            kwargs.update(self._credentials())
            self._client = DimeSchedulerClient(environment=self.environment, **kwargs)
        return self._client

    def _credentials(self) -> dict[str, str]:
        if self.api_key_stdin:
            if self.username or self.password_stdin:
                raise click.UsageError("give either --api-key-stdin or --username/--password-stdin, not both")
            self.take_stdin("--api-key-stdin")
            key = sys.stdin.readline().strip()
            if not key:
                raise click.UsageError("--api-key-stdin: stdin held no API key")
            return {"api_key": key}
        if not self.username and not self.password_stdin:
            return {}  # the library reads DIMESCHEDULER_API_KEY or DIMESCHEDULER_USERNAME/PASSWORD
        username = self.username or os.environ.get(ENV_USERNAME, "")
        if not username:
            raise click.UsageError(f"--password-stdin needs --username or {ENV_USERNAME}")
        if self.password_stdin:
            self.take_stdin("--password-stdin")
            password = sys.stdin.readline().rstrip("\r\n")
        elif os.environ.get(ENV_PASSWORD):
            password = os.environ[ENV_PASSWORD]
        elif sys.stdin.isatty():
            password = click.prompt(f"Password for {username}", hide_input=True, err=True)
        else:
            raise click.UsageError(
                f"--username needs a password: --password-stdin, {ENV_PASSWORD}, or a terminal"
            )
        if not password:
            raise click.UsageError("the password is empty")
        return {"username": username, "password": password}

    def close(self) -> None:
        if self._client is not None:
            self._client.close()
            self._client = None
        if self.verbose:
            click.echo(f"done in {time.monotonic() - self.started:.2f} s", err=True)


class _StderrHandler(logging.Handler):
    """Writes to whatever `sys.stderr` is at the time (click's test runner swaps it per invocation)."""

    def emit(self, record: logging.LogRecord) -> None:
        try:
            sys.stderr.write(self.format(record) + "\n")
        except Exception:
            self.handleError(record)


def enable_verbose() -> None:
    """Requests, answers and timings from the overlay's logger (credential headers already redacted)."""
    logger = logging.getLogger("dimescheduler_openapi")
    if not any(isinstance(h, _StderrHandler) for h in logger.handlers):
        handler = _StderrHandler()
        handler.setFormatter(logging.Formatter("%(asctime)s %(message)s", "%H:%M:%S"))
        logger.addHandler(handler)
    logger.setLevel(logging.DEBUG)
