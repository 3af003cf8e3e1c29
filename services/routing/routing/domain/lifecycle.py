"""A complaint's state at routing, and which action may move it from which state.

A return or a transfer ends the assignment and routes the complaint again (state `routed`
at the next unit, or `unroutable`); a reopen starts a new cycle at the same unit (`routed`).
"""

from __future__ import annotations

from enum import StrEnum


class State(StrEnum):
    ROUTED = "routed"
    ACKNOWLEDGED = "acknowledged"
    IN_PROGRESS = "in_progress"
    AWAITING_CITIZEN = "awaiting_citizen"
    RESOLVED = "resolved"
    CLOSED = "closed"
    WITHDRAWN = "withdrawn"
    UNROUTABLE = "unroutable"


class Action(StrEnum):
    ACKNOWLEDGE = "acknowledge"
    ASSIGN = "assign"
    NOTE = "note"
    REQUEST_INFORMATION = "request-information"
    RESOLVE = "resolve"
    RETURN = "return"
    TRANSFER = "transfer"
    ROUTE = "route"  # manual routing of an unroutable complaint by the dispatch desk


S = State
_WORKING = {
    S.ACKNOWLEDGED: S.IN_PROGRESS,
    S.IN_PROGRESS: S.IN_PROGRESS,
    S.AWAITING_CITIZEN: S.AWAITING_CITIZEN,
}
_HAND_OVER = {s: S.ROUTED for s in (S.ROUTED, S.ACKNOWLEDGED, S.IN_PROGRESS, S.AWAITING_CITIZEN)}

TRANSITIONS: dict[Action, dict[State, State]] = {
    Action.ACKNOWLEDGE: {S.ROUTED: S.ACKNOWLEDGED},
    Action.ASSIGN: dict(_WORKING),
    Action.NOTE: dict(_WORKING),
    Action.REQUEST_INFORMATION: {S.ACKNOWLEDGED: S.AWAITING_CITIZEN, S.IN_PROGRESS: S.AWAITING_CITIZEN},
    Action.RESOLVE: {s: S.RESOLVED for s in (S.ACKNOWLEDGED, S.IN_PROGRESS, S.AWAITING_CITIZEN)},
    Action.RETURN: dict(_HAND_OVER),
    Action.TRANSFER: dict(_HAND_OVER),
    Action.ROUTE: {S.UNROUTABLE: S.ROUTED},
}

OPEN_STATES = frozenset(State) - {S.CLOSED, S.WITHDRAWN}
# The citizen may withdraw any time before the complaint is resolved.
WITHDRAWABLE = frozenset({S.ROUTED, S.ACKNOWLEDGED, S.IN_PROGRESS, S.AWAITING_CITIZEN, S.UNROUTABLE})


class IllegalTransition(Exception):
    def __init__(self, action: Action, state: State) -> None:
        allowed = sorted(TRANSITIONS[action])
        super().__init__(
            f"cannot {action.value} a complaint in state {state.value!r}"
            + (f" (allowed from: {', '.join(allowed)})" if allowed else "")
        )
        self.action, self.state, self.allowed_from = action, state, allowed


def next_state(state: State, action: Action) -> State:
    try:
        return TRANSITIONS[action][state]
    except KeyError:
        raise IllegalTransition(action, state) from None
