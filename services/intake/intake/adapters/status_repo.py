"""The status view in SQL: set-based updates from a batch of events, and the timeline."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from functools import lru_cache
from typing import Any
from uuid import UUID

from sqlalchemy import TextClause, select, text
from sqlalchemy.ext.asyncio import AsyncSession
from sqlmodel import col

from huiyin import jsonutil
from huiyin.sqlsets import Column, column_params, unnest_insert, unnest_select
from intake.adapters.tables import ComplaintStatus, TimelineEntry
from intake.domain.status import FINAL
from intake.domain.view_changes import ViewChange

# The status columns an event may set, with their types (also the whitelist of names
# that may appear in the generated UPDATE).
FIELD_TYPES = {
    "unit_id": "text",
    "unit_name": "text",
    "assignment_id": "uuid",
    "ack_due": "timestamptz",
    "resolve_due": "timestamptz",
    "answer": "text",
    "resolved_at": "timestamptz",
    "question": "text",
    "question_at": "timestamptz",
    "feedback_requested": "bool",
    "feedback_closes_at": "timestamptz",
}
TIMELINE_COLUMNS = [
    ("complaint_id", "uuid"),
    ("event_id", "text"),
    ("at", "timestamptz"),
    ("kind", "text"),
    ("detail", "jsonb"),
]
INSERT_TIMELINE = text(
    unnest_insert(
        "intake_timeline", TIMELINE_COLUMNS, suffix="ON CONFLICT (complaint_id, event_id) DO NOTHING"
    )
)
GroupKey = tuple[bool, tuple[str, ...], bool, frozenset[str] | None]


def group_key(change: ViewChange) -> GroupKey:
    return (
        change.state is not None,
        tuple(sorted(change.fields)),
        change.only_for_assignment is not None,
        change.only_from,
    )


@lru_cache(maxsize=64)
def update_statement(key: GroupKey) -> tuple[TextClause, tuple[str, ...]]:
    """The UPDATE for changes of one shape, and the names of the arrays it binds."""
    has_state, fields, guarded, only_from = key
    unknown = set(fields) - set(FIELD_TYPES)
    if unknown:
        raise ValueError(f"not a status view column: {sorted(unknown)}")
    columns: list[Column] = [("complaint_id", "uuid"), ("at", "timestamptz")]
    columns += [("state", "text")] if has_state else []
    columns += [(f, FIELD_TYPES[f]) for f in fields]
    columns += [("guard", "uuid")] if guarded else []
    sets = [*(["state = v.state"] if has_state else []), *(f"{f} = v.{f}" for f in fields)]
    sets.append("updated_at = GREATEST(s.updated_at, v.at)")
    where = ["s.complaint_id = v.complaint_id"]
    if has_state:
        final = ", ".join(f"'{state}'" for state in sorted(FINAL))
        where.append(f"s.state NOT IN ({final})")  # a withdrawn or closed complaint stays so
    if guarded:
        where.append("s.assignment_id = v.guard")
    if only_from is not None:
        where.append(f"s.state IN ({', '.join(repr(state) for state in sorted(only_from))})")
    sql = f"UPDATE intake_status s SET {', '.join(sets)} FROM ({unnest_select(columns)}) v WHERE {' AND '.join(where)}"  # noqa: S608 - names from FIELD_TYPES and our own state constants only
    return text(sql), tuple(name for name, _ in columns)


async def current_states(session: AsyncSession, ids: Sequence[UUID]) -> dict[UUID, str]:
    rows = await session.execute(
        select(col(ComplaintStatus.complaint_id), col(ComplaintStatus.state)).where(
            col(ComplaintStatus.complaint_id).in_(ids)
        )
    )
    return {r[0]: r[1] for r in rows}


async def apply_changes(session: AsyncSession, changes: Sequence[ViewChange]) -> None:
    """Apply changes of one shape each (a run of one event type); the last per complaint wins."""
    groups: dict[GroupKey, dict[UUID, ViewChange]] = {}
    for change in changes:
        groups.setdefault(group_key(change), {})[change.complaint_id] = change
    for key, by_id in groups.items():
        stmt, names = update_statement(key)
        rows = [
            {
                "complaint_id": c.complaint_id,
                "at": c.at,
                "state": c.state,
                "guard": c.only_for_assignment,
                **c.fields,
            }
            for c in by_id.values()
        ]
        await session.execute(stmt, {name: [row[name] for row in rows] for name in names})


async def add_timeline(
    session: AsyncSession, entries: Sequence[tuple[UUID, str, datetime, str, dict[str, Any]]]
) -> None:
    """(complaint_id, event_id, at, kind, public detail) rows; a replayed event adds nothing."""
    if not entries:
        return
    rows = [
        {"complaint_id": c, "event_id": e, "at": at, "kind": kind, "detail": jsonutil.dumps_str(detail)}
        for c, e, at, kind, detail in entries
    ]
    await session.execute(INSERT_TIMELINE, column_params(TIMELINE_COLUMNS, rows))


async def timeline(session: AsyncSession, complaint_id: UUID) -> list[TimelineEntry]:
    result = await session.scalars(
        select(TimelineEntry)
        .where(col(TimelineEntry.complaint_id) == complaint_id)
        .order_by(col(TimelineEntry.at), col(TimelineEntry.id))
    )
    return list(result)
