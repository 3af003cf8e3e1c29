"""Each event type's raw facts for the read model, as rows for the upserts of
adapters/readmodel_sql.py. Plain mapping, no decisions: the rules live in the derivation."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any
from uuid import UUID

from huiyin.events import Event
from huiyin.events import assignments as a
from huiyin.events import complaints as c
from huiyin.events import feedback as f
from huiyin.events import sla as s

Row = dict[str, Any]
_OBLIGATION_FIELDS = (
    "started_at", "due", "due_set_at", "done_at", "done_met", "wall_s", "working_s",
    "responded_at", "responded_met", "ended_at", "breached_at", "reopened_at",
)  # fmt: skip
_ASSIGNMENT_FIELDS = (
    "category",
    "reason",
    "started_at",
    "ended_at",
    "end_kind",
    "awaiting_since",
    "resumed_at",
)
_VERDICT_FIELDS = (
    "requested_at", "closes_at", "given_at", "expired_at", "resolved", "satisfaction",
    "reopen_requested", "review_flagged",
)  # fmt: skip


def obligation(d: Any, cycle: int, kind: str, **fields: Any) -> Row:
    row: Row = dict.fromkeys(_OBLIGATION_FIELDS)
    row.update(assignment_id=d.assignment_id, cycle=cycle, kind=kind, complaint_id=d.complaint_id)
    row.update(unit_id=d.unit_id, **fields)
    return row


def assignment(d: Any, **fields: Any) -> Row:
    row: Row = dict.fromkeys(_ASSIGNMENT_FIELDS)
    row.update(category="", assignment_id=d.assignment_id, complaint_id=d.complaint_id, unit_id=d.unit_id)
    row.update(fields)
    return row


def unit(d: a.UnitFacts, seen_at: Any) -> Row:
    return {
        "unit_id": d.unit_id,
        "name": d.unit_name,
        "kind": d.unit_kind,
        "district_id": d.district_id,
        "district_name": d.district_name,
        "seen_at": seen_at,
    }


def cycle_start(d: a.ComplaintRouted | a.ComplaintReopened, started: Any) -> list[Row]:
    """Both deadlines of a new cycle; a cycle after the first reopens the one before."""
    rows = [
        obligation(d, d.cycle, "ack", started_at=started, due=d.ack_due, due_set_at=started),
        obligation(d, d.cycle, "resolve", started_at=started, due=d.resolve_due, due_set_at=started),
    ]
    if d.cycle > 1:
        rows.append(obligation(d, d.cycle - 1, "resolve", reopened_at=started))
    return rows


def outcome(e: Event[Any], kind: str) -> list[Row]:
    d = e.data
    done = obligation(
        d, d.cycle, kind, due=d.due, due_set_at=d.at, done_at=d.at, done_met=d.met,
        wall_s=d.wall_s, working_s=d.working_s,
    )  # fmt: skip
    if kind == "resolve":  # resolving answers the citizen: it settles an ack still open
        return [done, obligation(d, d.cycle, "ack", responded_at=d.at)]
    return [done]


def handed_on(d: a.ComplaintReturned | a.ComplaintTransferred) -> list[Row]:
    """A return or transfer answers the ack deadline (ack_met says how) and ends the cycle."""
    ack = obligation(d, d.cycle, "ack", ended_at=d.at)
    if d.ack_met is not None:
        ack.update(responded_at=d.at, responded_met=d.ack_met)
    return [ack, obligation(d, d.cycle, "resolve", ended_at=d.at)]


def breach(d: s.SlaBreached) -> Row:
    return obligation(d, d.cycle, d.kind, due=d.due, due_set_at=d.at, breached_at=d.at)


def recomputed(d: s.DeadlinesRecomputed) -> list[Row]:
    return [
        obligation(d, d.cycle, "ack", due=d.ack_due, due_set_at=d.at),
        obligation(d, d.cycle, "resolve", due=d.resolve_due, due_set_at=d.at),
    ]


def resumed(d: a.ComplaintResumed) -> Row:
    return obligation(d, d.cycle, "resolve", due=d.resolve_due, due_set_at=d.at)


def complaint(d: c.ComplaintSubmitted | c.ComplaintWithdrawn) -> Row:
    row: Row = dict.fromkeys(("category", "priority", "channel", "submitted_at", "withdrawn_at"))
    row["complaint_id"] = d.complaint_id
    if isinstance(d, c.ComplaintSubmitted):
        row.update(category=d.category, priority=d.priority, channel=d.channel, submitted_at=d.submitted_at)
    else:
        row["withdrawn_at"] = d.withdrawn_at
    return row


def verdict(d: f.FeedbackEvent, assignment_id: UUID, **fields: Any) -> Row:
    row: Row = dict.fromkeys(_VERDICT_FIELDS)
    row.update(assignment_id=assignment_id, cycle=d.cycle, complaint_id=d.complaint_id, unit_id=d.unit_id)
    row.update(fields)
    return row


def escalation(d: s.ComplaintEscalated) -> Row:
    return {
        "assignment_id": d.assignment_id,
        "cycle": d.cycle,
        "kind": d.kind,
        "level": d.level,
        "complaint_id": d.complaint_id,
        "unit_id": d.unit_id,
        "watcher_unit_id": d.watcher_unit_id,
        "at": d.at,
    }


def complaint_ids(events: Sequence[Event[Any]]) -> set[UUID]:
    return {e.data.complaint_id for e in events}
