"""Which events intake consumes, and what handles them."""

from __future__ import annotations

from huiyin.events import topics
from huiyin.messaging.handlers import HandlerTable
from huiyin.messaging.kafka import BULK
from huiyin.runtime import ConsumerSpec
from intake.domain import hotspots
from intake.domain.view_changes import CHANGES
from intake.handlers.hotspots import apply_hotspot_events
from intake.handlers.status_view import apply_status_events

STATUS_GROUP = "intake-status"

STATUS_HANDLERS: HandlerTable = {
    **{event_type: [apply_status_events] for event_type in CHANGES},
    # The hot spot a complaint is in, for the citizen's tracking page.
    **{event_type: [apply_hotspot_events] for event_type in hotspots.HANDLED},
}


def status_consumer() -> ConsumerSpec:
    return ConsumerSpec(
        group=STATUS_GROUP,
        topics=[topics.ASSIGNMENTS, topics.SLA, topics.FEEDBACK, topics.HOTSPOTS],
        handlers=STATUS_HANDLERS,
        # The citizen's status page trails the events by up to half a second.
        fetch=BULK,
    )
