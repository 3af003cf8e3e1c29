"""The station's actions over HTTP, and the citizen's and feedback's events over Kafka."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from huiyin.events.assignments import (
    ComplaintAcknowledged,
    ComplaintClosed,
    ComplaintReopened,
    ComplaintResolved,
    ComplaintResumed,
    ComplaintReturned,
    ComplaintRouted,
    ComplaintTransferred,
    ComplaintUnroutable,
    InformationRequested,
    OfficerAssigned,
    ProgressNoted,
)
from huiyin.events.complaints import ComplaintWithdrawn, InformationAdded, Subject
from huiyin.events.feedback import FeedbackExpired, VerdictGiven
from tests.integration.routing.routing_harness import (  # noqa: F401
    GULOU,
    MISHI,
    RoutingEnv,
    border,
    inside,
    routing_env_fixture,
)

pytestmark = pytest.mark.integration


def now() -> datetime:
    return datetime.now(UTC)


async def test_return_reroutes_then_the_second_return_goes_to_the_dispatch_desk(
    routing_env: RoutingEnv,
) -> None:
    env = routing_env
    complaint_id = await env.submit(**border(GULOU, MISHI))
    case = await env.case_when(complaint_id, lambda c: c["state"] == "routed")
    assert case["unit_id"] == GULOU and "shared border" in case["explanation"]

    r = await env.act(complaint_id, "return", "demo.officer", reason="  ")
    assert r.status_code == 422 and r.json()["errors"][0]["path"] == "body.reason"
    r = await env.act(complaint_id, "return", "demo.officer", reason="不属于本所辖区")
    assert r.status_code == 200, r.text
    assert (r.json()["unit_id"], r.json()["state"]) == (MISHI, "routed")
    case = (await env.case(complaint_id)).json()
    assert case["assignments"][0]["end_reason"] == "returned"
    assert case["assignments"][1]["reason"] == "return"
    assert {"unit_id": GULOU, "why": "returned this complaint before"} in case["assignments"][1]["candidates"]
    inbox = (
        await env.client.get(f"/api/v1/stations/{GULOU}/inbox", headers=await env.as_("demo.officer"))
    ).json()
    assert inbox["total"] == 0

    mishi = await _officer(env, "mishi.officer", MISHI)
    r = await env.act(complaint_id, "return", mishi, reason="也不属于本所")
    assert r.status_code == 200 and r.json()["state"] == "unroutable" and r.json()["unit_id"] == "dispatch"
    triage = (await env.client.get("/api/v1/triage", headers=await env.as_("demo.dispatch"))).json()
    assert [i["complaint_id"] for i in triage["items"]] == [str(complaint_id)]

    r = await env.client.post(
        f"/api/v1/triage/{complaint_id}/route",
        json={"unit_id": GULOU, "note": "人工派单"},
        headers=await env.as_("demo.dispatch"),
    )
    assert r.status_code == 200 and r.json()["unit_id"] == GULOU, r.text
    events = [type(e) for e in await env.outbox(complaint_id)]
    assert events == [
        ComplaintRouted,
        ComplaintReturned,
        ComplaintRouted,
        ComplaintReturned,
        ComplaintUnroutable,
        ComplaintRouted,
    ]
    routed = [e for e in await env.outbox(complaint_id) if isinstance(e, ComplaintRouted)]
    assert [e.reason for e in routed] == ["initial", "return", "manual"]


async def test_the_whole_life_of_a_complaint_at_a_station(routing_env: RoutingEnv) -> None:
    env = routing_env
    cid = await env.submit(**inside(GULOU))
    await env.case_when(cid, lambda c: c["state"] == "routed")
    assert (await env.act(cid, "resolve", "demo.officer", answer="已处理")).status_code == 409
    assert (await env.act(cid, "acknowledge", "demo.officer")).json()["state"] == "acknowledged"
    assert (
        await env.act(cid, "assign", "demo.officer", officer_id="HY1001")
    ).status_code == 403  # heads assign
    r = await env.act(cid, "assign", "demo.head", officer_id="HY1001")
    assert r.json()["officer_id"] == "demo.officer", r.text
    assert (await env.act(cid, "note", "demo.officer", note="已联系物业调取监控")).json()[
        "state"
    ] == "in_progress"
    r = await env.act(cid, "request-information", "demo.officer", question="请提供车辆颜色")
    assert r.json()["state"] == "awaiting_citizen"

    await env.produce(InformationAdded(complaint_id=cid, text="黑色电动车", added_at=now()))
    case = await env.case_when(cid, lambda c: c["state"] == "in_progress")
    assert case["history"][-1]["detail"]["text"] == "黑色电动车"
    r = await env.act(cid, "resolve", "demo.officer", answer="车辆已找回，请到所领取。电话13812345678")
    assert r.json()["state"] == "resolved"
    case = (await env.case(cid)).json()
    assert case["answer"] == "车辆已找回，请到所领取。电话138****5678"  # personal data never leaves in events

    await env.produce(_verdict(cid, GULOU, 1, reopen=True))
    case = await env.case_when(cid, lambda c: c["state"] == "routed")
    assert case["cycle"] == 2 and len(case["cycles"]) == 2
    assert (await env.act(cid, "acknowledge", "demo.officer")).status_code == 200
    assert (await env.act(cid, "resolve", "demo.officer", answer="再次核实后已处理")).status_code == 200
    await env.produce(FeedbackExpired(complaint_id=cid, unit_id=GULOU, cycle=2, at=now()))
    await env.case_when(cid, lambda c: c["state"] == "closed")

    kinds = [type(e) for e in await env.outbox(cid)]
    assert kinds == [
        ComplaintRouted,
        ComplaintAcknowledged,
        OfficerAssigned,
        ProgressNoted,
        InformationRequested,
        ComplaintResumed,
        ComplaintResolved,
        ComplaintReopened,
        ComplaintAcknowledged,
        ComplaintResolved,
        ComplaintClosed,
    ]
    closed = (await env.outbox(cid))[-1]
    assert closed.reason == "no_feedback"


async def test_a_withdrawn_complaint_is_closed_and_accepts_no_action(routing_env: RoutingEnv) -> None:
    env = routing_env
    cid = await env.submit(**inside(GULOU))
    await env.case_when(cid, lambda c: c["state"] == "routed")
    await env.produce(
        ComplaintWithdrawn(state_before="routed", complaint_id=cid, withdrawn_at=now(), reason="已自行解决")
    )
    case = await env.case_when(cid, lambda c: c["state"] == "withdrawn")
    assert case["cycles"][0]["cancelled_at"] is not None
    r = await env.act(cid, "acknowledge", "demo.officer")
    assert r.status_code == 409 and r.json()["state"] == "withdrawn"
    closed = (await env.outbox(cid))[-1]
    assert isinstance(closed, ComplaintClosed) and closed.reason == "withdrawn"


async def test_a_verdict_without_reopen_closes(routing_env: RoutingEnv) -> None:
    env = routing_env
    cid = await env.submit(**inside(GULOU))
    await env.case_when(cid, lambda c: c["state"] == "routed")
    await env.act(cid, "acknowledge", "demo.officer")
    await env.act(cid, "resolve", "demo.officer", answer="已处理")
    await env.produce(_verdict(cid, GULOU, 1, reopen=False))
    await env.case_when(cid, lambda c: c["state"] == "closed")
    assert (await env.outbox(cid))[-1].reason == "verdict"


async def test_transfer_moves_the_complaint_and_refuses_a_conflicted_or_unknown_unit(
    routing_env: RoutingEnv,
) -> None:
    env = routing_env
    cid = await env.submit(**inside(GULOU))
    await env.case_when(cid, lambda c: c["state"] == "routed")
    for target, problem in [
        ("dispatch", "dispatch desk"),
        ("nowhere", "no active unit"),
        (GULOU, "already at"),
    ]:
        r = await env.act(cid, "transfer", "demo.head", to_unit_id=target, reason="转办")
        assert r.status_code == 422 and problem in r.json()["errors"][0]["message"], r.text
    r = await env.act(cid, "transfer", "demo.head", to_unit_id=MISHI, reason="属米市所辖区")
    assert r.json()["unit_id"] == MISHI and r.json()["state"] == "routed"
    transferred = [e for e in await env.outbox(cid) if isinstance(e, ComplaintTransferred)]
    assert transferred[0].to_unit_id == MISHI and transferred[0].ack_met is True


async def test_a_complaint_naming_an_officer_goes_to_the_bureaus_inspection_unit(
    routing_env: RoutingEnv,
) -> None:
    env = routing_env
    cid = await env.submit(category="police_conduct", subject=Subject(officer_id="HY1001"), **inside(GULOU))
    case = await env.case_when(cid, lambda c: c["state"] == "routed")
    assert case["unit_id"] == "supervision-zhonglou"
    assert "conflict of interest" in case["explanation"] and "officer HY1001" in case["explanation"]
    assert (await env.case(cid, "demo.officer")).status_code == 403  # the named station never sees it
    r = await env.act(cid, "transfer", "demo.supervision", to_unit_id=GULOU, reason="x")
    assert r.status_code == 422 and "conflict of interest" in r.json()["errors"][0]["message"]


async def test_a_complaint_without_coordinates_waits_in_triage(routing_env: RoutingEnv) -> None:
    env = routing_env
    cid = await env.submit()
    case = await env.case_when(cid, lambda c: c["state"] == "unroutable")
    assert case["unit_id"] == "dispatch" and "no coordinates" in case["explanation"]
    assert (await env.case(cid, "demo.dispatch")).status_code == 200
    r = await env.client.post(
        f"/api/v1/triage/{cid}/route", json={"unit_id": "dispatch"}, headers=await env.as_("demo.dispatch")
    )
    assert r.status_code == 422


def _verdict(cid: object, unit: str, cycle: int, *, reopen: bool) -> VerdictGiven:
    return VerdictGiven(
        complaint_id=cid,
        unit_id=unit,
        cycle=cycle,
        resolved=not reopen,  # type: ignore[arg-type]
        satisfaction="dissatisfied" if reopen else "satisfied",
        at=now(),
        reopen_requested=reopen,
        review_flagged=False,
    )


async def _officer(env: RoutingEnv, username: str, unit_id: str) -> str:
    body = {"username": username, "password": "a-long-password-1", "role": "officer", "unit_id": unit_id}
    r = await env.client.post("/api/v1/users", json=body, headers=await env.as_("demo.admin"))
    assert r.status_code == 201, r.text
    await env.as_(username, "a-long-password-1")
    return username
