"""Consumer handlers that keep the accountability read model up to date.

Each run of events: write the raw facts, derive outcomes and days for the complaints it
touched, and add to the daily counters and the monthly histograms the change in what those
complaints count (read before the writes and after them). Read-model writers take one
advisory lock per batch (before their first read) so no two transactions change counters
at once.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable, Sequence
from typing import Any

from sqlalchemy import text

from feedback.adapters import readmodel_derive, readmodel_rollup, readmodel_sql, readmodel_times
from feedback.adapters.readmodel_rollup import READ_MODEL_LOCK
from feedback.handlers import readmodel_facts as facts
from feedback.handlers import readmodel_hotspots
from huiyin.db import UnitOfWork
from huiyin.events import Event
from huiyin.events import assignments as a
from huiyin.events import complaints as c
from huiyin.events import feedback as f
from huiyin.events import sla as s
from huiyin.messaging.handlers import Handler, HandlerTable

Writes = list[tuple[readmodel_sql.Upsert, list[facts.Row]]]


def applying(to_writes: Callable[[Sequence[Event[Any]]], Writes]) -> Handler:
    async def handler(uow: UnitOfWork, events: Sequence[Event[Any]]) -> None:
        session = uow.session
        await session.execute(text("SELECT pg_advisory_xact_lock(:k)"), {"k": READ_MODEL_LOCK})
        ids = facts.complaint_ids(events)
        before = await readmodel_rollup.of_complaints(session, ids)
        times_before = await readmodel_times.entries(session, ids)
        for upsert, rows in to_writes(events):
            await upsert.write(session, rows)
        await readmodel_derive.derive(session, ids)
        await readmodel_rollup.apply_change(
            session, before, await readmodel_rollup.of_complaints(session, ids)
        )
        await readmodel_times.apply_change(session, times_before, await readmodel_times.entries(session, ids))

    handler.__name__ = f"apply_{to_writes.__name__}"
    return handler


def routed(events: Sequence[Event[a.ComplaintRouted]]) -> Writes:
    units, assignments, obligations = [], [], []
    for e in events:
        d = e.data
        units.append(facts.unit(d, d.routed_at))
        assignments.append(facts.assignment(d, category=d.category, reason=d.reason, started_at=d.routed_at))
        obligations += facts.cycle_start(d, d.routed_at)
    return [(readmodel_sql.UNIT, units), (readmodel_sql.ASSIGNMENT, assignments),
            (readmodel_sql.OBLIGATION, obligations)]  # fmt: skip


def reopened(events: Sequence[Event[a.ComplaintReopened]]) -> Writes:
    units = [facts.unit(e.data, e.data.reopened_at) for e in events]
    obligations = [row for e in events for row in facts.cycle_start(e.data, e.data.reopened_at)]
    return [(readmodel_sql.UNIT, units), (readmodel_sql.OBLIGATION, obligations)]


def acknowledged(events: Sequence[Event[a.ComplaintAcknowledged]]) -> Writes:
    return [(readmodel_sql.OBLIGATION, [row for e in events for row in facts.outcome(e, "ack")])]


def resolved(events: Sequence[Event[a.ComplaintResolved]]) -> Writes:
    return [(readmodel_sql.OBLIGATION, [row for e in events for row in facts.outcome(e, "resolve")])]


def handed_on(events: Sequence[Event[a.ComplaintReturned | a.ComplaintTransferred]]) -> Writes:
    kind = "returned" if isinstance(events[0].data, a.ComplaintReturned) else "transferred"
    ends = [facts.assignment(e.data, ended_at=e.data.at, end_kind=kind) for e in events]
    obligations = [row for e in events for row in facts.handed_on(e.data)]
    return [(readmodel_sql.ASSIGNMENT, ends), (readmodel_sql.OBLIGATION, obligations)]


def paused(events: Sequence[Event[a.InformationRequested]]) -> Writes:
    return [(readmodel_sql.ASSIGNMENT, [facts.assignment(e.data, awaiting_since=e.data.at) for e in events])]


def resumed(events: Sequence[Event[a.ComplaintResumed]]) -> Writes:
    return [
        (readmodel_sql.ASSIGNMENT, [facts.assignment(e.data, resumed_at=e.data.at) for e in events]),
        (readmodel_sql.OBLIGATION, [facts.resumed(e.data) for e in events]),
    ]


def breached(events: Sequence[Event[s.SlaBreached]]) -> Writes:
    return [(readmodel_sql.OBLIGATION, [facts.breach(e.data) for e in events])]


def recomputed(events: Sequence[Event[s.DeadlinesRecomputed]]) -> Writes:
    return [(readmodel_sql.OBLIGATION, [row for e in events for row in facts.recomputed(e.data)])]


def escalated(events: Sequence[Event[s.ComplaintEscalated]]) -> Writes:
    return [(readmodel_sql.ESCALATION, [facts.escalation(e.data) for e in events])]


def complaint_facts(events: Sequence[Event[c.ComplaintSubmitted | c.ComplaintWithdrawn]]) -> Writes:
    return [(readmodel_sql.COMPLAINT, [facts.complaint(e.data) for e in events])]


def _resolution(d: f.FeedbackEvent) -> uuid.UUID:
    # Every FeedbackEvent this service emits names its assignment; older ones fall back to
    # one key per complaint and unit.
    return d.assignment_id or uuid.uuid5(uuid.NAMESPACE_URL, f"huiyin:{d.complaint_id}:{d.unit_id}")


def feedback(events: Sequence[Event[f.FeedbackEvent]]) -> Writes:
    rows = []
    for e in events:
        d = e.data
        fields: dict[str, Any]
        if isinstance(d, f.FeedbackRequested):
            fields = {"requested_at": d.requested_at, "closes_at": d.closes_at}
        elif isinstance(d, f.VerdictGiven):
            fields = {
                "given_at": d.at, "resolved": d.resolved, "satisfaction": d.satisfaction,
                "reopen_requested": d.reopen_requested, "review_flagged": d.review_flagged,
            }  # fmt: skip
        elif isinstance(d, f.FeedbackExpired):
            fields = {"expired_at": d.at}
        else:
            raise TypeError(f"not a feedback event the read model knows: {e.type}")
        rows.append(facts.verdict(d, _resolution(d), **fields))
    return [(readmodel_sql.VERDICT, rows)]


def handler_table() -> HandlerTable:
    def one(fn: Callable[[Sequence[Event[Any]]], Writes]) -> list[Handler]:
        return [applying(fn)]

    return {
        c.ComplaintSubmitted: one(complaint_facts),
        c.ComplaintWithdrawn: one(complaint_facts),
        a.ComplaintRouted: one(routed),
        a.ComplaintReopened: one(reopened),
        a.ComplaintAcknowledged: one(acknowledged),
        a.ComplaintResolved: one(resolved),
        a.ComplaintReturned: one(handed_on),
        a.ComplaintTransferred: one(handed_on),
        a.InformationRequested: one(paused),
        a.ComplaintResumed: one(resumed),
        s.SlaBreached: one(breached),
        s.DeadlinesRecomputed: one(recomputed),
        s.ComplaintEscalated: one(escalated),
        f.FeedbackRequested: one(feedback),
        f.VerdictGiven: one(feedback),
        f.FeedbackExpired: one(feedback),
        **{t: [readmodel_hotspots.apply_hotspot_facts] for t in readmodel_hotspots.COUNTED},
    }
