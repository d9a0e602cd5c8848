"""Resource accessors: typed methods that build `Call`s; the clients execute them (sync or async).

`SyncResources` / `AsyncResources` are mixins for the two clients. `declared_operations()` and `RAW_ONLY`
map every OpenAPI operation to its accessor method, or say why it has none.
"""

from ._accessors import AsyncResources, SyncResources
from ._operations import RAW_ONLY, declared_operations
from ._scheduling import FIRST_PAGE

__all__ = ["FIRST_PAGE", "RAW_ONLY", "AsyncResources", "SyncResources", "declared_operations"]
