"""What hot-spot events mean for the citizen's status view (pure: no I/O)."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime, timedelta

from huiyin.events import hotspots as h
from intake.domain.hotspots import change_for, citizen_status, merged

NOW = datetime(2026, 3, 3, 2, 0, tzinfo=UTC)
HID = uuid.uuid4()


def test_only_an_adopted_hot_spot_is_shown_and_solved_after_its_solution() -> None:
    assert citizen_status(None, None) is None
    assert citizen_status(NOW, None) == "adopted"
    assert citizen_status(NOW, NOW + timedelta(days=1)) == "solved"


def test_each_event_becomes_its_change() -> None:
    members = [uuid.uuid4(), uuid.uuid4()]
    detected = change_for(
        h.HotspotDetected(
            hotspot_id=HID, category="noise", unit_id="u", complaint_ids=members, complaint_count=5,
            citizen_count=3, keywords=["施工"], first_at=NOW, detected_at=NOW,
        )
    )  # fmt: skip
    assert detected is not None and detected.timeline is None and detected.members == tuple(members)
    adopted = change_for(
        h.HotspotAdopted(
            hotspot_id=HID, owner_unit_id="u", owner_unit_name="西湖派出所", deadline=NOW + timedelta(days=7),
            adopted_by="s", complaint_ids=members, adopted_at=NOW,
        )
    )  # fmt: skip
    assert adopted is not None and adopted.timeline == ("hotspot_adopted", "members")
    assert adopted.detail == {"owner_unit_name": "西湖派出所", "deadline": NOW + timedelta(days=7)}
    note = h.HotspotProgressNoted(hotspot_id=HID, owner_unit_id="u", note="内部", by="o", at=NOW)
    assert change_for(note) is None  # staff notes never reach the citizen


def test_two_changes_of_one_hot_spot_merge_monotonically() -> None:
    a, b = uuid.uuid4(), uuid.uuid4()
    first = change_for(
        h.HotspotComplaintLinked(
            hotspot_id=HID, complaint_id=a, complaint_count=7, adopted=True, linked_at=NOW
        )
    )
    later = change_for(
        h.HotspotComplaintLinked(
            hotspot_id=HID,
            complaint_id=b,
            complaint_count=6,
            adopted=True,
            linked_at=NOW + timedelta(minutes=1),
        )
    )
    assert first is not None and later is not None
    both = merged(first, later)
    assert both.complaint_count == 7 and set(both.members) == {a, b} and both.at == NOW + timedelta(minutes=1)
