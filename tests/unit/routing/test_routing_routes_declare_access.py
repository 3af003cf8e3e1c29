"""Deny by default: every route routing adds declares who may call it, exactly once."""

from __future__ import annotations

from typing import Any

from fastapi.routing import APIRoute

from huiyin.auth.access import ACCESS_ATTR
from routing.entrypoints.api_auth import auth_router
from routing.entrypoints.api_cases import cases_router
from routing.entrypoints.api_units import units_router


def _calls(dependant: Any) -> list[Any]:
    found = []
    for sub in dependant.dependencies:
        found += [sub.call, *_calls(sub)]
    return found


def test_every_routing_route_declares_one_access_rule() -> None:
    seen = {}
    for router in (auth_router(), units_router(), cases_router()):
        for route in router.routes:
            assert isinstance(route, APIRoute)
            calls = _calls(route.dependant)
            rules = {getattr(c, ACCESS_ATTR) for c in calls if hasattr(c, ACCESS_ATTR)}
            assert len(rules) == 1, (route.path, rules)
            seen[(route.path, *sorted(route.methods))] = rules.pop()[0]
    assert seen[("/api/v1/auth/token", "POST")] == "public"
    assert seen[("/api/v1/categories", "GET")] == "public"
    assert [p for p, rule in seen.items() if rule == "public"] == [
        ("/api/v1/auth/token", "POST"),
        ("/api/v1/categories", "GET"),
    ]
