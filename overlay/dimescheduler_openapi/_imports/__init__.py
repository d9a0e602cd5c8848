"""Import builders: typed `POST /import` requests for every mboc_* procedure, chunking and bulk sending.

See `_format` for how values are written, `_build` for how records are read, `_bulk` for the bulk runner.
"""

from ._build import EntityImports, ProcedureRegistry, build_import, import_request, procedures
from ._bulk import (
    AsyncImportExecutor,
    BulkImportError,
    ImportExecutor,
    OnChunk,
    OnSend,
    import_call,
    outcome_of,
    run_bulk,
    run_bulk_sync,
)
from ._chunks import chunked
from ._format import ValueFormatError, format_value
from ._report import BulkProgress, BulkReport, ChunkOutcome, ChunkStatus
from ._request import ImportRequest
from ._rows import NumberedRequest, RowRanges
from ._spec import FieldSpec, ProcedureSpec

__all__ = [
    "AsyncImportExecutor",
    "BulkImportError",
    "BulkProgress",
    "BulkReport",
    "ChunkOutcome",
    "ChunkStatus",
    "EntityImports",
    "FieldSpec",
    "ImportExecutor",
    "ImportRequest",
    "NumberedRequest",
    "OnChunk",
    "OnSend",
    "ProcedureRegistry",
    "ProcedureSpec",
    "RowRanges",
    "ValueFormatError",
    "build_import",
    "chunked",
    "format_value",
    "import_call",
    "import_request",
    "outcome_of",
    "procedures",
    "run_bulk",
    "run_bulk_sync",
]
