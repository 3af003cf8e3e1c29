"""Deny by default, checked end to end: every route of every service, called with no token,
an expired token, a forged token and a valid token of each role.

`EXPECTED` (expected_access.py) is the contract, written by hand from issue #7's roles: a new
route fails here until it both declares its rule (huiyin.auth.access) and gets an entry there,
and a route whose declared rule drifts from its entry fails too.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import AsyncIterator
from dataclasses import dataclass

import pytest

from huiyin.auth.routes import route_rules
from huiyin.auth.tokens import Role
from tests.security.expected_access import ALL_STAFF, API_KEY, EXPECTED, PUBLIC, Rule
from tests.security.security_stack import SERVICES, Services, concrete, offline_app, start_services
from tests.support.infra import Infra


def declared(service: str) -> dict[tuple[str, str], Rule | None]:
    """Every (method, path) of the service's app with the rule its route declares."""
    out: dict[tuple[str, str], Rule | None] = {}
    for r in route_rules(offline_app(service)):
        rule: Rule | None = r.rule
        if r.rule == "staff":
            rule = frozenset(r.roles) or ALL_STAFF  # staff() without roles: any signed-in staff
        for method in r.methods:
            out[(method, r.path)] = rule
    return out


def as_declared(rule: Rule) -> Rule:
    return PUBLIC if rule == API_KEY else rule


@pytest.mark.parametrize("service", SERVICES)
def test_every_route_has_an_expected_rule_and_declares_it(service: str) -> None:
    routes, expected = declared(service), EXPECTED[service]
    undeclared = sorted(f"{m} {p}" for (m, p), rule in routes.items() if rule is None)
    assert undeclared == [], f"{service}: routes declaring no access rule: {undeclared}"
    unlisted = sorted(f"{m} {p}" for m, p in routes.keys() - expected.keys())
    assert unlisted == [], f"{service}: routes without an entry in EXPECTED (add one): {unlisted}"
    stale = sorted(f"{m} {p}" for m, p in expected.keys() - routes.keys())
    assert stale == [], f"{service}: EXPECTED lists routes that no longer exist: {stale}"
    drift = {
        f"{m} {p}": (routes[(m, p)], rule)
        for (m, p), rule in expected.items()
        if routes[(m, p)] != as_declared(rule)
    }
    assert drift == {}, (
        f"{service}: declared rule differs from the expected one (declared, expected): {drift}"
    )


@dataclass(frozen=True)
class Caller:
    label: str
    role: Role | None  # None: not a valid staff token
    headers: dict[str, str]
    form: dict[str, str] | None = None  # sent as a form instead of an empty JSON object


def callers(stack: Services, rule: Rule) -> list[Caller]:
    out = [
        Caller("no token", None, {}),
        Caller("an expired token", None, stack.expired()),
        Caller("a forged token", None, stack.forged()),
        *(Caller(role.value, role, stack.bearer(role)) for role in Role),
    ]
    if rule == API_KEY:
        key = stack.settings["intake"].open311_keys[0]  # type: ignore[attr-defined]
        out.append(Caller("the Open311 api_key", None, {}, form={"api_key": key}))
    return out


def expectation(rule: Rule, caller: Caller) -> str:
    """'401', '403' or 'through' (anything but 401/403: the route let the caller in)."""
    if isinstance(rule, frozenset):
        if caller.role is None:
            return "401"
        return "through" if caller.role in rule else "403"
    if rule == API_KEY:
        return "through" if caller.form else "403"
    return "through"  # public, and citizen routes (which check the tracking code + token)


def outcome(status: int) -> str:
    return str(status) if status in (401, 403) else "through"


@pytest.fixture
async def stack(infra: Infra, topic_prefix: str) -> AsyncIterator[Services]:
    # Made-up tracking codes count as failed citizen lookups: keep them from tripping the 429.
    overrides = {"intake": {"lookup_failures_allowed": 100_000}}
    async with start_services(infra, topic_prefix, overrides=overrides) as services:
        yield services


@pytest.mark.integration
async def test_each_route_answers_each_caller_as_its_rule_says(stack: Services) -> None:
    wrong: list[str] = []
    seen: Counter[str] = Counter()
    for service in SERVICES:
        client = stack.clients[service]
        for (method, path), rule in sorted(EXPECTED[service].items(), key=str):
            for caller in callers(stack, rule):
                url = concrete(path, caller.role)
                if caller.form is not None:
                    r = await client.request(method, url, headers=caller.headers, data=caller.form)
                else:
                    body = None if method == "GET" else {}
                    r = await client.request(method, url, headers=caller.headers, json=body)
                want, got = expectation(rule, caller), outcome(r.status_code)
                seen[want] += 1
                where = f"{service} {method} {path} by {caller.label}"
                if got != want:
                    wrong.append(f"{where}: {r.status_code} (expected {want}) {r.text[:160]}")
                if r.status_code >= 500:
                    wrong.append(f"{where}: server error {r.status_code} {r.text[:160]}")
    assert wrong == [], "\n".join(wrong)
    # Every kind of outcome was exercised, many times over.
    assert min(seen["401"], seen["403"], seen["through"]) > 50, seen
