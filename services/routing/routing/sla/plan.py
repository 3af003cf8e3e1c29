"""A cycle's deadlines and the timers that watch them, computed from its terms. No I/O.

Every time is derived from (start, terms, paused working seconds), so arming, resuming
after a pause and recomputing after a calendar load all use the same formula:
`due = add_working(start, window + paused)`. Timer kinds are `<deadline>_<step>`:
`ack_warn`, `ack_breach`, `resolve_escalate_2`, ...

A deadline has one timer armed at a time: its next step (`next_step`). Firing a step arms
the one after it (`step_after`), planned again from the cycle as it is then, so a pause or
a calendar load in between is already counted in.
"""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass
from datetime import datetime
from typing import Literal

from routing.sla.calendar import Calendar
from routing.sla.policy import Terms

Deadline = Literal["ack", "resolve"]
DEADLINES: tuple[Deadline, Deadline] = ("ack", "resolve")


@dataclass(frozen=True)
class TimerPlan:
    kind: str
    due_at: datetime


@dataclass(frozen=True)
class DeadlinePlan:
    due: datetime
    provisional: bool
    timers: tuple[TimerPlan, ...]


@dataclass(frozen=True)
class TimerKind:
    deadline: Deadline
    step: Literal["warn", "breach", "escalate"]
    level: int | None = None

    @classmethod
    def parse(cls, kind: str) -> TimerKind:
        deadline, _, step = kind.partition("_")
        if deadline not in DEADLINES:
            raise ValueError(f"unknown timer kind {kind!r}")
        if step == "warn" or step == "breach":
            return cls(deadline, step)  # type: ignore[arg-type]
        name, _, level = step.rpartition("_")
        if name != "escalate" or not level.isdigit():
            raise ValueError(f"unknown timer kind {kind!r}")
        return cls(deadline, "escalate", int(level))


def plan_deadline(
    deadline: Deadline,
    *,
    terms: Terms,
    start: datetime,
    calendar: Calendar,
    levels: int,
    paused_s: float = 0.0,
) -> DeadlinePlan:
    """`levels`: how many escalation units the cycle has (a missing level is skipped)."""
    window = terms.within(deadline)

    def at(offset: float) -> datetime:
        return calendar.add_working(start, offset + paused_s)[0]

    due, provisional = calendar.add_working(start, window + paused_s)
    timers = [TimerPlan(f"{deadline}_warn", at(terms.warn_at * window)), TimerPlan(f"{deadline}_breach", due)]
    for level, after in enumerate(terms.escalate_after[:levels], start=1):
        if after > 0:  # level fired with the breach otherwise (same transaction, in order)
            timers.append(TimerPlan(f"{deadline}_escalate_{level}", at(window * (1 + after))))
    return DeadlinePlan(due, provisional, tuple(timers))


def next_step(plan: DeadlinePlan, fired: Collection[str] = ()) -> TimerPlan | None:
    """The step to arm: the first one of the plan not fired yet (None: all have fired)."""
    return next((t for t in plan.timers if t.kind not in fired), None)


def step_after(plan: DeadlinePlan, kind: str) -> TimerPlan | None:
    """The step that follows `kind` in the plan (None: it was the last one)."""
    kinds = [t.kind for t in plan.timers]
    if kind not in kinds:
        return None
    following = plan.timers[kinds.index(kind) + 1 :]
    return following[0] if following else None


def levels_with_breach(terms: Terms, levels: int) -> list[int]:
    """Escalation levels that fire together with the breach (escalate_after == 0)."""
    return [level for level, after in enumerate(terms.escalate_after[:levels], start=1) if after == 0]
