"""Pending SLA timers written straight into routing's tables, in the shape its engine writes
them (`routing.sla.service.arm_cycles`): one `sla_cycles` row per cycle with the policy
snapshot of the default `normal` policy, and for each deadline its steps (warn, breach,
escalate 2): the ones fired already, and the next one pending (a deadline has one step
armed at a time; firing it arms the one after). Set-based SQL on the server: a million rows
load in seconds, not minutes.
"""

from __future__ import annotations

import json
import uuid
from dataclasses import dataclass
from datetime import datetime, timedelta

import psycopg

from routing.demo import demo_units
from routing.sla.config import SlaSettings
from routing.sla.policy import DEFAULT_POLICIES, WILDCARD, apply_terms

# (kind, offset from the cycle start) of the normal policy: ack 2 h, resolve 5 days, warn at
# 0.75, level 2 one whole window past the deadline (level 1 fires with the breach).
TIMERS = (
    ("ack_warn", timedelta(hours=1.5)),
    ("ack_breach", timedelta(hours=2)),
    ("ack_escalate_2", timedelta(hours=4)),
    ("resolve_warn", timedelta(days=3.75)),
    ("resolve_breach", timedelta(days=5)),
    ("resolve_escalate_2", timedelta(days=10)),
)
ESCALATION_UNITS = ["bureau-zhonglou", "supervision"]
CATEGORIES = ["traffic", "public_order", "noise", "fraud", "theft", "other"]

_CYCLES = """
INSERT INTO sla_cycles (assignment_id, cycle, complaint_id, unit_id, category, priority, policy,
                        calendar, started_at, ack_due, resolve_due, escalation_units)
SELECT a, 1, c, (%(units)s::text[])[1 + (n %% cardinality(%(units)s::text[]))],
       (%(cats)s::text[])[1 + (n %% cardinality(%(cats)s::text[]))], 'normal', %(policy)s::jsonb,
       'workdays', s, s + interval '2 hours', s + interval '5 days', %(escalation)s::jsonb
  FROM unnest(%(assignments)s::uuid[], %(complaints)s::uuid[], %(starts)s::timestamptz[])
       WITH ORDINALITY AS x(a, c, s, n)
"""
# Each step that fell due before `fired_before` has fired; the first one after it is pending
# (its previous step, `prev`, fired or it has none); later ones are not armed yet.
_TIMERS = """
INSERT INTO sla_timers (assignment_id, cycle, complaint_id, unit_id, kind, due_at, state, fired_at)
SELECT c.assignment_id, 1, c.complaint_id, c.unit_id, k.kind, c.started_at + k.offs,
       CASE WHEN c.started_at + k.offs < %(fired_before)s THEN 'fired' ELSE 'pending' END,
       CASE WHEN c.started_at + k.offs < %(fired_before)s THEN c.started_at + k.offs END
  FROM sla_cycles c
  JOIN unnest(%(assignments)s::uuid[]) AS x(a) ON c.assignment_id = x.a AND c.cycle = 1
 CROSS JOIN unnest(%(kinds)s::text[], %(offsets)s::interval[], %(prev)s::interval[]) AS k(kind, offs, prev)
 WHERE c.started_at + k.offs < %(fired_before)s OR k.prev IS NULL OR c.started_at + k.prev < %(fired_before)s
"""
# A far-future bulk: generated on the server (uuids, starts spread over 30 days).
_BULK = """
WITH c AS (
  INSERT INTO sla_cycles (assignment_id, cycle, complaint_id, unit_id, category, priority, policy,
                          calendar, started_at, ack_due, resolve_due, escalation_units)
  SELECT gen_random_uuid(), 1, gen_random_uuid(),
         (%(units)s::text[])[1 + (g %% cardinality(%(units)s::text[]))],
         (%(cats)s::text[])[1 + (g %% cardinality(%(cats)s::text[]))], 'normal', %(policy)s::jsonb,
         'workdays', %(start)s::timestamptz + (g %% 2592000) * interval '1 second',
         %(start)s::timestamptz + (g %% 2592000) * interval '1 second' + interval '2 hours',
         %(start)s::timestamptz + (g %% 2592000) * interval '1 second' + interval '5 days',
         %(escalation)s::jsonb
    FROM generate_series(1, %(n)s) g
  RETURNING assignment_id, complaint_id, unit_id, started_at)
INSERT INTO sla_timers (assignment_id, cycle, complaint_id, unit_id, kind, due_at, state)
SELECT c.assignment_id, 1, c.complaint_id, c.unit_id, k.kind, c.started_at + k.offs, 'pending'
  FROM c CROSS JOIN unnest(%(kinds)s::text[], %(offsets)s::interval[], %(prev)s::interval[]) AS k(kind, offs, prev)
 WHERE k.prev IS NULL
"""


@dataclass(frozen=True)
class DueTimer:
    assignment_id: uuid.UUID
    kind: str  # ack_warn | ack_breach
    due_at: datetime


def _common() -> dict[str, object]:
    settings = SlaSettings()
    terms = apply_terms(
        DEFAULT_POLICIES[(WILDCARD, "normal")],
        matched=f"{WILDCARD}/normal",
        scale=1.0,
        force_24x7=False,
        working_hours=settings.working_hours,
        timezone=settings.timezone,
    )
    stations = [u["id"] for u in demo_units() if u["kind"] == "police_station"]
    return {
        "units": stations,
        "cats": CATEGORIES,
        "policy": json.dumps(terms.model_dump(mode="json")),
        "escalation": json.dumps(ESCALATION_UNITS),
        "kinds": [k for k, _ in TIMERS],
        "offsets": [o for _, o in TIMERS],
        "prev": [_previous(k) for k, _ in TIMERS],
    }


def _previous(kind: str) -> timedelta | None:
    """The offset of the step before `kind` in its deadline (None: it is the first)."""
    same = [(k, o) for k, o in TIMERS if k.split("_")[0] == kind.split("_")[0]]
    at = [k for k, _ in same].index(kind)
    return same[at - 1][1] if at else None


def empty(dsn: str) -> None:
    """Routing's SLA state from the filing steps goes: nothing reads it after them."""
    with psycopg.connect(dsn, autocommit=True) as conn:
        conn.execute("TRUNCATE sla_timers, sla_escalations, sla_cycles")


def pending(dsn: str) -> int:
    with psycopg.connect(dsn) as conn:
        row = conn.execute("SELECT count(*) FROM sla_timers WHERE state = 'pending'").fetchone()
        return int(row[0]) if row else 0


def load_far(dsn: str, timers: int, *, start: datetime, chunk: int = 50_000) -> None:
    """About `timers` pending timers (each cycle's two warnings: the first step of each
    deadline), all due after `start`; then ANALYZE, as autovacuum would after a load this size."""
    common = _common()
    cycles = max(1, timers // sum(1 for k, _ in TIMERS if _previous(k) is None))
    with psycopg.connect(dsn, autocommit=True) as conn:
        for lo in range(0, cycles, chunk):
            conn.execute(_BULK, {**common, "n": min(chunk, cycles - lo), "start": start})
        conn.execute("ANALYZE sla_cycles")
        conn.execute("ANALYZE sla_timers")


def load_due(dsn: str, n: int, *, first_due: datetime, window_s: float) -> list[DueTimer]:
    """`n` cycles whose ack warning (half) or ack breach (half) falls due in the window,
    spread evenly; a breach cycle's warning has fired already, as it would have."""
    common = _common()
    due = []
    for i in range(n):
        kind = "ack_warn" if i % 2 == 0 else "ack_breach"
        due.append(DueTimer(uuid.uuid4(), kind, first_due + timedelta(seconds=window_s * i / max(n, 1))))
    offsets = dict(TIMERS)
    starts = [d.due_at - offsets[d.kind] for d in due]
    params = {
        **common,
        "assignments": [d.assignment_id for d in due],
        "complaints": [uuid.uuid4() for _ in due],
        "starts": starts,
        "fired_before": first_due - timedelta(seconds=1),
    }
    with psycopg.connect(dsn) as conn:
        conn.execute(_CYCLES, params)
        conn.execute(_TIMERS, params)
        conn.commit()
    return due


def claim_plan(dsn: str, limit: int) -> list[str]:
    """EXPLAIN of the scheduler's claim query (routing.sla.firing._claim) as it runs now."""
    from sqlalchemy.dialects import postgresql

    from routing.sla.firing import _claim

    stmt = _claim(datetime.now().astimezone(), limit)
    sql = str(stmt.compile(dialect=postgresql.dialect(), compile_kwargs={"literal_binds": True}))
    with psycopg.connect(dsn) as conn:
        return [r[0] for r in conn.execute("EXPLAIN " + sql).fetchall()]  # type: ignore[arg-type]
