"""Tracking codes and access tokens: what a citizen holds to reach their complaint.

A tracking code is read aloud on the hotline and typed from a receipt, so its alphabet
has no 0/O, 1/I/L (nor U, after Crockford): 30 symbols, 8 of them = about 39 bits, enough
that collisions are rare and caught by a unique index (the filing retries with a new code).
The code names the complaint; the access token (256 random bits, shown once, only its
SHA-256 stored) proves the citizen holds it.
"""

from __future__ import annotations

import hashlib
import hmac
import re
import secrets

ALPHABET = "23456789ABCDEFGHJKMNPQRSTVWXYZ"
PREFIX = "HY-"
LENGTH = 8
TOKEN_BYTES = 32
_CODE_RE = re.compile(rf"^{PREFIX}[{ALPHABET}]{{{LENGTH}}}$")


def new_tracking_code() -> str:
    n, symbols = secrets.randbelow(len(ALPHABET) ** LENGTH), []
    for _ in range(LENGTH):
        n, digit = divmod(n, len(ALPHABET))
        symbols.append(ALPHABET[digit])
    return PREFIX + "".join(symbols)


def normalize_tracking_code(raw: str) -> str | None:
    """What the citizen typed -> the canonical code, or None if it cannot be one.

    Case and spaces are forgiven; the prefix may be left out. Ambiguous characters are not
    mapped to their look-alikes: a code containing them was never issued.
    """
    body = "".join(raw.split()).upper().replace("-", "")
    if len(body) == LENGTH + 2 and body.startswith("HY"):
        body = body[2:]
    code = PREFIX + body
    return code if _CODE_RE.match(code) else None


def new_access_token() -> str:
    return secrets.token_urlsafe(TOKEN_BYTES)


def token_sha256(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


# Compared against when the code is unknown, so both failures cost the same work.
_DUMMY_HASH = token_sha256("no complaint has this token")


def token_matches(token: str | None, stored_sha256: str | None) -> bool:
    """Constant-time check of a presented token against the stored hash."""
    presented = token_sha256(token or "")
    return hmac.compare_digest(presented, stored_sha256 or _DUMMY_HASH) and stored_sha256 is not None
