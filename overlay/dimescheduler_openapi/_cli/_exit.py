"""Exit codes and the one-line error messages printed on stderr.

| code | meaning |
|---|---|
| 0 | success |
| 1 | an unexpected error (a bug: the traceback is shown with --verbose) |
| 2 | usage: bad options or arguments, unreadable input, unknown columns, missing credentials; nothing sent |
| 3 | the API answered with an error status (4xx/5xx), or a write's envelope reported a failure |
| 4 | no answer: connection refused, DNS, TLS, timeout |
| 5 | a bulk import finished, but some records failed (see the report and --failed) |
| 130 | interrupted (Ctrl-C) |
"""

from __future__ import annotations

from typing import Final

from .._errors import (
    APIConnectionError,
    APIStatusError,
    ConfigurationError,
    DimeSchedulerError,
    InvalidRequestError,
    MutationFailedError,
)

OK: Final = 0
UNEXPECTED: Final = 1
USAGE: Final = 2
API_STATUS: Final = 3
CONNECTION: Final = 4
IMPORT_FAILED: Final = 5
INTERRUPTED: Final = 130


def exit_code(exc: BaseException) -> int:
    """The exit code for an error raised by the overlay (see the table in this module's docstring)."""
    if isinstance(exc, APIStatusError | MutationFailedError):
        return API_STATUS
    if isinstance(exc, APIConnectionError):
        return CONNECTION
    if isinstance(exc, ConfigurationError | InvalidRequestError):
        return USAGE
    if isinstance(exc, DimeSchedulerError):
        return API_STATUS
    return UNEXPECTED


def one_line(exc: BaseException) -> str:
    """`error: <message> (request id X)` for API errors; the message itself is already one line and secret-free."""
    text = " ".join(str(exc).split()) or type(exc).__name__
    # The library's hint names Python arguments; on the command line the same choices are options.
    text = text.replace(
        "pass api_key=, username= with password=, or token=, or set DIMESCHEDULER_API_KEY",
        "use --api-key-stdin, or -u NAME with --password-stdin or the prompt, or set DIMESCHEDULER_API_KEY",
    )
    request_id = getattr(exc, "request_id", None)
    if isinstance(exc, MutationFailedError):
        response = exc.response
        request_id = next(
            (
                response.headers[h]
                for h in ("x-request-id", "request-id", "x-correlation-id")
                if h in response.headers
            ),
            None,
        )
    suffix = f" (request id {request_id})" if request_id else ""
    return f"error: {text}{suffix}"
