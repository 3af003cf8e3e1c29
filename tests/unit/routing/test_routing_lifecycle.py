"""Which action may move a complaint from which state, and what the refusal says."""

from __future__ import annotations

import pytest

from routing.domain.lifecycle import TRANSITIONS, Action, IllegalTransition, State, next_state

LEGAL = {
    (State.ROUTED, Action.ACKNOWLEDGE): State.ACKNOWLEDGED,
    (State.ACKNOWLEDGED, Action.NOTE): State.IN_PROGRESS,
    (State.ACKNOWLEDGED, Action.ASSIGN): State.IN_PROGRESS,
    (State.IN_PROGRESS, Action.NOTE): State.IN_PROGRESS,
    (State.AWAITING_CITIZEN, Action.NOTE): State.AWAITING_CITIZEN,
    (State.ACKNOWLEDGED, Action.REQUEST_INFORMATION): State.AWAITING_CITIZEN,
    (State.IN_PROGRESS, Action.REQUEST_INFORMATION): State.AWAITING_CITIZEN,
    (State.ACKNOWLEDGED, Action.RESOLVE): State.RESOLVED,
    (State.IN_PROGRESS, Action.RESOLVE): State.RESOLVED,
    (State.AWAITING_CITIZEN, Action.RESOLVE): State.RESOLVED,
    (State.ROUTED, Action.RETURN): State.ROUTED,
    (State.IN_PROGRESS, Action.TRANSFER): State.ROUTED,
    (State.UNROUTABLE, Action.ROUTE): State.ROUTED,
}


@pytest.mark.parametrize(("state", "action"), sorted(LEGAL))
def test_legal_transitions(state: State, action: Action) -> None:
    assert next_state(state, action) == LEGAL[(state, action)]


def test_resolve_before_acknowledge_is_refused_with_the_state_and_what_is_allowed() -> None:
    with pytest.raises(IllegalTransition) as caught:
        next_state(State.ROUTED, Action.RESOLVE)
    assert caught.value.state == State.ROUTED
    assert caught.value.allowed_from == ["acknowledged", "awaiting_citizen", "in_progress"]
    assert str(caught.value).startswith("cannot resolve a complaint in state 'routed'")


@pytest.mark.parametrize("state", [State.CLOSED, State.WITHDRAWN, State.RESOLVED])
def test_nothing_but_feedback_moves_a_finished_complaint(state: State) -> None:
    for action in Action:
        with pytest.raises(IllegalTransition):
            next_state(state, action)


def test_an_unroutable_complaint_is_only_routed_by_hand() -> None:
    assert [a for a in Action if State.UNROUTABLE in TRANSITIONS[a]] == [Action.ROUTE]


def test_asking_the_citizen_twice_is_refused() -> None:
    with pytest.raises(IllegalTransition):
        next_state(State.AWAITING_CITIZEN, Action.REQUEST_INFORMATION)
