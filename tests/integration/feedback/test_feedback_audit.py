"""The audit trail on real PostgreSQL and Kafka: every event of every topic in one hash
chain, redeliveries recorded once, and a row edited behind the service's back reported."""

from __future__ import annotations

import uuid
from datetime import timedelta

import pytest

from feedback.domain.audit_chain import link
from feedback.entrypoints.app import create_app
from feedback.entrypoints.consumers import AUDIT_GROUP
from feedback.handlers.audit import append_to_audit, verify_chain
from huiyin.auth.tokens import Role
from huiyin.clock import ManualClock
from huiyin.events import assignments as a
from huiyin.events import new_event
from huiyin.runtime import build_runtime
from tests.integration.feedback import feedback_kit as kit
from tests.support.apps import eventually, running
from tests.support.infra import Infra

pytestmark = pytest.mark.integration
UNIT = kit.Unit("unit-audit", "断桥派出所", "district-9")


async def test_tampering_is_reported(infra: Infra, topic_prefix: str) -> None:
    db = infra.create_database("feedback")
    settings = kit.settings(db, infra.kafka_bootstrap, topic_prefix)
    clock = ManualClock(kit.sh("2026-03-02", "08:00"))
    supervision = kit.staff_token(settings, Role.SUPERVISION)
    async with (
        running(create_app(settings, clock=clock)) as http,
        kit.Producer(infra.kafka_bootstrap, topic_prefix) as out,
    ):
        for i in range(4):
            cid, at = uuid.uuid4(), kit.sh("2026-03-02", f"09:0{i}")
            await out.send(
                kit.submitted(cid, f"HY-AUD{i:05d}", "t", at, "noise"), at, source="/huiyin/intake"
            )
            r = kit.routed(cid, uuid.uuid4(), UNIT, at + timedelta(minutes=1), "noise")
            await out.send(r, r.routed_at)
            ack = await out.send(kit.outcome(a.ComplaintAcknowledged, r, at + timedelta(minutes=5)), at)
            await out.resend(ack)  # a redelivery is recorded once
        expected = len(out.sent)
        await eventually(lambda: kit.processed(db, AUDIT_GROUP), until=lambda n: n == expected, timeout=30)
        assert await kit.db_scalar(db, "SELECT count(*) FROM fb_audit") == expected

        sound = (await http.get("/api/v1/audit/verify", headers=supervision)).json()
        assert sound["ok"] is True and sound["checked"] == expected and sound["first_mismatch"] is None
        assert sound["head"]["seq"] == expected
        forbidden = await http.get(
            "/api/v1/audit/verify", headers=kit.staff_token(settings, Role.OFFICER, UNIT.unit_id)
        )
        assert forbidden.status_code == 403

        # Someone edits a stored event: its own hash no longer matches.
        await kit.db_execute(
            db, "UPDATE fb_audit SET content = replace(content, 'noise', 'other') WHERE seq = 5"
        )
        edited = (await http.get("/api/v1/audit/verify", headers=supervision)).json()
        assert edited["ok"] is False and edited["checked"] == 4
        assert edited["first_mismatch"]["seq"] == 5
        assert edited["first_mismatch"]["reason"] == "content does not match its hash"

        # A more careful forger recomputes that hash too: the next record's link breaks.
        prev, content = await kit.db_scalar(
            db, "SELECT ARRAY[prev_hash, content] FROM fb_audit WHERE seq = 5"
        )
        await kit.db_execute(db, "UPDATE fb_audit SET hash = $1 WHERE seq = 5", link(prev, content))
        relinked = (await http.get("/api/v1/audit/verify", headers=supervision)).json()
        assert relinked["first_mismatch"]["seq"] == 6
        assert relinked["first_mismatch"]["reason"] == "prev_hash does not match the previous record"


async def test_batched_appends_keep_one_valid_chain(infra: Infra) -> None:
    """One lock per batch: 20,000 events in batches of 500, each appended in two runs in one
    transaction (the head carried between them), form one chain that verifies.
    (Speed is measured in bench/, never asserted here.)"""
    db = infra.create_database("feedback")
    runtime = build_runtime(kit.settings(db, infra.kafka_bootstrap, "unused."))
    at = kit.sh("2026-03-02", "09:00")
    batches = []
    for _ in range(40):
        batch = []
        for _ in range(500):
            r = kit.routed(uuid.uuid4(), uuid.uuid4(), UNIT, at, "noise")
            batch.append(new_event(r, source="/huiyin/routing", time=at))
        batches.append(batch)
    try:
        for batch in batches:
            async with runtime.uow() as uow:
                await append_to_audit(uow, batch[:200])
                await append_to_audit(uow, batch[200:])
                await uow.commit()
        async with runtime.uow() as uow:
            report = await verify_chain(uow)
    finally:
        await runtime.close()
    assert report["ok"] is True and report["checked"] == 20_000
