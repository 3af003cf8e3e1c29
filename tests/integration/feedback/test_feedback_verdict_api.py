"""The citizen's verdict over HTTP, on real PostgreSQL and Kafka: who may give it, once per
resolution, within the window; what it asks routing to do; the expiry of silent requests."""

from __future__ import annotations

import json
import uuid

import pytest

from feedback.entrypoints.app import create_app
from huiyin.clock import ManualClock
from huiyin.events import assignments as a
from tests.integration.feedback import feedback_kit as kit
from tests.support.apps import eventually, running
from tests.support.infra import Infra

pytestmark = pytest.mark.integration

D1 = "2026-03-02"
UNIT = kit.Unit("unit-v", "西湖派出所", "district-v")


async def test_verdict_paths(infra: Infra, topic_prefix: str) -> None:
    db = infra.create_database("feedback")
    settings = kit.settings(db, infra.kafka_bootstrap, topic_prefix, feedback_window_s=3600)
    clock = ManualClock(kit.sh(D1, "08:00"))
    app = create_app(settings, clock=clock)
    c1, c2, c3 = uuid.uuid4(), uuid.uuid4(), uuid.uuid4()
    a1, a3 = uuid.uuid4(), uuid.uuid4()
    async with running(app) as http, kit.Producer(infra.kafka_bootstrap, topic_prefix) as out:
        for cid, code in ((c1, "HY-V0000001"), (c2, "HY-V0000002"), (c3, "HY-V0000003")):
            await out.send(
                kit.submitted(cid, code, f"token-{code}", kit.sh(D1, "08:30"), "noise"), kit.sh(D1, "08:30")
            )
        r1 = kit.routed(c1, a1, UNIT, kit.sh(D1, "09:00"), "noise")
        r3 = kit.routed(c3, a3, UNIT, kit.sh(D1, "09:00"), "noise")
        for r in (r1, r3):
            await out.send(r, r.routed_at)
            await out.send(kit.outcome(a.ComplaintResolved, r, kit.sh(D1, "09:20")), kit.sh(D1, "09:20"))

        def status(code: str, token: str | None = None):  # type: ignore[no-untyped-def]
            headers = {"X-Access-Token": token or f"token-{code}"}
            return http.get(f"/api/v1/complaints/{code}/feedback", headers=headers)

        async def requested(code: str) -> bool:
            response = await status(code)
            return response.status_code == 200 and response.json()["requested"]

        await eventually(lambda: requested("HY-V0000001"), timeout=30)
        await eventually(lambda: requested("HY-V0000003"), timeout=30)
        body = (await status("HY-V0000001")).json()
        assert body["status"] == "open"
        assert body["closes_at"].startswith("2026-03-02T02:20:00")  # resolved 09:20 (+08) + 1 h

        # Unknown code, wrong token, no token: one and the same 404.
        verdict = {"resolved": True, "satisfaction": "satisfied"}
        for code, headers in (
            ("HY-NOPE0000", {"X-Access-Token": "token-HY-NOPE0000"}),
            ("HY-V0000001", {"X-Access-Token": "not-the-token"}),
            ("HY-V0000001", {}),
        ):
            response = await http.post(f"/api/v1/complaints/{code}/feedback", json=verdict, headers=headers)
            assert response.status_code == 404, response.text
            assert response.json()["detail"] == "no complaint with this tracking code and access token"
        assert (await status("HY-V0000001", "wrong")).status_code == 404

        # Bad input says what is wrong.
        bad = await http.post(
            "/api/v1/complaints/HY-V0000001/feedback",
            json={"resolved": True, "satisfaction": "so-so"},
            headers={"X-Access-Token": "token-HY-V0000001"},
        )
        assert bad.status_code == 422
        assert bad.json()["errors"][0]["path"] == "body.satisfaction"

        # Not resolved yet: nothing to judge.
        await eventually(lambda: status("HY-V0000002"), until=lambda r: r.status_code == 200, timeout=30)
        early = await http.post(
            "/api/v1/complaints/HY-V0000002/feedback",
            json=verdict,
            headers={"X-Access-Token": "token-HY-V0000002"},
        )
        assert early.status_code == 409 and early.json()["code"] == "not_requested"

        # A dissatisfied first verdict asks routing to reopen.
        clock.set(kit.sh(D1, "09:40"))
        first = await http.post(
            "/api/v1/complaints/HY-V0000001/feedback",
            json={"resolved": False, "satisfaction": "dissatisfied", "comment": "电话 13812345678 没人接"},
            headers={"X-Access-Token": "token-HY-V0000001"},
        )
        assert first.status_code == 201, first.text
        given = first.json()
        assert given["status"] == "given"
        assert given["verdict"]["reopen_requested"] is True and given["verdict"]["review_flagged"] is False
        assert "13812345678" not in given["verdict"]["comment"]

        again = await http.post(
            "/api/v1/complaints/HY-V0000001/feedback",
            json=verdict,
            headers={"X-Access-Token": "token-HY-V0000001"},
        )
        assert again.status_code == 409 and again.json()["code"] == "already_given"

        # Routing reopens; the second resolution asks again; a second dissatisfied verdict is
        # flagged for supervision review instead of a second reopen.
        reopen = a.ComplaintReopened(
            complaint_id=c1, assignment_id=a1, unit_id=UNIT.unit_id, unit_name=UNIT.name, unit_kind=UNIT.kind,
            district_id=UNIT.district_id, district_name=None, category="noise", cycle=2,
            reopened_at=kit.sh(D1, "09:45"), ack_due=kit.sh(D1, "10:45"), resolve_due=kit.sh(D1, "17:45"),
        )  # fmt: skip
        await out.send(reopen, reopen.reopened_at)
        await out.send(
            kit.outcome(a.ComplaintResolved, reopen, kit.sh(D1, "09:50"), cycle=2), kit.sh(D1, "09:50")
        )
        await eventually(lambda: status("HY-V0000001"), until=lambda r: r.json()["cycle"] == 2, timeout=30)
        clock.set(kit.sh(D1, "09:55"))
        second = await http.post(
            "/api/v1/complaints/HY-V0000001/feedback",
            json={"resolved": True, "satisfaction": "dissatisfied"},
            headers={"X-Access-Token": "token-HY-V0000001"},
        )
        assert second.status_code == 201, second.text
        assert second.json()["verdict"] == {
            **second.json()["verdict"],
            "reopen_requested": False,
            "review_flagged": True,
        }
        payloads = [json.loads(p) for p in await kit.outbox_payloads(db, "huiyin.feedback.verdict_given.v1")]
        assert [
            (p["data"]["cycle"], p["data"]["reopen_requested"], p["data"]["review_flagged"]) for p in payloads
        ] == [
            (1, True, False),
            (2, False, True),
        ]
        assert all(p["data"]["assignment_id"] == str(a1) for p in payloads)

        # C3's window (resolved 09:20, one hour) has closed by 10:30: no verdict, and the
        # loop closes the request with 'no feedback'.
        clock.set(kit.sh(D1, "10:30"))
        late = await http.post(
            "/api/v1/complaints/HY-V0000003/feedback",
            json=verdict,
            headers={"X-Access-Token": "token-HY-V0000003"},
        )
        assert late.status_code == 409 and late.json()["code"] == "window_closed"
        await eventually(
            lambda: kit.db_scalar(db, "SELECT status FROM fb_request WHERE complaint_id = $1", c3),
            until=lambda s: s == "expired",
        )
        expired = await kit.outbox_payloads(db, "huiyin.feedback.expired.v1")
        assert len(expired) == 1
        assert json.loads(expired[0])["data"]["at"].startswith("2026-03-02T02:20:00")
        assert (await status("HY-V0000003")).json()["status"] == "expired"
        # The read model saw it through the feedback topic: 'no feedback', in no rate.
        await eventually(
            lambda: kit.db_scalar(db, "SELECT outcome FROM fb_rm_verdict WHERE complaint_id = $1", c3),
            until=lambda s: s == "expired",
            timeout=30,
        )
