"""Authenticate with an API key (header X-API-KEY) and read the categories.

Run `nox -s mock` in another terminal, then `python examples/api_key.py`. Against the real API set
DIMESCHEDULER_API_KEY and DIMESCHEDULER_ENVIRONMENT (`sandbox`, `production` or a URL).
"""

from __future__ import annotations

import os

from dimescheduler_openapi import DimeSchedulerClient
from dimescheduler_openapi.models import CategoryListItem

ENVIRONMENT = os.environ.get("DIMESCHEDULER_ENVIRONMENT", "http://127.0.0.1:4010")  # `nox -s mock`
API_KEY = os.environ.get("DIMESCHEDULER_API_KEY", "dev")  # the mock accepts any key


def main() -> None:
    with DimeSchedulerClient(api_key=API_KEY, environment=ENVIRONMENT) as client:
        categories: list[CategoryListItem] = client.categories.get_all()  # GET /category
        print(f"categories: {len(categories)}")
        for category in categories[:5]:
            print(f"  {category.name}: {category.display_name} {category.color}")


if __name__ == "__main__":
    main()
