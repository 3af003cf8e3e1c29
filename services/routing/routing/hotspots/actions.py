"""Staff use cases on a hot spot: adopt it as one problem (owner unit, deadline), note
progress, solve it. Each is one transaction, committed here; each changes the hot spot only
if nobody else did meanwhile (optimistic concurrency on its version, 409 otherwise)."""

from __future__ import annotations

from datetime import datetime
from uuid import UUID

from sqlalchemy import select

from huiyin.auth.tokens import Principal, Role
from huiyin.db import UnitOfWork
from huiyin.events.hotspots import HotspotAdopted, HotspotOverdue, HotspotProgressNoted, HotspotSolved
from routing.domain.directory import Directory
from routing.domain.units import UnitKind
from routing.hotspots import deadline
from routing.hotspots.action_frame import change, field_error, load, owner_or_supervision
from routing.hotspots.tables import HotspotNoteRow, HotspotSightingRow
from routing.sla.tables import cols

S = cols(HotspotSightingRow)


async def adopt(
    uow: UnitOfWork,
    *,
    hotspot_id: UUID,
    owner_unit_id: str,
    due: datetime,
    note: str | None,
    expected_version: int | None,
    principal: Principal,
    directory: Directory,
) -> UUID:
    async with uow:
        now = uow.clock.now()
        row = await load(uow, hotspot_id, expected_version, needs="detected")
        owner = directory.active(owner_unit_id)
        if owner is None or owner.kind == UnitKind.DISPATCH_DESK:
            raise field_error("owner_unit_id", "unknown_unit", f"no active unit {owner_unit_id!r} to own it")
        if due <= now:
            raise field_error(
                "deadline", "in_the_past", f"the deadline {due.isoformat()} is not in the future"
            )
        await change(
            uow,
            row,
            status="adopted",
            owner_unit_id=owner.id,
            deadline=due,
            adopted_by=principal.username,
            adopted_at=now,
            adopt_note=note,
        )
        ids = (
            await uow.session.execute(select(S.complaint_id).where(S.group_id == row.id).order_by(S.at))
        ).scalars()
        adopted = HotspotAdopted(
            hotspot_id=row.id,
            owner_unit_id=owner.id,
            owner_unit_name=owner.label,
            deadline=due,
            adopted_by=principal.username,
            note=note,
            complaint_ids=list(ids),
            adopted_at=now,
        )
        uow.emit(adopted, time=now)
        await deadline.arm(uow, row.id, due)
        await uow.commit()
    return hotspot_id


async def note(
    uow: UnitOfWork, *, hotspot_id: UUID, text: str, expected_version: int | None, principal: Principal
) -> UUID:
    async with uow:
        now = uow.clock.now()
        row = await load(uow, hotspot_id, expected_version, needs="adopted")
        owner_or_supervision(principal, row, (Role.OFFICER, Role.STATION_HEAD, Role.DISTRICT_SUPERVISOR))
        await change(uow, row)
        uow.session.add(
            HotspotNoteRow(
                hotspot_id=row.id, unit_id=principal.unit_id, note=text, by=principal.username, at=now
            )
        )
        assert row.owner_unit_id is not None
        noted = HotspotProgressNoted(
            hotspot_id=row.id, owner_unit_id=row.owner_unit_id, note=text, by=principal.username, at=now
        )
        uow.emit(noted, time=now)
        await uow.commit()
    return hotspot_id


async def solve(
    uow: UnitOfWork, *, hotspot_id: UUID, summary: str, expected_version: int | None, principal: Principal
) -> UUID:
    async with uow:
        now = uow.clock.now()
        row = await load(uow, hotspot_id, expected_version, needs="adopted")
        owner_or_supervision(principal, row, (Role.STATION_HEAD,))
        assert row.owner_unit_id is not None and row.deadline is not None
        on_time = now <= row.deadline
        if not on_time and row.overdue_at is None:
            # Solved late before the scheduler got to it: the deadline was still missed, once.
            overdue = HotspotOverdue(
                hotspot_id=row.id, owner_unit_id=row.owner_unit_id, deadline=row.deadline, at=now
            )
            uow.emit(overdue, time=now)
        await change(
            uow,
            row,
            status="solved",
            solved_at=now,
            solved_by=principal.username,
            summary=summary,
            on_time=on_time,
            overdue_at=row.overdue_at if on_time or row.overdue_at else now,
        )
        await deadline.cancel(uow, row.id)
        solved = HotspotSolved(
            hotspot_id=row.id,
            owner_unit_id=row.owner_unit_id,
            deadline=row.deadline,
            summary=summary,
            by=principal.username,
            on_time=on_time,
            at=now,
        )
        uow.emit(solved, time=now)
        await uow.commit()
    return hotspot_id
