"""Writes: create, update and delete with typed models or dicts; what a refused request looks like.

Run `nox -s mock` in another terminal, then `python examples/writes.py`.
"""

from __future__ import annotations

import os

from dimescheduler_openapi import DimeSchedulerClient, InvalidRequestError, MutationResult
from dimescheduler_openapi.models import Category, CategoryDelete

ENVIRONMENT = os.environ.get("DIMESCHEDULER_ENVIRONMENT", "http://127.0.0.1:4010")
API_KEY = os.environ.get("DIMESCHEDULER_API_KEY", "dev")


def main() -> None:
    with DimeSchedulerClient(api_key=API_KEY, environment=ENVIRONMENT) as client:
        urgent = Category(name="URGENT", display_name="Urgent", color="#FF0000")
        created: MutationResult = client.categories.create(urgent)  # POST /category
        print(f"created: {created.success} (status {created.status_code})")

        # Dicts in the API's JSON casing work too, one or a list, mixed with models.
        updated = client.categories.update(
            [{"name": "URGENT", "displayName": "Very urgent", "color": "#FF0000"}]
        )
        print(f"updated: {updated.success}")

        deleted = client.categories.delete(CategoryDelete(name="URGENT"))  # DELETE /category, JSON body
        print(f"deleted: {deleted.success}")

        try:
            client.categories.create({"nme": "typo"})  # checked before anything is sent
        except InvalidRequestError as exc:
            print(f"refused: {exc}")


if __name__ == "__main__":
    main()
