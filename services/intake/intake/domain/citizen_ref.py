"""The citizen's pseudonym in events: who filed is the same person, without saying who.

Routing counts "5 complaints from at least 3 citizens" for hot spots with it. A keyed HMAC
of the normalized phone (else the e-mail), truncated: without the key nobody can test a
phone number against it, and it is not intake's duplicate-detection hash (another key).
"""

from __future__ import annotations

import hashlib
import hmac

from intake.domain.contact import contact_material, normalize_email, normalize_phone

REF_HEX_CHARS = 32  # 128 bits: no collisions among a city's citizens


def citizen_ref(*, phone: str | None, email: str | None, key: bytes) -> str | None:
    """None for an anonymous filing (no usable contact): those citizens are not counted."""
    material = contact_material(
        normalize_phone(phone) if phone else None, normalize_email(email) if email else None
    )
    if material is None:
        return None
    # The prefix separates this use of the key from any other, should a key ever be shared.
    digest = hmac.new(key, b"huiyin-citizen-ref:" + material.encode(), hashlib.sha256).hexdigest()
    return digest[:REF_HEX_CHARS]
