"""The audit log in PostgreSQL: appends in one chain, a walk in seq order, timelines.

Appends are serialized by one transaction-scoped advisory lock, taken once per batch: the
chain has one head, and any number of replicas can append without forking it.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncSession

from feedback.domain.audit_chain import GENESIS, StoredRecord, canonical, link
from huiyin.events import Event

AUDIT_LOCK = 0x48594641  # "HYFA"
HEAD_KEY = "fb_audit_head"  # in Session.info: (transaction, seq, hash) of the chain's head

HEAD = "SELECT seq, hash FROM fb_audit ORDER BY seq DESC LIMIT 1"
KNOWN = "SELECT event_id FROM fb_audit WHERE event_id = ANY(:ids)"
APPEND = """
INSERT INTO fb_audit (seq, event_id, topic, event_type, subject, event_time, content, prev_hash, hash)
SELECT * FROM unnest(CAST(:seq AS bigint[]), CAST(:event_id AS text[]), CAST(:topic AS text[]),
  CAST(:event_type AS text[]), CAST(:subject AS text[]), CAST(:event_time AS timestamptz[]),
  CAST(:content AS text[]), CAST(:prev_hash AS text[]), CAST(:hash AS text[]))
"""
WALK = """
SELECT seq, event_id, content, prev_hash, hash FROM fb_audit
 WHERE seq > :after ORDER BY seq LIMIT :limit
"""
ABOUT = """
INSERT INTO fb_audit_about (complaint_id, seq)
SELECT * FROM unnest(CAST(:complaint_id AS text[]), CAST(:seq AS bigint[])) ON CONFLICT DO NOTHING
"""
TIMELINE = """
SELECT seq, event_id, topic, event_type, event_time, content FROM fb_audit WHERE subject = :subject
UNION ALL
SELECT a.seq, a.event_id, a.topic, a.event_type, a.event_time, a.content
  FROM fb_audit_about x JOIN fb_audit a ON a.seq = x.seq WHERE x.complaint_id = :subject
 ORDER BY seq
"""


def complaints_named(event: Event[Any]) -> list[str]:
    """The complaints an event is about besides its subject (a hot-spot event names them)."""
    named = list(getattr(event.data, "complaint_ids", None) or [])
    if (one := getattr(event.data, "complaint_id", None)) is not None:
        named.append(one)
    return [c for c in dict.fromkeys(str(c) for c in named) if c != event.subject]


async def append(session: AsyncSession, events: Sequence[Event[Any]]) -> int:
    """Append the events not recorded yet; returns how many were appended.

    The consumer calls this once per run of one event type, several times per transaction:
    the lock and the chain's head are read at the first call and the head is then carried
    in the session (the lock holds it until commit, so nobody else moves it)."""
    transaction = session.sync_session.get_transaction()
    carried = session.info.get(HEAD_KEY)
    if carried is not None and carried[0] is transaction:
        seq, prev = carried[1], carried[2]
    else:
        await session.execute(text("SELECT pg_advisory_xact_lock(:k)"), {"k": AUDIT_LOCK})
        row = (await session.execute(text(HEAD))).first()
        seq, prev = (row[0], row[1]) if row else (0, GENESIS)
    known = {r[0] for r in await session.execute(text(KNOWN), {"ids": [e.id for e in events]})}
    cols: dict[str, list[Any]] = {k: [] for k in ("seq", "event_id", "topic", "event_type", "subject")}
    cols |= {"event_time": [], "content": [], "prev_hash": [], "hash": []}
    about: dict[str, list[Any]] = {"complaint_id": [], "seq": []}
    for event in events:
        if event.id in known:
            continue
        known.add(event.id)
        content = canonical(event.to_wire())
        seq, digest = seq + 1, link(prev, content)
        for key, value in (
            ("seq", seq), ("event_id", event.id), ("topic", event.topic), ("event_type", event.type),
            ("subject", event.subject), ("event_time", event.time), ("content", content),
            ("prev_hash", prev), ("hash", digest),
        ):  # fmt: skip
            cols[key].append(value)
        prev = digest
        for complaint_id in complaints_named(event):
            about["complaint_id"].append(complaint_id)
            about["seq"].append(seq)
    if cols["seq"]:
        await session.execute(text(APPEND), cols)
    session.info[HEAD_KEY] = (session.sync_session.get_transaction(), seq, prev)
    if about["seq"]:
        await session.execute(text(ABOUT), about)
    return len(cols["seq"])


async def walk(session: AsyncSession, *, chunk: int = 5000) -> AsyncIterator[list[StoredRecord]]:
    after = 0
    while True:
        rows = (await session.execute(text(WALK), {"after": after, "limit": chunk})).all()
        if not rows:
            return
        yield [StoredRecord(r[0], r[1], r[2], r[3], r[4]) for r in rows]
        after = rows[-1][0]


async def timeline(session: AsyncSession, subject: str) -> list[dict[str, Any]]:
    rows = (await session.execute(text(TIMELINE), {"subject": subject})).all()
    return [
        {"seq": r[0], "event_id": r[1], "topic": r[2], "type": r[3], "time": r[4], "content": r[5]}
        for r in rows
    ]


async def head(session: AsyncSession) -> tuple[int, str, datetime | None]:
    row = (
        await session.execute(text("SELECT seq, hash, recorded_at FROM fb_audit ORDER BY seq DESC LIMIT 1"))
    ).first()
    return (row[0], row[1], row[2]) if row else (0, GENESIS, None)
