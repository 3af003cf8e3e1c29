"""Counting what the system did for a set of complaints, straight from each service's database."""

from __future__ import annotations

import asyncio
import time
from dataclasses import asdict, dataclass
from datetime import datetime

import asyncpg
import httpx

from huiyin.db import asyncpg_dsn
from huiyin.devstack.stack import SERVICES, Stack


@dataclass(frozen=True)
class Counts:
    stored: int  # intake rows
    cases: int  # routing: one case per complaint
    open_assignments: int  # routing: assignments not ended (= inbox rows)
    triage: int  # routing: unroutable, in the dispatch desk's triage queue
    complaints_in_two_inboxes: int
    cycles: int  # SLA cycles armed
    ack_breaches_fired: int  # SLA timers of kind ack_breach that fired
    escalations: int  # sla_escalations rows of the ack deadline
    escalation_levels: int  # how many there must be: the levels above each cycle's unit
    fb_assignments: int  # feedback read model
    fb_ack_missed: int
    fb_escalations: int
    audit_submitted: int  # audit trail: one submitted record per complaint
    outbox_pending: int  # unpublished outbox rows over the three services

    def line(self) -> str:
        return " ".join(f"{k}={v}" for k, v in asdict(self).items())


async def _one(url: str, sql: str, *args: object) -> int:
    conn = await asyncpg.connect(asyncpg_dsn(url))
    try:
        return int(await conn.fetchval(sql, *args))
    finally:
        await conn.close()


async def count(stack: Stack, ids: list[str]) -> Counts:
    intake, routing, feedback = (stack.database_url(s) for s in ("intake", "routing", "feedback"))
    q = [
        _one(intake, "SELECT count(*) FROM intake_complaints WHERE id = ANY($1::uuid[])", ids),
        _one(routing, "SELECT count(*) FROM routing_cases WHERE complaint_id = ANY($1::uuid[])", ids),
        _one(
            routing,
            "SELECT count(*) FROM routing_assignments WHERE ended_at IS NULL AND complaint_id = ANY($1::uuid[])",
            ids,
        ),
        _one(
            routing,
            "SELECT count(*) FROM routing_cases WHERE state = 'unroutable' AND complaint_id = ANY($1::uuid[])",
            ids,
        ),
        _one(
            routing,
            "SELECT count(*) FROM (SELECT complaint_id FROM routing_assignments WHERE ended_at IS NULL "
            "AND complaint_id = ANY($1::uuid[]) GROUP BY 1 HAVING count(*) > 1) d",
            ids,
        ),
        _one(routing, "SELECT count(*) FROM sla_cycles WHERE complaint_id = ANY($1::uuid[])", ids),
        _one(
            routing,
            "SELECT count(*) FROM sla_timers WHERE kind = 'ack_breach' AND state = 'fired' AND complaint_id = ANY($1::uuid[])",
            ids,
        ),
        _one(
            routing,
            "SELECT count(*) FROM sla_escalations WHERE kind = 'ack' AND complaint_id = ANY($1::uuid[])",
            ids,
        ),
        _one(
            routing,
            "SELECT coalesce(sum(jsonb_array_length(escalation_units)), 0) FROM sla_cycles WHERE complaint_id = ANY($1::uuid[])",
            ids,
        ),
        _one(feedback, "SELECT count(*) FROM fb_rm_assignment WHERE complaint_id = ANY($1::uuid[])", ids),
        _one(
            feedback,
            "SELECT count(*) FROM fb_rm_obligation WHERE kind = 'ack' AND outcome = 'missed' AND complaint_id = ANY($1::uuid[])",
            ids,
        ),
        _one(
            feedback,
            "SELECT count(*) FROM fb_rm_escalation WHERE kind = 'ack' AND complaint_id = ANY($1::uuid[])",
            ids,
        ),
        _one(
            feedback,
            "SELECT count(*) FROM fb_audit WHERE event_type = 'huiyin.complaint.submitted.v1' AND subject = ANY($1::text[])",
            ids,
        ),
    ]
    values = await asyncio.gather(*q)
    pending = 0
    for url in (intake, routing, feedback):
        pending += await _one(url, "SELECT count(*) FROM outbox WHERE published_at IS NULL")
    return Counts(*values, outbox_pending=pending)


async def stored_since(stack: Stack, since: datetime) -> list[str]:
    """Every complaint intake stored since `since` (incl. ones whose 201 was lost in a crash)."""
    conn = await asyncpg.connect(asyncpg_dsn(stack.database_url("intake")))
    try:
        rows = await conn.fetch("SELECT id::text FROM intake_complaints WHERE submitted_at >= $1", since)
        return [r[0] for r in rows]
    finally:
        await conn.close()


def complete(c: Counts, n: int) -> bool:
    """Every complaint stored once and in exactly one inbox (a unit's, or the triage queue);
    each routed one armed once, breached once, escalated once per level; all counted once."""
    routed = c.open_assignments
    return (
        c.stored == c.cases == c.audit_submitted == n
        and routed + c.triage == n
        and c.complaints_in_two_inboxes == 0
        and c.cycles == c.ack_breaches_fired == c.fb_assignments == c.fb_ack_missed == routed
        and c.escalations == c.fb_escalations == c.escalation_levels
        and c.outbox_pending == 0
    )


async def settle(stack: Stack, ids: list[str], *, timeout: float = 120.0) -> Counts:
    """Wait until the effects of `ids` are complete (or time runs out); return the last counts."""
    deadline = time.monotonic() + timeout
    last = await count(stack, ids)
    while not complete(last, len(ids)) and time.monotonic() < deadline:
        await asyncio.sleep(1.0)
        last = await count(stack, ids)
    return last


async def loops(stack: Stack) -> str:
    """Each service's background loops as its /ready reports them: the post-mortem of a
    count that did not settle (which loop stopped, restarted, or failed, and with what)."""
    keep = ("state", "restarts", "last_error", "processed_total", "assigned")
    lines = []
    async with httpx.AsyncClient(timeout=5) as client:
        for service in SERVICES:
            try:
                body = (await client.get(stack.url(service) + "/ready")).json()
            except (httpx.HTTPError, ValueError) as exc:
                lines.append(f"{service}: /ready failed: {exc!r}")
                continue
            for name, loop in body.get("loops", {}).items():
                shown = {k: (len(v) if k == "assigned" else v) for k, v in loop.items() if k in keep}
                lines.append(f"{service} {name}: {shown}")
    return "\n".join(lines)
