"""Hot spots in the monthly figures of their owner unit: adopted (in the month of adoption),
deadlines counted/met/missed under the period rule of every deadline, the on-time rate (no
denominator: no data); member complaints' audit timelines; rebuild equals incremental."""

from __future__ import annotations

import uuid
from datetime import datetime, timedelta
from typing import Any

import pytest

from feedback.entrypoints.app import create_app
from feedback.entrypoints.consumers import AUDIT_GROUP, READ_MODEL_GROUP
from feedback.handlers.rebuild import rebuild_read_model
from huiyin.auth.tokens import Role
from huiyin.clock import ManualClock
from huiyin.events import hotspots as h
from huiyin.messaging.topics_admin import ensure_topics
from tests.integration.feedback import feedback_kit as kit
from tests.support.apps import eventually, running
from tests.support.infra import Infra

pytestmark = pytest.mark.integration
sh = kit.sh
UNIT = kit.Unit("unit-h", "湖滨派出所", "district-1")
OTHER = kit.Unit("unit-x", "北山派出所", "district-2")


def detected(hid: uuid.UUID, members: list[uuid.UUID], at: datetime) -> h.HotspotDetected:
    return h.HotspotDetected(
        hotspot_id=hid, category="noise", unit_id=UNIT.unit_id, district_id=UNIT.district_id,
        complaint_ids=members, complaint_count=len(members), citizen_count=3, keywords=["施工"],
        first_at=at - timedelta(hours=1), detected_at=at,
    )  # fmt: skip


def adopted(
    hid: uuid.UUID, at: datetime, deadline: datetime, owner: str = UNIT.unit_id, name: str = UNIT.name,
    members: list[uuid.UUID] | None = None,
) -> h.HotspotAdopted:  # fmt: skip
    return h.HotspotAdopted(
        hotspot_id=hid, owner_unit_id=owner, owner_unit_name=name, deadline=deadline, adopted_by="sup-1",
        complaint_ids=members or [], adopted_at=at,
    )  # fmt: skip


def solved(hid: uuid.UUID, at: datetime, deadline: datetime, owner: str = UNIT.unit_id) -> h.HotspotSolved:
    return h.HotspotSolved(
        hotspot_id=hid, owner_unit_id=owner, deadline=deadline, summary="已整治", by="officer-1",
        on_time=at <= deadline, at=at,
    )  # fmt: skip


def overdue(hid: uuid.UUID, deadline: datetime, owner: str = UNIT.unit_id) -> h.HotspotOverdue:
    return h.HotspotOverdue(hotspot_id=hid, owner_unit_id=owner, deadline=deadline, at=deadline)


def hotspot_figures(row: dict[str, Any]) -> tuple[int, int, int, int, float | None]:
    c = row["counts"]
    rate = row["rates"]["hotspot_on_time_rate"]["value"]
    return c["hotspots_adopted"], c["hotspot_counted"], c["hotspot_met"], c["hotspot_missed"], rate


async def test_hot_spots_in_the_owner_units_monthly_figures(infra: Infra) -> None:
    prefix = f"t{uuid.uuid4().hex[:8]}."
    await ensure_topics(infra.kafka_bootstrap, partitions=3, prefix=prefix)
    db = infra.create_database("feedback")
    settings = kit.settings(db, infra.kafka_bootstrap, prefix)
    clock = ManualClock()
    h1, h2, h3, h4, h5, h6 = (uuid.uuid4() for _ in range(6))
    c1, c2 = uuid.uuid4(), uuid.uuid4()
    async with (
        running(create_app(settings, clock=clock)) as http,
        kit.Producer(infra.kafka_bootstrap, prefix) as out,
    ):

        async def get(path: str, **params: Any) -> Any:
            r = await http.get(path, params=params, headers=kit.staff_token(settings, Role.SUPERVISION))
            assert r.status_code == 200, r.text
            return r.json()

        march = sh("2026-03-02", "09:00")
        await out.send(kit.routed(c1, uuid.uuid4(), UNIT, march, "noise"), march)
        await out.send(kit.routed(c2, uuid.uuid4(), OTHER, march, "noise"), march)
        d1, d2, d3, d4, d5 = (
            sh("2026-03-10", "18:00"), sh("2026-03-20", "18:00"), sh("2026-04-05", "18:00"),
            sh("2026-04-30", "18:00"), sh("2026-03-31", "23:30"),
        )  # fmt: skip
        script: list[tuple[Any, datetime]] = [
            # H1: adopted 3 Mar, solved 8 Mar before its deadline: met, counted in March.
            (detected(h1, [c1, c2], sh("2026-03-02", "12:00")), sh("2026-03-02", "12:00")),
            (adopted(h1, sh("2026-03-03", "10:00"), d1, members=[c1, c2]), sh("2026-03-03", "10:00")),
            (h.HotspotComplaintLinked(hotspot_id=h1, complaint_id=c2, complaint_count=3, adopted=True,
                                      linked_at=sh("2026-03-04", "10:00")), sh("2026-03-04", "10:00")),
            (solved(h1, sh("2026-03-08", "10:00"), d1), sh("2026-03-08", "10:00")),
            # H2: overdue 20 Mar, solved late in April: missed, counted in March (its deadline).
            (adopted(h2, sh("2026-03-05", "10:00"), d2), sh("2026-03-05", "10:00")),
            (overdue(h2, d2), d2),
            (solved(h2, sh("2026-04-02", "10:00"), d2), sh("2026-04-02", "10:00")),
            # H3: adopted in March, solved on time in April: counted in April.
            (adopted(h3, sh("2026-03-25", "10:00"), d3), sh("2026-03-25", "10:00")),
            (solved(h3, sh("2026-04-03", "10:00"), d3), sh("2026-04-03", "10:00")),
            # H4: adopted in March, still open and not due: adopted, not counted.
            (adopted(h4, sh("2026-03-28", "10:00"), d4), sh("2026-03-28", "10:00")),
            # H5: owned by a unit no complaint was routed to; overdue 31 Mar 23:30 Shanghai.
            (adopted(h5, sh("2026-03-15", "10:00"), d5, "unit-new", "新城派出所"), sh("2026-03-15", "10:00")),
            (overdue(h5, d5, "unit-new"), d5),
            # H6: detected, never adopted: in nobody's figures.
            (detected(h6, [c2], sh("2026-03-06", "12:00")), sh("2026-03-06", "12:00")),
        ]  # fmt: skip
        for data, at in script:
            await out.send(data, at)
        await out.resend(out.sent[5])  # H1's solution delivered twice: applied once
        for group in (READ_MODEL_GROUP, AUDIT_GROUP):
            expected = kit.handled(group, out.sent)  # the read model has no use for `detected`
            await eventually(
                lambda g=group: kit.processed(db, g), until=lambda n, e=expected: n == e, timeout=60
            )

        units = {
            r["unit"]["unit_id"]: r
            for r in (await get("/api/v1/metrics/units", period="month", on="2026-03-15"))["items"]
        }
        assert hotspot_figures(units["unit-h"]) == (4, 2, 1, 1, 0.5)
        assert hotspot_figures(units["unit-new"]) == (1, 1, 0, 1, 0.0)
        assert units["unit-new"]["unit"]["name"] == "新城派出所"
        no_data = units["unit-x"]["rates"]["hotspot_on_time_rate"]
        assert no_data == {"value": None, "numerator": 0, "denominator": 0,
                           "reason": "no hot-spot deadline counted in the period"}  # fmt: skip
        april = {
            r["unit"]["unit_id"]: r
            for r in (await get("/api/v1/metrics/units", period="month", on="2026-04-10"))["items"]
        }
        assert hotspot_figures(april["unit-h"]) == (0, 1, 1, 0, 1.0)
        assert hotspot_figures(april["unit-new"])[:4] == (0, 0, 0, 0)

        detail = await get("/api/v1/metrics/units/unit-h", period="month", on="2026-03-15")
        assert hotspot_figures(detail) == (4, 2, 1, 1, 0.5)
        by_day = {d["day"]: d["counts"] for d in detail["daily"]}
        assert by_day["2026-03-03"]["hotspots_adopted"] == 1 and by_day["2026-03-08"]["hotspot_met"] == 1
        assert by_day["2026-03-20"]["hotspot_missed"] == 1

        # The audit: a member complaint's timeline shows its hot spot; the hot spot's own works.
        c1_timeline = await get(f"/api/v1/audit/complaints/{c1}")
        types = [e["type"] for e in c1_timeline["entries"]]
        assert types == [
            "huiyin.complaint.routed.v1",
            "huiyin.hotspot.detected.v1",
            "huiyin.hotspot.adopted.v1",
        ]
        c2_types = [e["type"] for e in (await get(f"/api/v1/audit/complaints/{c2}"))["entries"]]
        assert c2_types == ["huiyin.complaint.routed.v1", "huiyin.hotspot.detected.v1", "huiyin.hotspot.adopted.v1",
                            "huiyin.hotspot.complaint_linked.v1", "huiyin.hotspot.detected.v1"]  # fmt: skip
        h1_timeline = await get(f"/api/v1/audit/complaints/{h1}")
        assert [e["what"].split()[0] for e in h1_timeline["entries"]] == [
            "发现热点",
            "热点督办",
            "并入热点",
            "热点解决",
        ]
        assert h1_timeline["entries"][-1]["deadline"]["on_time"] is True
        assert (await get("/api/v1/audit/verify"))["ok"] is True

        async def snapshot() -> dict[str, Any]:
            tables = {
                t: await kit.db_rows(db, f"SELECT * FROM {t} ORDER BY {k}")
                for t, k in (("fb_rm_hotspot", "hotspot_id"), ("fb_rm_daily", "unit_id, category, day"),
                             ("fb_rm_unit", "unit_id"))
            }  # fmt: skip
            for on in ("2026-03-15", "2026-04-10"):
                tables[on] = await get("/api/v1/metrics/units", period="month", on=on)
            return tables

        before = await snapshot()
        report = await rebuild_read_model(settings, clock=clock)
        assert report.duplicates == 1 and report.applied == kit.handled(READ_MODEL_GROUP, out.sent)
        assert await snapshot() == before
