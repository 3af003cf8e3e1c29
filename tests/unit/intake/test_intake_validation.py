"""The filing rules: what is accepted, what is refused, and what the error says."""

from __future__ import annotations

import unicodedata
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from pydantic import ValidationError

from intake.domain import categories
from intake.domain.filing import ComplaintCreate, future_occurrence_error
from intake.domain.text import clean_line, clean_text


def body(**overrides: Any) -> dict[str, Any]:
    base: dict[str, Any] = {
        "category": "noise",
        "description": "楼上每天深夜装修，电钻声很大，影响休息。",
        "location": {"lat": 30.27, "lon": 120.15},
    }
    return base | overrides


def errors(data: dict[str, Any]) -> dict[tuple[str, ...], tuple[str, str]]:
    with pytest.raises(ValidationError) as caught:
        ComplaintCreate.model_validate(data)
    return {tuple(str(p) for p in e["loc"]): (e["type"], e["msg"]) for e in caught.value.errors()}


def test_a_minimal_anonymous_complaint_is_accepted_with_defaults() -> None:
    c = ComplaintCreate.model_validate(body())
    assert (c.channel, c.priority, c.attachments, c.anonymous) == ("web", "normal", [], True)


def test_every_published_category_is_accepted() -> None:
    assert len(categories.CODES) == 10
    for code in categories.CODES:
        assert ComplaintCreate.model_validate(body(category=code)).category == code


def test_an_unknown_category_names_the_valid_ones() -> None:
    [(code, message)] = errors(body(category="parking")).values()
    assert code == "unknown_category"
    assert "'parking'" in message
    for valid in categories.CODES:
        assert valid in message


@pytest.mark.parametrize(
    ("description", "code"),
    [
        ("太短了", "string_too_short"),
        ("字" * 5001, "string_too_long"),
        ("\x00\x01  短 \x02", "string_too_short"),
    ],
)
def test_description_is_10_to_5000_characters_after_cleaning(description: str, code: str) -> None:
    assert errors(body(description=description))[("description",)][0] == code


def test_description_of_exactly_10_and_5000_characters_is_accepted() -> None:
    for n in (10, 5000):
        assert len(ComplaintCreate.model_validate(body(description="字" * n)).description) == n


def test_text_is_nfc_normalised_and_stripped_of_control_characters() -> None:
    decomposed = unicodedata.normalize("NFD", "Café noise every night at No. 5")
    c = ComplaintCreate.model_validate(
        body(
            description=f"  {decomposed}\x07\u202e\r\nsecond line\t end ",
            location={"address": "文三路\n100号\x1b"},
        )
    )
    assert c.description == "Café noise every night at No. 5\nsecond line\t end"
    assert unicodedata.is_normalized("NFC", c.description)
    assert c.location.address == "文三路 100号"


@pytest.mark.parametrize(
    ("location", "code"),
    [
        ({}, "location_required"),
        ({"lat": 30.1}, "coordinates_pair"),
        ({"lon": 120.1, "address": "x"}, "coordinates_pair"),
        ({"lat": 91, "lon": 120}, "less_than_equal"),
        ({"lat": 30, "lon": -181}, "greater_than_equal"),
        ({"address": "   "}, "location_required"),
    ],
)
def test_location_needs_coordinates_or_an_address(location: dict[str, Any], code: str) -> None:
    found = errors(body(location=location))
    assert code in {c for c, _ in found.values()}
    assert all(path[0] == "location" for path in found)


def test_an_address_alone_or_coordinates_alone_is_enough() -> None:
    assert (
        ComplaintCreate.model_validate(body(location={"address": "西湖区文三路100号"})).location.lat is None
    )
    assert ComplaintCreate.model_validate(body(location={"lat": 0, "lon": 0})).location.address is None


@pytest.mark.parametrize(
    ("given", "stored"),
    [
        ("13800138000", "13800138000"),
        ("+86 138-0013-8000", "13800138000"),
        ("0086 19912345678", "19912345678"),
    ],
)
def test_mainland_mobile_numbers_are_normalised(given: str, stored: str) -> None:
    c = ComplaintCreate.model_validate(body(contact={"phone": given}))
    assert c.contact is not None and c.contact.phone == stored
    assert not c.anonymous


@pytest.mark.parametrize("phone", ["12800138000", "1380013800", "138001380001", "010-12345678", "phone"])
def test_other_phone_numbers_are_refused(phone: str) -> None:
    assert errors(body(contact={"phone": phone}))[("contact", "phone")][0] == "phone_format"


def test_email_shape_is_checked_and_empty_contact_means_anonymous() -> None:
    assert errors(body(contact={"email": "not-an-email"}))[("contact", "email")][0] == "email_format"
    empty = ComplaintCreate.model_validate(body(contact={"name": " ", "phone": "", "email": ""}))
    assert empty.anonymous and empty.contact is not None and empty.contact.name is None


def test_unknown_fields_channel_priority_and_attachments_are_checked() -> None:
    found = errors(
        body(
            colour="red", channel="fax", priority="asap", attachments=["ftp://x/y.jpg", *["https://a/b"] * 10]
        )
    )
    codes = {path[0]: code for path, (code, _) in found.items()}
    assert codes == {
        "colour": "extra_forbidden",
        "channel": "literal_error",
        "priority": "literal_error",
        "attachments": "too_long",
    }


def test_occurred_at_needs_a_timezone() -> None:
    assert errors(body(occurred_at="2026-01-05T09:00:00"))[("occurred_at",)][0] == "timezone_aware"


def test_occurred_at_in_the_future_is_an_error_beyond_a_small_skew() -> None:
    now = datetime(2026, 1, 5, 9, 0, tzinfo=UTC)
    assert future_occurrence_error(None, now) is None
    assert future_occurrence_error(now - timedelta(days=3), now) is None
    assert future_occurrence_error(now + timedelta(minutes=4), now) is None
    error = future_occurrence_error(now + timedelta(hours=1), now)
    assert error is not None and error["loc"] == ("body", "occurred_at") and error["type"] == "in_future"


def test_subject_identifiers_are_plain_ids() -> None:
    assert (
        errors(body(subject={"unit_id": "ps 01; drop"}))[("subject", "unit_id")][0]
        == "string_pattern_mismatch"
    )
    c = ComplaintCreate.model_validate(body(subject={"unit_id": "ps-xihu-01", "text": "值班民警"}))
    assert c.subject is not None and c.subject.unit_id == "ps-xihu-01"


def test_clean_line_and_clean_text() -> None:
    assert clean_text("a\r\nb\rc\x00") == "a\nb\nc"
    assert clean_line(" a \n\t b ") == "a b"
