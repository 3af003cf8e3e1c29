"""Personal data: masking for display and logs, AES-GCM encryption at rest with key rotation."""

from __future__ import annotations

import base64
import os
import re
from dataclasses import dataclass

from cryptography.hazmat.primitives.ciphers.aead import AESGCM

# Mainland mobile numbers and 18-digit resident ID numbers (last character may be X).
PHONE_RE = re.compile(r"(?<!\d)(1[3-9]\d)(\d{4})(\d{4})(?!\d)")
ID_RE = re.compile(r"(?<![\dXx])(\d{6})(\d{8})(\d{3}[\dXx])(?![\dXx])")
EMAIL_RE = re.compile(r"([A-Za-z0-9._%+-])[A-Za-z0-9._%+-]*(@[A-Za-z0-9.-]+\.[A-Za-z]{2,})")


def mask_phone(phone: str) -> str:
    """138****5678"""
    return phone[:3] + "****" + phone[-4:] if len(phone) >= 7 else "****"


def mask_name(name: str) -> str:
    """张** / J***"""
    return name[:1] + "*" * max(len(name) - 1, 1) if name else ""


def mask_email(email: str) -> str:
    return EMAIL_RE.sub(r"\1***\2", email)


def mask_text(text: str) -> str:
    """Mask phone and ID-number patterns in free text (a safety net for logs and events)."""
    text = ID_RE.sub(lambda m: m.group(1) + "********" + m.group(3)[-1:].rjust(4, "*"), text)
    return PHONE_RE.sub(lambda m: m.group(1) + "****" + m.group(3), text)


@dataclass(frozen=True)
class KeyRing:
    """`kid:base64key` pairs; the first key encrypts, every key decrypts (rotation)."""

    keys: tuple[tuple[str, bytes], ...]

    @classmethod
    def parse(cls, spec: str) -> KeyRing:
        keys = []
        for part in filter(None, (p.strip() for p in spec.split(","))):
            kid, _, b64 = part.partition(":")
            key = base64.b64decode(b64)
            if not kid or len(key) != 32:
                raise ValueError("each PII key must be 'kid:base64(32 bytes)'")
            keys.append((kid, key))
        if not keys:
            raise ValueError("at least one PII key is required")
        return cls(tuple(keys))

    def encrypt(self, plaintext: str, *, aad: bytes = b"") -> str:
        kid, key = self.keys[0]
        nonce = os.urandom(12)
        sealed = AESGCM(key).encrypt(nonce, plaintext.encode(), aad)
        return f"{kid}.{base64.urlsafe_b64encode(nonce + sealed).decode()}"

    def decrypt(self, token: str, *, aad: bytes = b"") -> str:
        kid, _, body = token.partition(".")
        key = dict(self.keys).get(kid)
        if key is None:
            raise ValueError(f"unknown PII key id {kid!r}")
        raw = base64.urlsafe_b64decode(body)
        return AESGCM(key).decrypt(raw[:12], raw[12:], aad).decode()

    @property
    def current_kid(self) -> str:
        return self.keys[0][0]
