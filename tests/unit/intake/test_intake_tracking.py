"""Tracking codes and access tokens."""

from __future__ import annotations

import hashlib
import re

from intake.domain import tracking
from intake.domain.tracking import (
    ALPHABET,
    new_access_token,
    new_tracking_code,
    normalize_tracking_code,
    token_matches,
    token_sha256,
)

CODE = re.compile(r"^HY-[23456789ABCDEFGHJKMNPQRSTVWXYZ]{8}$")


def test_the_alphabet_has_no_ambiguous_characters() -> None:
    assert not set("0O1IL") & set(ALPHABET)
    assert len(set(ALPHABET)) == len(ALPHABET) == 30


def test_codes_have_the_documented_shape_and_do_not_repeat() -> None:
    codes = [new_tracking_code() for _ in range(20_000)]
    assert all(CODE.match(c) for c in codes)
    assert len(set(codes)) == len(codes)


def test_codes_use_the_whole_alphabet_in_every_position() -> None:
    codes = [new_tracking_code() for _ in range(5_000)]
    for position in range(3, 3 + tracking.LENGTH):
        assert {c[position] for c in codes} == set(ALPHABET)


def test_what_a_citizen_types_is_normalised() -> None:
    code = new_tracking_code()
    body = code[3:]
    for typed in (
        code,
        code.lower(),
        f" {body[:4]} {body[4:]} ",
        body,
        "hy" + body.lower(),
        f"HY-{body[:4]}-{body[4:]}",
    ):
        assert normalize_tracking_code(typed) == code


def test_impossible_codes_are_rejected() -> None:
    for typed in (
        "",
        "HY-",
        "HY-ABCDEFG",
        "HY-ABCDEFGHJ",
        "HY-ABCDEF0O",
        "HY-ABCDEFIL",
        "XX-ABCDEFGH",
        "' OR 1=1",
    ):
        assert normalize_tracking_code(typed) is None


def test_access_tokens_carry_at_least_128_bits() -> None:
    tokens = {new_access_token() for _ in range(1000)}
    assert len(tokens) == 1000
    assert all(len(t) >= 43 for t in tokens)  # 32 random bytes, base64url


def test_only_the_hash_is_compared() -> None:
    token = new_access_token()
    stored = token_sha256(token)
    assert stored == hashlib.sha256(token.encode()).hexdigest()
    assert token_matches(token, stored)
    assert not token_matches(token + "x", stored)
    assert not token_matches(None, stored)
    assert not token_matches(token, None)  # unknown code: still compared, still refused
