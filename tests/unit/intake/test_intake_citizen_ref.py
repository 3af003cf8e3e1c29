"""The citizen pseudonym in ComplaintSubmitted: keyed, stable across phone formats, None
without contact, never the contact or its plain hash; and its key is refused in production."""

from __future__ import annotations

import hashlib
from datetime import UTC, datetime, timedelta

import pytest

from huiyin.pii import KeyRing
from huiyin.settings import DEV_PII_KEY
from intake.domain.citizen_ref import REF_HEX_CHARS, citizen_ref
from intake.domain.filing import ComplaintCreate
from intake.handlers.filing_records import submitted_event
from intake.handlers.prepare_filing import FilingPolicy, prepare_filing
from intake.settings import DEV_CITIZEN_REF_KEY, IntakeSettings

KEY = b"k" * 32
OTHER_KEY = b"o" * 32


def ref(phone: str | None = None, email: str | None = None, key: bytes = KEY) -> str | None:
    return citizen_ref(phone=phone, email=email, key=key)


def test_the_same_phone_in_two_formats_gives_the_same_ref() -> None:
    plain = ref("13800138000")
    assert plain is not None and len(plain) == REF_HEX_CHARS
    assert ref("+86 138-0013-8000") == plain
    assert ref("0086 (138) 0013 8000") == plain


def test_different_phones_give_different_refs() -> None:
    assert ref("13800138000") != ref("13800138001")


def test_the_phone_wins_over_the_email_and_the_email_is_used_without_a_phone() -> None:
    assert ref("13800138000", "a@example.com") == ref("13800138000")
    assert ref(None, "A@Example.com") == ref(None, "a@example.com") != ref(None, "b@example.com")
    assert ref(None, "a@example.com") != ref("13800138000")


def test_no_contact_gives_none() -> None:
    assert ref() is None
    assert ref("", "") is None
    assert ref("not a phone", "not an email") is None


def test_the_ref_is_keyed_not_the_plain_hash_nor_the_contact() -> None:
    r = ref("13800138000")
    assert r is not None and "13800138000" not in r
    for material in ("13800138000", "phone:13800138000", "huiyin-citizen-ref:phone:13800138000"):
        for algo in (hashlib.sha256, hashlib.md5, hashlib.sha1):
            assert not algo(material.encode()).hexdigest().startswith(r)
    assert ref("13800138000", key=OTHER_KEY) != r


def test_the_submitted_event_carries_the_ref_only() -> None:
    policy = FilingPolicy(
        keyring=KeyRing.parse("k1:" + DEV_PII_KEY),
        contact_hmac_key=b"c" * 32,
        citizen_ref_key=KEY,
        duplicate_window=timedelta(hours=1),
        duplicate_radius_m=100,
    )
    body = {
        "category": "noise",
        "description": "楼上每天夜里装修，声音很大。",
        "location": {"address": "文三路 100 号"},
    }
    named = ComplaintCreate.model_validate(body | {"contact": {"phone": "+86 13800138000"}})
    now = datetime.now(UTC)
    event = submitted_event(prepare_filing(named, now=now, policy=policy), "HY-TEST0001", None)
    assert event.citizen_ref == ref("13800138000")
    assert "13800138000" not in event.model_dump_json()
    anonymous = ComplaintCreate.model_validate(body)
    assert (
        submitted_event(prepare_filing(anonymous, now=now, policy=policy), "HY-TEST0002", None).citizen_ref
        is None
    )


def test_the_development_key_is_refused_in_production() -> None:
    assert IntakeSettings(environment="development").citizen_ref_key == DEV_CITIZEN_REF_KEY
    with pytest.raises(ValueError, match="INTAKE_CITIZEN_REF_KEY"):
        IntakeSettings(environment="test", citizen_ref_key="c2hvcnQ=")  # 5 bytes: too short
