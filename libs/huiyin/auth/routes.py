"""Walk an app's routes and report the access rule each declares (deny-by-default check)."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any

from fastapi import FastAPI
from fastapi.dependencies.models import Dependant
from fastapi.routing import iter_route_contexts

from huiyin.auth.access import access_rule
from huiyin.auth.tokens import Role

# FastAPI's own documentation routes, public by design.
FRAMEWORK_ROUTES = {"/openapi.json", "/docs", "/docs/oauth2-redirect", "/redoc"}


@dataclass(frozen=True)
class RouteRule:
    path: str
    methods: frozenset[str]
    rule: str | None  # None: the route declares no access rule (a defect)
    roles: tuple[Role, ...]


def _calls(dependant: Dependant) -> Iterator[Callable[..., Any]]:
    for sub in dependant.dependencies:
        if sub.call is not None:
            yield sub.call
        yield from _calls(sub)


def route_rules(app: FastAPI) -> list[RouteRule]:
    rules = []
    for rc in iter_route_contexts(app.routes):
        path = rc.path or ""
        if path in FRAMEWORK_ROUTES:
            continue
        dependant = getattr(rc, "dependant", None)
        found = access_rule(list(_calls(dependant))) if dependant is not None else None
        rule, roles = found if found else (None, ())
        rules.append(RouteRule(path, frozenset(rc.methods or ()), rule, roles))
    return rules
