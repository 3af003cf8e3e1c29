"""The batch half of filing: one transaction for a group of concurrent filings.

In order: claim the idempotency keys (a key another request holds drops its item here,
before anything else is written), flag possible duplicates with one query, insert the
complaints and their status rows, emit one `ComplaintSubmitted` each, commit. The
tracking codes are drawn here, so a collision retries the batch with new codes.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any
from uuid import UUID

from huiyin import jsonutil
from huiyin.db import UnitOfWork
from intake.adapters import filing_repo
from intake.adapters.filing_repo import TrackingCodeTaken
from intake.domain import duplicates
from intake.domain.tracking import new_tracking_code
from intake.handlers.filing_records import complaint_row, response_body, submitted_event
from intake.handlers.prepare_filing import FilingPolicy, NewComplaint

CODE_ATTEMPTS = 3


@dataclass(frozen=True, slots=True)
class Filed:
    complaint_id: UUID
    body: dict[str, Any]  # the 201 response


@dataclass(frozen=True, slots=True)
class KeyTaken:
    """Another request with the same Idempotency-Key committed first: answer from its record."""

    key: str


FilingOutcome = Filed | KeyTaken


async def commit_filings(
    uow_factory: Callable[[], UnitOfWork], policy: FilingPolicy, items: Sequence[NewComplaint]
) -> list[FilingOutcome]:
    for attempt in range(1, CODE_ATTEMPTS + 1):
        try:
            return await _commit(uow_factory(), policy, items)
        except TrackingCodeTaken:
            if attempt == CODE_ATTEMPTS:
                raise
    raise AssertionError("unreachable")


async def _commit(
    uow: UnitOfWork, policy: FilingPolicy, items: Sequence[NewComplaint]
) -> list[FilingOutcome]:
    async with uow:
        dup_of = await _possible_duplicates(uow, policy, items)
        codes = {i.complaint_id: new_tracking_code() for i in items}
        bodies = {
            i.complaint_id: response_body(i, codes[i.complaint_id], dup_of.get(i.complaint_id)) for i in items
        }
        taken = await _claim_keys(uow, policy, items, bodies)
        winners = [i for i in items if i.complaint_id not in taken]
        rows = [complaint_row(i, codes[i.complaint_id], dup_of.get(i.complaint_id)) for i in winners]
        await filing_repo.insert_complaints(uow.session, rows)
        for i in winners:
            uow.emit(
                submitted_event(i, codes[i.complaint_id], dup_of.get(i.complaint_id)), time=i.submitted_at
            )
        await uow.commit()
    return [
        KeyTaken(taken[i.complaint_id])
        if i.complaint_id in taken
        else Filed(i.complaint_id, bodies[i.complaint_id])
        for i in items
    ]


async def _possible_duplicates(
    uow: UnitOfWork, policy: FilingPolicy, items: Sequence[NewComplaint]
) -> dict[UUID, UUID]:
    keyed = [i for i in items if i.contact_key]
    if not keyed:
        return {}
    since = min(i.submitted_at for i in keyed) - policy.duplicate_window
    pairs = [(i.contact_key, i.cmd.category) for i in keyed if i.contact_key]
    by_contact: dict[str, list[duplicates.Filed]] = {}
    for old in await filing_repo.recent_by_contact(uow.session, pairs=pairs, since=since):
        by_contact.setdefault(old.contact_key, []).append(old)
    found: dict[UUID, UUID] = {}
    for i in keyed:  # in arrival order, so a batch's later filing may duplicate an earlier one
        me = _as_filed(i)
        same_contact = by_contact.setdefault(me.contact_key, [])
        dup = duplicates.find_duplicate(
            me, same_contact, window=policy.duplicate_window, radius_m=policy.duplicate_radius_m
        )
        if dup is not None:
            found[i.complaint_id] = dup
        same_contact.append(me)
    return found


async def _claim_keys(
    uow: UnitOfWork, policy: FilingPolicy, items: Sequence[NewComplaint], bodies: dict[UUID, dict[str, Any]]
) -> dict[UUID, str]:
    """Complaint id -> key, for the items whose Idempotency-Key was already taken."""
    taken: dict[UUID, str] = {}
    first: dict[str, NewComplaint] = {}
    for i in items:
        if i.idempotency is not None:
            if i.idempotency.key in first:
                taken[i.complaint_id] = i.idempotency.key  # the same key twice in one batch
            else:
                first[i.idempotency.key] = i
    records = [
        {
            "key": key,
            "request_sha256": i.idempotency.request_sha256,  # type: ignore[union-attr]
            "complaint_id": i.complaint_id,
            # The response holds the access token: stored encrypted, bound to its key.
            "response_enc": policy.keyring.encrypt(
                jsonutil.dumps_str(bodies[i.complaint_id]), aad=key.encode()
            ),
            "created_at": i.submitted_at,
        }
        for key, i in first.items()
    ]
    claimed = await filing_repo.claim_idempotency_keys(uow.session, records)
    for key, i in first.items():
        if key not in claimed:
            taken[i.complaint_id] = key
    return taken


def _as_filed(i: NewComplaint) -> duplicates.Filed:
    where = i.cmd.location
    return duplicates.Filed(
        i.complaint_id,
        i.contact_key or "",
        i.cmd.category,
        where.lat,
        where.lon,
        where.address,
        i.submitted_at,
    )
