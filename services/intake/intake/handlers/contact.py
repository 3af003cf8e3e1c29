"""Staff reading a citizen's contact: masked by default; in clear only with a reason, logged.

Unmasking writes the access log row (who, when, why) and emits `ContactUnmasked` in the
same transaction, so the audit trail shows it on the complaint's timeline. Neither holds
the contact itself: the reason is masked like every other free text that leaves intake.
"""

from __future__ import annotations

from dataclasses import dataclass
from uuid import UUID

from huiyin.auth.tokens import Principal
from huiyin.db import UnitOfWork
from huiyin.events.complaints import ContactUnmasked
from huiyin.http.errors import DomainError
from huiyin.pii import KeyRing, mask_email, mask_name, mask_phone, mask_text
from intake.adapters import complaints_repo, contact_repo
from intake.adapters.tables import Complaint
from intake.domain.contact_access import contact_refusal


@dataclass(frozen=True)
class Contact:
    anonymous: bool
    name: str | None
    phone: str | None
    email: str | None
    masked: bool


async def read_contact(
    uow: UnitOfWork, keyring: KeyRing, principal: Principal, complaint_id: UUID
) -> Contact:
    async with uow:
        complaint = await _permitted(uow, principal, complaint_id)
        clear = _decrypt(keyring, complaint)
    return Contact(
        anonymous=clear.anonymous,
        name=mask_name(clear.name) if clear.name else None,
        phone=mask_phone(clear.phone) if clear.phone else None,
        email=mask_email(clear.email) if clear.email else None,
        masked=True,
    )


async def unmask_contact(
    uow: UnitOfWork, keyring: KeyRing, principal: Principal, complaint_id: UUID, *, reason: str
) -> Contact:
    async with uow:
        complaint = await _permitted(uow, principal, complaint_id)
        clear = _decrypt(keyring, complaint)
        at = uow.clock.now()
        await contact_repo.log_access(uow.session, complaint_id, principal, reason=reason, at=at)
        uow.emit(
            ContactUnmasked(
                complaint_id=complaint_id,
                by=principal.user_id,
                username=principal.username,
                role=principal.role.value,
                unit_id=principal.unit_id,
                reason=mask_email(mask_text(reason)),
                at=at,
            )
        )
        await uow.commit()
    return clear


async def _permitted(uow: UnitOfWork, principal: Principal, complaint_id: UUID) -> Complaint:
    row = await complaints_repo.by_id(uow.session, complaint_id)
    if row is None:
        raise DomainError(404, "no such complaint")
    complaint, view = row
    refusal = contact_refusal(
        principal, handling_unit_id=view.unit_id, subject_unit_id=complaint.subject_unit_id
    )
    if refusal is not None:
        raise DomainError(403, refusal)
    return complaint


def _decrypt(keyring: KeyRing, complaint: Complaint) -> Contact:
    aad = complaint.id.bytes

    def open_(sealed: str | None) -> str | None:
        return keyring.decrypt(sealed, aad=aad) if sealed else None

    return Contact(
        anonymous=complaint.anonymous,
        name=open_(complaint.contact_name_enc),
        phone=open_(complaint.contact_phone_enc),
        email=open_(complaint.contact_email_enc),
        masked=False,
    )
