"""The citizen's verdict: who may give it, and what it asks routing to do."""

from __future__ import annotations

import hashlib
import hmac
from dataclasses import dataclass
from typing import Literal

Satisfaction = Literal["satisfied", "basically_satisfied", "dissatisfied"]
MAX_REOPENS = 1  # one reopen per complaint; later dissatisfaction goes to supervision review


def token_matches(token: str, expected_sha256: str) -> bool:
    """Constant-time comparison of the token's SHA-256 with the one intake published."""
    actual = hashlib.sha256(token.encode()).hexdigest()
    return hmac.compare_digest(actual, expected_sha256.lower())


@dataclass(frozen=True)
class Decision:
    reopen_requested: bool
    review_flagged: bool


def decide(*, resolved: bool, satisfaction: Satisfaction, earlier_reopens: int) -> Decision:
    """'Not resolved' or 'dissatisfied' asks for a reopen with the same unit, once; after
    that the complaint is flagged for supervision review instead, and closed."""
    unhappy = not resolved or satisfaction == "dissatisfied"
    if not unhappy:
        return Decision(reopen_requested=False, review_flagged=False)
    if earlier_reopens < MAX_REOPENS:
        return Decision(reopen_requested=True, review_flagged=False)
    return Decision(reopen_requested=False, review_flagged=True)
