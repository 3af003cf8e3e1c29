"""Sending schemathesis' generated cases to an in-process app: which role to call each
operation as, and a case's requests-style arguments as httpx arguments."""

from __future__ import annotations

from typing import Any

from huiyin.auth.routes import route_rules
from huiyin.auth.tokens import Role
from tests.security.security_stack import Services

# The role a call is made with: the most powerful one the route admits.
PREFERENCE = (Role.SUPERVISION, Role.ADMIN, Role.DISPATCH, Role.STATION_HEAD, Role.OFFICER)


def caller_roles(services: Services, service: str) -> dict[tuple[str, str], Role | None]:
    """(METHOD, path) -> the role to call it as (None: a public or citizen route)."""
    out: dict[tuple[str, str], Role | None] = {}
    for rule in route_rules(services.apps[service]):
        role = None
        if rule.rule == "staff":
            role = next(
                (r for r in PREFERENCE if not rule.roles or r in rule.roles), Role.DISTRICT_SUPERVISOR
            )
        for method in rule.methods:
            out[(method, rule.path)] = role
    return out


def request_args(kwargs: dict[str, Any]) -> dict[str, Any]:
    """A requests-style call (what schemathesis serialises to) as httpx arguments."""
    args = {k: kwargs[k] for k in ("method", "url", "params", "json", "files") if k in kwargs}
    args["headers"] = dict(kwargs.get("headers") or {})
    if cookies := kwargs.get("cookies"):  # httpx deprecates per-request cookies: send the header
        args["headers"]["Cookie"] = "; ".join(f"{k}={v}" for k, v in cookies.items())
    data = kwargs.get("data")
    if isinstance(data, bytes | str):
        args["content"] = data
    elif data is not None:
        args["data"] = data
    return args
