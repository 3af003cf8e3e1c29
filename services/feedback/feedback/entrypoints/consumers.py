"""Which events the feedback service consumes, in which consumer group, with which handlers.

Three groups, so each keeps its own pace and its own processed-event ids:
- workflow: citizen access and feedback requests (complaints, assignments);
- read model: the accountability figures (all five topics, its own feedback events too);
- audit: the hash-chained log of every event (all five topics).
"""

from __future__ import annotations

from datetime import timedelta

from feedback.handlers import audit, readmodel, workflow
from feedback.settings import FeedbackSettings
from huiyin.events import topics
from huiyin.messaging.kafka import BULK
from huiyin.runtime import ConsumerSpec

WORKFLOW_GROUP = "feedback-workflow"
READ_MODEL_GROUP = "feedback-readmodel"
AUDIT_GROUP = "feedback-audit"


def consumer_specs(settings: FeedbackSettings) -> list[ConsumerSpec]:
    window = timedelta(seconds=settings.feedback_window_s)
    gather = settings.feedback_gather_s
    return [
        ConsumerSpec(
            WORKFLOW_GROUP,
            [topics.COMPLAINTS, topics.ASSIGNMENTS],
            workflow.handler_table(window),
            gather_s=gather,
            fetch=BULK,
        ),
        ConsumerSpec(
            READ_MODEL_GROUP, list(topics.ALL), readmodel.handler_table(), gather_s=gather, fetch=BULK
        ),
        ConsumerSpec(AUDIT_GROUP, list(topics.ALL), audit.handler_table(), gather_s=gather, fetch=BULK),
    ]
