"""Hot spots on the citizen's tracking page: routing's hot-spot events from Kafka, the
status view over HTTP, real PostgreSQL. And the citizen pseudonym in complaint.submitted."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime, timedelta
from typing import Any

import httpx
import pytest
from aiokafka import AIOKafkaProducer

from huiyin.events import encode_event
from huiyin.events import hotspots as h
from huiyin.events.complaints import ComplaintSubmitted
from intake.entrypoints.app import create_app
from tests.integration.intake.conftest import SettingsFactory
from tests.integration.intake.intake_helpers import complaint_body, produce, read_topic
from tests.support.apps import eventually, running
from tests.support.infra import Infra

pytestmark = pytest.mark.integration


async def file(client: httpx.AsyncClient, contact: dict[str, Any] | None) -> dict[str, Any]:
    body = complaint_body()
    if contact is None:
        body.pop("contact")
    else:
        body["contact"] = contact
    r = await client.post("/api/v1/complaints", json=body)
    assert r.status_code == 201, r.text
    return r.json()  # type: ignore[no-any-return]


async def view(client: httpx.AsyncClient, filed: dict[str, Any]) -> dict[str, Any]:
    r = await client.get(
        f"/api/v1/complaints/{filed['tracking_code']}", headers={"X-Access-Token": filed["access_token"]}
    )
    assert r.status_code == 200, r.text
    return r.json()  # type: ignore[no-any-return]


async def consumer(client: httpx.AsyncClient) -> dict[str, Any]:
    ready = (await client.get("/ready")).json()
    return ready["loops"]["consumer:intake-status"]  # type: ignore[no-any-return]


async def processed(client: httpx.AsyncClient) -> int:
    return int((await consumer(client))["processed_total"])


def kinds(v: dict[str, Any]) -> list[str]:
    return [t["kind"] for t in v["timeline"]]


async def test_the_citizen_ref_names_the_same_citizen_without_the_contact(
    intake_settings: SettingsFactory, infra: Infra, topic_prefix: str
) -> None:
    async with running(create_app(intake_settings())) as client:
        first = await file(client, {"phone": "13800138000"})
        again = await file(client, {"phone": "+86 138-0013-8000", "name": "张三"})
        other = await file(client, {"email": "li@example.com"})
        anonymous = await file(client, None)
        events = await eventually(
            lambda: read_topic(infra.kafka_bootstrap, topic_prefix + "complaints", settle_s=0.5),
            until=lambda found: len(found) >= 4,
            timeout=15,
        )
    refs = {
        str(e.data.complaint_id): e.data.citizen_ref for e in events if isinstance(e.data, ComplaintSubmitted)
    }
    assert refs[first["id"]] is not None and refs[first["id"]] == refs[again["id"]]
    assert refs[other["id"]] is not None and refs[other["id"]] != refs[first["id"]]
    assert refs[anonymous["id"]] is None
    wire = b"".join(encode_event(e) for e in events)
    assert b"13800138000" not in wire and b"li@example.com" not in wire


async def test_an_adopted_hot_spot_shows_on_its_complaints_tracking_pages(
    intake_settings: SettingsFactory, infra: Infra, topic_prefix: str
) -> None:
    bootstrap = infra.kafka_bootstrap
    now = datetime.now(UTC)
    hotspot_id = uuid.uuid4()
    elsewhere = uuid.uuid4()  # a complaint of another environment: skipped, never an error
    async with running(create_app(intake_settings())) as client:
        a, b, late = [await file(client, {"phone": p}) for p in ("13800138001", "13800138002", "13800138003")]
        members = [uuid.UUID(a["id"]), uuid.UUID(b["id"]), elsewhere]
        await produce(
            bootstrap, topic_prefix,
            h.HotspotDetected(
                hotspot_id=hotspot_id, category="noise", unit_id="ps-xihu", complaint_ids=members,
                complaint_count=3, citizen_count=3, keywords=["装修", "噪音"], first_at=now, detected_at=now,
            ),
        )  # fmt: skip
        await eventually(lambda: processed(client), until=lambda n: n >= 1)
        # Detected but not adopted: the citizen sees nothing of it (docs/intake.md).
        before = await view(client, a)
        assert before["hotspot"] is None and "hotspot_adopted" not in kinds(before)

        deadline = now + timedelta(days=7)
        adopted = h.HotspotAdopted(
            hotspot_id=hotspot_id, owner_unit_id="ps-xihu", owner_unit_name="西湖派出所", deadline=deadline,
            adopted_by="sup-1", note="夜间施工集中整治", complaint_ids=members, adopted_at=now + timedelta(minutes=5),
        )  # fmt: skip
        [adopted_event] = await produce(bootstrap, topic_prefix, adopted)
        seen = await eventually(lambda: view(client, a), until=lambda v: v["hotspot"] is not None)
        assert seen["hotspot"] == {
            "handled_as_whole": True, "complaints_in_it": 3, "owner_unit_name": "西湖派出所",
            "deadline": seen["hotspot"]["deadline"], "status": "adopted", "solved_at": None, "solved_summary": None,
        }  # fmt: skip
        assert datetime.fromisoformat(seen["hotspot"]["deadline"]) == deadline
        assert kinds(seen).count("hotspot_adopted") == 1
        assert (await view(client, b))["hotspot"]["status"] == "adopted"
        assert (await view(client, late))["hotspot"] is None  # not in it (yet)

        # A complaint that joins afterwards is linked, and its citizen sees the whole matter.
        await produce(
            bootstrap, topic_prefix,
            h.HotspotComplaintLinked(
                hotspot_id=hotspot_id, complaint_id=uuid.UUID(late["id"]), complaint_count=4, adopted=True,
                linked_at=now + timedelta(minutes=10),
            ),
        )  # fmt: skip
        joined = await eventually(lambda: view(client, late), until=lambda v: v["hotspot"] is not None)
        assert (
            joined["hotspot"]["complaints_in_it"] == 4
            and joined["hotspot"]["owner_unit_name"] == "西湖派出所"
        )
        joined_entry = next(t for t in joined["timeline"] if t["kind"] == "hotspot_joined")
        assert joined_entry["detail"]["owner_unit_name"] == "西湖派出所"
        assert "hotspot_adopted" not in kinds(joined)
        assert (await view(client, a))["hotspot"]["complaints_in_it"] == 4

        # A redelivered adoption adds nothing.
        await produce_again(bootstrap, topic_prefix, adopted_event)
        await eventually(lambda: consumer(client), until=lambda c: c["duplicates_total"] >= 1)

        await produce(
            bootstrap, topic_prefix,
            h.HotspotProgressNoted(
                hotspot_id=hotspot_id, owner_unit_id="ps-xihu", note="已约谈施工方", by="officer-1",
                at=now + timedelta(days=1),
            ),
            h.HotspotSolved(
                hotspot_id=hotspot_id, owner_unit_id="ps-xihu", deadline=deadline, summary="施工时间已调整为白天",
                by="officer-1", on_time=True, at=now + timedelta(days=2),
            ),
        )  # fmt: skip
        solved = await eventually(lambda: view(client, b), until=lambda v: v["hotspot"]["status"] == "solved")
        assert solved["hotspot"]["solved_summary"] == "施工时间已调整为白天"
        assert kinds(solved).count("hotspot_solved") == 1
        a_view = await view(client, a)
        assert kinds(a_view).count("hotspot_adopted") == 1 and kinds(a_view).count("hotspot_solved") == 1
        # Never another citizen's data: no other complaint's id, code or text in the view.
        text = str(a_view)
        for other in (b, late):
            assert other["id"] not in text and other["tracking_code"] not in text
        assert "已约谈施工方" not in text  # progress notes are for staff

        english = await client.get("/track", params={"lang": "en"})
        assert english.status_code == 200 and "hotspot-box" in english.text
        assert "This matter is being handled as a whole" in english.text
        chinese = await client.get("/track", params={"lang": "zh-CN"})
        assert "整体督办" in chinese.text


async def produce_again(bootstrap: str, prefix: str, event: Any) -> None:
    producer = AIOKafkaProducer(bootstrap_servers=bootstrap, acks="all")
    await producer.start()
    try:
        await producer.send_and_wait(prefix + event.topic, value=encode_event(event), key=event.key.encode())
    finally:
        await producer.stop()
