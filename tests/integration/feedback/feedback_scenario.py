"""The scripted two-day scenario: three units, nine complaints, every kind of outcome.

Times are Asia/Shanghai wall times (D1 = Monday 2026-03-02, D2 = Tuesday 2026-03-03).
Deadlines: acknowledge within 1 h, resolve within 8 h of the routing (24x7).

U1 unit-a (district-1)                    U2 unit-b (district-2)
 C1 09:00 routed, ack 09:30, resolved 12:00  C4b 09:30 routed (after C4's return), ack 09:45,
    satisfied + resolved (D1 15:00)              resolved 11:30; not resolved + dissatisfied
 C2 09:00, ack 10:30 late, resolved 19:00        (D1 14:00) -> reopened 14:05 (cycle 2: ack
    late; basically satisfied (D2 09:00)         15:05, resolve 22:05), ack 14:30, resolved
 C3 09:00, never acknowledged: both deadlines     D2 10:00 late; dissatisfied again (D2 11:00)
    breached, escalated once; still open          -> flagged for review, no second reopen
 C4a 09:00, returned 09:20 (before ack due)   C5 09:00 ('traffic'), ack 09:10, resolved 10:00;
 C6 D2 09:00, ack 09:20, withdrawn 09:40          no verdict: window (20 h) closes D2 06:00
 C8a D2 09:00, returned 10:30 (ack missed)    C7 D2 09:00, never acknowledged, withdrawn 12:00
                                              C8b D2 10:40, ack 11:00, still open
U3 unit-c (district-1): C9 D2 09:00, ack 09:05, still open.
"""

from __future__ import annotations

import uuid
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from typing import Any

import httpx

from huiyin.clock import ManualClock
from huiyin.events import assignments as a
from huiyin.events import complaints as c
from huiyin.events import sla as s
from tests.integration.feedback import feedback_kit as kit
from tests.support.apps import eventually

D1, D2 = "2026-03-02", "2026-03-03"
U1 = kit.Unit("unit-a", "湖滨派出所", "district-1")
U2 = kit.Unit("unit-b", "北山派出所", "district-2")
U3 = kit.Unit("unit-c", "灵隐警务室", "district-1", kind="community_office")
WINDOW_S = 20 * 3600
OWN_EVENTS = 5 + 4 + 1  # feedback requested (5 resolutions), verdicts (4), expired (1)


@dataclass
class Scenario:
    out: kit.Producer
    http: httpx.AsyncClient
    clock: ManualClock
    ids: dict[str, uuid.UUID] = field(default_factory=dict)

    def cid(self, name: str) -> uuid.UUID:
        return self.ids.setdefault(name, uuid.uuid4())

    async def send(self, data: Any, at: Any, source: str = "/huiyin/routing") -> None:
        await self.out.send(data, at, source=source)

    async def file(self, name: str, day: str, category: str = "noise") -> None:
        at = kit.sh(day, "08:30")
        await self.send(
            kit.submitted(self.cid(name), code(name), token(name), at, category), at, "/huiyin/intake"
        )

    async def route(
        self, name: str, unit: kit.Unit, day: str, hhmm: str, category: str = "noise"
    ) -> a.ComplaintRouted:
        r = kit.routed(self.cid(name), uuid.uuid4(), unit, kit.sh(day, hhmm), category)
        await self.send(r, r.routed_at)
        return r

    async def act(self, kind: Any, r: Any, day: str, hhmm: str, **kw: Any) -> Any:
        data = kit.outcome(kind, r, kit.sh(day, hhmm), **kw)
        return await self.out.send(data, data.at)

    async def verdict(
        self, name: str, day: str, hhmm: str, resolved: bool, satisfaction: str
    ) -> dict[str, Any]:
        self.clock.set(kit.sh(day, hhmm))
        response = await self.http.post(
            f"/api/v1/complaints/{code(name)}/feedback",
            json={"resolved": resolved, "satisfaction": satisfaction},
            headers={"X-Access-Token": token(name)},
        )
        assert response.status_code == 201, response.text
        return response.json()  # type: ignore[no-any-return]

    async def requested(self, name: str, cycle: int = 1) -> None:
        async def probe() -> Any:
            r = await self.http.get(
                f"/api/v1/complaints/{code(name)}/feedback", headers={"X-Access-Token": token(name)}
            )
            return r.json() if r.status_code == 200 else None

        await eventually(probe, until=lambda b: bool(b) and b.get("cycle") == cycle, timeout=30)


def code(name: str) -> str:
    return f"HY-{name}-0001"


def token(name: str) -> str:
    return f"secret-token-of-{name}"


async def play(sc: Scenario, settled: Callable[[int], Awaitable[None]]) -> None:
    sc.clock.set(kit.sh(D1, "08:00"))
    for name in ("C1", "C2", "C3", "C4", "C5"):
        await sc.file(name, D1, "traffic" if name == "C5" else "noise")
    r1 = await sc.route("C1", U1, D1, "09:00")
    ack1 = await sc.act(a.ComplaintAcknowledged, r1, D1, "09:30")
    await sc.out.resend(ack1)  # redelivered: applied once
    await sc.act(a.ComplaintResolved, r1, D1, "12:00")

    r2 = await sc.route("C2", U1, D1, "09:00")
    await sc.send(kit.breached(r2, "ack"), r2.ack_due, "/huiyin/routing-sla")
    await sc.act(a.ComplaintAcknowledged, r2, D1, "10:30")
    await sc.send(kit.breached(r2, "resolve"), r2.resolve_due, "/huiyin/routing-sla")
    await sc.act(a.ComplaintResolved, r2, D1, "19:00", working_s=28800)

    r3 = await sc.route("C3", U1, D1, "09:00")
    await sc.send(kit.breached(r3, "ack"), r3.ack_due, "/huiyin/routing-sla")
    escalation = s.ComplaintEscalated(
        complaint_id=r3.complaint_id, assignment_id=r3.assignment_id, unit_id=U1.unit_id, cycle=1,
        kind="ack", due=r3.ack_due, at=r3.ack_due, level=1, watcher_unit_id="district-1-bureau",
    )  # fmt: skip
    await sc.send(escalation, escalation.at, "/huiyin/routing-sla")
    await sc.send(kit.breached(r3, "resolve"), r3.resolve_due, "/huiyin/routing-sla")

    r4a = await sc.route("C4", U1, D1, "09:00")
    await sc.send(kit.returned(r4a, kit.sh(D1, "09:20"), ack_met=True), kit.sh(D1, "09:20"))
    r4b = await sc.route("C4", U2, D1, "09:30")
    await sc.act(a.ComplaintAcknowledged, r4b, D1, "09:45")
    await sc.act(a.ComplaintResolved, r4b, D1, "11:30")

    r5 = await sc.route("C5", U2, D1, "09:00", category="traffic")
    await sc.act(a.ComplaintAcknowledged, r5, D1, "09:10")
    await sc.act(a.ComplaintResolved, r5, D1, "10:00")

    for name in ("C6", "C7", "C8", "C9"):
        await sc.file(name, D2)
    r6 = await sc.route("C6", U1, D2, "09:00")
    await sc.act(a.ComplaintAcknowledged, r6, D2, "09:20")
    await sc.send(c.ComplaintWithdrawn(state_before="routed", complaint_id=sc.cid("C6"), withdrawn_at=kit.sh(D2, "09:40")),
                  kit.sh(D2, "09:40"), "/huiyin/intake")  # fmt: skip
    await sc.route("C7", U2, D2, "09:00")
    await sc.send(c.ComplaintWithdrawn(state_before="routed", complaint_id=sc.cid("C7"), withdrawn_at=kit.sh(D2, "12:00")),
                  kit.sh(D2, "12:00"), "/huiyin/intake")  # fmt: skip
    r8a = await sc.route("C8", U1, D2, "09:00")
    await sc.send(kit.returned(r8a, kit.sh(D2, "10:30"), ack_met=False), kit.sh(D2, "10:30"))
    r8b = await sc.route("C8", U2, D2, "10:40")
    await sc.act(a.ComplaintAcknowledged, r8b, D2, "11:00")
    r9 = await sc.route("C9", U3, D2, "09:00")
    await sc.act(a.ComplaintAcknowledged, r9, D2, "09:05")

    # The citizens' verdicts of day 1 (C4 asks for a reopen).
    await sc.requested("C4")
    await sc.requested("C1")
    v4 = await sc.verdict("C4", D1, "14:00", resolved=False, satisfaction="dissatisfied")
    assert v4["verdict"]["reopen_requested"] is True
    await sc.verdict("C1", D1, "15:00", resolved=True, satisfaction="satisfied")

    # Routing reopens C4 with the same unit: cycle 2.
    reopen = a.ComplaintReopened(
        complaint_id=sc.cid("C4"), assignment_id=r4b.assignment_id, unit_id=U2.unit_id, unit_name=U2.name,
        unit_kind=U2.kind, district_id=U2.district_id, district_name=None, category="noise", cycle=2,
        reopened_at=kit.sh(D1, "14:05"), ack_due=kit.sh(D1, "15:05"), resolve_due=kit.sh(D1, "22:05"),
    )  # fmt: skip
    await sc.send(reopen, reopen.reopened_at)
    await sc.act(a.ComplaintAcknowledged, reopen, D1, "14:30", cycle=2)
    await sc.send(kit.breached(reopen, "resolve", cycle=2), reopen.resolve_due, "/huiyin/routing-sla")
    await sc.act(a.ComplaintResolved, reopen, D2, "10:00", cycle=2, working_s=18000)

    # Day 2: C5's window closed at 06:00 unanswered; C2 and C4 (again) judge.
    await sc.requested("C2")
    await sc.verdict("C2", D2, "09:00", resolved=True, satisfaction="basically_satisfied")
    await sc.requested("C4", cycle=2)
    v4b = await sc.verdict("C4", D2, "11:00", resolved=False, satisfaction="dissatisfied")
    assert v4b["verdict"]["review_flagged"] is True and v4b["verdict"]["reopen_requested"] is False
    sc.clock.set(kit.sh(D2, "19:00"))
    await settled(len(sc.out.sent) + OWN_EVENTS)
