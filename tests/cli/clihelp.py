"""Helpers for the CLI tests: run the command in-process, answer like the API."""

from __future__ import annotations

import json
from typing import Any

from click.testing import CliRunner, Result
from dimescheduler_openapi._cli import cli
from fakeapi import Received, Reply

API_KEY = "k-secret-4242"


def run(args: list[str], base_url: str | None = None, *, input: str | None = None, **env: str) -> Result:
    environ = {"DIMESCHEDULER_API_KEY": API_KEY, **env}
    if base_url is not None:
        environ["DIMESCHEDULER_ENVIRONMENT"] = base_url
    return CliRunner().invoke(cli, args, env=environ, input=input, catch_exceptions=False)


def envelope(success: bool = True, detail: str = "ok") -> dict[str, Any]:
    content = (
        {"Success": True, "Message": detail, "Appointments": []}
        if success
        else {"Success": False, "Error": "Procedure failed", "Description": detail}
    )
    return {
        "content": json.dumps(content),
        "contentType": "application/json",
        "statusCode": 200 if success else 400,
    }


def api(received: Received) -> Reply:
    """Writes answer the success envelope, reads an empty list or object; `/import` bodies holding a value
    "BAD" answer a failure envelope (HTTP 200, inner 400)."""
    if received.method != "GET":
        if received.path == "/import" and "BAD" in received.body.decode():
            return Reply.json(envelope(False, "the record BAD is refused"))
        return Reply.json(envelope())
    if received.path.startswith("/job/"):
        return Reply.json({"jobNo": received.path.rsplit("/", 1)[1], "shortDescription": "Boiler"})
    if received.path == "/notification":
        return Reply.json({"items": [], "total": 0})
    if received.path == "/category":
        return Reply.json(
            [
                {"name": "A", "displayName": "Alpha, first", "color": "#22d3ee"},
                {"name": "B", "displayName": 'Beta "quoted"', "color": "#000000"},
            ]
        )
    return Reply.json([])


def wire(received: list[Received]) -> list[tuple[str, str, list[tuple[str, str]], Any]]:
    """What matters of each request: method, path, query pairs, JSON body."""
    return [(r.method, r.path, r.query, json.loads(r.body) if r.body else None) for r in received]
