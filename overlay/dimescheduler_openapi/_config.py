"""Settings resolution: constructor arguments, else `DIMESCHEDULER_*` environment variables -> one Settings.

Exactly one way to authenticate is required; credentials only travel over https, or plain http to a
loopback host (a local mock server).
"""

from __future__ import annotations

import inspect
import ipaddress
import os
from collections.abc import Mapping
from dataclasses import dataclass

import httpx

from ._auth import ApiKeyAuth, BearerTokenAuth, JWTAuth, TokenSource
from ._environment import Environment, Target, resolve_environment
from ._errors import ConfigurationError
from ._transports.retry import RetryConfig, retry_config
from ._version import __version__

__all__ = ["ENV_API_KEY", "ENV_ENVIRONMENT", "ENV_PASSWORD", "ENV_USERNAME", "Settings", "resolve_settings"]

ENV_API_KEY = "DIMESCHEDULER_API_KEY"
ENV_USERNAME = "DIMESCHEDULER_USERNAME"
ENV_PASSWORD = "DIMESCHEDULER_PASSWORD"
ENV_ENVIRONMENT = "DIMESCHEDULER_ENVIRONMENT"

USER_AGENT = f"dimescheduler-openapi-python/{__version__}"
TOKEN_PATH = "/token"

_HOW_TO_AUTHENTICATE = (
    f"pass api_key=, username= with password=, or token=, or set {ENV_API_KEY} "
    f"(or {ENV_USERNAME} and {ENV_PASSWORD})"
)


@dataclass(frozen=True, slots=True)
class Settings:
    target: Target
    auth: ApiKeyAuth | BearerTokenAuth | JWTAuth
    headers: dict[str, str]
    retry: RetryConfig | None

    @property
    def auth_kind(self) -> str:
        return self.auth.kind


def resolve_settings(
    *,
    api_key: str | None,
    environment: Environment | str | None,
    username: str | None,
    password: str | None,
    token: TokenSource | None,
    headers: Mapping[str, str] | None,
    retry: RetryConfig | bool | int | None,
    is_async: bool,
    environ: Mapping[str, str] | None = None,
) -> Settings:
    env = os.environ if environ is None else environ
    target = _target(environment, env)
    merged_headers = _headers(headers)
    auth = _auth(target, api_key, username, password, token, merged_headers, is_async=is_async, env=env)
    _refuse_plain_http(target)
    return Settings(target=target, auth=auth, headers=merged_headers, retry=retry_config(retry))


def _target(environment: Environment | str | None, env: Mapping[str, str]) -> Target:
    if environment is not None:
        return resolve_environment(environment)
    from_env = env.get(ENV_ENVIRONMENT, "").strip()
    if not from_env:
        return resolve_environment(Environment.PRODUCTION)
    try:
        return resolve_environment(from_env)
    except ConfigurationError as exc:
        raise ConfigurationError(f"{ENV_ENVIRONMENT}: {exc}") from None


def _headers(extra: Mapping[str, str] | None) -> dict[str, str]:
    headers = {"User-Agent": USER_AGENT, "Accept": "application/json"}
    if extra is None:
        return headers
    if not isinstance(extra, Mapping):
        raise ConfigurationError(f"headers must be a mapping of str to str, not {type(extra).__name__}")
    for name, value in extra.items():
        if not isinstance(name, str) or not isinstance(value, str):
            raise ConfigurationError(f"headers must map str to str; {name!r} does not")
        headers[name] = value
    return headers


def _auth(
    target: Target,
    api_key: str | None,
    username: str | None,
    password: str | None,
    token: TokenSource | None,
    headers: Mapping[str, str],
    *,
    is_async: bool,
    env: Mapping[str, str],
) -> ApiKeyAuth | BearerTokenAuth | JWTAuth:
    explicit = {
        name
        for name, value in (
            ("api_key", api_key),
            ("username", username),
            ("password", password),
            ("token", token),
        )
        if value is not None
    }
    if not explicit:
        return _auth_from_env(target, headers, env)
    kinds = sorted(
        {
            "api_key=" if name == "api_key" else "token=" if name == "token" else "username=/password="
            for name in explicit
        }
    )
    if len(kinds) > 1:
        raise ConfigurationError(
            f"conflicting credentials {' and '.join(kinds)}: give exactly one way to authenticate"
        )
    if api_key is not None:
        return ApiKeyAuth(api_key)
    if token is not None:
        if not is_async and not isinstance(token, str) and _is_async_callable(token):
            raise ConfigurationError("token= is an async callable: use AsyncDimeSchedulerClient for it")
        return BearerTokenAuth(token)
    if username is None or password is None:
        missing = "password=" if password is None else "username="
        raise ConfigurationError(f"username= and password= go together: {missing} is missing")
    return JWTAuth(target.base_url + TOKEN_PATH, username, password, headers=headers)


def _auth_from_env(
    target: Target, headers: Mapping[str, str], env: Mapping[str, str]
) -> ApiKeyAuth | JWTAuth:
    api_key = env.get(ENV_API_KEY) or None
    username = env.get(ENV_USERNAME) or None
    password = env.get(ENV_PASSWORD) or None
    if api_key is not None and (username is not None or password is not None):
        set_also = ENV_USERNAME if username is not None else ENV_PASSWORD
        raise ConfigurationError(
            f"conflicting credentials: both {ENV_API_KEY} and {set_also} are set; set only one way to authenticate"
        )
    if api_key is not None:
        return ApiKeyAuth(api_key)
    if username is None and password is None:
        raise ConfigurationError(f"no credentials: {_HOW_TO_AUTHENTICATE}")
    if username is None or password is None:
        missing = ENV_PASSWORD if password is None else ENV_USERNAME
        raise ConfigurationError(f"{ENV_USERNAME} and {ENV_PASSWORD} go together: {missing} is not set")
    return JWTAuth(target.base_url + TOKEN_PATH, username, password, headers=headers)


def _is_async_callable(value: object) -> bool:
    call = getattr(value, "__call__", None)  # noqa: B004 - instances with an async __call__ count too
    return inspect.iscoroutinefunction(value) or inspect.iscoroutinefunction(call)


def is_loopback(host: str) -> bool:
    if host.lower() in ("localhost", "localhost."):
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


def _refuse_plain_http(target: Target) -> None:
    url = httpx.URL(target.base_url)
    if url.scheme == "http" and not is_loopback(url.host):
        raise ConfigurationError(
            f"refusing to send credentials over plain http to {url.host}: use https "
            "(plain http is only allowed for a loopback host such as 127.0.0.1 or localhost)"
        )
