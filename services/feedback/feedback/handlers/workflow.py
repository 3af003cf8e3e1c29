"""Consumer handlers of the feedback workflow: remember who may judge a complaint, and ask
for a verdict when a complaint is resolved."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import timedelta

from feedback.adapters import requests_repo
from huiyin.db import UnitOfWork
from huiyin.events import Event
from huiyin.events.assignments import ComplaintResolved
from huiyin.events.complaints import ComplaintSubmitted
from huiyin.events.feedback import FeedbackRequested
from huiyin.messaging.handlers import Handler, HandlerTable


async def record_citizen_access(uow: UnitOfWork, events: Sequence[Event[ComplaintSubmitted]]) -> None:
    rows = [
        {
            "complaint_id": e.data.complaint_id,
            "tracking_code": e.data.tracking_code,
            "token_sha256": e.data.access_token_sha256,
            "submitted_at": e.data.submitted_at,
        }
        for e in events
    ]
    await requests_repo.record_access(uow.session, rows)


def request_feedback(window: timedelta) -> Handler:
    """One request per resolution; its window runs from the resolution, so a consumer that
    lags (or a replay) gives the citizen the same deadline."""

    async def request_feedback_on_resolution(
        uow: UnitOfWork, events: Sequence[Event[ComplaintResolved]]
    ) -> None:
        rows = [
            {
                "assignment_id": e.data.assignment_id,
                "cycle": e.data.cycle,
                "complaint_id": e.data.complaint_id,
                "unit_id": e.data.unit_id,
                "requested_at": e.data.at,
                "closes_at": e.data.at + window,
            }
            for e in events
        ]
        created = await requests_repo.open_requests(uow.session, rows)
        for row in rows:
            if (row["assignment_id"], row["cycle"]) in created:
                created.discard((row["assignment_id"], row["cycle"]))
                uow.emit(
                    FeedbackRequested(
                        complaint_id=row["complaint_id"],
                        assignment_id=row["assignment_id"],
                        unit_id=row["unit_id"],
                        cycle=row["cycle"],
                        requested_at=row["requested_at"],
                        closes_at=row["closes_at"],
                    )
                )

    return request_feedback_on_resolution


def handler_table(window: timedelta) -> HandlerTable:
    return {
        ComplaintSubmitted: [record_citizen_access],
        ComplaintResolved: [request_feedback(window)],
    }
