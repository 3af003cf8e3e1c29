"""The accountability figures on the scripted scenario (feedback_scenario.py), through real
Kafka topics and the real consumers, against figures computed by hand here."""

from __future__ import annotations

import csv
import io
import uuid
from collections.abc import AsyncIterator
from dataclasses import dataclass
from typing import Any

import httpx
import openpyxl
import pytest
from sqlalchemy import text

from feedback.adapters import readmodel_rollup, readmodel_times
from feedback.adapters.readmodel_counting import SOURCES
from feedback.adapters.readmodel_tables import COUNTERS
from feedback.domain import histogram
from feedback.entrypoints.app import create_app
from feedback.entrypoints.consumers import AUDIT_GROUP, READ_MODEL_GROUP
from feedback.handlers.rebuild import rebuild_read_model
from feedback.settings import FeedbackSettings
from huiyin.auth.tokens import Role
from huiyin.clock import ManualClock
from huiyin.db import create_engine, session_factory
from huiyin.messaging.topics_admin import ensure_topics
from tests.integration.feedback import feedback_kit as kit
from tests.integration.feedback.feedback_scenario import D1, D2, Scenario, play
from tests.support.apps import eventually, running
from tests.support.infra import Infra

pytestmark = pytest.mark.integration
approx = pytest.approx


def near(seconds: float) -> Any:
    """A median or p90 of times: read from histograms, within their stated error."""
    return approx(seconds, rel=histogram.RELATIVE_ERROR)


@dataclass
class Played:
    http: httpx.AsyncClient
    settings: FeedbackSettings
    clock: ManualClock
    db: str
    ids: dict[str, uuid.UUID]

    def as_(self, role: Role, unit_id: str | None = None) -> dict[str, str]:
        return kit.staff_token(self.settings, role, unit_id)

    async def get(
        self, path: str, role: Role = Role.SUPERVISION, unit_id: str | None = None, **params: Any
    ) -> Any:
        response = await self.http.get(path, params=params, headers=self.as_(role, unit_id))
        assert response.status_code == 200, response.text
        return response.json()


@pytest.fixture(scope="module")
async def played(infra: Infra) -> AsyncIterator[Played]:
    prefix = f"t{uuid.uuid4().hex[:8]}."
    await ensure_topics(infra.kafka_bootstrap, partitions=3, prefix=prefix)
    db = infra.create_database("feedback")
    settings = kit.settings(db, infra.kafka_bootstrap, prefix, feedback_window_s=20 * 3600)
    clock = ManualClock()
    async with (
        running(create_app(settings, clock=clock)) as http,
        kit.Producer(infra.kafka_bootstrap, prefix) as out,
    ):
        sc = Scenario(out, http, clock)

        async def settled(expected: int) -> None:
            for group in (READ_MODEL_GROUP, AUDIT_GROUP):
                await eventually(
                    lambda g=group: kit.processed(db, g), until=lambda n: n == expected, timeout=60
                )

        await play(sc, settled)
        yield Played(http, settings, clock, db, sc.ids)


def by_unit(body: dict[str, Any]) -> dict[str, dict[str, Any]]:
    return {row["unit"]["unit_id"]: row for row in body["items"]}


def rates_of(row: dict[str, Any]) -> dict[str, float | None]:
    return {name: r["value"] for name, r in row["rates"].items()}


def counts_of(row: dict[str, Any], *names: str) -> dict[str, int]:
    return {n: row["counts"][n] for n in names}


COUNT_NAMES = (
    "assignments", "returns", "received", "acknowledged", "resolved", "reopened", "ack_counted", "ack_met",
    "ack_breaches", "resolve_counted", "resolve_met", "resolve_breaches", "verdicts", "verdicts_resolved",
    "satisfied", "basically_satisfied", "dissatisfied", "no_feedback", "escalations",
)  # fmt: skip


def counts(*values: int) -> dict[str, int]:
    return dict(zip(COUNT_NAMES, values, strict=True))


def rates(response, on_time, resolution, satisfaction, strict, ret, reopen) -> dict[str, Any]:  # type: ignore[no-untyped-def]
    return {
        "response_rate": response, "on_time_resolution_rate": on_time, "resolution_rate": resolution,
        "satisfaction_rate": satisfaction, "strict_satisfaction_rate": strict, "return_rate": ret,
        "reopen_rate": reopen, "hotspot_on_time_rate": None,  # no hot spot in this scenario
    }  # fmt: skip


def times(row: dict[str, Any]) -> dict[str, tuple[int, float | None, float | None]]:
    return {name: (t["n"], t["median"], t["p90"]) for name, t in row["times"].items()}


async def test_day_one(played: Played) -> None:
    units = by_unit(await played.get("/api/v1/metrics/units", period="day", on=D1))
    assert set(units) == {"unit-a", "unit-b", "unit-c"}
    u1, u2, u3 = units["unit-a"], units["unit-b"], units["unit-c"]
    # U1: A1 A2 A3 A4a start; A4a returned. Acks: C1 met, C2 late, C3 breached, C4a answered by the
    # return before its deadline (met). Resolves: C1 met, C2 late, C3 breached; C4a's cancelled.
    # Verdicts of D1: C1 (resolved, satisfied). Escalation: C3 level 1.
    assert counts_of(u1, *COUNT_NAMES) == counts(4, 1, 3, 2, 2, 0, 4, 2, 2, 3, 1, 2, 1, 1, 1, 0, 0, 0, 1)
    assert rates_of(u1) == rates(0.5, approx(1 / 3), 1.0, 1.0, 1.0, 0.25, 0.0)
    assert times(u1) == {
        "time_to_acknowledge_wall_s": (2, near(3600.0), near(5040.0)),  # [1800, 5400]
        "time_to_acknowledge_working_s": (2, near(3600.0), near(5040.0)),
        "time_to_resolve_wall_s": (2, near(23400.0), near(33480.0)),  # [10800, 36000]
        "time_to_resolve_working_s": (2, near(19800.0), near(27000.0)),  # [10800, 28800]
    }
    # U2: A4b, A5. Acks: C4b c1, C5, C4b c2 (14:30) met. Resolves counted D1: C4b c1 met, C5 met,
    # C4b c2 missed (due 22:05 D1, resolved D2). Resolutions D1: C4b c1 (reopened), C5.
    # Verdict D1: C4b (not resolved, dissatisfied).
    assert counts_of(u2, *COUNT_NAMES) == counts(2, 0, 2, 3, 2, 1, 3, 3, 0, 3, 2, 1, 1, 0, 0, 0, 1, 0, 0)
    assert rates_of(u2) == rates(1.0, approx(2 / 3), 0.0, 0.0, 0.0, 0.0, 0.5)
    assert times(u2)["time_to_acknowledge_wall_s"] == (3, near(900.0), near(1380.0))  # [600, 900, 1500]
    assert times(u2)["time_to_resolve_wall_s"] == (2, near(5400.0), near(6840.0))  # [3600, 7200]
    # U3 has nothing on D1: every rate is "no data" with a reason, never 0 or 100 %.
    assert set(rates_of(u3).values()) == {None}
    assert all(r["reason"] for r in u3["rates"].values())
    assert u3["times"]["time_to_acknowledge_wall_s"] == {
        "n": 0, "median": None, "p90": None, "reason": "no action of this kind in the period",
    }  # fmt: skip


async def test_day_two(played: Played) -> None:
    units = by_unit(await played.get("/api/v1/metrics/units", period="day", on=D2))
    u1, u2, u3 = units["unit-a"], units["unit-b"], units["unit-c"]
    # U1: A6, A8a (returned after its ack deadline: missed). C6 acked, withdrawn before its
    # resolve deadline (cancelled); C8a's resolve cancelled by the return. Verdict D2: C2.
    assert counts_of(u1, *COUNT_NAMES) == counts(2, 1, 1, 1, 0, 0, 2, 1, 1, 0, 0, 0, 1, 1, 0, 1, 0, 0, 0)
    assert rates_of(u1) == rates(0.5, None, 1.0, 1.0, 0.0, 0.5, None)
    assert u1["rates"]["on_time_resolution_rate"]["reason"] == "no resolution deadline counted in the period"
    assert times(u1)["time_to_acknowledge_wall_s"] == (1, near(1200.0), near(1200.0))
    assert times(u1)["time_to_resolve_wall_s"] == (0, None, None)
    # U2: A7, A8b. C7 withdrawn after its ack deadline, never acknowledged: missed; its resolve
    # cancelled. C8b acked, resolve still open (not counted). Resolution D2: C4b cycle 2.
    # Verdict D2: C4b again (dissatisfied). No feedback: C5 (window closed D2 06:00).
    assert counts_of(u2, *COUNT_NAMES) == counts(2, 0, 2, 1, 1, 0, 2, 1, 1, 0, 0, 0, 1, 0, 0, 0, 1, 1, 0)
    assert rates_of(u2) == rates(0.5, None, 0.0, 0.0, 0.0, 0.0, 0.0)
    assert times(u2)["time_to_resolve_wall_s"] == (1, near(71700.0), near(71700.0))  # 14:05 D1 -> 10:00 D2
    assert times(u2)["time_to_resolve_working_s"] == (1, near(18000.0), near(18000.0))
    assert counts_of(
        u3, "assignments", "received", "acknowledged", "ack_counted", "ack_met"
    ) == dict.fromkeys(("assignments", "received", "acknowledged", "ack_counted", "ack_met"), 1)
    assert rates_of(u3) == rates(1.0, None, None, None, None, 0.0, None)


async def test_both_days_week_and_groups(played: Played) -> None:
    week = await played.get("/api/v1/metrics/units", period="week", on="2026-03-04")
    assert week["period"] == {"kind": "week", "start": "2026-03-02", "end": "2026-03-09"}
    span = await played.get("/api/v1/metrics/units", **{"from": D1, "to": D2})
    assert by_unit(week) == by_unit(span)
    units = by_unit(span)
    u1, u2 = units["unit-a"], units["unit-b"]
    assert counts_of(u1, *COUNT_NAMES) == counts(6, 2, 4, 3, 2, 0, 6, 3, 3, 3, 1, 2, 2, 2, 1, 1, 0, 0, 1)
    assert rates_of(u1) == rates(0.5, approx(1 / 3), 1.0, 1.0, 0.5, approx(1 / 3), 0.0)
    assert times(u1)["time_to_acknowledge_wall_s"] == (3, near(1800.0), near(4680.0))  # [1200, 1800, 5400]
    assert counts_of(u2, *COUNT_NAMES) == counts(4, 0, 4, 4, 3, 1, 5, 4, 1, 3, 2, 1, 2, 0, 0, 0, 2, 1, 0)
    assert rates_of(u2) == rates(0.8, approx(2 / 3), 0.0, 0.0, 0.0, 0.0, approx(1 / 3))
    assert times(u2)["time_to_acknowledge_wall_s"] == (
        4,
        near(1050.0),
        near(1410.0),
    )  # [600, 900, 1200, 1500]
    assert times(u2)["time_to_resolve_wall_s"] == (3, near(7200.0), near(58800.0))  # [3600, 7200, 71700]

    districts = await played.get("/api/v1/metrics/units", group="district", **{"from": D1, "to": D2})
    d1 = next(r for r in districts["items"] if r["district_id"] == "district-1")  # U1 + U3
    assert counts_of(d1, "assignments", "ack_counted", "ack_met") == {
        "assignments": 7,
        "ack_counted": 7,
        "ack_met": 4,
    }
    city = (await played.get("/api/v1/metrics/units", group="city", **{"from": D1, "to": D2}))["items"]
    assert len(city) == 1 and city[0]["counts"]["assignments"] == 11
    assert city[0]["rates"]["response_rate"] == {"value": approx(8 / 12), "numerator": 8, "denominator": 12}

    traffic = by_unit(await played.get("/api/v1/metrics/units", category="traffic", **{"from": D1, "to": D2}))
    assert counts_of(traffic["unit-b"], "assignments", "ack_met", "resolve_met", "verdicts", "no_feedback") == {
        "assignments": 1, "ack_met": 1, "resolve_met": 1, "verdicts": 0, "no_feedback": 1,
    }  # fmt: skip
    stations = by_unit(await played.get("/api/v1/metrics/units", unit_kind="station", on=D1, period="day"))
    assert set(stations) == {"unit-a", "unit-b"}


async def test_whole_months_read_monthly_rows_and_equal_the_days(played: Played) -> None:
    # A whole month reads fb_rm_monthly and fb_rm_times; a range that is not one reads the
    # daily counters and files times from the facts on the fly. The scenario's events all
    # fall inside both, so the figures must be the same.
    for extra in ({}, {"category": "traffic"}, {"group": "city"}, {"group": "district"}):
        month = await played.get("/api/v1/metrics/units", period="month", on=D1, **extra)
        days = await played.get(
            "/api/v1/metrics/units", **{"from": "2026-03-02", "to": "2026-03-30"}, **extra
        )
        assert month["items"] == days["items"]
    unit_b = by_unit(await played.get("/api/v1/metrics/units", period="month", on=D1))["unit-b"]
    assert times(unit_b)["time_to_acknowledge_wall_s"] == (4, near(1050.0), near(1410.0))
    traffic = by_unit(await played.get("/api/v1/metrics/units", period="month", on=D1, category="traffic"))
    assert times(traffic["unit-b"])["time_to_acknowledge_wall_s"] == (1, near(600.0), near(600.0))  # C5


async def test_monthly_counters_are_the_sums_of_the_daily_ones(played: Played) -> None:
    cols = ", ".join(f"sum({c})::int AS {c}" for c in COUNTERS)
    summed = await kit.db_rows(
        played.db,
        f"SELECT unit_id, category, date_trunc('month', day)::date AS month, {cols} FROM fb_rm_daily"
        " GROUP BY 1, 2, 3 ORDER BY 1, 2, 3",
    )
    monthly = await kit.db_rows(
        played.db,
        f"SELECT unit_id, category, month, {', '.join(COUNTERS)} FROM fb_rm_monthly ORDER BY 1, 2, 3",
    )
    assert summed and monthly == summed


async def test_counters_kept_by_difference_equal_a_recount_of_every_bucket(played: Played) -> None:
    """The consumers add each batch's change; counting every bucket again from all its facts
    (and every bucket that has a row, in case one should have gone) gives the same rows."""
    daily = "SELECT * FROM fb_rm_daily ORDER BY unit_id, category, day"
    monthly = "SELECT * FROM fb_rm_monthly ORDER BY unit_id, category, month"
    kept = (await kit.db_rows(played.db, daily), await kit.db_rows(played.db, monthly))
    assert {r["unit_id"] for r in kept[0]} >= {"unit-a", "unit-b"} and kept[1]
    facts = " UNION ".join(
        f"SELECT unit_id, category, {s.day} FROM {s.table} x WHERE {s.keep} AND {s.day} IS NOT NULL"
        for s in SOURCES
    )
    engine = create_engine(played.db, pool_size=1)
    try:
        async with session_factory(engine)() as session:
            buckets = await session.execute(
                text(f"{facts} UNION SELECT unit_id, category, day FROM fb_rm_daily")
            )
            await readmodel_rollup.recount(session, {(r[0], r[1], r[2]) for r in buckets})
            recounted = (
                [dict(r._mapping) for r in await session.execute(text(daily))],
                [dict(r._mapping) for r in await session.execute(text(monthly))],
            )
            await session.rollback()
    finally:
        await engine.dispose()
    assert recounted == kept


async def test_monthly_histograms_equal_a_recompute_from_the_facts(played: Played) -> None:
    order = "SELECT * FROM fb_rm_times ORDER BY unit_id, category, month, kind"
    kept = await kit.db_rows(played.db, order)
    assert {(r["unit_id"], r["category"]) for r in kept} >= {("unit-b", "traffic"), ("unit-b", "*")}
    engine = create_engine(played.db, pool_size=1)
    try:
        async with session_factory(engine)() as session:
            await readmodel_times.recompute(session, ["unit-a", "unit-b", "unit-c"])
            recomputed = [dict(r._mapping) for r in await session.execute(text(order))]
            await session.rollback()
    finally:
        await engine.dispose()
    assert recomputed == kept


async def test_unit_series(played: Played) -> None:
    body = await played.get("/api/v1/metrics/units/unit-a", **{"from": D1, "to": D2})
    assert body["unit"]["name"] == "湖滨派出所"
    assert [d["day"] for d in body["daily"]] == [D1, D2]
    assert [d["counts"]["ack_counted"] for d in body["daily"]] == [4, 2]
    assert [d["rates"]["response_rate"]["value"] for d in body["daily"]] == [0.5, 0.5]
    assert [d["rates"]["on_time_resolution_rate"]["value"] for d in body["daily"]] == [approx(1 / 3), None]
    missing = await played.http.get("/api/v1/metrics/units/unit-zz", headers=played.as_(Role.SUPERVISION))
    assert missing.status_code == 404


async def test_rankings(played: Played) -> None:
    body = await played.get("/api/v1/rankings", **{"from": D1, "to": D2})
    # score = 100 * (0.4 response + 0.3 resolution + 0.3 satisfaction)
    assert [(r["unit"]["unit_id"], r["rank"], r["score"]) for r in body["ranked"]] == [
        ("unit-a", 1, approx(80.0)),  # 0.4*0.5 + 0.3*1 + 0.3*1
        ("unit-b", 2, approx(32.0)),  # 0.4*0.8 + 0 + 0
    ]
    assert body["ranked"][0]["rates"]["response_rate"]["value"] == 0.5
    # U3 has no verdict: ranked apart, never scored as 0.
    assert [(r["unit"]["unit_id"], r["rank"], r["score"], r["missing"]) for r in body["unranked"]] == [
        ("unit-c", None, None, ["resolution_rate", "satisfaction_rate"])
    ]


async def test_overdue_and_scopes(played: Played) -> None:
    # Clock at D2 19:00: C3 (ack due D1 10:00), C9 (resolve due 17:00), C8b (resolve due 18:40).
    body = await played.get("/api/v1/overdue")
    rows = [(r["complaint_id"], r["kind"], r["overdue_s"]) for r in body["items"]]
    ids = played.ids
    assert rows == [
        (str(ids["C3"]), "ack", 33 * 3600.0),
        (str(ids["C9"]), "resolve", 2 * 3600.0),
        (str(ids["C8"]), "resolve", 20 * 60.0),
    ]
    district = await played.get("/api/v1/overdue", Role.DISTRICT_SUPERVISOR, "unit-a")
    assert [r["complaint_id"] for r in district["items"]] == [str(ids["C3"]), str(ids["C9"])]
    station = await played.get("/api/v1/overdue", Role.OFFICER, "unit-b")
    assert [r["complaint_id"] for r in station["items"]] == [str(ids["C8"])]
    own = by_unit(await played.get("/api/v1/metrics/units", Role.STATION_HEAD, "unit-b", on=D1, period="day"))
    assert set(own) == {"unit-b"}
    outside = await played.http.get(
        "/api/v1/metrics/units/unit-a", headers=played.as_(Role.OFFICER, "unit-b")
    )
    assert outside.status_code == 404
    assert (await played.http.get("/api/v1/rankings")).status_code == 401


async def test_exports(played: Played) -> None:
    params = {"from": D1, "to": D2}
    response = await played.http.get(
        "/api/v1/exports/metrics", params=params | {"format": "csv"}, headers=played.as_(Role.SUPERVISION)
    )
    assert response.status_code == 200 and response.headers["content-type"].startswith("text/csv")
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    header, by_id = rows[0], {r[0]: r for r in rows[1:]}
    assert "响应率 Response rate (%)" in header and "满意率 Satisfaction rate (%)" in header
    col = header.index("响应率 Response rate (%)")
    assert (by_id["unit-a"][col], by_id["unit-b"][col], by_id["unit-c"][col]) == ("50.0", "80.0", "100.0")
    assert by_id["unit-c"][header.index("满意率 Satisfaction rate (%)")] == "无数据 no data"

    xlsx = await played.http.get(
        "/api/v1/exports/rankings", params=params | {"format": "xlsx"}, headers=played.as_(Role.ADMIN)
    )
    assert xlsx.status_code == 200
    sheet = openpyxl.load_workbook(io.BytesIO(xlsx.content)).active
    cells = [[c.value for c in row] for row in sheet.iter_rows()]
    assert cells[0][:3] == ["排名 Rank", "综合得分 Score", "单位编号 Unit ID"]
    assert [(r[0], r[2]) for r in cells[1:]] == [(1, "unit-a"), (2, "unit-b"), ("未排名 unranked", "unit-c")]
    assert cells[1][1] == approx(80.0)


async def test_complaint_timeline(played: Played) -> None:
    c4 = played.ids["C4"]
    body = await played.get(f"/api/v1/audit/complaints/{c4}")
    types = [e["type"].split(".")[-2] for e in body["entries"]]
    assert types[0] == "submitted"
    assert types.count("routed") == 2 and types.count("verdict_given") == 2 and "returned" in types
    assert "reopened" in types and types.count("requested") == 2
    routed = next(e for e in body["entries"] if e["type"].endswith("routed.v1"))
    assert routed["explanation"].startswith("位置在") and routed["deadline"]["ack_due"]
    verdicts = [e["verdict"] for e in body["entries"] if e["verdict"]]
    assert [(v["satisfaction"], v["reopen_requested"], v["review_flagged"]) for v in verdicts] == [
        ("dissatisfied", True, False),
        ("dissatisfied", False, True),
    ]
    station_b = await played.get(f"/api/v1/audit/complaints/{c4}", Role.STATION_HEAD, "unit-b")
    assert len(station_b["entries"]) == len(body["entries"])
    other = await played.http.get(
        f"/api/v1/audit/complaints/{c4}", headers=played.as_(Role.STATION_HEAD, "unit-c")
    )
    assert other.status_code == 404
    assert (await played.get("/api/v1/audit/verify"))["ok"] is True


async def test_rebuild_gives_identical_figures(played: Played) -> None:
    async def snapshot() -> dict[str, Any]:
        tables = {}
        for table, order in (
            ("fb_rm_daily", "unit_id, category, day"),
            ("fb_rm_monthly", "unit_id, category, month"),
            ("fb_rm_times", "unit_id, category, month, kind"),
            ("fb_rm_obligation", "assignment_id, cycle, kind"),
            ("fb_rm_verdict", "assignment_id, cycle"),
            ("fb_rm_assignment", "assignment_id"),
            ("fb_rm_escalation", "assignment_id"),
            ("fb_rm_hotspot", "hotspot_id"),
            ("fb_rm_unit", "unit_id"),
        ):
            tables[table] = await kit.db_rows(played.db, f"SELECT * FROM {table} ORDER BY {order}")
        for period in (
            {"period": "day", "on": D1}, {"period": "day", "on": D2}, {"from": D1, "to": D2},
            {"period": "month", "on": D1},
        ):  # fmt: skip
            tables[str(period)] = await played.get("/api/v1/metrics/units", **period)
        return tables

    before = await snapshot()
    assert before["fb_rm_daily"] and before["fb_rm_obligation"] and before["fb_rm_times"]
    report = await rebuild_read_model(played.settings, clock=played.clock)
    assert (report.records, report.duplicates) == (report.applied + 1, 1)  # C1's ack came twice
    assert report.applied == await kit.processed(played.db, READ_MODEL_GROUP)
    after = await snapshot()
    assert after == before
