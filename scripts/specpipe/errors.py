"""Errors the pipeline raises; each carries a one-line message meant for a person."""

from __future__ import annotations

import contextlib
from collections.abc import Iterator


class PipelineError(Exception):
    """Base error: ``str(error)`` is one line that names the problem."""

    def __init__(self, message: str) -> None:
        super().__init__(" ".join(message.split()))


class FetchError(PipelineError):
    """The document could not be fetched (network, HTTP status, no document on the page)."""


class SpecError(PipelineError):
    """The document was fetched but is not one the pipeline accepts (unparseable, wrong version, invalid)."""


class GenerationError(PipelineError):
    """openapi-python-client or a post-processing step failed."""


class StepFailed(PipelineError):
    """A step of the pipeline raised something unexpected; the message names the step and the error."""


def one_line(exc: BaseException, limit: int = 300) -> str:
    """``Type: first line of the message`` of an exception, at most ``limit`` characters."""
    lines = str(exc).strip().splitlines()
    text = f"{type(exc).__name__}: {lines[0]}" if lines else type(exc).__name__
    return text if len(text) <= limit else text[: limit - 3] + "..."


@contextlib.contextmanager
def step(name: str) -> Iterator[None]:
    """Within the block, any exception that is not a PipelineError becomes a one-line StepFailed naming
    ``name`` (``normalizing the document``): no traceback reaches the user."""
    try:
        yield
    except PipelineError:
        raise
    except Exception as exc:
        raise StepFailed(f"{name} failed: {one_line(exc)}") from exc
