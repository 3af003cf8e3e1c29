"""Role scoping: who may read a unit's inbox, read a complaint, act on it."""

from __future__ import annotations

import pytest

from huiyin.auth.tokens import Principal, Role
from routing.domain.lifecycle import Action
from routing.domain.scope import may_act, may_read_case, may_read_unit
from routing.domain.staff import unit_problem
from tests.unit.routing.routing_city import city


def who(role: Role, unit: str | None) -> Principal:
    return Principal("u", "someone", role, unit)


D = city()


@pytest.mark.parametrize(
    ("principal", "unit", "allowed"),
    [
        (who(Role.OFFICER, "ps-a1"), "ps-a1", True),
        (who(Role.OFFICER, "ps-a1"), "ps-a2", False),
        (who(Role.STATION_HEAD, "ps-a1"), "ps-b1", False),
        (who(Role.DISTRICT_SUPERVISOR, "bureau-a"), "ps-a2", True),
        (who(Role.DISTRICT_SUPERVISOR, "bureau-a"), "bureau-a", True),
        (who(Role.DISTRICT_SUPERVISOR, "bureau-a"), "ps-b1", False),
        (who(Role.SUPERVISION, "supervision"), "ps-b2", True),
        (who(Role.DISPATCH, "dispatch"), "ps-a1", False),
        (who(Role.ADMIN, None), "ps-a1", False),
    ],
)
def test_who_reads_which_inbox(principal: Principal, unit: str, allowed: bool) -> None:
    assert may_read_unit(principal, unit, D) is allowed


def test_an_escalation_watcher_reads_the_complaint_and_dispatch_reads_its_triage() -> None:
    bureau_b = who(Role.DISTRICT_SUPERVISOR, "bureau-b")
    assert not may_read_case(bureau_b, unit_id="ps-a1", watchers=set(), unroutable=False, directory=D)
    assert may_read_case(bureau_b, unit_id="ps-a1", watchers={"bureau-b"}, unroutable=False, directory=D)
    dispatch = who(Role.DISPATCH, "dispatch")
    assert may_read_case(dispatch, unit_id="dispatch", watchers=set(), unroutable=True, directory=D)
    assert not may_read_case(dispatch, unit_id="ps-a1", watchers=set(), unroutable=False, directory=D)


def test_who_acts() -> None:
    officer, head = who(Role.OFFICER, "ps-a1"), who(Role.STATION_HEAD, "ps-a1")
    assert may_act(officer, Action.RESOLVE, unit_id="ps-a1")
    assert not may_act(officer, Action.RESOLVE, unit_id="ps-a2")
    assert not may_act(officer, Action.ASSIGN, unit_id="ps-a1")
    assert may_act(head, Action.ASSIGN, unit_id="ps-a1")
    assert not may_act(who(Role.DISTRICT_SUPERVISOR, "bureau-a"), Action.NOTE, unit_id="ps-a1")
    assert may_act(who(Role.SUPERVISION, "supervision"), Action.TRANSFER, unit_id="ps-b1")
    assert not may_act(who(Role.SUPERVISION, "supervision"), Action.RESOLVE, unit_id="ps-b1")
    assert may_act(who(Role.SUPERVISION, "supervision"), Action.RESOLVE, unit_id="supervision")
    assert may_act(who(Role.DISPATCH, "dispatch"), Action.ROUTE, unit_id="dispatch")
    assert not may_act(officer, Action.ROUTE, unit_id="ps-a1")
    assert not may_act(who(Role.ADMIN, None), Action.NOTE, unit_id="ps-a1")


def test_a_role_belongs_to_a_unit_of_the_right_kind() -> None:
    assert unit_problem(Role.OFFICER, D.get("ps-a1"), "ps-a1") is None
    assert unit_problem(Role.ADMIN, None, None) is None
    assert "needs a unit" in (unit_problem(Role.OFFICER, None, None) or "")
    assert "district_bureau" in (unit_problem(Role.DISTRICT_SUPERVISOR, D.get("ps-a1"), "ps-a1") or "")
    assert "dispatch_desk" in (unit_problem(Role.DISPATCH, D.get("supervision"), "supervision") or "")
    assert "no active unit" in (unit_problem(Role.OFFICER, None, "gone") or "")
