"""Which OpenAPI operation every accessor method sends, and the operations left to the raw client.

`declared_operations()` reads the declarations the resources carry (table rows and `_EXTRA` mappings);
tests check them against `openapi/dimescheduler.json` and against the Calls the methods really build.
"""

from __future__ import annotations

from functools import cached_property
from typing import Any, Final

from ._accessors import AsyncResources, SyncResources
from ._endpoint import Endpoint

RAW_ONLY: Final[dict[Endpoint, str]] = {
    Endpoint("POST", "/token"): "exchanges a user name and password for a JWT; the client's auth calls it",
}
"""Operations without an accessor method (use `dimescheduler_raw` for them), with the reason."""


def declared_operations(
    resources: type[SyncResources] | type[AsyncResources] = SyncResources,
) -> dict[str, dict[str, Endpoint]]:
    """accessor name -> method name -> the operation that method sends."""
    declared: dict[str, dict[str, Endpoint]] = {}
    for name, attribute in vars(resources).items():
        if isinstance(attribute, cached_property):
            resource: Any = attribute.func(None)  # resources only keep their executor until called
            declared[name] = resource._endpoints()
    return declared
