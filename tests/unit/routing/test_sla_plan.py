"""Policies, the timers a cycle arms, and how a pause moves the resolve deadline."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
from pydantic import ValidationError

from routing.sla.calendar import TwentyFourSeven, Workdays, WorkingHours
from routing.sla.plan import TimerKind, levels_with_breach, next_step, plan_deadline, step_after
from routing.sla.policy import DEFAULT_POLICIES, WILDCARD, Policy, Terms, apply_terms, fallback_policy
from routing.sla.schedules import merged_schedules

SH = ZoneInfo("Asia/Shanghai")
H = 3600
CAL = Workdays(merged_schedules({}), WorkingHours.parse("09:00-12:00,13:30-17:30"), SH)


def at(mo: int, d: int, h: int, mi: int = 0) -> datetime:
    return datetime(2026, mo, d, h, mi, tzinfo=SH)


def terms(policy: Policy, **overrides: object) -> Terms:
    base = {"matched": "*/normal", "scale": 1.0, "force_24x7": False}
    base.update(overrides)
    return apply_terms(
        policy,
        matched=str(base["matched"]),
        scale=float(base["scale"]),  # type: ignore[arg-type]
        force_24x7=bool(base["force_24x7"]),
        working_hours="09:00-12:00,13:30-17:30",
        timezone="Asia/Shanghai",
    )


NORMAL = terms(DEFAULT_POLICIES[(WILDCARD, "normal")])


def test_demo_city_defaults() -> None:
    urgent, normal = DEFAULT_POLICIES[(WILDCARD, "urgent")], DEFAULT_POLICIES[(WILDCARD, "normal")]
    assert (urgent.ack_within_s, urgent.resolve_within_s, urgent.calendar) == (1800, 86400, "24x7")
    assert (normal.ack_within_s, normal.resolve_within_s, normal.calendar) == (2 * H, 5 * 7 * H, "workdays")
    assert normal.warn_at == urgent.warn_at == 0.75
    assert fallback_policy("unheard-of")[1] == normal


def test_ack_timers_warn_breach_and_second_level() -> None:
    plan = plan_deadline("ack", terms=NORMAL, start=at(3, 9, 9), calendar=CAL, levels=2)
    assert plan.due == at(3, 9, 11)
    assert [(t.kind, t.due_at) for t in plan.timers] == [
        ("ack_warn", at(3, 9, 10, 30)),  # 0.75 of 2 working hours
        ("ack_breach", at(3, 9, 11)),
        ("ack_escalate_2", at(3, 9, 14, 30)),  # a second window overdue (over lunch)
    ]
    assert levels_with_breach(NORMAL, 2) == [1]  # level 1 fires with the breach itself


def test_one_step_is_armed_at_a_time_and_each_arms_the_next() -> None:
    plan = plan_deadline("ack", terms=NORMAL, start=at(3, 9, 9), calendar=CAL, levels=2)
    first = next_step(plan)
    assert first is not None and (first.kind, first.due_at) == ("ack_warn", at(3, 9, 10, 30))
    chain, step = [], first
    while step is not None:
        chain.append(step)
        step = step_after(plan, step.kind)
    assert chain == list(plan.timers)  # warn -> breach -> level 2, then nothing
    after_warn = next_step(plan, fired={"ack_warn"})
    assert after_warn is not None and after_warn.kind == "ack_breach"
    assert next_step(plan, fired={t.kind for t in plan.timers}) is None
    assert step_after(plan, "ack_escalate_3") is None  # not in this plan: nothing follows it


def test_missing_escalation_levels_are_skipped() -> None:
    one = plan_deadline("ack", terms=NORMAL, start=at(3, 9, 9), calendar=CAL, levels=1)
    none = plan_deadline("ack", terms=NORMAL, start=at(3, 9, 9), calendar=CAL, levels=0)
    assert [t.kind for t in one.timers] == ["ack_warn", "ack_breach"]
    assert levels_with_breach(NORMAL, 0) == []
    assert [t.kind for t in none.timers] == ["ack_warn", "ack_breach"]


def test_pause_moves_the_resolve_deadline_by_its_working_time() -> None:
    one_day = terms(Policy(ack_within_s=H, resolve_within_s=7 * H, warn_at=0.5, calendar="workdays"))
    start = at(3, 9, 9)  # Monday
    assert plan_deadline("resolve", terms=one_day, start=start, calendar=CAL, levels=0).due == at(
        3, 9, 17, 30
    )
    # awaiting the citizen from Monday 10:00 to Tuesday 10:00: 7 working hours
    paused = CAL.working_between(at(3, 9, 10), at(3, 10, 10))
    assert paused == 7 * H
    moved = plan_deadline("resolve", terms=one_day, start=start, calendar=CAL, levels=0, paused_s=paused)
    # 1 h used before the pause, the 6 h left run from Tuesday 10:00
    assert moved.due == at(3, 10, 17, 30)
    assert CAL.working_between(start, moved.due) - paused == 7 * H


def test_scale_and_24x7_override_for_demos() -> None:
    fast = terms(DEFAULT_POLICIES[(WILDCARD, "normal")], scale=0.001, force_24x7=True)
    assert (fast.ack_within_s, fast.resolve_within_s, fast.calendar) == (
        pytest.approx(7.2),
        pytest.approx(126.0),
        "24x7",
    )
    tiny = terms(Policy(ack_within_s=2, resolve_within_s=3, warn_at=0.5, calendar="24x7"), scale=0.01)
    assert (tiny.ack_within_s, tiny.resolve_within_s) == (1.0, 1.0)  # never below one second
    plan = plan_deadline("ack", terms=fast, start=at(10, 1, 23), calendar=TwentyFourSeven(), levels=2)
    assert (plan.timers[0].due_at - at(10, 1, 23)).total_seconds() == pytest.approx(5.4)


def test_policy_and_timer_kinds_are_validated() -> None:
    with pytest.raises(ValidationError):
        Policy(ack_within_s=0.5, resolve_within_s=10, warn_at=0.75, calendar="24x7")
    with pytest.raises(ValidationError):
        Policy(ack_within_s=5, resolve_within_s=10, warn_at=1.0, calendar="24x7")
    with pytest.raises(ValidationError):
        Policy(ack_within_s=5, resolve_within_s=10, warn_at=0.5, calendar="24x7", escalate_after=(1.0, 0.0))
    with pytest.raises(ValidationError):
        Policy(ack_within_s=5, resolve_within_s=10, warn_at=0.5, calendar="weekly")
    assert TimerKind.parse("resolve_escalate_2") == TimerKind("resolve", "escalate", 2)
    assert TimerKind.parse("ack_warn") == TimerKind("ack", "warn")
    for bad in ("ack", "later_warn", "ack_escalate_x", "ack_snooze"):
        with pytest.raises(ValueError):
            TimerKind.parse(bad)
