"""The citizen-facing status view: states, which citizen actions each allows, public labels.

The state follows the lifecycle in BRIEF.md. Routing's events move it; the citizen's own
withdraw and information move it at once in intake (so a double click gets a 409).
"""

from __future__ import annotations

from typing import Final

SUBMITTED: Final = "submitted"
ROUTED: Final = "routed"
REROUTED: Final = "rerouted"
RETURNED: Final = "returned"
UNROUTABLE: Final = "unroutable"
ACKNOWLEDGED: Final = "acknowledged"
IN_PROGRESS: Final = "in_progress"
AWAITING_CITIZEN: Final = "awaiting_citizen"
RESOLVED: Final = "resolved"
REOPENED: Final = "reopened"
CLOSED: Final = "closed"
WITHDRAWN: Final = "withdrawn"

STATES: Final = (
    SUBMITTED,
    ROUTED,
    REROUTED,
    RETURNED,
    UNROUTABLE,
    ACKNOWLEDGED,
    IN_PROGRESS,
    AWAITING_CITIZEN,
    RESOLVED,
    REOPENED,
    CLOSED,
    WITHDRAWN,
)

# Nothing moves a complaint out of these (a late event from before the withdrawal is ignored).
FINAL: Final = frozenset({CLOSED, WITHDRAWN})
# "Any time before resolved" (BRIEF.md); a reopened complaint is unresolved again.
WITHDRAWABLE: Final = frozenset(STATES) - {RESOLVED, CLOSED, WITHDRAWN}
ANSWERABLE: Final = frozenset({AWAITING_CITIZEN})
# Open311 has two statuses.
OPEN311_CLOSED: Final = frozenset({RESOLVED, CLOSED, WITHDRAWN})

LABELS: Final = {
    SUBMITTED: ("已受理", "Submitted"),
    ROUTED: ("已分派", "Assigned to a unit"),
    REROUTED: ("已改派", "Reassigned to another unit"),
    RETURNED: ("重新分派中", "Being reassigned"),
    UNROUTABLE: ("人工分派中", "Awaiting manual assignment"),
    ACKNOWLEDGED: ("已签收", "Acknowledged"),
    IN_PROGRESS: ("办理中", "In progress"),
    AWAITING_CITIZEN: ("待补充材料", "Waiting for your information"),
    RESOLVED: ("已办结", "Resolved"),
    REOPENED: ("重新办理", "Reopened"),
    CLOSED: ("已关闭", "Closed"),
    WITHDRAWN: ("已撤回", "Withdrawn"),
}


def open311_status(state: str) -> str:
    return "closed" if state in OPEN311_CLOSED else "open"


def public_note(state: str) -> str:
    zh, en = LABELS[state]
    return f"{zh} / {en}"
