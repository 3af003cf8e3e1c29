"""What a citizen does with their tracking code and access token: read, withdraw, answer.

A wrong token and an unknown code look the same to the caller (None -> the same 404).
Withdraw and information lock the status row, check the state (409 with the current
state when the action is not allowed now), change it at once and emit their event.
"""

from __future__ import annotations

from huiyin.db import UnitOfWork
from huiyin.events.complaints import ComplaintWithdrawn, InformationAdded
from huiyin.http.errors import DomainError
from huiyin.pii import mask_text
from intake.adapters import complaints_repo, hotspot_repo, status_repo
from intake.adapters.complaints_repo import Row
from intake.adapters.hotspot_tables import IntakeHotspot
from intake.adapters.tables import TimelineEntry
from intake.domain import status as st
from intake.domain.tracking import normalize_tracking_code, token_matches


async def find_for_citizen(
    uow: UnitOfWork, code: str, token: str | None, *, for_update: bool = False
) -> Row | None:
    normalized = normalize_tracking_code(code)
    row = (
        await complaints_repo.by_tracking_code(uow.session, normalized, for_update=for_update)
        if normalized
        else None
    )
    stored = row[0].access_token_sha256 if row else None
    return row if token_matches(token, stored) else None


async def withdraw(uow: UnitOfWork, *, code: str, token: str | None, reason: str | None) -> bool:
    async with uow:
        row = await find_for_citizen(uow, code, token, for_update=True)
        if row is None:
            return False
        complaint, view = row
        if view.state not in st.WITHDRAWABLE:
            raise DomainError(409, f"a {view.state} complaint cannot be withdrawn", state=view.state)
        now = uow.clock.now()
        await complaints_repo.set_state(uow.session, complaint.id, state=st.WITHDRAWN, at=now)
        event = uow.emit(
            ComplaintWithdrawn(
                complaint_id=complaint.id,
                withdrawn_at=now,
                state_before=view.state,
                reason=mask_text(reason) if reason else None,
            )
        )
        await status_repo.add_timeline(uow.session, [(complaint.id, event.id, now, "withdrawn", {})])
        await uow.commit()
    return True


async def add_information(uow: UnitOfWork, *, code: str, token: str | None, text: str) -> bool:
    async with uow:
        row = await find_for_citizen(uow, code, token, for_update=True)
        if row is None:
            return False
        complaint, view = row
        if view.state not in st.ANSWERABLE:
            raise DomainError(
                409, "information can only be added while the station is waiting for it", state=view.state
            )
        now = uow.clock.now()
        # The station's clock resumes when routing handles the event; the citizen sees it now.
        await complaints_repo.set_state(
            uow.session, complaint.id, state=st.IN_PROGRESS, at=now, question=None, question_at=None
        )
        event = uow.emit(InformationAdded(complaint_id=complaint.id, text=mask_text(text), added_at=now))
        # The original (unmasked) text stays here, visible to the citizen on their timeline.
        await status_repo.add_timeline(
            uow.session, [(complaint.id, event.id, now, "information_added", {"text": text})]
        )
        await uow.commit()
    return True


Tracked = tuple[Row, list[TimelineEntry], IntakeHotspot | None]


async def track(uow: UnitOfWork, *, code: str, token: str | None) -> Tracked | None:
    """The complaint, its timeline and the adopted hot spot it is in (if any), read from one
    snapshot: the hot spot's status and its timeline entries are committed together."""
    async with uow:
        await uow.read_snapshot()
        row = await find_for_citizen(uow, code, token)
        if row is None:
            return None
        timeline = await status_repo.timeline(uow.session, row[0].id)
        hotspot = await hotspot_repo.adopted_for(uow.session, row[0].id)
        complaints_repo.keep_loaded(uow.session)
        return row, timeline, hotspot
