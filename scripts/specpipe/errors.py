"""Errors the pipeline raises; each carries a one-line message meant for a person."""

from __future__ import annotations


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
