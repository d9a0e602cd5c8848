"""The YAML twin of the normalized document (written by `nox -s generate` and checked by `nox -s spec`)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Final

import yaml

YAML_HEADER: Final = "# Generated from openapi/dimescheduler.json by `nox -s generate` (the same document as YAML). Do not edit.\n"


def yaml_twin(document: Mapping[str, Any]) -> str:
    """The document as YAML; the pure-Python emitter so that libyaml's presence cannot change the bytes."""
    body = yaml.dump(
        document,
        Dumper=yaml.SafeDumper,
        sort_keys=False,
        allow_unicode=True,
        default_flow_style=False,
        width=100,
    )
    return YAML_HEADER + body
