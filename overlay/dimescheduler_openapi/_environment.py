"""Where the API lives: the three hosted environments, or any base URL (a mock server, a private instance)."""

from __future__ import annotations

import re
from dataclasses import dataclass
from enum import StrEnum

import httpx

from ._errors import ConfigurationError
from ._suggest import did_you_mean


class Environment(StrEnum):
    """The hosted Dime.Scheduler environments; the value is the base URL.

    `Production`, `Sandbox` and `Test` are aliases, so code written for the vendor SDK keeps working.
    """

    PRODUCTION = "https://api.dimescheduler.com"
    SANDBOX = "https://sandbox.api.dimescheduler.com"
    TEST = "https://test.api.dimescheduler.com"

    Production = "https://api.dimescheduler.com"
    Sandbox = "https://sandbox.api.dimescheduler.com"
    Test = "https://test.api.dimescheduler.com"


@dataclass(frozen=True, slots=True)
class Target:
    """A resolved environment: the base URL without a trailing slash, and the named environment if any."""

    base_url: str
    environment: Environment | None

    @property
    def label(self) -> str:
        return self.environment.name if self.environment is not None else "custom"


_BY_URL = {member.value: member for member in Environment}
_NAMES = ", ".join(member.name.lower() for member in Environment)


def resolve_environment(value: Environment | str) -> Target:
    """An Environment, its name in any case, or an http(s) base URL -> Target; anything else is refused."""
    if isinstance(value, Environment):
        return Target(value.value, value)
    if not isinstance(value, str):
        raise ConfigurationError(
            f"environment must be an Environment, a name ({_NAMES}) or a base URL, not {type(value).__name__}"
        )
    text = value.strip()
    member = Environment.__members__.get(text.upper())
    if member is not None:
        return Target(member.value, member)
    if "://" not in text:
        hint = did_you_mean(text.lower(), [member.name.lower() for member in Environment])
        raise ConfigurationError(
            f"unknown environment {masked(text)!r}{hint}: use {_NAMES} or an http(s) base URL"
        )
    return _custom_target(text)


def masked(text: str) -> str:
    """An environment value as it may appear in a message: a query or fragment (which can carry a key or a
    token) is replaced by "…", and so is a `user:password@` part."""
    cut = re.search(r"[?#]", text)
    head = re.sub(r"(?<=://)[^/]*@", "…@", text[: cut.start()] if cut else text)
    return f"{head}{cut.group()}…" if cut else head


def _custom_target(text: str) -> Target:
    try:
        url = httpx.URL(text)
    except (httpx.InvalidURL, TypeError, ValueError):
        raise ConfigurationError(f"environment {masked(text)!r} is not a valid URL") from None
    if url.userinfo:
        # Never echo the value: it carries credentials.
        raise ConfigurationError("the environment URL must not contain credentials (user:password@)")
    if url.scheme not in ("http", "https") or not url.host:
        raise ConfigurationError(f"environment {masked(text)!r} is not an http(s) URL with a host")
    if url.query or url.fragment:
        raise ConfigurationError(
            f"environment {masked(text)!r} must not have a query or fragment (not shown: it may hold a secret)"
        )
    base_url = str(url).rstrip("/")
    return Target(base_url, _BY_URL.get(base_url))
