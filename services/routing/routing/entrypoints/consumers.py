"""Which events routing consumes, and the use case each one runs (group "routing"); hot spot
detection reads the same complaints in its own group ("routing-hotspots"), so it never
delays the inbox path, and pauses while the inbox consumer takes full batches."""

from __future__ import annotations

from functools import partial

from huiyin.events import topics
from huiyin.events.complaints import ComplaintSubmitted, ComplaintWithdrawn, InformationAdded
from huiyin.events.feedback import FeedbackExpired, VerdictGiven
from huiyin.messaging.handlers import HandlerTable
from huiyin.messaging.kafka import BULK
from huiyin.runtime import ConsumerSpec
from routing.adapters.units_repo import DirectoryCache
from routing.handlers.citizen_events import add_information, withdraw
from routing.handlers.feedback_events import apply_feedback
from routing.handlers.route_submitted import route_submitted
from routing.hotspots.detect import detect_hotspots
from routing.hotspots.rules import HotspotRules

GROUP = "routing"
HOTSPOT_GROUP = "routing-hotspots"
HOTSPOT_MAX_BATCH = 100


def event_handlers(directories: DirectoryCache) -> HandlerTable:
    return {
        ComplaintSubmitted: [partial(route_submitted, directories=directories)],
        ComplaintWithdrawn: [withdraw],
        InformationAdded: [add_information],
        VerdictGiven: [partial(apply_feedback, directories=directories)],
        FeedbackExpired: [partial(apply_feedback, directories=directories)],
    }


def consumer_spec(directories: DirectoryCache, *, lanes: int = 1) -> ConsumerSpec:
    # Every handler here locks or writes only its own complaints' rows (cases, assignments,
    # cycles, timers, history, outbox), so lanes of partitions never wait on each other.
    return ConsumerSpec(
        group=GROUP,
        topics=[topics.COMPLAINTS, topics.FEEDBACK],
        handlers=event_handlers(directories),
        lanes=lanes,
    )


def hotspot_consumer_spec(directories: DirectoryCache, rules: HotspotRules) -> ConsumerSpec:
    handlers: HandlerTable = {
        ComplaintSubmitted: [partial(detect_hotspots, directories=directories, rules=rules)]
    }
    # Nobody waits on detection the way a station waits on its inbox: at a peak it pauses
    # and catches up afterwards, leaving the CPU to placing complaints. A batch holds the
    # event loop the inbox consumer shares for ~1.6 ms of Python per complaint (100,000
    # stored), and the pause starts only once the inbox's rate has risen: batches of at most
    # HOTSPOT_MAX_BATCH keep what the first complaints of a peak wait for short.
    return ConsumerSpec(
        group=HOTSPOT_GROUP,
        topics=[topics.COMPLAINTS],
        handlers=handlers,
        defers_to=GROUP,
        max_batch=HOTSPOT_MAX_BATCH,
        fetch=BULK,
    )
