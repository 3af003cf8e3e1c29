"""complaint.submitted -> hot spot detection (consumer group "routing-hotspots").

Incremental, batch-native: per batch, one lock per category, one probe of the LSH key
index for every complaint's keys (placed in its category and the cells around its point,
lsh_keys), at most CANDIDATE_LIMIT candidates each, the grouping in memory in submission
order, then one insert per table. The cost of a complaint is bounded by its keys and the
limit: it never grows with the number of complaints stored. Complaints without coordinates are skipped: "near each other" needs a
point (docs/routing.md, "Hot spots").
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from typing import Any
from uuid import UUID

from huiyin.db import UnitOfWork
from huiyin.events.complaints import ComplaintSubmitted
from huiyin.events.envelope import Event
from routing.adapters.units_repo import DirectoryCache
from routing.domain.directory import Directory
from routing.domain.rules import ComplaintFacts, decide_many
from routing.hotspots import lsh_index, store
from routing.hotspots.batch import BatchGrouping, own_keys, probe_of
from routing.hotspots.grouping import Member
from routing.hotspots.joining import apply_joins
from routing.hotspots.matching import Sighting
from routing.hotspots.rules import HotspotRules
from routing.hotspots.similarity import TextPrint, band_keys, fingerprint


def sighting_of(c: ComplaintSubmitted) -> Sighting:
    assert c.location.lat is not None and c.location.lon is not None
    return Sighting(
        complaint_id=c.complaint_id,
        category=c.category,
        lat=c.location.lat,
        lon=c.location.lon,
        at=c.submitted_at,
        citizen_ref=c.citizen_ref,
        print=fingerprint(c.description),
    )


def place_units(sightings: Sequence[Sighting], directory: Directory) -> list[tuple[str | None, str | None]]:
    """The unit routing sends a complaint at each place to (the routing rules, by place only:
    a complaint naming an officer goes to supervision, but the matter on the street is the
    station's), and its district."""
    facts = [ComplaintFacts(category=s.category, lat=s.lat, lon=s.lon) for s in sightings]
    units = [d.unit_id for d in decide_many(facts, directory)]
    return [(u, directory.facts(u)["district_id"] if u else None) for u in units]


def stored_member(row: Any) -> tuple[Member, int]:
    sighting = Sighting(
        complaint_id=row.complaint_id,
        category=row.category,
        lat=row.lat,
        lon=row.lon,
        at=row.at,
        citizen_ref=row.citizen_ref,
        print=TextPrint.unpack(row.terms, row.hashvalues),
    )
    return Member(sighting, row.group_id), row.shared


async def detect_hotspots(
    uow: UnitOfWork,
    events: Sequence[Event[ComplaintSubmitted]],
    *,
    directories: DirectoryCache,
    rules: HotspotRules,
) -> None:
    located: dict[UUID, ComplaintSubmitted] = {}
    for event in events:
        c = event.data
        if c.location.lat is not None and c.location.lon is not None:
            located.setdefault(c.complaint_id, c)
    if not located:
        return
    session = uow.session
    await store.lock_categories(session, (c.category for c in located.values()))
    seen = await store.known(session, list(located))
    todo = sorted(
        (c for cid, c in located.items() if cid not in seen),
        key=lambda c: (c.submitted_at, str(c.complaint_id)),
    )
    if not todo:
        return
    directory = await directories.get(session)
    now = uow.clock.now()
    sightings = [sighting_of(c) for c in todo]
    probes, placed = {}, {}
    for s in sightings:
        keys = band_keys(s.print)
        probes[s.complaint_id] = probe_of(s, keys, rules)
        placed[s.complaint_id] = own_keys(s, keys, rules)
    found: dict[UUID, list[tuple[Member, int]]] = defaultdict(list)
    for row in await lsh_index.candidates(session, list(probes.values())):
        found[row.probe_id].append(stored_member(row))
    grouping = BatchGrouping(rules)
    for s in sightings:
        grouping.add(s, probes[s.complaint_id], placed[s.complaint_id], found[s.complaint_id])
    rows = []
    for c, s, (unit_id, district_id) in zip(todo, sightings, place_units(sightings, directory), strict=True):
        group_id = grouping.assigned.get(s.complaint_id)
        rows.append(
            {
                "complaint_id": s.complaint_id,
                "tracking_code": c.tracking_code,
                "category": s.category,
                "lat": s.lat,
                "lon": s.lon,
                "at": s.at,
                "citizen_ref": s.citizen_ref,
                "unit_id": unit_id,
                "district_id": district_id,
                "group_id": group_id,
                "joined_at": now if group_id else None,
                "terms": s.print.terms,
                "hashvalues": s.print.packed(),
            }
        )
    await store.insert_sightings(session, rows)
    await lsh_index.insert_keys(session, {s.complaint_id: (placed[s.complaint_id], s.at) for s in sightings})
    await store.regroup(session, grouping.moved, at=now)
    await apply_joins(uow, grouping, directory, rules, now)
