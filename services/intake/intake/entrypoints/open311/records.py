"""Huiyin <-> Open311 GeoReport v2 field names.

What a public Open311 feed shows is deliberately less than the citizen's own view:
complaints about the police are sensitive, so no description text, no subject and no
station's answer appear; `status_notes` is the public state label, and the address is
passed through the personal-data mask. The spec's fields are all present.
"""

from __future__ import annotations

from typing import Any

from huiyin.pii import mask_text
from intake.adapters.tables import Complaint, ComplaintStatus
from intake.domain import categories
from intake.domain.status import open311_status, public_note

Form = dict[str, str]


def service(c: categories.Category) -> dict[str, Any]:
    return {
        "service_code": c.code,
        "service_name": c.zh,
        "description": c.en,
        "metadata": False,
        "type": "realtime",
        "keywords": f"{c.zh},{c.en}",
        "group": "police",
    }


def service_request(complaint: Complaint, view: ComplaintStatus) -> dict[str, Any]:
    category = categories.BY_CODE[complaint.category]
    return {
        "service_request_id": complaint.tracking_code,
        "status": open311_status(view.state),
        "status_notes": public_note(view.state),
        "service_name": category.zh,
        "service_code": category.code,
        "agency_responsible": view.unit_name,
        "service_notice": None,
        "requested_datetime": complaint.submitted_at,
        "updated_datetime": view.updated_at,
        "expected_datetime": view.resolve_due,
        "address": mask_text(complaint.address) if complaint.address else None,
        "address_id": None,
        "zipcode": None,
        "lat": complaint.lat,
        "long": complaint.lon,
        "media_url": complaint.attachments[0] if complaint.attachments else None,
    }


def complaint_fields(form: Form) -> dict[str, Any]:
    """A GeoReport POST form -> the JSON API's filing body (validated by the same rules)."""

    def given(name: str) -> str | None:
        value = form.get(name, "").strip()
        return value or None

    location = {
        k: v for k, v in (("lat", given("lat")), ("lon", given("long")), ("address", given("address_string")))
    }
    name = " ".join(filter(None, (given("first_name"), given("last_name")))) or None
    contact = {"name": name, "phone": given("phone"), "email": given("email")}
    body: dict[str, Any] = {
        "category": given("service_code") or "",
        "description": given("description") or "",
        "location": {k: v for k, v in location.items() if v is not None},
        "channel": "open311",
        "attachments": [m] if (m := given("media_url")) else [],
    }
    if any(contact.values()):
        body["contact"] = contact
    return body
