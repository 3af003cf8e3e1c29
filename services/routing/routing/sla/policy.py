"""SLA policies (per category x priority) and the terms a cycle is armed with. No I/O."""

from __future__ import annotations

from typing import Literal, Self

from pydantic import BaseModel, ConfigDict, Field, model_validator

CalendarKind = Literal["24x7", "workdays"]
WILDCARD = "*"  # the category of a priority's default policy
WORKING_DAY_S = 7 * 3600  # one day of the default working hours: 09:00-12:00 (3 h) + 13:30-17:30 (4 h)


class Policy(BaseModel):
    """What an administrator sets. Durations are seconds (working seconds on `workdays`).

    `escalate_after[i]` is when escalation level i+1 fires, as a fraction of the window
    past the deadline: 0.0 with the breach, 1.0 once a second whole window is overdue.
    """

    model_config = ConfigDict(frozen=True, extra="forbid")

    ack_within_s: float = Field(ge=1, le=366 * 86400)
    resolve_within_s: float = Field(ge=1, le=366 * 86400)
    warn_at: float = Field(gt=0, lt=1)
    calendar: CalendarKind
    escalate_after: tuple[float, ...] = Field((0.0, 1.0), max_length=5)

    @model_validator(mode="after")
    def _escalation_in_order(self) -> Self:
        steps = self.escalate_after
        if any(a < 0 or a > 100 for a in steps) or list(steps) != sorted(steps):
            raise ValueError("escalate_after must be non-decreasing fractions between 0 and 100")
        return self


class Terms(Policy):
    """A policy as applied to one cycle: frozen into `sla_cycles.policy` at arm time, so
    a later edit of the policy or of the settings never changes an armed cycle."""

    matched: str  # "category/priority" of the policy row used
    scale: float = 1.0
    working_hours: str
    timezone: str

    def within(self, deadline: str) -> float:
        return self.ack_within_s if deadline == "ack" else self.resolve_within_s


DEFAULT_POLICIES: dict[tuple[str, str], Policy] = {
    (WILDCARD, "urgent"): Policy(
        ack_within_s=30 * 60, resolve_within_s=24 * 3600, warn_at=0.75, calendar="24x7"
    ),
    (WILDCARD, "normal"): Policy(
        ack_within_s=2 * 3600, resolve_within_s=5 * WORKING_DAY_S, warn_at=0.75, calendar="workdays"
    ),
}


def fallback_policy(priority: str) -> tuple[str, Policy]:
    """The built-in default when no row matches (an unknown priority gets `normal`)."""
    key = (WILDCARD, priority) if (WILDCARD, priority) in DEFAULT_POLICIES else (WILDCARD, "normal")
    return f"{key[0]}/{key[1]} (built-in)", DEFAULT_POLICIES[key]


def apply_terms(
    policy: Policy,
    *,
    matched: str,
    scale: float,
    force_24x7: bool,
    working_hours: str,
    timezone: str,
) -> Terms:
    """The policy with the process's demo overrides applied (scale, 24x7) and the working
    hours it will be counted in."""
    return Terms(
        ack_within_s=max(policy.ack_within_s * scale, 1.0),
        resolve_within_s=max(policy.resolve_within_s * scale, 1.0),
        warn_at=policy.warn_at,
        calendar="24x7" if force_24x7 else policy.calendar,
        escalate_after=policy.escalate_after,
        matched=matched,
        scale=scale,
        working_hours=working_hours,
        timezone=timezone,
    )
