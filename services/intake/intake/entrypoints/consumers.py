"""Which events intake consumes, and what handles them."""

from __future__ import annotations

from huiyin.events import topics
from huiyin.messaging.handlers import HandlerTable
from huiyin.runtime import ConsumerSpec
from intake.domain.view_changes import CHANGES
from intake.handlers.status_view import apply_status_events

STATUS_GROUP = "intake-status"

STATUS_HANDLERS: HandlerTable = {event_type: [apply_status_events] for event_type in CHANGES}


def status_consumer() -> ConsumerSpec:
    return ConsumerSpec(
        group=STATUS_GROUP,
        topics=[topics.ASSIGNMENTS, topics.SLA, topics.FEEDBACK],
        handlers=STATUS_HANDLERS,
    )
