"""Deny by default: every route of every service declares who may call it."""

from __future__ import annotations

import pytest
from fastapi import FastAPI

from huiyin.auth.routes import route_rules


def apps() -> dict[str, FastAPI]:
    from feedback.entrypoints.app import create_app as feedback_app
    from intake.entrypoints.app import create_app as intake_app
    from routing.entrypoints.app import create_app as routing_app

    return {"intake": intake_app(), "routing": routing_app(), "feedback": feedback_app()}


@pytest.mark.parametrize("service", ["intake", "routing", "feedback"])
def test_every_route_declares_an_access_rule(service: str) -> None:
    rules = route_rules(apps()[service])
    assert rules, "no routes found"
    undeclared = [f"{sorted(r.methods)} {r.path}" for r in rules if r.rule is None]
    assert undeclared == [], f"routes without an access rule in {service}: {undeclared}"
    for rule in rules:
        if rule.path in ("/health", "/ready"):
            assert rule.rule == "public"
