"""Typed Python client for the Dime.Scheduler REST API.

    from dimescheduler_openapi import DimeSchedulerClient, Environment

    with DimeSchedulerClient(api_key="...", environment=Environment.SANDBOX) as client:
        ...

The clients (and through them the generated models) load on first use, so importing this package is cheap.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from ._environment import Environment
from ._errors import (
    APIConnectionError,
    APIError,
    APIStatusError,
    APITimeoutError,
    AuthenticationError,
    BadRequestError,
    ConfigurationError,
    ConflictError,
    DimeSchedulerError,
    InternalServerError,
    InvalidRequestError,
    MutationFailedError,
    NotFoundError,
    PaginationError,
    PermissionDeniedError,
    RateLimitError,
    RedirectError,
    ResponseTooLargeError,
    UnexpectedResponseError,
    UnprocessableEntityError,
    UnsupportedOperationError,
)
from ._parsing import MutationResult, ResponseValueWarning, strict_responses
from ._transports.retry import RetryConfig
from ._version import __version__

if TYPE_CHECKING:
    from ._client import AsyncDimeSchedulerClient, DimeSchedulerClient
    from ._imports import (
        BulkImportError,
        BulkProgress,
        BulkReport,
        ChunkOutcome,
        ImportRequest,
        NumberedRequest,
        build_import,
        chunked,
        import_request,
        procedures,
        run_bulk,
        run_bulk_sync,
    )

__all__ = [
    "APIConnectionError",
    "APIError",
    "APIStatusError",
    "APITimeoutError",
    "AsyncDimeSchedulerClient",
    "AuthenticationError",
    "BadRequestError",
    "BulkImportError",
    "BulkProgress",
    "BulkReport",
    "ChunkOutcome",
    "ConfigurationError",
    "ConflictError",
    "DimeSchedulerClient",
    "DimeSchedulerError",
    "Environment",
    "ImportRequest",
    "InternalServerError",
    "InvalidRequestError",
    "MutationFailedError",
    "MutationResult",
    "NotFoundError",
    "NumberedRequest",
    "PaginationError",
    "PermissionDeniedError",
    "RateLimitError",
    "RedirectError",
    "ResponseTooLargeError",
    "ResponseValueWarning",
    "RetryConfig",
    "UnexpectedResponseError",
    "UnprocessableEntityError",
    "UnsupportedOperationError",
    "__version__",
    "build_import",
    "chunked",
    "import_request",
    "procedures",
    "run_bulk",
    "run_bulk_sync",
    "strict_responses",
]

_LAZY = {
    "DimeSchedulerClient": "._client",
    "AsyncDimeSchedulerClient": "._client",
    "BulkImportError": "._imports",
    "BulkProgress": "._imports",
    "BulkReport": "._imports",
    "ChunkOutcome": "._imports",
    "ImportRequest": "._imports",
    "NumberedRequest": "._imports",
    "build_import": "._imports",
    "chunked": "._imports",
    "import_request": "._imports",
    "procedures": "._imports",
    "run_bulk": "._imports",
    "run_bulk_sync": "._imports",
}


def __getattr__(name: str) -> Any:
    module_name = _LAZY.get(name)
    if module_name is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    from importlib import import_module

    value = getattr(import_module(module_name, __name__), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(__all__))
