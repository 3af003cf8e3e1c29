"""An adopted hot spot's deadline on the SLA engine: a durable timer (hotspot_timers) that
the SLA scheduler's loop fires with the complaint timers (sla/scheduler.py), the same way:
claim due timers and their hot spots with SKIP LOCKED, emit and mark them fired in the
caller's transaction. So it fires once with any number of replicas, and a crash before
commit fires it again. Solving cancels it under the hot spot's row lock."""

from __future__ import annotations

from datetime import datetime
from typing import Any
from uuid import UUID

from sqlalchemy import func, select, update
from sqlalchemy.dialects.postgresql import insert

from huiyin.db import UnitOfWork
from huiyin.events.hotspots import HotspotOverdue
from routing.hotspots.tables import HotspotRow, HotspotTimerRow
from routing.sla.tables import cols

T, G = cols(HotspotTimerRow), cols(HotspotRow)
OVERDUE = "overdue"


async def arm(uow: UnitOfWork, hotspot_id: UUID, due_at: datetime) -> None:
    await uow.session.execute(
        insert(HotspotTimerRow).values(hotspot_id=hotspot_id, kind=OVERDUE, due_at=due_at, state="pending")
    )


async def cancel(uow: UnitOfWork, hotspot_id: UUID) -> None:
    await uow.session.execute(
        update(HotspotTimerRow)
        .where(T.hotspot_id == hotspot_id, T.state == "pending")
        .values(state="cancelled")
    )


def _claim(now: datetime, limit: int) -> Any:
    return (
        select(T.id, HotspotRow)
        .join(HotspotRow, G.id == T.hotspot_id)
        .where(T.state == "pending", T.due_at <= now)
        .order_by(T.due_at, T.id)
        .limit(limit)
        .with_for_update(of=[HotspotTimerRow.__table__, HotspotRow.__table__], skip_locked=True)  # type: ignore[attr-defined]
    )


class HotspotDeadlines:
    """A timer source of the SLA scheduler (fire_due / next_due, like routing.sla.firing)."""

    async def fire_due(self, uow: UnitOfWork, *, now: datetime, limit: int) -> int:
        rows = (await uow.session.execute(_claim(now, limit))).all()
        fired, void = [], []
        for timer_id, hotspot in rows:
            if hotspot.status != "adopted" or hotspot.overdue_at is not None:
                void.append(timer_id)  # solved meanwhile: solving cancels, this is a safety net
                continue
            fired.append(timer_id)
            await uow.session.execute(update(HotspotRow).where(G.id == hotspot.id).values(overdue_at=now))
            assert hotspot.owner_unit_id is not None and hotspot.deadline is not None
            overdue = HotspotOverdue(
                hotspot_id=hotspot.id, owner_unit_id=hotspot.owner_unit_id, deadline=hotspot.deadline, at=now
            )
            uow.emit(overdue, time=now)
        if fired:
            await uow.session.execute(
                update(HotspotTimerRow).where(T.id.in_(fired)).values(state="fired", fired_at=now)
            )
        if void:
            await uow.session.execute(update(HotspotTimerRow).where(T.id.in_(void)).values(state="cancelled"))
        return len(rows)

    async def next_due(self, uow: UnitOfWork) -> datetime | None:
        return (await uow.session.execute(select(func.min(T.due_at)).where(T.state == "pending"))).scalar()
