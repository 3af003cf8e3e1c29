"""A request accepted while Kafka is down succeeds, and its event is delivered once Kafka is back.

This test runs its own broker (the repo's launcher) so it can stop it without disturbing others.
"""

from __future__ import annotations

import asyncio
import shutil
import tempfile
from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi import APIRouter, Request

from huiyin.auth import access
from huiyin.devstack.kafka import LocalKafka
from huiyin.devstack.ports import free_ports
from huiyin.events import topics
from huiyin.events.complaints import ComplaintSubmitted
from huiyin.http.app import create_service_app
from huiyin.messaging.topics_admin import ensure_topics
from huiyin.runtime import ConsumerSpec, Runtime, build_runtime
from tests.integration.platform import probe
from tests.support.apps import eventually, running
from tests.support.infra import Infra

pytestmark = pytest.mark.integration


@pytest.fixture
def own_kafka() -> Iterator[LocalKafka]:
    root = Path(tempfile.mkdtemp(prefix="huiyin-kafka-outage-"))
    port, controller = free_ports(2)
    kafka = LocalKafka(root / "kafka", port=port, controller_port=controller)
    kafka.ensure_jars()
    kafka.start()
    try:
        yield kafka
    finally:
        kafka.stop()
        shutil.rmtree(root, ignore_errors=True)


def filing_router() -> APIRouter:
    router = APIRouter(dependencies=[access.public()])

    @router.post("/file", status_code=201)
    async def file(request: Request) -> dict[str, str]:
        rt: Runtime = request.app.state.runtime
        async with rt.uow() as uow:
            event = uow.emit(probe.submitted())
            await uow.commit()
        return {"event_id": event.id}

    return router


async def test_request_accepted_while_kafka_is_down_is_delivered_after_restart(
    infra: Infra, own_kafka: LocalKafka
) -> None:
    bootstrap = own_kafka.bootstrap_servers
    await ensure_topics(bootstrap, partitions=3)
    producer_db = infra.create_database("intake", revision="0001")
    consumer_db = infra.create_database("routing", revision="0001")
    await probe.create_probe_table(consumer_db)
    producer_rt = build_runtime(probe.settings(producer_db, bootstrap, "", "producer"))
    app = create_service_app(title="probe", runtime=producer_rt, routers=[filing_router()])
    consumer_rt = build_runtime(
        probe.settings(consumer_db, bootstrap, "", "consumer"),
        consumers=[ConsumerSpec("probe", [topics.COMPLAINTS], {ComplaintSubmitted: [probe.record_effect]})],
    )
    await consumer_rt.start()
    try:
        async with running(app) as client:
            before = await client.post("/file")
            assert before.status_code == 201
            await eventually(
                lambda: probe.count_effects(consumer_db), until=lambda e: len(e) == 1, timeout=40
            )

            await asyncio.to_thread(own_kafka.stop)
            during = [await client.post("/file") for _ in range(5)]
            assert [r.status_code for r in during] == [201] * 5
            ready = await client.get("/ready")
            assert ready.status_code == 503 and ready.json()["kafka"]["ok"] is False

            await asyncio.to_thread(own_kafka.start)
            expected = {before.json()["event_id"], *(r.json()["event_id"] for r in during)}
            effects = await eventually(
                lambda: probe.count_effects(consumer_db), until=lambda e: len(e) == 6, timeout=90, every=0.5
            )
            assert effects == dict.fromkeys(expected, 1)
    finally:
        await consumer_rt.close()
