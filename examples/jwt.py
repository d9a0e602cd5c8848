"""Authenticate with a user name and password: the client exchanges them for a JWT at POST /token, caches
the token, refreshes it before it expires (or after a 401) and sends it as `Authorization: Bearer`.

Run `nox -s mock` in another terminal, then `python examples/jwt.py`. Against the real API set
DIMESCHEDULER_USERNAME, DIMESCHEDULER_PASSWORD and DIMESCHEDULER_ENVIRONMENT.
"""

from __future__ import annotations

import os

from dimescheduler_openapi import AuthenticationError, DimeSchedulerClient

ENVIRONMENT = os.environ.get("DIMESCHEDULER_ENVIRONMENT", "http://127.0.0.1:4010")
USERNAME = os.environ.get("DIMESCHEDULER_USERNAME", "planner@example.com")
PASSWORD = os.environ.get("DIMESCHEDULER_PASSWORD", "not-a-real-password")


def main() -> None:
    with DimeSchedulerClient(username=USERNAME, password=PASSWORD, environment=ENVIRONMENT) as client:
        try:
            resource_types = client.resource_types.get_all()  # POST /token first, then GET /resourcetype
        except AuthenticationError as exc:  # 401: wrong user name or password
            print(f"login refused: {exc.status_code}")
            return
        print(f"signed in ({client.auth_kind}); resource types: {len(resource_types)}")


if __name__ == "__main__":
    main()
