"""When each filed complaint reached a station's inbox, read from routing's database after
the load (no polling per complaint while it runs).

The arrival time is the commit time of the complaint's first assignment row, recorded by
PostgreSQL (`pg_xact_commit_timestamp`): the moment the inbox entry became visible, and
since the deadlines are armed in the same transaction, the moment they were armed too.
`routed_at` (routing's clock when its handler took the batch) is kept beside it.
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

import psycopg

from bench import system
from bench.loadgen import Record
from bench.stats import distribution
from huiyin.devstack.stack import Stack

_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)
_ARRIVALS = """
SELECT a.complaint_id::text, a.routed_at, pg_xact_commit_timestamp(a.xmin),
       EXISTS (SELECT 1 FROM sla_cycles c WHERE c.assignment_id = a.id)
FROM routing_assignments a
WHERE a.complaint_id = ANY(%s::uuid[]) AND a.reason = 'initial'
"""


@dataclass(frozen=True)
class Arrival:
    routed_ns: int
    committed_ns: int | None  # None if PostgreSQL did not record it
    armed: bool


def _ns(at: datetime) -> int:
    return (at - _EPOCH) // timedelta(microseconds=1) * 1000


def placed_count(stack: Stack, ids: list[str]) -> tuple[int, int]:
    """(cases routing holds for `ids`, of which unroutable)."""
    with psycopg.connect(system.dsn(stack, "routing")) as conn:
        row = conn.execute(
            "SELECT count(*), count(*) FILTER (WHERE state = 'unroutable') FROM routing_cases "
            "WHERE complaint_id = ANY(%s::uuid[])",
            (ids,),
        ).fetchone()
    return (int(row[0]), int(row[1])) if row else (0, 0)


def wait_until_placed(stack: Stack, ids: list[str], timeout: float) -> float:
    """Seconds until routing held a case for every id (or `timeout`); polled after the load,
    less often for many ids so the look-ups take little from the database working them off."""
    started, interval = time.monotonic(), 0.25 if len(ids) < 5_000 else 1.0
    while placed_count(stack, ids)[0] < len(ids) and time.monotonic() - started < timeout:
        time.sleep(interval)
    return round(time.monotonic() - started, 2)


def arrivals(stack: Stack, ids: list[str]) -> dict[str, Arrival]:
    with psycopg.connect(system.dsn(stack, "routing")) as conn:
        rows = conn.execute(_ARRIVALS, (ids,)).fetchall()
    return {
        cid: Arrival(_ns(routed), _ns(committed) if committed else None, armed)
        for cid, routed, committed, armed in rows
    }


def inbox_figures(ok: list[Record], found: dict[str, Arrival]) -> dict[str, Any]:
    """Throughput into the inboxes and latency from each 201 to its inbox row."""
    pairs = [(r, found[r.id]) for r in ok if r.id in found]
    commits = sorted(a.committed_ns if a.committed_ns is not None else a.routed_ns for _, a in pairs)
    span_s = (commits[-1] - commits[0]) / 1e9 if len(commits) > 1 else 0.0
    return {
        "accepted": len(ok),
        "reached_inbox": len(pairs),
        "armed": sum(1 for _, a in pairs if a.armed),
        "missing": len(ok) - len(pairs),
        "inbox_per_s": round(len(pairs) / span_s, 1) if span_s > 0 else None,
        "latency_ms": distribution(
            (a.committed_ns - r.done_ns) / 1e6 for r, a in pairs if a.committed_ns is not None
        ),
        "latency_routed_at_ms": distribution((a.routed_ns - r.done_ns) / 1e6 for r, a in pairs),
        # routing's own transaction: from its handler taking the batch to the commit
        "handler_to_commit_ms": distribution(
            (a.committed_ns - a.routed_ns) / 1e6 for _, a in pairs if a.committed_ns is not None
        ),
    }
