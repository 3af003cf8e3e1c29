"""Every illegal transition is a 409 carrying the current state; two officers acting at once:
one wins, the other gets 409, and nothing of the loser is applied."""

from __future__ import annotations

import asyncio
import uuid
from datetime import UTC, datetime

import pytest

from huiyin.events.assignments import ComplaintAcknowledged, ProgressNoted
from huiyin.events.complaints import ComplaintWithdrawn
from huiyin.events.feedback import VerdictGiven
from routing.domain.lifecycle import TRANSITIONS, Action, State
from tests.integration.routing.routing_harness import GULOU, MISHI, RoutingEnv, inside, routing_env_fixture  # noqa: F401

pytestmark = pytest.mark.integration

BODIES = {
    Action.ACKNOWLEDGE: {},
    Action.ASSIGN: {"officer_id": "HY1001"},
    Action.NOTE: {"note": "进展"},
    Action.REQUEST_INFORMATION: {"question": "请补充"},
    Action.RESOLVE: {"answer": "已办结"},
    Action.RETURN: {"reason": "非本所"},
    Action.TRANSFER: {"to_unit_id": MISHI, "reason": "转办"},
}
# How to bring a fresh complaint at Gulou into each state (head's actions, then events).
PATHS: dict[State, list[Action | str]] = {
    State.ROUTED: [],
    State.ACKNOWLEDGED: [Action.ACKNOWLEDGE],
    State.IN_PROGRESS: [Action.ACKNOWLEDGE, Action.NOTE],
    State.AWAITING_CITIZEN: [Action.ACKNOWLEDGE, Action.REQUEST_INFORMATION],
    State.RESOLVED: [Action.ACKNOWLEDGE, Action.RESOLVE],
    State.CLOSED: [Action.ACKNOWLEDGE, Action.RESOLVE, "verdict"],
    State.WITHDRAWN: ["withdraw"],
}


async def _in_state(env: RoutingEnv, state: State) -> uuid.UUID:
    cid = await env.submit(**inside(GULOU))
    await env.case_when(cid, lambda c: c["state"] == "routed")
    for step in PATHS[state]:
        if step == "verdict":
            await env.produce(
                VerdictGiven(
                    complaint_id=cid,
                    unit_id=GULOU,
                    cycle=1,
                    resolved=True,
                    satisfaction="satisfied",
                    at=datetime.now(UTC),
                    reopen_requested=False,
                    review_flagged=False,
                )
            )
        elif step == "withdraw":
            await env.produce(
                ComplaintWithdrawn(state_before="routed", complaint_id=cid, withdrawn_at=datetime.now(UTC))
            )
        else:
            r = await env.act(cid, step.value, "demo.head", **BODIES[step])  # type: ignore[union-attr]
            assert r.status_code == 200, r.text
    await env.case_when(cid, lambda c: c["state"] == state.value)
    return cid


async def test_every_illegal_transition_is_a_409_with_the_current_state(routing_env: RoutingEnv) -> None:
    env = routing_env
    checked = 0
    for state in PATHS:
        cid = await _in_state(env, state)
        version = (await env.case(cid)).json()["version"]
        for action, body in BODIES.items():
            if state in TRANSITIONS[action]:
                continue
            r = await env.act(cid, action.value, "demo.head", **body)
            assert r.status_code == 409, (state, action, r.text)
            assert r.json()["state"] == state.value and r.json()["version"] == version
            assert f"cannot {action.value}" in r.json()["detail"]
            checked += 1
        assert (await env.case(cid)).json()["version"] == version, "a refused action changed nothing"
    assert checked == sum(len(PATHS) - len([s for s in TRANSITIONS[a] if s in PATHS]) for a in BODIES)

    r = await env.client.post(
        f"/api/v1/triage/{cid}/route", json={"unit_id": GULOU}, headers=await env.as_("demo.dispatch")
    )
    assert r.status_code == 409 and r.json()["state"] == "withdrawn"
    unroutable = await env.submit()
    await env.case_when(unroutable, lambda c: c["state"] == "unroutable")
    r = await env.act(unroutable, "transfer", "demo.supervision", to_unit_id=GULOU, reason="x")
    assert r.status_code == 409 and r.json()["state"] == "unroutable"


async def test_two_officers_acknowledging_at_once_one_wins_the_other_gets_409(
    routing_env: RoutingEnv,
) -> None:
    env = routing_env
    cid = await env.submit(**inside(GULOU))
    await env.case_when(cid, lambda c: c["state"] == "routed")
    await env.as_("demo.officer"), await env.as_("demo.head")
    first, second = await asyncio.gather(
        env.act(cid, "acknowledge", "demo.officer"), env.act(cid, "acknowledge", "demo.head")
    )
    assert sorted([first.status_code, second.status_code]) == [200, 409]
    loser = first if first.status_code == 409 else second
    assert loser.json()["state"] == "acknowledged"
    acks = [e for e in await env.outbox(cid) if isinstance(e, ComplaintAcknowledged)]
    assert len(acks) == 1
    history = [h["action"] for h in (await env.case(cid)).json()["history"]]
    assert history.count("acknowledged") == 1


async def test_a_stale_version_loses_even_when_the_transition_is_legal(routing_env: RoutingEnv) -> None:
    env = routing_env
    cid = await env.submit(**inside(GULOU))
    await env.case_when(cid, lambda c: c["state"] == "routed")
    version = (await env.act(cid, "acknowledge", "demo.officer")).json()["version"]
    notes = await asyncio.gather(
        env.act(cid, "note", "demo.officer", note="甲", version=version),
        env.act(cid, "note", "demo.head", note="乙", version=version),
    )
    assert sorted(r.status_code for r in notes) == [200, 409]
    loser = next(r for r in notes if r.status_code == 409)
    assert loser.json()["version"] == version + 1 and loser.json()["state"] == "in_progress"
    assert len([e for e in await env.outbox(cid) if isinstance(e, ProgressNoted)]) == 1
