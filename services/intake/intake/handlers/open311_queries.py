"""Open311 reads: service requests by id, by token, or by the spec's filters."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from uuid import UUID

from sqlmodel import col

from huiyin.db import UnitOfWork
from intake.adapters import complaints_repo
from intake.adapters.complaints_repo import Row
from intake.adapters.tables import Complaint, ComplaintStatus
from intake.domain.status import OPEN311_CLOSED, STATES

MAX_RESULTS = 1000


@dataclass(frozen=True)
class RequestFilter:
    service_request_ids: Sequence[str] = ()  # when given, the other filters are ignored (spec)
    service_codes: Sequence[str] = ()
    start: datetime | None = None
    end: datetime | None = None
    statuses: Sequence[str] = ()  # "open" / "closed"


def _states(statuses: Sequence[str]) -> list[str]:
    states: set[str] = set()
    if "open" in statuses:
        states |= set(STATES) - OPEN311_CLOSED
    if "closed" in statuses:
        states |= OPEN311_CLOSED
    return sorted(states)


async def find_requests(uow: UnitOfWork, f: RequestFilter) -> list[Row]:
    stmt = complaints_repo.joined()
    if f.service_request_ids:
        stmt = stmt.where(col(Complaint.tracking_code).in_(f.service_request_ids))
    else:
        if f.service_codes:
            stmt = stmt.where(col(Complaint.category).in_(f.service_codes))
        if f.start is not None:
            stmt = stmt.where(col(Complaint.submitted_at) >= f.start)
        if f.end is not None:
            stmt = stmt.where(col(Complaint.submitted_at) <= f.end)
        if f.statuses:
            stmt = stmt.where(col(ComplaintStatus.state).in_(_states(f.statuses)))
    stmt = stmt.order_by(col(Complaint.submitted_at).desc()).limit(MAX_RESULTS)
    async with uow:
        rows = [(r[0], r[1]) for r in await uow.session.execute(stmt)]
        complaints_repo.keep_loaded(uow.session)
    return rows


async def find_request(uow: UnitOfWork, tracking_code: str) -> Row | None:
    async with uow:
        row = await complaints_repo.by_tracking_code(uow.session, tracking_code)
        complaints_repo.keep_loaded(uow.session)
    return row


async def find_by_token(uow: UnitOfWork, token: UUID) -> Row | None:
    async with uow:
        row = await complaints_repo.by_id(uow.session, token)
        complaints_repo.keep_loaded(uow.session)
    return row
