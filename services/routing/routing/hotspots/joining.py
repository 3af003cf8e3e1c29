"""After a batch is grouped: bring the touched groups up to date, in the order the complaints
joined, and say what happened. A group becomes a hot spot once (HotspotDetected) when the
rules' threshold is reached; every later joiner is announced (HotspotComplaintLinked)."""

from __future__ import annotations

from collections import Counter, defaultdict
from datetime import datetime
from typing import Any
from uuid import UUID

from huiyin.db import UnitOfWork
from huiyin.events.hotspots import HotspotComplaintLinked, HotspotDetected
from routing.domain.directory import Directory
from routing.hotspots import store
from routing.hotspots.batch import BatchGrouping
from routing.hotspots.grouping import citizen_count
from routing.hotspots.rules import HotspotRules
from routing.hotspots.similarity import keywords
from routing.hotspots.tables import HotspotRow

ANNOUNCED = ("detected", "adopted")


def responsible_unit(members: list[Any], directory: Directory) -> tuple[str, str | None]:
    """The unit most of the complaints were routed to (the earliest wins a tie); the
    dispatch desk when none of them lies in a jurisdiction."""
    counts = Counter(m.unit_id for m in members if m.unit_id)
    desk = directory.dispatch_desk()
    unit_id = counts.most_common(1)[0][0] if counts else (desk.id if desk else "dispatch")
    return unit_id, directory.facts(unit_id)["district_id"]


async def apply_joins(
    uow: UnitOfWork, grouping: BatchGrouping, directory: Directory, rules: HotspotRules, now: datetime
) -> None:
    joined: dict[UUID, list[UUID]] = defaultdict(list)
    for group_id, complaint_id in grouping.joins:
        joined[group_id].append(complaint_id)
    existing = await store.lock_groups(uow.session, [g for g in joined if g not in grouping.new_groups])
    announced = {g for g, row in existing.items() if row.status in ANNOUNCED}
    by_group: dict[UUID, list[Any]] = defaultdict(list)
    for member in await store.members(uow.session, [g for g in joined if g not in announced]):
        by_group[member.group_id].append(member)
    fresh_rows, updated = [], {}
    for group_id, complaint_ids in joined.items():
        row = existing.get(group_id)
        if group_id in announced:
            assert row is not None
            _announce_joiners(uow, row, complaint_ids, now)
            continue
        category = row.category if row is not None else grouping.new_groups[group_id]
        growth = Growth(uow, rules, directory, now, group_id, category, row)
        values = growth.apply(by_group[group_id], complaint_ids)
        if row is None:
            fresh_rows.append({"id": group_id, "category": category, "version": 1, **values})
        else:
            updated[group_id] = values
    await store.update_groups(uow.session, updated)
    await store.insert_groups(uow.session, fresh_rows)
    # Announced hot spots' counts, re-aggregated in the database from the sightings (whose
    # group was set before this step), not from their members (their number grows).
    await store.recount_groups(uow.session, announced & joined.keys())


def _announce_joiners(uow: UnitOfWork, row: HotspotRow, complaint_ids: list[UUID], now: datetime) -> None:
    """A hot spot already announced takes joiners without reading its members: each joiner is
    announced (the counts are re-aggregated after the batch's groups, in `apply_joins`)."""
    for n, complaint_id in enumerate(complaint_ids, start=row.complaint_count + 1):
        linked = HotspotComplaintLinked(
            hotspot_id=row.id,
            complaint_id=complaint_id,
            complaint_count=n,
            adopted=row.status == "adopted",
            linked_at=now,
        )
        uow.emit(linked, time=now)


class Growth:
    """One group taking in this batch's joiners, one at a time."""

    def __init__(
        self,
        uow: UnitOfWork,
        rules: HotspotRules,
        directory: Directory,
        now: datetime,
        group_id: UUID,
        category: str,
        row: HotspotRow | None,
    ) -> None:
        self.uow, self.rules, self.directory, self.now = uow, rules, directory, now
        self.group_id, self.category, self.row = group_id, category, row
        self.status = row.status if row is not None else "forming"
        self.values: dict[str, Any] = {}

    def apply(self, members: list[Any], complaint_ids: list[UUID]) -> dict[str, Any]:
        newcomers = set(complaint_ids)
        by_id = {m.complaint_id: m for m in members}
        running = [m for m in members if m.complaint_id not in newcomers]
        for complaint_id in complaint_ids:
            if complaint_id not in by_id:
                continue  # stored by an earlier delivery, which announced it
            running.append(by_id[complaint_id])
            self._joined(running, complaint_id)
        if self.status == "forming" or self.row is None:
            unit_id, district_id = responsible_unit(members, self.directory)
            self.values.setdefault("unit_id", unit_id)
            self.values.setdefault("district_id", district_id)
        self.values.setdefault("keywords", self.row.keywords if self.row is not None else [])
        return {
            **self.values,
            "status": self.status,
            "complaint_count": len(members),
            "citizen_count": citizen_count(m.citizen_ref for m in members),
            "first_at": min(m.at for m in members),
            "last_at": max(m.at for m in members),
        }

    def _joined(self, running: list[Any], complaint_id: UUID) -> None:
        if self.status in ANNOUNCED:
            linked = HotspotComplaintLinked(
                hotspot_id=self.group_id,
                complaint_id=complaint_id,
                complaint_count=len(running),
                adopted=self.status == "adopted",
                linked_at=self.now,
            )
            self.uow.emit(linked, time=self.now)
            return
        citizens = citizen_count(m.citizen_ref for m in running)
        if self.status != "forming" or not self.rules.reached(len(running), citizens):
            return
        self.status = "detected"
        unit_id, district_id = responsible_unit(running, self.directory)
        terms = keywords([m.terms for m in running])
        version = self.row.version + 1 if self.row is not None else 1
        self.values.update(
            detected_at=self.now, keywords=terms, unit_id=unit_id, district_id=district_id, version=version
        )
        detected = HotspotDetected(
            hotspot_id=self.group_id,
            category=self.category,
            unit_id=unit_id,
            district_id=district_id,
            complaint_ids=[m.complaint_id for m in running],
            complaint_count=len(running),
            citizen_count=citizens,
            keywords=terms,
            first_at=min(m.at for m in running),
            detected_at=self.now,
        )
        self.uow.emit(detected, time=self.now)
