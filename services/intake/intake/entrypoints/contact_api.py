"""Staff reading a citizen's contact data: masked by default, in clear with a logged reason."""

from __future__ import annotations

from typing import Annotated, Any
from uuid import UUID

from fastapi import APIRouter

from huiyin.auth import access
from huiyin.auth.tokens import Principal, Role
from intake.adapters import contact_repo
from intake.domain.contact_access import CONTACT_ROLES
from intake.entrypoints import schemas as s
from intake.entrypoints.deps import IntakeDep
from intake.handlers.contact import Contact, read_contact, unmask_contact

router = APIRouter(prefix="/api/v1/complaints", tags=["staff"])
ContactReader = Annotated[Principal, access.staff(*CONTACT_ROLES)]
REFUSED: dict[int | str, dict[str, Any]] = {
    403: {"description": "not the handling unit, or the complaint is about your unit"},
    404: {},
}


def _out(complaint_id: UUID, contact: Contact) -> s.ContactOut:
    return s.ContactOut(
        complaint_id=complaint_id,
        anonymous=contact.anonymous,
        masked=contact.masked,
        name=contact.name,
        phone=contact.phone,
        email=contact.email,
    )


@router.get("/{complaint_id}/contact", response_model=s.ContactOut, responses=REFUSED)
async def get_contact(complaint_id: UUID, principal: ContactReader, intake: IntakeDep) -> s.ContactOut:
    contact = await read_contact(intake.uow(), intake.keyring, principal, complaint_id)
    return _out(complaint_id, contact)


@router.post("/{complaint_id}/contact/unmask", response_model=s.ContactOut, responses=REFUSED)
async def unmask(
    complaint_id: UUID, body: s.UnmaskIn, principal: ContactReader, intake: IntakeDep
) -> s.ContactOut:
    contact = await unmask_contact(intake.uow(), intake.keyring, principal, complaint_id, reason=body.reason)
    return _out(complaint_id, contact)


@router.get("/{complaint_id}/contact/access-log", response_model=list[s.ContactAccessOut])
async def contact_access_log(
    complaint_id: UUID, _: Annotated[Principal, access.staff(Role.SUPERVISION)], intake: IntakeDep
) -> list[s.ContactAccessOut]:
    async with intake.uow() as uow:
        rows = await contact_repo.accesses(uow.session, complaint_id)
        uow.session.expunge_all()  # read-only: keep the rows readable after the rollback
    return [
        s.ContactAccessOut(
            user_id=r.user_id, username=r.username, role=r.role, unit_id=r.unit_id, reason=r.reason, at=r.at
        )
        for r in rows
    ]
