"""help() on every accessor names its routes and concrete model types; api.md is what the code says."""

from __future__ import annotations

import pydoc
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from dimescheduler_openapi import AsyncDimeSchedulerClient, DimeSchedulerClient
from dimescheduler_openapi._resources import AsyncResources, SyncResources, declared_operations
from dimescheduler_openapi._resources._docs import method_docs
from dimescheduler_openapi._resources._names import STABLE_MODELS

REPO = Path(__file__).resolve().parents[2]
SYNC = declared_operations(SyncResources)
BY_ROLE = {key: name for name, key in STABLE_MODELS.items()}
GENERIC_LEFTOVERS = ("Entities[", "'L'", "'W'", "'D'", "list[R]", "JsonObject", "DateTimeValue", "Timeout'")


def expected_names(methods: dict[str, Any]) -> set[str]:
    """The stable names bound to the routes an accessor's methods send (bodies and answers)."""
    names = set()
    for endpoint in methods.values():
        for role in ("body", "response", "page_item"):
            name = BY_ROLE.get((endpoint.method, endpoint.path, role))
            if name is not None:
                names.add(name)
    return names


@pytest.fixture(scope="module")
def clients() -> Any:
    sync = DimeSchedulerClient(api_key="help-key", environment="http://127.0.0.1:9")
    async_ = AsyncDimeSchedulerClient(api_key="help-key", environment="http://127.0.0.1:9")
    yield sync, async_
    sync.close()


@pytest.mark.parametrize("accessor", sorted(SYNC))
@pytest.mark.parametrize("flavour", ["sync", "async"])
def test_help_names_every_route_and_the_concrete_models(accessor: str, flavour: str, clients: Any) -> None:
    client = clients[0] if flavour == "sync" else clients[1]
    resource = getattr(client, accessor)
    text = pydoc.render_doc(resource, renderer=pydoc.plaintext)
    for method, endpoint in SYNC[accessor].items():
        assert f"{method}(self" in text
        assert f"Route: {endpoint.method} {endpoint.path}" in text
    missing = {name for name in expected_names(SYNC[accessor]) if name not in text}
    assert not missing, f"{accessor}: help() does not name {sorted(missing)}"
    for leftover in GENERIC_LEFTOVERS:
        assert leftover not in text, f"{accessor}: generic annotation {leftover!r} left in help()"
    assert "help-key" not in text


@pytest.mark.parametrize("accessor", sorted(SYNC))
def test_every_public_method_is_documented(accessor: str, clients: Any) -> None:
    for client in clients:
        resource = getattr(client, accessor)
        public = {n for n in dir(resource) if not n.startswith("_") and callable(getattr(resource, n))}
        assert public == set(SYNC[accessor]), accessor
        for name in public:
            doc = getattr(resource, name).__doc__ or ""
            for part in ("Route: ", "Sends: ", "Returns: ", "Raises: ", "InvalidRequestError"):
                assert part in doc, f"{accessor}.{name} lacks {part!r}"
            assert ". Sends: ." not in doc and "Sends: .\n" not in doc


def test_the_crud_signature_names_the_route_models(clients: Any) -> None:
    text = pydoc.render_doc(clients[0].categories.create, renderer=pydoc.plaintext)
    assert "entity: 'Category | Mapping[str, Any] | Sequence[Category | Mapping[str, Any]]'" in text
    assert "-> 'list[CategoryListItem]'" in pydoc.render_doc(clients[0].categories.get_all)
    assert "-> 'NotificationPage'" in pydoc.render_doc(clients[0].notifications.get_all)
    assert "-> 'list[CalendarListItem]'" in pydoc.render_doc(clients[1].calendars.get_all)
    assert "PaginationError" in (clients[0].tasks.iter_all.__doc__ or "")


def test_documented_classes_are_built_once_per_accessor_and_share_the_code(clients: Any) -> None:
    other = DimeSchedulerClient(api_key="k", environment="http://127.0.0.1:9")
    try:
        assert type(other.categories) is type(clients[0].categories)
        assert type(other.categories) is not type(other.tags)
        assert other.categories.create.__func__.__code__ is type(other.tags).__mro__[1].create.__code__
    finally:
        other.close()
    assert all(method_docs(type(getattr(clients[0], a))) for a in SYNC)


def test_async_declarations_match_sync() -> None:
    assert declared_operations(AsyncResources) == SYNC


def test_api_md_is_up_to_date() -> None:
    proc = subprocess.run(
        [sys.executable, str(REPO / "scripts" / "api_doc.py"), "--check"],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert proc.returncode == 0, proc.stderr + "\nrun `python scripts/api_doc.py` to refresh api.md"
    text = (REPO / "api.md").read_text(encoding="utf-8")
    for accessor, methods in SYNC.items():
        assert f"`client.{accessor}`" in text
        for method, endpoint in methods.items():
            assert f"client.{accessor}.{method}(" in text
            assert f"**{endpoint.method} {endpoint.path}**" in text
