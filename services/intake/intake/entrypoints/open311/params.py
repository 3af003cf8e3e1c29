"""Reading Open311 parameters: format and jurisdiction, comma lists, W3C datetimes, and
validation errors named by the spec's field names."""

from __future__ import annotations

from datetime import UTC, datetime

from pydantic import ValidationError

from intake.entrypoints.deps import Intake
from intake.entrypoints.open311.render import Open311Error, check_format

# Filing-body field -> the GeoReport form field a client sent it as.
SPEC_NAMES = {
    "lon": "long",
    "address": "address_string",
    "category": "service_code",
    "attachments": "media_url",
}


def check_request(intake: Intake, fmt: str, jurisdiction_id: str | None) -> str:
    fmt = check_format(fmt)
    if jurisdiction_id and jurisdiction_id != intake.settings.open311_jurisdiction_id:
        raise Open311Error(404, f"unknown jurisdiction_id {jurisdiction_id!r}", fmt=fmt)
    return fmt


def split_list(value: str | None) -> list[str]:
    return [v.strip() for v in (value or "").split(",") if v.strip()]


def w3c_datetime(value: str | None, name: str, fmt: str) -> datetime | None:
    if not value:
        return None
    try:
        when = datetime.fromisoformat(value)
    except ValueError:
        raise Open311Error(
            400, f"{name} is not a W3C datetime (e.g. 2026-01-05T09:00:00Z)", fmt=fmt
        ) from None
    return when if when.tzinfo else when.replace(tzinfo=UTC)


def describe_errors(exc: ValidationError) -> list[str]:
    parts = []
    for err in exc.errors():
        loc = [str(p) for p in err["loc"]]
        field = SPEC_NAMES.get(loc[-1], loc[-1]) if loc else "request"
        parts.append(f"{field}: {err['msg']}")
    return parts
