"""The per-request half of filing: everything that needs no database, done before queueing.

Kept small on purpose (the flusher is one task for all requests): secrets drawn, token
hashed, contact encrypted, keyed for duplicate detection and pseudonymized, nothing else.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import datetime, timedelta
from uuid import UUID

from huiyin.pii import KeyRing
from intake.domain.citizen_ref import citizen_ref
from intake.domain.contact import contact_key
from intake.domain.filing import ComplaintCreate
from intake.domain.tracking import new_access_token, token_sha256


@dataclass(frozen=True)
class FilingPolicy:
    keyring: KeyRing
    contact_hmac_key: bytes
    citizen_ref_key: bytes
    duplicate_window: timedelta
    duplicate_radius_m: float


@dataclass(frozen=True, slots=True)
class Idempotency:
    key: str
    request_sha256: str


@dataclass(frozen=True, slots=True)
class NewComplaint:
    complaint_id: UUID
    cmd: ComplaintCreate
    submitted_at: datetime
    access_token: str  # returned once, never stored
    token_sha256: str
    contact_key: str | None
    citizen_ref: str | None  # the pseudonym in ComplaintSubmitted (never the contact itself)
    name_enc: str | None
    phone_enc: str | None
    email_enc: str | None
    idempotency: Idempotency | None


def prepare_filing(
    cmd: ComplaintCreate, *, now: datetime, policy: FilingPolicy, idempotency: Idempotency | None = None
) -> NewComplaint:
    complaint_id = uuid.uuid4()
    token = new_access_token()
    contact = None if cmd.anonymous else cmd.contact
    aad = complaint_id.bytes  # binds each ciphertext to its complaint

    def seal(value: str | None) -> str | None:
        return policy.keyring.encrypt(value, aad=aad) if value else None

    return NewComplaint(
        complaint_id=complaint_id,
        cmd=cmd,
        submitted_at=now,
        access_token=token,
        token_sha256=token_sha256(token),
        contact_key=contact_key(
            phone=contact.phone if contact else None,
            email=contact.email if contact else None,
            hmac_key=policy.contact_hmac_key,
        ),
        citizen_ref=citizen_ref(
            phone=contact.phone if contact else None,
            email=contact.email if contact else None,
            key=policy.citizen_ref_key,
        ),
        name_enc=seal(contact.name if contact else None),
        phone_enc=seal(contact.phone if contact else None),
        email_enc=seal(contact.email if contact else None),
        idempotency=idempotency,
    )
