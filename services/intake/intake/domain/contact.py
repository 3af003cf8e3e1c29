"""Contact data rules: mainland mobile numbers, e-mail shape, and the duplicate-detection key."""

from __future__ import annotations

import hashlib
import hmac
import re

_PHONE = re.compile(r"^1[3-9]\d{9}$")
_EMAIL = re.compile(r"^[A-Za-z0-9._%+-]{1,64}@[A-Za-z0-9-]+(\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,63}$")
_SEPARATORS = str.maketrans("", "", " -()")


def normalize_phone(raw: str) -> str | None:
    """'+86 138-0013-8000' -> '13800138000'; None when it is not a mainland mobile number."""
    digits = raw.translate(_SEPARATORS)
    for prefix in ("+86", "0086", "86"):
        if digits.startswith(prefix) and len(digits) == len(prefix) + 11:
            digits = digits[len(prefix) :]
            break
    return digits if _PHONE.match(digits) else None


def normalize_email(raw: str) -> str | None:
    email = raw.strip()
    return email if len(email) <= 254 and _EMAIL.match(email) else None


def contact_material(phone: str | None, email: str | None) -> str | None:
    """What names a contact for keyed hashing: the phone wins over the e-mail; None without either."""
    if phone:
        return "phone:" + phone
    if email:
        return "email:" + email.lower()
    return None


def contact_key(*, phone: str | None, email: str | None, hmac_key: bytes) -> str | None:
    """A keyed hash naming 'the same contact' across complaints, so possible duplicates are
    found without decrypting anyone's phone number."""
    material = contact_material(phone, email)
    if material is None:
        return None
    return hmac.new(hmac_key, material.encode(), hashlib.sha256).hexdigest()
