"""One decoder per process, shared by its consumer groups: each message is decoded once.

Several groups of one service read the same topics at about the same pace (feedback's
workflow, read model and audit; routing's inbox and hot spots), so without sharing every
event's payload would be validated once per group. Decoded events are immutable (frozen
dataclass around a frozen pydantic model), so groups can share them. The key is the raw
message itself: equal bytes decode to an equal event, whatever topic or offset they came
from, so a recreated topic or a replay can never be served a stale entry.
"""

from __future__ import annotations

from collections.abc import Container
from typing import Any

from huiyin.events.envelope import Event
from huiyin.events.registry import EventRegistry

# About two consumer batches per group of three groups: enough for groups that run
# abreast, a few MiB of memory. A group far behind the others just decodes for itself.
DEFAULT_CAPACITY = 4096


class SharedDecoder:
    def __init__(self, registry: EventRegistry, capacity: int = DEFAULT_CAPACITY) -> None:
        self._registry, self._capacity = registry, capacity
        self._recent: dict[bytes, Event[Any]] = {}
        self.hits = 0
        self.misses = 0

    def decode(self, raw: bytes, wanted: Container[str]) -> Event[Any] | None:
        """The event in `raw`, or None when its type is not in `wanted` (the caller has no
        handler for it). Raises `EventDecodeError` for a malformed message or unknown type."""
        event = self._recent.get(raw)
        if event is not None:
            self.hits += 1
            return event if event.type in wanted else None
        self.misses += 1
        event = self._registry.decode_if(raw, wanted)
        if event is not None and self._capacity > 0:
            self._recent[raw] = event
            if len(self._recent) > self._capacity:
                del self._recent[next(iter(self._recent))]  # the oldest entry
        return event
