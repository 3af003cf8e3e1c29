"""Which group (future hot spot) a new complaint joins, given its earlier candidates.

Chaining: a new complaint joins a group through its most similar member, but only if it is
also the same matter as at least `rules.group_share` of that group's members among the
candidates. Pure single-link chaining lets a group drift (A~B, B~C, C~D while A and D share
nothing); the share keeps every newcomer close to the group as a whole. Groups are never
merged: a hot spot, once announced, keeps its identity.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from uuid import UUID

from routing.hotspots.matching import Sighting, near, same_matter
from routing.hotspots.rules import HotspotRules
from routing.hotspots.similarity import text_similarity


@dataclass(frozen=True)
class Member:
    sighting: Sighting
    group_id: UUID | None  # the group it already belongs to, if any


@dataclass(frozen=True)
class Choice:
    group_id: UUID | None  # an existing group the new sighting joins, or None
    partners: tuple[UUID, ...]  # ungrouped same-matter candidates that form/join the group


def _order(member: Member) -> tuple[object, ...]:
    return (member.sighting.at, str(member.sighting.complaint_id))


def _group_to_join(
    new: Sighting, matched: list[Member], candidates: Sequence[Member], rules: HotspotRules
) -> UUID | None:
    # Only members near the new complaint count: the service's bounding box is looser.
    present: dict[UUID, int] = {}
    for member in candidates:
        if member.group_id is not None and near(new, member.sighting, rules):
            present[member.group_id] = present.get(member.group_id, 0) + 1
    support: dict[UUID, int] = {}
    for member in matched:
        if member.group_id is not None:
            support[member.group_id] = support.get(member.group_id, 0) + 1
    grouped = [
        m
        for m in matched
        if m.group_id is not None
        and support[m.group_id] >= math.ceil(rules.group_share * present[m.group_id])
    ]
    # Most similar first; ties go to the earliest complaint, so replays choose the same.
    grouped.sort(key=lambda m: (-text_similarity(new.print, m.sighting.print), _order(m)))
    return grouped[0].group_id if grouped else None


def choose(new: Sighting, candidates: Sequence[Member], rules: HotspotRules) -> Choice:
    matched = sorted(
        (
            m
            for m in candidates
            if m.sighting.complaint_id != new.complaint_id and same_matter(new, m.sighting, rules)
        ),
        key=_order,
    )
    group_id = _group_to_join(new, matched, candidates, rules)
    partners = tuple(m.sighting.complaint_id for m in matched if m.group_id is None)
    return Choice(group_id=group_id, partners=partners)


def citizen_count(refs: Iterable[str | None]) -> int:
    """Distinct citizens. A complaint without a ref (anonymous, no contact) counts as its own
    citizen: we cannot tell two anonymous people apart, and undercounting would hide a
    matter that many people without accounts report."""
    known: set[str] = set()
    anonymous = 0
    for ref in refs:
        if ref is None:
            anonymous += 1
        else:
            known.add(ref)
    return len(known) + anonymous
