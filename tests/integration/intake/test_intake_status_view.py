"""The citizen's status view follows routing, SLA and feedback events from Kafka."""

from __future__ import annotations

import time
import uuid
from datetime import UTC, datetime, timedelta
from typing import Any

import httpx
import pytest
from aiokafka import AIOKafkaProducer

from huiyin.events import assignments as a
from huiyin.events import encode_event
from huiyin.events import feedback as f
from huiyin.events.complaints import ComplaintWithdrawn, InformationAdded
from intake.entrypoints.app import create_app
from tests.integration.intake.conftest import SettingsFactory
from tests.integration.intake.intake_helpers import complaint_body, produce, read_topic, routed
from tests.support.apps import eventually, running
from tests.support.infra import Infra

pytestmark = pytest.mark.integration


class Citizen:
    def __init__(self, client: httpx.AsyncClient, filed: dict[str, Any]) -> None:
        self.client, self.filed = client, filed
        self.id = uuid.UUID(filed["id"])
        self.url = f"/api/v1/complaints/{filed['tracking_code']}"
        self.token = {"X-Access-Token": filed["access_token"]}

    async def view(self) -> dict[str, Any]:
        r = await self.client.get(self.url, headers=self.token)
        assert r.status_code == 200, r.text
        return r.json()  # type: ignore[no-any-return]

    async def state_becomes(self, state: str, timeout: float = 10) -> dict[str, Any]:
        return await eventually(self.view, until=lambda v: v["state"] == state, timeout=timeout, every=0.05)


async def file(client: httpx.AsyncClient, **overrides: Any) -> Citizen:
    r = await client.post("/api/v1/complaints", json=complaint_body(**overrides))
    assert r.status_code == 201, r.text
    return Citizen(client, r.json())


async def consumer_status(client: httpx.AsyncClient) -> dict[str, Any]:
    ready = (await client.get("/ready")).json()
    return ready["loops"]["consumer:intake-status"]  # type: ignore[no-any-return]


def step(c: uuid.UUID, assignment: uuid.UUID) -> dict[str, Any]:
    return {"complaint_id": c, "assignment_id": assignment, "unit_id": "ps-xihu", "at": datetime.now(UTC)}


async def test_a_complaints_life_as_the_citizen_sees_it(
    intake_settings: SettingsFactory, infra: Infra, topic_prefix: str
) -> None:
    bootstrap = infra.kafka_bootstrap
    async with running(create_app(intake_settings())) as client:
        me = await file(client)
        route = routed(me.id)
        started = time.monotonic()
        await produce(bootstrap, topic_prefix, route)
        view = await me.state_becomes("routed")
        assert time.monotonic() - started < 5  # typically well under a second
        assert view["unit"] == {"id": "ps-xihu", "name": "西湖派出所"}
        assert view["deadlines"]["resolve_by"].startswith(route.resolve_due.strftime("%Y-%m-%dT%H:%M"))

        ack = a.ComplaintAcknowledged(
            **step(me.id, route.assignment_id),
            cycle=1,
            by="officer-wang",
            due=route.ack_due,
            met=True,
            wall_s=60,
            working_s=60,
        )
        await produce(bootstrap, topic_prefix, ack)
        await me.state_becomes("acknowledged")

        ask = a.InformationRequested(
            **step(me.id, route.assignment_id), question="请问噪音通常在几点开始？", by="officer-wang"
        )
        await produce(bootstrap, topic_prefix, ask)
        view = await me.state_becomes("awaiting_citizen")
        assert view["information_request"]["question"] == "请问噪音通常在几点开始？"

        r = await client.post(
            f"{me.url}/information", json={"text": "晚上十一点以后，我的电话13800138000"}, headers=me.token
        )
        assert r.status_code == 200 and r.json()["state"] == "in_progress"
        assert r.json()["information_request"] is None

        resolve = a.ComplaintResolved(**step(me.id, route.assignment_id), cycle=1, by="officer-wang", due=route.resolve_due, met=True,
                                      wall_s=3600, working_s=3600, answer="已上门劝导，施工方承诺夜间停工。")  # fmt: skip
        closes = datetime.now(UTC) + timedelta(days=7)
        feedback = f.FeedbackRequested(
            complaint_id=me.id, unit_id="ps-xihu", cycle=1, requested_at=datetime.now(UTC), closes_at=closes
        )
        await produce(bootstrap, topic_prefix, resolve)
        await produce(bootstrap, topic_prefix, feedback, source="/huiyin/feedback")
        view = await eventually(
            me.view, until=lambda v: v["state"] == "resolved" and v["feedback"]["requested"]
        )
        assert view["answer"] == "已上门劝导，施工方承诺夜间停工。"
        assert view["feedback"]["until"].startswith(closes.strftime("%Y-%m-%dT%H:%M"))

        withdraw = await client.post(f"{me.url}/withdraw", headers=me.token)
        assert withdraw.status_code == 409 and withdraw.json()["state"] == "resolved"

        await produce(
            bootstrap,
            topic_prefix,
            a.ComplaintClosed(complaint_id=me.id, unit_id="ps-xihu", reason="verdict", at=datetime.now(UTC)),
        )
        view = await me.state_becomes("closed")

        kinds = [t["kind"] for t in view["timeline"]]
        assert kinds == ["submitted", "routed", "acknowledged", "information_requested", "information_added",
                         "resolved", "feedback_requested", "closed"]  # fmt: skip
        assert "officer-wang" not in str(view["timeline"])
        events = await read_topic(bootstrap, topic_prefix + "complaints")
        added = [e.data for e in events if isinstance(e.data, InformationAdded)]
        assert len(added) == 1 and added[0].text == "晚上十一点以后，我的电话138****8000"


async def test_a_withdrawal_is_final_and_emitted(
    intake_settings: SettingsFactory, infra: Infra, topic_prefix: str
) -> None:
    async with running(create_app(intake_settings())) as client:
        me = await file(client)
        route = routed(me.id)
        await produce(infra.kafka_bootstrap, topic_prefix, route)
        await me.state_becomes("routed")
        r = await client.post(
            f"{me.url}/withdraw", json={"reason": "已解决，联系我13800138000"}, headers=me.token
        )
        assert r.status_code == 200 and r.json()["state"] == "withdrawn"
        # A station's acknowledgement that crossed the withdrawal does not revive it.
        ack = a.ComplaintAcknowledged(**step(me.id, route.assignment_id), cycle=1, by="x", due=route.ack_due,
                                      met=True, wall_s=1, working_s=1)  # fmt: skip
        await produce(infra.kafka_bootstrap, topic_prefix, ack)
        await eventually(lambda: consumer_status(client), until=lambda c: c["processed_total"] >= 2)
        assert (await me.view())["state"] == "withdrawn"
        events = await read_topic(infra.kafka_bootstrap, topic_prefix + "complaints")
    withdrawn = [e.data for e in events if isinstance(e.data, ComplaintWithdrawn)]
    assert len(withdrawn) == 1 and withdrawn[0].complaint_id == me.id
    assert withdrawn[0].reason == "已解决，联系我138****8000"


async def test_returns_unknown_complaints_and_redelivery(
    intake_settings: SettingsFactory, infra: Infra, topic_prefix: str
) -> None:
    bootstrap = infra.kafka_bootstrap
    async with running(create_app(intake_settings())) as client:
        me = await file(client)
        stranger = routed(uuid.uuid4())  # a complaint intake never saw: skipped, never an error
        first = routed(me.id)
        [sent] = await produce(bootstrap, topic_prefix, first)
        await produce(bootstrap, topic_prefix, stranger)
        await me.state_becomes("routed")

        back = a.ComplaintReturned(
            **step(me.id, first.assignment_id), cycle=1, reason="不归本所管", by="x", ack_met=True
        )
        await produce(bootstrap, topic_prefix, back)
        view = await me.state_becomes("returned")
        assert view["unit"] is None and "不归本所管" not in str(view)

        again = routed(me.id, unit_id="ps-wensan", unit_name="文三派出所", reason="return")
        await produce(bootstrap, topic_prefix, again)
        view = await me.state_becomes("rerouted")
        assert view["unit"] == {"id": "ps-wensan", "name": "文三派出所"}

        # The same event delivered again (same id) changes nothing and adds no entry.
        producer = AIOKafkaProducer(bootstrap_servers=bootstrap)
        await producer.start()
        try:
            await producer.send_and_wait(
                topic_prefix + "assignments", encode_event(sent), key=sent.key.encode()
            )
        finally:
            await producer.stop()
        consumer = await eventually(
            lambda: consumer_status(client), until=lambda c: c["duplicates_total"] >= 1
        )
        view = await me.view()
        assert view["state"] == "rerouted"
        assert [t["kind"] for t in view["timeline"]] == ["submitted", "routed", "routed"]
        assert consumer["dead_lettered_total"] == 0 and consumer["duplicates_total"] >= 1
