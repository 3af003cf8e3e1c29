"""The loop that closes feedback requests whose window has passed ('no feedback').

Safe with several replicas: each claims due requests with FOR UPDATE SKIP LOCKED, so a
request is expired once, by one of them."""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import Awaitable, Callable

from feedback.adapters import requests_repo
from huiyin.db import UnitOfWork
from huiyin.events.feedback import FeedbackExpired

BATCH = 500


async def expire_due_requests(uow: UnitOfWork, *, limit: int = BATCH) -> int:
    """Expire up to `limit` requests past their window; returns how many."""
    due = await requests_repo.claim_expired(uow.session, uow.clock.now(), limit)
    for request in due:
        request.status, request.expired_at = "expired", request.closes_at
        uow.session.add(request)
        uow.emit(
            FeedbackExpired(
                complaint_id=request.complaint_id,
                assignment_id=request.assignment_id,
                unit_id=request.unit_id,
                cycle=request.cycle,
                at=request.closes_at,  # the window closed then, whenever the loop noticed
            )
        )
    await uow.commit()
    return len(due)


def expiry_loop(
    uow_factory: Callable[[], UnitOfWork], poll_s: float
) -> Callable[[asyncio.Event], Awaitable[None]]:
    async def expire_feedback_requests(stop: asyncio.Event) -> None:
        while not stop.is_set():
            async with uow_factory() as uow:
                expired = await expire_due_requests(uow)
            if expired < BATCH:
                with contextlib.suppress(TimeoutError):
                    await asyncio.wait_for(stop.wait(), timeout=poll_s)

    return expire_feedback_requests
