"""Migration 0007: cycles armed with every step pending keep only the earliest pending step
of each deadline (firing it arms the next), and from then on a deadline cannot hold two."""

from __future__ import annotations

import json
import uuid
from datetime import UTC, datetime, timedelta

import psycopg
import pytest

from huiyin.migrate import upgrade
from tests.support.infra import Infra

pytestmark = pytest.mark.integration

STEPS = (("ack_warn", 1.5), ("ack_breach", 2), ("ack_escalate_2", 4),
         ("resolve_warn", 90), ("resolve_breach", 120), ("resolve_escalate_2", 240))  # fmt: skip


def _cycle(conn: psycopg.Connection, start: datetime, fired: set[str]) -> uuid.UUID:
    assignment = uuid.uuid4()
    conn.execute(
        "INSERT INTO sla_cycles (assignment_id, cycle, complaint_id, unit_id, category, priority, policy,"
        " calendar, started_at, ack_due, resolve_due, escalation_units)"
        " VALUES (%s, 1, %s, 'unit-a', 'noise', 'normal', '{}', '24x7', %s, %s, %s, %s)",
        (assignment, uuid.uuid4(), start, start + timedelta(hours=2), start + timedelta(hours=120),
         json.dumps(["bureau", "supervision"])),
    )  # fmt: skip
    for kind, hours in STEPS:
        state = "fired" if kind in fired else "pending"
        conn.execute(
            "INSERT INTO sla_timers (assignment_id, cycle, complaint_id, unit_id, kind, due_at, state)"
            " SELECT assignment_id, 1, complaint_id, unit_id, %s, %s, %s FROM sla_cycles WHERE assignment_id = %s",
            (kind, start + timedelta(hours=hours), state, assignment),
        )
    return assignment


def _pending(conn: psycopg.Connection, assignment: uuid.UUID) -> set[str]:
    rows = conn.execute(
        "SELECT kind FROM sla_timers WHERE assignment_id = %s AND state = 'pending'", (assignment,)
    ).fetchall()
    return {r[0] for r in rows}


def test_only_the_next_step_of_each_deadline_stays_armed(infra: Infra) -> None:
    url = infra.create_database("routing", revision="0006")
    dsn = url.replace("postgresql+asyncpg://", "postgresql://")
    start = datetime(2026, 11, 24, 9, tzinfo=UTC)
    with psycopg.connect(dsn) as conn:
        fresh = _cycle(conn, start, fired=set())
        warned = _cycle(conn, start, fired={"ack_warn"})
    upgrade("routing", url)
    with psycopg.connect(dsn) as conn:
        assert _pending(conn, fresh) == {"ack_warn", "resolve_warn"}
        assert _pending(conn, warned) == {"ack_breach", "resolve_warn"}
        states = dict(conn.execute(
            "SELECT kind, state FROM sla_timers WHERE assignment_id = %s", (warned,)
        ).fetchall())  # fmt: skip
        assert states["ack_warn"] == "fired" and states["ack_escalate_2"] == "cancelled"
        with pytest.raises(psycopg.errors.UniqueViolation):
            conn.execute(
                "INSERT INTO sla_timers (assignment_id, cycle, complaint_id, unit_id, kind, due_at, state)"
                " SELECT assignment_id, 1, complaint_id, unit_id, 'ack_escalate_2', now(), 'pending'"
                " FROM sla_cycles WHERE assignment_id = %s",
                (warned,),
            )
