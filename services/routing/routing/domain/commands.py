"""What staff ask routing to do to a complaint (one use case each)."""

from __future__ import annotations

from dataclasses import dataclass
from uuid import UUID

from routing.domain.lifecycle import Action


@dataclass(frozen=True)
class StationCommand:
    complaint_id: UUID
    action: Action
    expected_version: int | None = None  # optimistic concurrency: 409 when it moved on
    officer_id: str | None = None  # assign
    text: str | None = None  # note, question, answer, or reason (return, transfer, route)
    to_unit_id: str | None = None  # transfer, manual route
