"""What a citizen files, and every rule it must satisfy before it is stored.

Text is cleaned (NFC, no control characters) before length checks, so the limits apply to
what is stored. Errors carry a stable `code` and a message that says what to fix.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Annotated, Any, Literal

from pydantic import (
    AwareDatetime,
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    HttpUrl,
    StringConstraints,
    field_validator,
    model_validator,
)
from pydantic_core import PydanticCustomError

from intake.domain import categories
from intake.domain.contact import normalize_email, normalize_phone
from intake.domain.text import clean_line, clean_text

Channel = Literal["web", "app", "hotline", "open311", "wechat", "walk_in", "letter", "api"]
Priority = Literal["normal", "urgent"]
OCCURRED_AT_SKEW = timedelta(minutes=5)  # a phone's clock may run a little ahead


def _cleaned(fn: Any) -> BeforeValidator:
    return BeforeValidator(lambda v: fn(v) if isinstance(v, str) else v)


def Paragraphs(min_length: int, max_length: int) -> Any:
    return Annotated[
        str, StringConstraints(min_length=min_length, max_length=max_length), _cleaned(clean_text)
    ]


def Line(max_length: int) -> Any:
    return Annotated[str, StringConstraints(min_length=1, max_length=max_length), _cleaned(clean_line)]


def OptionalLine(max_length: int) -> Any:
    """A one-line text that may be left out; blank counts as left out."""
    blank_is_none = BeforeValidator(lambda v: (clean_line(v) or None) if isinstance(v, str) else v)
    return Annotated[Line(max_length) | None, blank_is_none]


Identifier = Annotated[str, StringConstraints(min_length=1, max_length=64, pattern=r"^[A-Za-z0-9_.:-]+$")]


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class LocationIn(_Strict):
    lat: float | None = Field(None, ge=-90, le=90, allow_inf_nan=False)
    lon: float | None = Field(None, ge=-180, le=180, allow_inf_nan=False)
    address: OptionalLine(500) = None  # type: ignore[valid-type]

    @model_validator(mode="after")
    def _somewhere(self) -> LocationIn:
        if (self.lat is None) != (self.lon is None):
            raise PydanticCustomError("coordinates_pair", "lat and lon go together: give both or neither")
        if self.lat is None and not self.address:
            raise PydanticCustomError("location_required", "give lat and lon, an address, or both")
        return self


class SubjectIn(_Strict):
    """The unit or officer a complaint is about (a misconduct complaint names them)."""

    unit_id: Identifier | None = None
    officer_id: Identifier | None = None
    text: OptionalLine(500) = None  # type: ignore[valid-type]


class ContactIn(_Strict):
    name: OptionalLine(100) = None  # type: ignore[valid-type]
    phone: str | None = Field(None, max_length=32)
    email: str | None = Field(None, max_length=254)

    @field_validator("phone")
    @classmethod
    def _mainland_mobile(cls, value: str | None) -> str | None:
        if value is None or not value.strip():
            return None
        phone = normalize_phone(value)
        if phone is None:
            raise PydanticCustomError(
                "phone_format", "not a mainland mobile number: 11 digits starting with 13-19 (+86 allowed)"
            )
        return phone

    @field_validator("email")
    @classmethod
    def _email_shape(cls, value: str | None) -> str | None:
        if value is None or not value.strip():
            return None
        email = normalize_email(value)
        if email is None:
            raise PydanticCustomError("email_format", "not an e-mail address")
        return email

    @property
    def is_empty(self) -> bool:
        return not (self.name or self.phone or self.email)


class ComplaintCreate(_Strict):
    category: str = Field(max_length=64, description="a code from GET /api/v1/categories")
    description: Paragraphs(10, 5000)  # type: ignore[valid-type]
    location: LocationIn
    occurred_at: AwareDatetime | None = Field(None, description="with a timezone; not in the future")
    subject: SubjectIn | None = None
    contact: ContactIn | None = Field(None, description="leave out to stay anonymous")
    channel: Channel = "web"
    attachments: list[HttpUrl] = Field(default_factory=list, max_length=10)
    priority: Priority = "normal"

    @field_validator("category")
    @classmethod
    def _known_category(cls, value: str) -> str:
        if not categories.is_known(value):
            raise PydanticCustomError(
                "unknown_category",
                "unknown category '{given}'; valid categories: {valid}",
                {"given": value, "valid": ", ".join(categories.CODES)},
            )
        return value

    @property
    def anonymous(self) -> bool:
        return self.contact is None or self.contact.is_empty


def future_occurrence_error(occurred_at: datetime | None, now: datetime) -> dict[str, Any] | None:
    """The field error for an `occurred_at` in the future (needs the clock, so not a validator)."""
    if occurred_at is None or occurred_at <= now + OCCURRED_AT_SKEW:
        return None
    return {
        "type": "in_future",
        "loc": ("body", "occurred_at"),
        "msg": "occurred_at is in the future",
        "input": occurred_at.isoformat(),
    }
