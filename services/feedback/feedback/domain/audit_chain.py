"""The audit hash chain: each record's hash covers its canonical content and the hash of
the record before it, so editing, removing or reordering a stored record shows."""

from __future__ import annotations

import hashlib
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

import orjson

GENESIS = "0" * 64


def canonical(wire: dict[str, Any]) -> str:
    """One text per event: sorted keys, no spaces, UTF-8 kept as is (orjson). Verification
    hashes the stored text, never a re-rendering, so the renderer may change between
    records without breaking the chain."""
    return orjson.dumps(wire, option=orjson.OPT_SORT_KEYS).decode()


def link(prev_hash: str, content: str) -> str:
    return hashlib.sha256(f"{prev_hash}\n{content}".encode()).hexdigest()


@dataclass(frozen=True)
class StoredRecord:
    seq: int
    event_id: str
    content: str
    prev_hash: str
    hash: str


@dataclass(frozen=True)
class Mismatch:
    seq: int
    event_id: str
    reason: str


class ChainWalker:
    """Checks records in seq order, chunk after chunk; remembers where it stopped."""

    def __init__(self) -> None:
        self.last_seq = 0
        self.last_hash = GENESIS
        self.checked = 0

    def check(self, records: Iterable[StoredRecord]) -> Mismatch | None:
        for r in records:
            if r.seq != self.last_seq + 1:
                return Mismatch(r.seq, r.event_id, f"sequence gap: expected {self.last_seq + 1}")
            if r.prev_hash != self.last_hash:
                return Mismatch(r.seq, r.event_id, "prev_hash does not match the previous record")
            if link(r.prev_hash, r.content) != r.hash:
                return Mismatch(r.seq, r.event_id, "content does not match its hash")
            self.last_seq, self.last_hash = r.seq, r.hash
            self.checked += 1
        return None
