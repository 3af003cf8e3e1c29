"""After an official year schedule is loaded: recompute the deadlines it changes.

Open cycles on `workdays` that are provisional, or have an unsettled deadline on or after
the year's first day, are planned again with the new calendar; those whose deadlines or
provisional flag changed emit `DeadlinesRecomputed`. A deadline already breached, and the
resolve deadline of a cycle paused right now (it is planned again when the citizen
answers), stay as they are.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from sqlalchemy import and_, or_, select

from huiyin.db import UnitOfWork
from huiyin.events.sla import DeadlinesRecomputed
from routing.sla.calendar import Calendar
from routing.sla.cycles import calendar_for, replan, terms_of
from routing.sla.plan import DEADLINES, Deadline
from routing.sla.tables import SlaCycleRow, cols

C = cols(SlaCycleRow)


async def recompute_for_year(uow: UnitOfWork, *, year: int, now: datetime) -> int:
    """Returns how many cycles changed. Does not commit."""
    since = datetime(year, 1, 1, tzinfo=UTC) - timedelta(days=1)  # any local time zone
    rows = await uow.session.execute(
        select(SlaCycleRow)
        .where(
            C.cancelled_at.is_(None),
            C.calendar == "workdays",
            or_(
                C.provisional,
                and_(C.ack_done_at.is_(None), C.ack_due >= since),
                and_(C.resolve_done_at.is_(None), C.resolve_due >= since),
            ),
        )
        .order_by(C.assignment_id, C.cycle)
        .with_for_update()
    )
    calendars: dict[tuple[str, str], Calendar] = {}
    changed = 0
    for row in rows.scalars():
        terms = terms_of(row)
        key = (terms.working_hours, terms.timezone)
        if key not in calendars:
            calendars[key] = await calendar_for(uow.session, terms)
        before = (row.ack_due, row.resolve_due, row.provisional)
        await replan(uow.session, row, terms, calendars[key], _open_deadlines(row))
        if (row.ack_due, row.resolve_due, row.provisional) != before:
            changed += 1
            uow.emit(
                DeadlinesRecomputed(
                    complaint_id=row.complaint_id,
                    assignment_id=row.assignment_id,
                    unit_id=row.unit_id,
                    cycle=row.cycle,
                    ack_due=row.ack_due,
                    resolve_due=row.resolve_due,
                    provisional=row.provisional,
                    at=now,
                ),
                time=now,
            )
    return changed


def _open_deadlines(row: SlaCycleRow) -> tuple[Deadline, ...]:
    paused = row.paused_at is not None and row.paused_at < row.resolve_due
    return tuple(
        d for d in DEADLINES if getattr(row, f"{d}_done_at") is None and not (d == "resolve" and paused)
    )
