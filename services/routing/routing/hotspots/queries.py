"""Reading hot spots for staff, scoped like the inbox: supervision and admin see every hot
spot; a district supervisor those of the units under their bureau; station staff those of
their unit (where the complaints are, or the owner it was given to)."""

from __future__ import annotations

from collections import Counter
from datetime import datetime
from typing import Any
from uuid import UUID
from zoneinfo import ZoneInfo

from sqlalchemy import func, or_, select
from sqlalchemy.ext.asyncio import AsyncSession

from huiyin.auth.tokens import Principal, Role
from huiyin.http.errors import DomainError
from routing.domain import categories, scope
from routing.domain.directory import Directory
from routing.hotspots.tables import HotspotNoteRow, HotspotRow, HotspotSightingRow
from routing.sla import config
from routing.sla.tables import cols

G, S, N = cols(HotspotRow), cols(HotspotSightingRow), cols(HotspotNoteRow)
ANNOUNCED = ("detected", "adopted", "solved")
SEES_ALL = (Role.SUPERVISION, Role.ADMIN)


def _scope(principal: Principal, directory: Directory) -> Any:
    if principal.role in SEES_ALL:
        return None
    if principal.role == Role.DISTRICT_SUPERVISOR and principal.unit_id:
        units = [u for u in directory.units if directory.under_bureau(principal.unit_id, u)]
        return or_(G.unit_id.in_(units), G.owner_unit_id.in_(units))
    return or_(G.unit_id == principal.unit_id, G.owner_unit_id == principal.unit_id)


def may_read(principal: Principal, row: HotspotRow, directory: Directory) -> bool:
    if principal.role in SEES_ALL:
        return True
    units = [u for u in (row.unit_id, row.owner_unit_id) if u]
    return any(scope.may_read_unit(principal, u, directory) for u in units)


def sla_state(row: HotspotRow, now: datetime) -> dict[str, Any]:
    """The deadline's state: none (not adopted), open, overdue, met or missed."""
    if row.deadline is None:
        return {"state": "none", "deadline": None, "time_left_s": None, "overdue_at": None}
    if row.status == "solved":
        state = "met" if row.on_time else "missed"
    else:
        state = "overdue" if now > row.deadline else "open"
    left = (row.deadline - now).total_seconds() if row.status != "solved" else None
    return {"state": state, "deadline": row.deadline, "time_left_s": left, "overdue_at": row.overdue_at}


def summary(row: HotspotRow, directory: Directory, now: datetime) -> dict[str, Any]:
    def name(unit_id: str | None) -> str | None:
        return directory.facts(unit_id)["unit_name"] if unit_id else None

    return {
        **{k: getattr(row, k) for k in ("id", "category", "status", "unit_id", "district_id", "version")},
        **{
            k: getattr(row, k)
            for k in ("complaint_count", "citizen_count", "keywords", "first_at", "last_at")
        },
        "category_name": categories.label(row.category),
        "unit_name": name(row.unit_id),
        "detected_at": row.detected_at,
        "owner_unit_id": row.owner_unit_id,
        "owner_unit_name": name(row.owner_unit_id),
        "sla": sla_state(row, now),
    }


async def list_hotspots(
    session: AsyncSession,
    *,
    principal: Principal,
    directory: Directory,
    now: datetime,
    status: str | None,
    category: str | None,
    limit: int,
    offset: int,
) -> dict[str, Any]:
    where = [G.status == status] if status else [G.status.in_(ANNOUNCED)]
    if category:
        where.append(G.category == category)
    if (scoped := _scope(principal, directory)) is not None:
        where.append(scoped)
    total = (await session.execute(select(func.count()).select_from(HotspotRow).where(*where))).scalar_one()
    rows = await session.execute(
        select(HotspotRow)
        .where(*where)
        .order_by(G.detected_at.desc().nulls_last(), G.last_at.desc(), G.id)
        .limit(limit)
        .offset(offset)
    )
    return {"total": total, "items": [summary(r, directory, now) for r in rows.scalars()]}


def growth(ats: list[datetime]) -> list[dict[str, Any]]:
    """Complaints per day (in the service's time zone) and the running total."""
    zone = ZoneInfo(config.active().timezone)
    per_day = Counter(at.astimezone(zone).date() for at in ats)
    out, total = [], 0
    for day in sorted(per_day):
        total += per_day[day]
        out.append({"date": day, "count": per_day[day], "total": total})
    return out


async def hotspot_view(
    session: AsyncSession, hotspot_id: UUID, *, principal: Principal, directory: Directory, now: datetime
) -> dict[str, Any]:
    row = await session.get(HotspotRow, hotspot_id)
    if row is None or row.status == "forming":
        raise DomainError(404, f"no hot spot {hotspot_id}")
    if not may_read(principal, row, directory):
        raise DomainError(
            403, f"role {principal.role.value!r} of unit {principal.unit_id!r} may not read this hot spot"
        )
    members = (
        (await session.execute(select(HotspotSightingRow).where(S.group_id == row.id).order_by(S.at)))
        .scalars()
        .all()
    )
    complaints = [
        {
            "complaint_id": m.complaint_id,
            "tracking_code": m.tracking_code,
            "category": m.category,
            "submitted_at": m.at,
            "lat": m.lat,
            "lon": m.lon,
            "unit_id": m.unit_id,
            "unit_name": directory.facts(m.unit_id)["unit_name"] if m.unit_id else None,
            "joined_at": m.joined_at,
        }
        for m in members
    ]
    notes = (
        await session.execute(select(HotspotNoteRow).where(N.hotspot_id == row.id).order_by(N.id))
    ).scalars()
    return {
        **summary(row, directory, now),
        "complaints": complaints,
        "growth": growth([m.at for m in members]),
        "adoption": None
        if row.adopted_at is None
        else {"by": row.adopted_by, "at": row.adopted_at, "note": row.adopt_note, "deadline": row.deadline},
        "notes": [{"note": n.note, "by": n.by, "at": n.at, "unit_id": n.unit_id} for n in notes],
        "solution": None
        if row.solved_at is None
        else {"by": row.solved_by, "at": row.solved_at, "summary": row.summary, "on_time": row.on_time},
    }
