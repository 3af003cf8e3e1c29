"""What a filing becomes: its row, its event (no personal data) and its 201 response."""

from __future__ import annotations

from typing import Any
from uuid import UUID

from huiyin import jsonutil
from huiyin.events.complaints import ComplaintSubmitted, Location, Subject
from huiyin.pii import mask_text
from intake.domain import status
from intake.handlers.prepare_filing import NewComplaint


def complaint_row(i: NewComplaint, tracking_code: str, duplicate_of: UUID | None) -> dict[str, Any]:
    c, subject = i.cmd, i.cmd.subject
    return {
        "id": i.complaint_id,
        "tracking_code": tracking_code,
        "access_token_sha256": i.token_sha256,
        "category": c.category,
        "priority": c.priority,
        "description": c.description,
        "lat": c.location.lat,
        "lon": c.location.lon,
        "address": c.location.address,
        "occurred_at": c.occurred_at,
        "subject_unit_id": subject.unit_id if subject else None,
        "subject_officer_id": subject.officer_id if subject else None,
        "subject_text": subject.text if subject else None,
        "channel": c.channel,
        "attachments": jsonutil.dumps_str([str(u) for u in c.attachments]),
        "anonymous": c.anonymous,
        "contact_name_enc": i.name_enc,
        "contact_phone_enc": i.phone_enc,
        "contact_email_enc": i.email_enc,
        "contact_hmac": i.contact_key,
        "possible_duplicate_of": duplicate_of,
        "submitted_at": i.submitted_at,
    }


def submitted_event(i: NewComplaint, tracking_code: str, duplicate_of: UUID | None) -> ComplaintSubmitted:
    c, subject = i.cmd, i.cmd.subject
    address = c.location.address
    return ComplaintSubmitted(
        complaint_id=i.complaint_id,
        tracking_code=tracking_code,
        access_token_sha256=i.token_sha256,
        category=c.category,
        priority=c.priority,
        # The citizen may write a phone or ID number into free text: masked in the event.
        description=mask_text(c.description),
        location=Location(
            lat=c.location.lat, lon=c.location.lon, address=mask_text(address) if address else None
        ),
        subject=Subject(
            unit_id=subject.unit_id,
            officer_id=subject.officer_id,
            text=mask_text(subject.text) if subject.text else None,
        )
        if subject
        else None,
        channel=c.channel,
        submitted_at=i.submitted_at,
        possible_duplicate_of=duplicate_of,
        anonymous=c.anonymous,
        citizen_ref=i.citizen_ref,
    )


def response_body(i: NewComplaint, tracking_code: str, duplicate_of: UUID | None) -> dict[str, Any]:
    return {
        "id": str(i.complaint_id),
        "tracking_code": tracking_code,
        "access_token": i.access_token,
        "state": status.SUBMITTED,
        "submitted_at": i.submitted_at,
        "possible_duplicate": duplicate_of is not None,
    }
