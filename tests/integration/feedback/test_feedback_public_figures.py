"""Public figures on real PostgreSQL and Kafka: a closed month is frozen once (two replicas
running), served from its snapshot whatever happens to the read model later (late events, a
full rebuild), corrected as a new version with a reason while the first stays served; the
snapshot's hash is in the audit chain; the open data agrees with itself and its dictionary."""

from __future__ import annotations

import csv
import io
import json
import uuid
from datetime import timedelta
from typing import Any

import httpx
import pytest

from feedback.entrypoints.app import create_app
from feedback.handlers.rebuild import rebuild_read_model
from feedback.public.domain.dictionary import FIELD_NAMES
from feedback.public.domain.months import closes_at, parse_month
from feedback.public.domain.snapshot import canonical_text, sha256_of
from feedback.public.handlers.publish import publish_first_version
from huiyin.auth.tokens import Role
from huiyin.clock import ManualClock
from huiyin.events import assignments as a
from huiyin.runtime import build_runtime
from tests.integration.feedback import feedback_kit as kit
from tests.support.apps import eventually, running
from tests.support.infra import Infra

pytestmark = pytest.mark.integration
A = kit.Unit("pub-a", "湖滨派出所", "pub-d1")
B = kit.Unit("pub-b", "北山派出所", "pub-d1")
C = kit.Unit("pub-c", "灵隐派出所", "pub-d2")
MONTH = "2026-03"
PUBLISHED = "huiyin.feedback.public_figures_published.v1"


async def handled(out: kit.Producer, unit: kit.Unit, day: str, n: int, *, late_acks: int = 0) -> None:
    """n complaints routed to `unit` at 09:00, acknowledged (the first `late_acks` late), resolved."""
    for i in range(n):
        r = kit.routed(uuid.uuid4(), uuid.uuid4(), unit, kit.sh(day, "09:00"), "noise")
        await out.send(r, r.routed_at)
        ack = kit.sh(day, "10:30" if i < late_acks else "09:30")
        await out.send(kit.outcome(a.ComplaintAcknowledged, r, ack), ack)
        await out.send(kit.outcome(a.ComplaintResolved, r, kit.sh(day, "12:00")), kit.sh(day, "12:00"))


async def resolutions(db: str) -> int:
    """Resolve deadlines the read model counts: each complaint's last event applied (a key's
    events keep their order, so its routing and acknowledgement were applied before)."""
    return int(await kit.db_scalar(db, "SELECT coalesce(sum(resolve_counted), 0) FROM fb_rm_daily"))


async def chained(db: str) -> list[dict[str, Any]]:
    return await kit.db_rows(
        db, f"SELECT subject, content FROM fb_audit WHERE event_type = '{PUBLISHED}' ORDER BY seq"
    )


def rows(body: dict[str, Any], level: str = "stations") -> dict[str | None, dict[str, Any]]:
    return {r["unit_id"]: r for r in body[level]}


async def get(http: httpx.AsyncClient, path: str, **params: Any) -> Any:
    r = await http.get(path, params=params)
    assert r.status_code == 200, r.text
    return r.json()


async def test_a_closed_month_is_frozen_once_corrected_as_a_new_version_and_chained(
    infra: Infra, topic_prefix: str
) -> None:
    db = infra.create_database("feedback")
    settings = kit.settings(db, infra.kafka_bootstrap, topic_prefix, public_poll_s=0.2, public_grace_s=2,
                            feedback_window_s=90 * 86400)  # fmt: skip
    clock = ManualClock(kit.sh("2026-03-10", "08:00"))
    sup, officer = (
        kit.staff_token(settings, Role.SUPERVISION),
        kit.staff_token(settings, Role.OFFICER, A.unit_id),
    )
    async with (
        running(create_app(settings, clock=clock)) as http,
        running(create_app(settings, clock=clock)),  # a second replica: its loop races the first
        kit.Producer(infra.kafka_bootstrap, topic_prefix) as out,
    ):
        await handled(out, A, "2026-03-10", 6)
        await handled(out, B, "2026-03-10", 2)
        await handled(out, C, "2026-03-11", 5, late_acks=1)
        await eventually(lambda: resolutions(db), until=lambda n: n == 13, timeout=60)

        # March is still open: nothing published, no correction possible.
        assert (await get(http, "/api/v1/public/months"))["months"] == []
        early = await http.post(f"/api/v1/public/months/{MONTH}/versions", json={"reason": "x"}, headers=sup)
        assert early.status_code == 409, early.text

        # The month closes (its end in Asia/Shanghai plus the 2 s grace): version 1, once.
        clock.set(closes_at(parse_month(MONTH), timedelta(seconds=2)) + timedelta(seconds=1))
        index = await eventually(
            lambda: get(http, "/api/v1/public/months"), until=lambda b: b["months"], timeout=30
        )
        await eventually(lambda: chained(db), until=lambda r: len(r) == 1, timeout=30)
        assert await kit.db_scalar(db, "SELECT count(*) FROM fb_public_snapshot") == 1
        assert len(await kit.outbox_payloads(db, PUBLISHED)) == 1
        runtime = build_runtime(settings, clock=clock)
        try:
            async with runtime.uow() as uow:
                assert await publish_first_version(uow, parse_month(MONTH), settings) is False
        finally:
            await runtime.close()
        [march] = index["months"]
        [v1_meta] = march["versions"]
        assert (march["month"], v1_meta["version"], v1_meta["reason"], v1_meta["kind"]) == (
            MONTH,
            1,
            None,
            "automatic",
        )

        v1 = await get(http, "/api/v1/public/figures", month=MONTH)
        stations, districts = rows(v1), rows(v1, "districts")
        assert stations["pub-a"]["received"] == {"status": "published", "value": 6}
        assert stations["pub-a"]["rates"]["response_rate"] == {"status": "published", "value": 1.0, "base": 6}
        assert stations["pub-a"]["rates"]["satisfaction_rate"] == {"status": "no_data"}
        assert stations["pub-b"]["received"] == {"status": "too_few"}
        assert stations["pub-c"]["rates"]["response_rate"] == {"status": "published", "value": 0.8, "base": 5}
        assert districts["pub-d1"]["received"] == {"status": "withheld"}  # 8 - 6 would tell pub-b's 2
        assert districts["pub-d2"]["received"] == {"status": "published", "value": 5}
        figures = {k: v1[k] for k in ("period", "min_count", "weights", "stations", "districts")} | {
            "month": MONTH
        }
        assert sha256_of(canonical_text(figures)) == v1["sha256"] == v1_meta["sha256"]

        # Late events about March, then a full rebuild: the read model changes, March does not.
        await handled(out, B, "2026-03-20", 4)
        await eventually(lambda: resolutions(db), until=lambda n: n == 17, timeout=60)
        await rebuild_read_model(settings, clock=clock)
        staff_view = await http.get(
            "/api/v1/metrics/units", params={"period": "month", "on": "2026-03-15"}, headers=sup
        )
        assert {r["unit"]["unit_id"]: r["counts"]["received"] for r in staff_view.json()["items"]}[
            "pub-b"
        ] == 6
        assert await get(http, "/api/v1/public/figures", month=MONTH) == v1

        # A correction: version 2 from the read model as it is now, with its reason; v1 stays.
        for body, headers, status in (({"reason": "  "}, sup, 422), ({"reason": "x"}, officer, 403),
                                      ({}, sup, 422)):  # fmt: skip
            refused = await http.post(f"/api/v1/public/months/{MONTH}/versions", json=body, headers=headers)
            assert refused.status_code == status, refused.text
        assert (
            await http.post("/api/v1/public/months/2026-13/versions", json={"reason": "x"}, headers=sup)
        ).status_code == 422
        reason = "补录 3 月 20 日延迟到达的派单数据 late assignments of 20 March"
        made = await http.post(
            f"/api/v1/public/months/{MONTH}/versions", json={"reason": reason}, headers=sup
        )
        assert made.status_code == 201, made.text
        assert (made.json()["version"], made.json()["reason"]) == (2, reason)
        v2 = await get(http, "/api/v1/public/figures", month=MONTH)
        assert v2["version"] == 2 and rows(v2)["pub-b"]["received"] == {"status": "published", "value": 6}
        assert rows(v2, "districts")["pub-d1"]["received"] == {"status": "published", "value": 12}
        assert await get(http, "/api/v1/public/figures", month=MONTH, version=1) == {
            **v1,
            "versions": v2["versions"],
        }
        assert [(v["version"], v["reason"]) for v in v2["versions"]] == [(1, None), (2, reason)]

        # Both hashes are in the audit chain, and the chain verifies.
        in_chain = await eventually(lambda: chained(db), until=lambda r: len(r) == 2, timeout=30)
        assert [r["subject"] for r in in_chain] == [f"figures-{MONTH}"] * 2
        assert [json.loads(r["content"])["data"]["sha256"] for r in in_chain] == [v1["sha256"], v2["sha256"]]
        verified = (await http.get("/api/v1/audit/verify", headers=sup)).json()
        assert verified["ok"] is True and verified["checked"] >= len(out.sent) + 2

        # Open data: CSV, JSON and the dictionary agree; both versions downloadable.
        dictionary = await get(http, "/api/v1/public/data-dictionary")
        assert [f["name"] for f in dictionary["fields"]] == FIELD_NAMES
        for version, expected in ((1, v1), (2, v2)):
            as_json = await get(http, f"/api/v1/public/open-data/{MONTH}.json", version=version)
            csv_response = await http.get(
                f"/api/v1/public/open-data/{MONTH}.csv", params={"version": version}
            )
            assert csv_response.headers["x-snapshot-sha256"] == as_json["sha256"] == expected["sha256"]
            table = list(csv.reader(io.StringIO(csv_response.content.decode("utf-8-sig"))))
            assert table[0] == FIELD_NAMES
            records = as_json["records"]
            assert len(table) - 1 == len(records) == len(expected["stations"]) + len(expected["districts"])
            for line, record in zip(table[1:], records, strict=True):
                assert line == ["" if record[f] is None else str(record[f]) for f in FIELD_NAMES]
            b = next(r for r in records if r["unit_id"] == "pub-b")
            assert (b["received"], b["received_status"]) == (
                (None, "too_few") if version == 1 else (6, "published")
            )
        missing = await http.get("/api/v1/public/open-data/2026-02.json")
        assert missing.status_code == 404

        # A station's trend, and the pages.
        trend = await get(http, "/api/v1/public/units/pub-a")
        assert [(p["month"], p["version"]) for p in trend["months"]] == [(MONTH, 2)]
        assert trend["unit"]["level"] == "station"
        assert (await http.get("/api/v1/public/units/pub-zzz")).status_code == 404
        page = await http.get("/public")
        latest_table = page.text.split('id="stations-table"')[1].split('id="districts-table"')[0]
        assert page.status_code == 200 and "湖滨派出所" in latest_table and "样本过少" not in latest_table
        assert reason in page.text and v1["sha256"] in page.text and v2["sha256"] in page.text
        old = await http.get("/public", params={"month": MONTH, "version": 1, "lang": "en"})
        assert "too few to publish" in old.text and "withheld" in old.text
        unit_page = await http.get("/public/units/pub-c")
        assert unit_page.status_code == 200 and "灵隐派出所" in unit_page.text
