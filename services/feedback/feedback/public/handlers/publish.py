"""Publishing a month's figures: version 1 automatically once the month has closed, later
versions as corrections with a reason. Each publication stores the snapshot and emits
PublicFiguresPublished in one transaction (the audit consumer chains its hash).

Exactly once with N replicas: the month's advisory lock serializes publishers, the latest
version is read under it, and the (month, version) key refuses a second insert anyway.
"""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import Awaitable, Callable
from datetime import date, timedelta
from typing import Any

from feedback.public.adapters import snapshots_repo as repo
from feedback.public.adapters import source
from feedback.public.domain import months as m
from feedback.public.domain.snapshot import build_figures, canonical_text, sha256_of
from feedback.settings import FeedbackSettings
from huiyin.db import UnitOfWork
from huiyin.events.feedback import PublicFiguresPublished
from huiyin.http.errors import DomainError

SYSTEM = "system"


def grace_of(settings: FeedbackSettings) -> timedelta:
    return timedelta(seconds=settings.public_grace_s)


async def months_due(uow: UnitOfWork, settings: FeedbackSettings) -> list[date]:
    """Closed months with figures in the read model and no published version yet."""
    earliest = await source.earliest_day(uow.session)
    if earliest is None:
        return []
    published = await repo.published_months(uow.session)
    closed = m.months_from(earliest, m.last_closed(uow.clock.now(), grace_of(settings)))
    return [month for month in closed if m.month_text(month) not in published]


async def _publish(
    uow: UnitOfWork, month: date, version: int, *, settings: FeedbackSettings, by: str, reason: str | None
) -> dict[str, Any] | None:
    inputs = await source.month_inputs(uow.session, month)
    figures = build_figures(
        month=month, units=inputs.units, unit_counts=inputs.unit_counts, district_counts=inputs.district_counts,
        weights=settings.ranking_weights(), min_count=settings.public_min_count,
    )  # fmt: skip
    body, now = canonical_text(figures), uow.clock.now()
    event = PublicFiguresPublished(
        month=m.month_text(month), version=version, sha256=sha256_of(body), reason=reason,
        published_at=now, published_by=by,
    )  # fmt: skip
    snapshot = {**event.model_dump(), "figures": body}
    if not await repo.insert(uow.session, snapshot):
        return None
    uow.emit(event, time=now)
    await uow.commit()
    return {k: v for k, v in snapshot.items() if k not in ("figures", "published_by")}


async def publish_first_version(uow: UnitOfWork, month: date, settings: FeedbackSettings) -> bool:
    """Freeze a closed month as version 1; False if it already was (by any replica)."""
    await repo.lock_month(uow.session, month)
    if await repo.latest_version(uow.session, m.month_text(month)) is not None:
        return False
    return await _publish(uow, month, 1, settings=settings, by=SYSTEM, reason=None) is not None


async def correct_month(
    uow: UnitOfWork, month: date, *, reason: str, by: str, settings: FeedbackSettings
) -> dict[str, Any]:
    """Publish version n+1 from the read model as it is now; every earlier version stays."""
    if not m.is_closed(month, uow.clock.now(), grace_of(settings)):
        closes = m.closes_at(month, grace_of(settings))
        raise DomainError(
            409, "this month is not closed yet: its figures are not published", closes_at=closes
        )
    await repo.lock_month(uow.session, month)
    latest = await repo.latest_version(uow.session, m.month_text(month))
    if latest is None:
        raise DomainError(409, "this month has no published version yet: the automatic one comes first")
    published = await _publish(uow, month, latest + 1, settings=settings, by=by, reason=reason)
    if published is None:  # unreachable under the lock; a failure must show, never pass as done
        raise DomainError(409, "this version was published concurrently; try again")
    return published


def publication_loop(
    uow_factory: Callable[[], UnitOfWork], settings: FeedbackSettings
) -> Callable[[asyncio.Event], Awaitable[None]]:
    async def publish_closed_months(stop: asyncio.Event) -> None:
        while not stop.is_set():
            async with uow_factory() as uow:
                due = await months_due(uow, settings)
            for month in due:
                async with uow_factory() as uow:
                    await publish_first_version(uow, month, settings)
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(stop.wait(), timeout=settings.public_poll_s)

    return publish_closed_months
