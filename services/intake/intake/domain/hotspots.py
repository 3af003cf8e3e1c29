"""What routing's hot-spot events mean for the citizens whose complaints are in the hot spot.

Pure: an event in, a `HotspotChange` out. Decision (docs/intake.md): the citizen sees a hot
spot only once supervision ADOPTED it ("being handled as a whole", with its owner unit and
deadline) and when it is solved; a detection alone shows nothing, because it is a
statistical grouping that nobody has committed to act on yet.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from datetime import datetime
from typing import Any, Literal
from uuid import UUID

from huiyin.events import EventData
from huiyin.events import hotspots as h

Audience = Literal["members", "linked"]  # every member complaint, or only the one linked


@dataclass(frozen=True)
class HotspotChange:
    hotspot_id: UUID
    at: datetime
    complaint_count: int = 0
    detected_at: datetime | None = None
    adopted_at: datetime | None = None
    owner_unit_name: str | None = None
    deadline: datetime | None = None
    solved_at: datetime | None = None
    solved_summary: str | None = None
    members: tuple[UUID, ...] = ()
    timeline: tuple[str, Audience] | None = None  # (kind, who gets the entry)
    detail: dict[str, Any] = field(default_factory=dict)


def change_for(data: EventData) -> HotspotChange | None:
    if isinstance(data, h.HotspotDetected):
        return HotspotChange(
            data.hotspot_id, data.detected_at, complaint_count=data.complaint_count,
            detected_at=data.detected_at, members=tuple(data.complaint_ids),
        )  # fmt: skip
    if isinstance(data, h.HotspotComplaintLinked):
        # Joining an adopted hot spot is news for that citizen; the entry is added only if
        # intake knows the hot spot as adopted (the event's flag may be all it has).
        return HotspotChange(
            data.hotspot_id, data.linked_at, complaint_count=data.complaint_count,
            members=(data.complaint_id,), timeline=("hotspot_joined", "linked"),
        )  # fmt: skip
    if isinstance(data, h.HotspotAdopted):
        detail = {"owner_unit_name": data.owner_unit_name, "deadline": data.deadline}
        return HotspotChange(
            data.hotspot_id, data.adopted_at, complaint_count=len(data.complaint_ids),
            adopted_at=data.adopted_at, owner_unit_name=data.owner_unit_name, deadline=data.deadline,
            members=tuple(data.complaint_ids), timeline=("hotspot_adopted", "members"), detail=detail,
        )  # fmt: skip
    if isinstance(data, h.HotspotSolved):
        return HotspotChange(
            data.hotspot_id, data.at, deadline=data.deadline, solved_at=data.at, solved_summary=data.summary,
            timeline=("hotspot_solved", "members"), detail={"summary": data.summary},
        )  # fmt: skip
    return None  # progress notes and overdue notices are for staff


def merged(first: HotspotChange, later: HotspotChange) -> HotspotChange:
    """Two changes of one hot spot in one batch as one row: the earliest of each moment,
    the largest size, the later values, every member."""

    def earliest(a: datetime | None, b: datetime | None) -> datetime | None:
        return min(x for x in (a, b) if x is not None) if a or b else None

    return replace(
        later,
        at=max(first.at, later.at),
        complaint_count=max(first.complaint_count, later.complaint_count),
        detected_at=earliest(first.detected_at, later.detected_at),
        adopted_at=earliest(first.adopted_at, later.adopted_at),
        owner_unit_name=later.owner_unit_name or first.owner_unit_name,
        deadline=later.deadline or first.deadline,
        solved_at=earliest(first.solved_at, later.solved_at),
        solved_summary=later.solved_summary or first.solved_summary,
        members=tuple(dict.fromkeys(first.members + later.members)),
    )


def citizen_status(
    adopted_at: datetime | None, solved_at: datetime | None
) -> Literal["adopted", "solved"] | None:
    if adopted_at is None:
        return None
    return "solved" if solved_at is not None else "adopted"


HANDLED = (h.HotspotDetected, h.HotspotComplaintLinked, h.HotspotAdopted, h.HotspotSolved)
