"""Cleaning citizen text before it is stored: Unicode NFC, no control characters.

Newlines and tabs survive (descriptions are paragraphs); every other C0/C1 control
character goes, and so do the bidirectional overrides that can make stored text read
differently from what it is ("Trojan source" tricks in a staff member's screen), and
so do lone surrogates (JSON allows "\\ud800"; UTF-8, PostgreSQL and Kafka do not).
"""

from __future__ import annotations

import re
import unicodedata

_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069\u200e\u200f\ud800-\udfff]")


def clean_text(value: str) -> str:
    """NFC-normalised, CRLF -> LF, control characters removed, outer whitespace stripped."""
    value = unicodedata.normalize("NFC", value.replace("\r\n", "\n").replace("\r", "\n"))
    return _CONTROL.sub("", value).strip()


def clean_line(value: str) -> str:
    """Like `clean_text`, for one-line fields (names, addresses): newlines and tabs become spaces."""
    return " ".join(clean_text(value).split())
