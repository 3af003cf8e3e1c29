"""`huiyin topics`, `outbox backlog`, `lag`, `asyncapi`, `--help`, on real PostgreSQL and Kafka."""

from __future__ import annotations

import asyncio
import uuid
from datetime import UTC, datetime
from pathlib import Path

from aiokafka import AIOKafkaConsumer, AIOKafkaProducer

from huiyin.clock import SystemClock
from huiyin.db import UnitOfWork, create_engine, session_factory
from huiyin.events import encode_event, new_event, topics
from huiyin.events.complaints import ComplaintWithdrawn
from huiyin.events.sla import SlaWarning
from tests.integration.feedback.feedback_kit import db_execute
from tests.integration.ops.cli_kit import run, service_env
from tests.support.infra import Infra

NOW = datetime.now(UTC)


def test_help_names_every_command_for_a_newcomer() -> None:
    out = run({}, "--help").stdout
    for command in ("stack", "topics", "outbox", "lag", "dlq", "rebuild", "calendar", "users", "seed", "audit", "export", "asyncapi"):  # fmt: skip
        assert command in out
    assert "Where are complaints stuck?" in out


def test_topics_ensure_then_check(infra: Infra) -> None:
    env = {
        "KAFKA_BOOTSTRAP_SERVERS": infra.kafka_bootstrap,
        "KAFKA_TOPIC_PREFIX": f"c{uuid.uuid4().hex[:6]}.",
    }
    assert run(env, "topics", "check").exit_code == 1, "nothing created yet"
    created = run(env, "topics", "ensure", "--partitions", "2")
    assert created.exit_code == 0 and "complaints.dlq" in created.stdout
    checked = run(env, "topics", "check")
    assert checked.exit_code == 0 and checked.stdout.count(" 2 ") >= len(topics.all_with_dlq())


async def _write_backlog(database_url: str) -> None:
    engine = create_engine(database_url, pool_size=1)
    try:
        uow = UnitOfWork(session_factory(engine), clock=SystemClock(), source="/huiyin/routing")
        async with uow:
            for _ in range(2):
                cid = uuid.uuid4()
                uow.emit(
                    SlaWarning(
                        complaint_id=cid, assignment_id=cid, unit_id="u", cycle=1, kind="ack", due=NOW, at=NOW
                    )
                )
            await uow.commit()
    finally:
        await engine.dispose()


def test_outbox_backlog_shows_what_waits_and_fails_over_the_age_limit(infra: Infra) -> None:
    dbs = {s: infra.create_database(s) for s in ("intake", "routing", "feedback")}
    asyncio.run(_write_backlog(dbs["routing"]))  # no relay runs: the rows wait
    asyncio.run(db_execute(dbs["routing"], "UPDATE outbox SET created_at = now() - interval '120 seconds'"))
    env = service_env(dbs, infra.kafka_bootstrap, "")

    shown = run(env, "outbox", "backlog")
    assert shown.exit_code == 0
    rows = [line.split("│") for line in shown.stdout.splitlines() if "│" in line]
    cells = {tuple(c.strip() for c in r[1:3]): r for r in rows}
    assert cells[("routing", "sla")][3].strip() == "2"
    assert float(cells[("routing", "sla")][4]) >= 120
    assert cells[("intake", "-")][3].strip() == "0"
    assert run(env, "outbox", "backlog", "--service", "routing", "--max-age", "60").exit_code == 1
    assert run(env, "outbox", "backlog", "--service", "intake", "--max-age", "60").exit_code == 0


async def _produce_and_consume(bootstrap: str, prefix: str, count: int, consume: int) -> None:
    producer = AIOKafkaProducer(bootstrap_servers=bootstrap, acks="all")
    await producer.start()
    try:
        for _ in range(count):
            data = ComplaintWithdrawn(state_before="routed", complaint_id=uuid.uuid4(), withdrawn_at=NOW)
            event = new_event(data, source="/huiyin/intake", time=NOW)
            await producer.send_and_wait(
                prefix + topics.COMPLAINTS, encode_event(event), key=event.key.encode()
            )
    finally:
        await producer.stop()
    if not consume:
        return
    consumer = AIOKafkaConsumer(
        prefix + topics.COMPLAINTS, bootstrap_servers=bootstrap, group_id=prefix + "routing",
        enable_auto_commit=False, auto_offset_reset="earliest",
    )  # fmt: skip
    await consumer.start()
    try:
        seen = 0
        while seen < consume:
            seen += sum(len(r) for r in (await consumer.getmany(timeout_ms=1000)).values())
        await consumer.commit()
    finally:
        await consumer.stop()


def test_lag_counts_what_a_group_has_not_committed(infra: Infra, topic_prefix: str) -> None:
    env = {"KAFKA_BOOTSTRAP_SERVERS": infra.kafka_bootstrap, "KAFKA_TOPIC_PREFIX": topic_prefix}
    asyncio.run(_produce_and_consume(infra.kafka_bootstrap, topic_prefix, count=3, consume=0))
    behind = run(env, "lag", "--group", "routing")
    assert behind.exit_code == 0 and "routing: 3 behind" in behind.stdout
    assert run(env, "lag", "--group", "routing", "--max-lag", "2").exit_code == 1

    asyncio.run(_produce_and_consume(infra.kafka_bootstrap, topic_prefix, count=0, consume=3))
    caught_up = run(env, "lag", "--group", "routing", "--max-lag", "0")
    assert caught_up.exit_code == 0 and "routing: 0 behind" in caught_up.stdout
    assert run(env, "lag", "--group", "nobody").exit_code == 2


def test_asyncapi_writes_and_checks_the_document(tmp_path: Path) -> None:
    out = tmp_path / "asyncapi.yaml"
    assert run({}, "asyncapi", "--out", str(out)).exit_code == 0
    assert run({}, "asyncapi", "--out", str(out), "--check").exit_code == 0
    out.write_text(out.read_text().replace("huiyin.complaint.submitted.v1", "huiyin.complaint.submitted.v0"))
    stale = run({}, "asyncapi", "--out", str(out), "--check")
    assert stale.exit_code == 1 and "huiyin asyncapi --out" in stale.stdout
