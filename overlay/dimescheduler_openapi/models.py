"""The models of the Dime.Scheduler API under stable names: `Job`, `Category`, `CategoryListItem`, ...

Each name is bound to a route (method + path) and a role there, not to the vendor's schema name: `Job` is
the model of the `POST /job` body, `JobListItem` the model of the `GET /job` answer, `NotificationPage`
the page `GET /notification` answers. The binding is written by `nox -s generate` into
`dimescheduler_raw.aliases` (declared in `_resources/_names.py`), so regenerating from a vendor document
that renames its schemas keeps every name here, and code type-checked against it keeps type-checking.
The classes themselves are the generated ones (`from_dict`, `to_dict`, attrs fields); they load on first
use. A field the JSON did not carry holds `UNSET` (type `Unset`, falsy, prints as UNSET), distinct from
`None` (JSON null): narrow with `isinstance(value, Unset)` or `if value:`. Both are exported here.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

from dimescheduler_raw import aliases as _aliases

if TYPE_CHECKING:
    from dimescheduler_raw.aliases import *  # noqa: F403
    from dimescheduler_raw.types import UNSET as UNSET
    from dimescheduler_raw.types import Unset as Unset

__all__ = [*_aliases.__all__, "UNSET", "Unset"]  # pyright: ignore


def __getattr__(name: str) -> Any:
    if name in ("UNSET", "Unset"):
        return getattr(importlib.import_module("dimescheduler_raw.types"), name)
    return getattr(importlib.import_module("dimescheduler_raw.aliases"), name)


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(__all__))
