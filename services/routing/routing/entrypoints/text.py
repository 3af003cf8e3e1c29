"""Free text from staff: Unicode-normalised, control characters removed, personal-data
patterns masked (notes and answers travel in events, which never carry personal data)."""

from __future__ import annotations

import re
import unicodedata
from typing import Annotated

from pydantic import AfterValidator, StringConstraints

from huiyin.pii import mask_text

_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\u200b-\u200f\u202a-\u202e\u2066-\u2069]")


def normalise(text: str) -> str:
    """NFC, no control characters (PostgreSQL refuses NUL), no surrounding blanks."""
    return _CONTROL.sub("", unicodedata.normalize("NFC", text).replace("\r\n", "\n")).strip()


def clean(text: str) -> str:
    """Free text that travels in events: normalised, personal-data patterns masked."""
    return mask_text(normalise(text))


def not_blank(text: str) -> str:
    if not text:
        raise ValueError("must not be blank")
    return text


ShortText = Annotated[
    str, StringConstraints(max_length=500), AfterValidator(clean), AfterValidator(not_blank)
]
LongText = Annotated[
    str, StringConstraints(max_length=4000), AfterValidator(clean), AfterValidator(not_blank)
]
