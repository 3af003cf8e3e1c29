"""Deny by default: every intake route declares exactly one access rule."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from fastapi.dependencies.models import Dependant
from fastapi.routing import APIRoute

from huiyin.auth.access import ACCESS_ATTR
from intake.entrypoints.app import create_app
from intake.settings import IntakeSettings


def api_routes(routes: list[Any]) -> Iterator[APIRoute]:
    for route in routes:
        if isinstance(route, APIRoute):
            yield route
        elif hasattr(route, "original_router"):  # an included router (FastAPI keeps it by reference)
            yield from api_routes(route.original_router.routes)
        elif hasattr(route, "routes"):
            yield from api_routes(route.routes)


def rules(dependant: Dependant) -> list[str]:
    found = [getattr(dependant.call, ACCESS_ATTR)[0]] if hasattr(dependant.call, ACCESS_ATTR) else []
    for sub in dependant.dependencies:
        found += rules(sub)
    return found


def test_every_route_declares_exactly_one_access_rule() -> None:
    app = create_app(IntakeSettings(run_relay=False, run_consumers=False))
    declared = {(r.path, m): rules(r.dependant) for r in api_routes(app.router.routes) for m in r.methods}
    assert len(declared) >= 15
    assert {k: v for k, v in declared.items() if len(v) != 1} == {}
    assert declared[("/api/v1/complaints", "POST")] == ["public"]
    assert declared[("/api/v1/complaints/{tracking_code}", "GET")] == ["citizen"]
    assert declared[("/api/v1/complaints/{complaint_id}/contact/unmask", "POST")] == ["staff"]
    assert declared[("/open311/v2/requests.{fmt}", "POST")] == ["public"]
