"""Filing against real PostgreSQL and Kafka: one event per complaint, idempotent retries,
personal data encrypted at rest and absent from events, duplicates flagged, group commit."""

from __future__ import annotations

import asyncio
import hashlib
import uuid

import asyncpg
import httpx
import pytest

from huiyin.db import asyncpg_dsn
from huiyin.events.complaints import ComplaintSubmitted
from intake.entrypoints.app import create_app
from tests.integration.intake.conftest import SettingsFactory
from tests.integration.intake.intake_helpers import complaint_body, read_topic
from tests.support.apps import running
from tests.support.infra import Infra

pytestmark = pytest.mark.integration


async def fetch(settings_url: str, sql: str, *args: object) -> list[asyncpg.Record]:
    conn = await asyncpg.connect(asyncpg_dsn(settings_url))
    try:
        return list(await conn.fetch(sql, *args))
    finally:
        await conn.close()


async def test_filing_stores_the_complaint_and_emits_exactly_one_event(
    intake_settings: SettingsFactory, infra: Infra, topic_prefix: str
) -> None:
    settings = intake_settings()
    description = "民警执法态度恶劣，我的电话是13800138000，身份证号110101199003071234，请核实。"
    async with running(create_app(settings)) as client:
        r = await client.post(
            "/api/v1/complaints", json=complaint_body(category="police_conduct", description=description)
        )
        assert r.status_code == 201, r.text
        filed = r.json()
        events = await read_topic(infra.kafka_bootstrap, topic_prefix + "complaints")

    mine = [e for e in events if e.subject == filed["id"]]
    assert len(mine) == 1, [e.type for e in events]
    event = mine[0]
    assert isinstance(event.data, ComplaintSubmitted) and event.source == "/huiyin/intake"
    data = event.data
    assert data.tracking_code == filed["tracking_code"] and data.category == "police_conduct"
    assert data.access_token_sha256 == hashlib.sha256(filed["access_token"].encode()).hexdigest()
    assert data.anonymous is False and data.possible_duplicate_of is None
    assert "138****8000" in data.description and "13800138000" not in data.description
    assert "19900307" not in data.description
    wire = str(event.to_wire())
    for personal in ("13800138000", "张三", "zhang@example.com", filed["access_token"]):
        assert personal not in wire

    [row] = await fetch(
        settings.database_url, "SELECT * FROM intake_complaints WHERE id = $1", uuid.UUID(filed["id"])
    )
    assert row["description"] == description  # the original stays in intake
    assert row["tracking_code"] == filed["tracking_code"]
    for column in ("contact_name_enc", "contact_phone_enc", "contact_email_enc"):
        assert row[column] and row[column].startswith("k1.")
    stored = " ".join(str(v) for k, v in row.items() if k != "description")
    for secret in ("13800138000", "张三", "zhang@example.com", filed["access_token"]):
        assert secret not in stored


async def test_a_retry_with_the_same_key_and_body_returns_the_first_response(
    intake_settings: SettingsFactory, infra: Infra, topic_prefix: str
) -> None:
    settings = intake_settings()
    key = {"Idempotency-Key": f"retry-{uuid.uuid4()}"}
    async with running(create_app(settings)) as client:
        first = await client.post("/api/v1/complaints", json=complaint_body(), headers=key)
        again = await client.post("/api/v1/complaints", json=complaint_body(), headers=key)
        other = await client.post("/api/v1/complaints", json=complaint_body(category="theft"), headers=key)
        events = await read_topic(infra.kafka_bootstrap, topic_prefix + "complaints")
    assert first.status_code == again.status_code == 201
    assert again.json() == first.json() and again.headers["Idempotent-Replayed"] == "true"
    assert other.status_code == 409 and "different request body" in other.json()["detail"]
    assert [e.subject for e in events] == [first.json()["id"]]
    rows = await fetch(settings.database_url, "SELECT count(*) AS n FROM intake_complaints")
    assert rows[0]["n"] == 1
    [record] = await fetch(settings.database_url, "SELECT response_enc FROM intake_idempotency")
    assert first.json()["access_token"] not in record["response_enc"]  # stored encrypted


async def test_concurrent_requests_with_one_key_file_once(intake_settings: SettingsFactory) -> None:
    settings = intake_settings()
    key = {"Idempotency-Key": "same-key-at-once"}
    async with running(create_app(settings)) as client:
        responses = await asyncio.gather(
            *(client.post("/api/v1/complaints", json=complaint_body(), headers=key) for _ in range(5))
        )
    assert {r.status_code for r in responses} == {201}
    assert len({r.json()["id"] for r in responses}) == 1
    rows = await fetch(settings.database_url, "SELECT count(*) AS n FROM intake_complaints")
    assert rows[0]["n"] == 1


async def test_possible_duplicates_are_flagged_not_dropped(
    intake_settings: SettingsFactory, infra: Infra, topic_prefix: str
) -> None:
    async with running(create_app(intake_settings())) as client:
        first = (await client.post("/api/v1/complaints", json=complaint_body())).json()
        near = complaint_body(location={"lat": 30.2745, "lon": 120.1553})  # about 50 m away
        second = (await client.post("/api/v1/complaints", json=near)).json()
        other_category = (
            await client.post("/api/v1/complaints", json=complaint_body(category="theft"))
        ).json()
        other_person = complaint_body(contact={"phone": "13900139000"})
        third = (await client.post("/api/v1/complaints", json=other_person)).json()
        anonymous = (await client.post("/api/v1/complaints", json=complaint_body(contact=None))).json()
        events = {
            e.subject: e.data for e in await read_topic(infra.kafka_bootstrap, topic_prefix + "complaints")
        }
    assert [first["possible_duplicate"], second["possible_duplicate"]] == [False, True]
    assert events[second["id"]].possible_duplicate_of == uuid.UUID(first["id"])
    for other in (other_category, third, anonymous):
        assert other["possible_duplicate"] is False and events[other["id"]].possible_duplicate_of is None
    assert len(events) == 5


async def test_concurrent_filings_are_committed_together(
    intake_settings: SettingsFactory, infra: Infra, topic_prefix: str
) -> None:
    n = 300
    app = create_app(intake_settings())
    async with running(app) as client:
        bodies = [complaint_body(contact={"phone": f"139{i:08d}"}) for i in range(n)]
        responses = await asyncio.gather(*(client.post("/api/v1/complaints", json=b) for b in bodies))
        stats = (await client.get("/ready")).json()["group_commit"]
        events = await read_topic(infra.kafka_bootstrap, topic_prefix + "complaints", settle_s=2)
    assert [r.status_code for r in responses] == [201] * n
    codes = {r.json()["tracking_code"] for r in responses}
    assert len(codes) == n
    assert stats["items"] == n and stats["batches"] < n / 5, stats
    assert sorted(e.subject for e in events) == sorted(r.json()["id"] for r in responses)


async def test_a_database_outage_is_503_with_retry_after_never_201(intake_settings: SettingsFactory) -> None:
    settings = intake_settings(
        database_url="postgresql+asyncpg://postgres@127.0.0.1:9/nowhere", run_relay=False, run_consumers=False
    )
    app = create_app(settings)
    # The catch-all handler answers 503 and re-raises for the server's log (Starlette's
    # ServerErrorMiddleware): read the response as a server would send it.
    transport = httpx.ASGITransport(app=app, raise_app_exceptions=False)
    async with (
        app.router.lifespan_context(app),
        httpx.AsyncClient(transport=transport, base_url="http://t") as client,
    ):
        responses = await asyncio.gather(
            *(client.post("/api/v1/complaints", json=complaint_body()) for _ in range(3))
        )
    for r in responses:
        assert r.status_code == 503, r.text
        assert r.headers["Retry-After"] and "retry" in r.json()["detail"]
