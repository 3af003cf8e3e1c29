"""`huiyin seed demo`, `users create`, `calendar load`, `rebuild readmodel`, `export figures`,
`audit verify`, each against real PostgreSQL (and Kafka for the rebuild)."""

from __future__ import annotations

import asyncio
import csv
import io
import json
import uuid
from datetime import UTC, datetime, timedelta
from pathlib import Path

from feedback.handlers.audit import append_to_audit
from huiyin.clock import SystemClock
from huiyin.db import UnitOfWork, create_engine, session_factory
from huiyin.events import new_event
from huiyin.events.assignments import ComplaintAcknowledged
from tests.integration.feedback.feedback_kit import (
    Producer,
    Unit,
    db_execute,
    db_scalar,
    outcome,
    routed,
    submitted,
)
from tests.integration.ops.cli_kit import run, service_env
from tests.support.infra import Infra

UNIT = Unit("ps-cli-test", "测试派出所", "d-cli")


def test_seed_users_and_calendar_in_routing(infra: Infra, tmp_path: Path) -> None:
    env = service_env({"routing": infra.create_database("routing")}, infra.kafka_bootstrap, "")
    db = env["ROUTING_DATABASE_URL"]
    seeded = run(env, "seed", "demo")
    assert seeded.exit_code == 0 and "routing: demo data loaded" in seeded.stdout
    units = asyncio.run(db_scalar(db, "SELECT count(*) FROM routing_units"))
    assert units > 10 and run(env, "seed", "demo").exit_code == 0, "idempotent"
    assert asyncio.run(db_scalar(db, "SELECT count(*) FROM routing_units")) == units

    args = [
        "users",
        "create",
        "Li.Wei",
        "--role",
        "officer",
        "--unit",
        "ps-zhonglou-gulou",
        "--badge",
        "HY7001",
    ]
    created = run(env, *args, input="a-long-password\na-long-password\n")
    assert created.exit_code == 0, created.stdout
    row = asyncio.run(
        db_scalar(db, "SELECT role || ' ' || unit_id FROM staff_users WHERE username = 'li.wei'")
    )
    assert row == "officer ps-zhonglou-gulou"
    assert run(env, *args, input="a-long-password\na-long-password\n").exit_code == 1, "username taken"
    no_unit = run(env, "users", "create", "zhao", "--role", "officer", "--password", "a-long-password")
    assert no_unit.exit_code == 1 and "unit" in no_unit.stdout

    schedule = tmp_path / "2099.json"
    schedule.write_text(
        json.dumps([{"year": 2099, "holidays": ["2099-10-01..2099-10-07"], "workdays": ["2099-10-10"]}])
    )
    loaded = run(env, "calendar", "load", "2099", str(schedule))
    assert loaded.exit_code == 0 and "2099: 7 holidays, 1 make-up workdays" in loaded.stdout
    stored = asyncio.run(
        db_scalar(db, "SELECT source || ' ' || loaded_by FROM sla_calendar_years WHERE year = 2099")
    )
    assert stored == "file:2099.json cli"
    assert run(env, "calendar", "load", "2098", str(schedule)).exit_code == 2, "no such year in the file"


async def _produce_journey(bootstrap: str, prefix: str, at: datetime) -> uuid.UUID:
    cid = uuid.uuid4()
    async with Producer(bootstrap, prefix) as producer:
        await producer.send(submitted(cid, "HY-CLI1", "token", at, "noise"), at, source="/huiyin/intake")
        r = routed(cid, uuid.uuid4(), UNIT, at, "noise")
        await producer.send(r, at)
        await producer.send(outcome(ComplaintAcknowledged, r, at + timedelta(minutes=20)), at)
    return cid


def test_rebuild_the_read_model_then_export_its_figures(
    infra: Infra, topic_prefix: str, tmp_path: Path
) -> None:
    env = service_env({"feedback": infra.create_database("feedback")}, infra.kafka_bootstrap, topic_prefix)
    at = datetime.now(UTC) - timedelta(hours=1)
    cid = asyncio.run(_produce_journey(infra.kafka_bootstrap, topic_prefix, at))

    rebuilt = run(env, "rebuild", "readmodel", "--yes")
    assert rebuilt.exit_code == 0, rebuilt.stdout
    assert "read 3 messages: 3 events applied, 0 duplicates skipped" in rebuilt.stdout
    db = env["FEEDBACK_DATABASE_URL"]
    assert (
        asyncio.run(db_scalar(db, "SELECT count(*) FROM fb_rm_complaint WHERE complaint_id = $1", cid)) == 1
    )

    out = tmp_path / "figures.csv"
    exported = run(
        env, "export", "figures", "--period", "month", "--on", at.date().isoformat(), "--out", str(out)
    )
    assert exported.exit_code == 0, exported.stdout
    table = list(csv.reader(io.StringIO(out.read_bytes().decode("utf-8-sig"))))
    header, rows = table[0], {r[0]: dict(zip(table[0], r, strict=True)) for r in table[1:]}
    assert header[0] == "单位编号 Unit ID"
    assert rows[UNIT.unit_id]["签收 Acknowledged"] == "1"
    assert run(env, "export", "figures", "--out", str(tmp_path / "f.pdf")).exit_code == 2


async def _chain(database_url: str, count: int) -> None:
    engine = create_engine(database_url, pool_size=1)
    try:
        uow = UnitOfWork(session_factory(engine), clock=SystemClock(), source="/huiyin/feedback")
        async with uow:
            at = datetime.now(UTC)
            events = [
                new_event(
                    submitted(uuid.uuid4(), f"HY-A{i}", "t", at, "noise"), source="/huiyin/intake", time=at
                )
                for i in range(count)
            ]
            await append_to_audit(uow, events)
            await uow.commit()
    finally:
        await engine.dispose()


def test_audit_verify_passes_an_intact_chain_and_names_the_first_tampered_record(infra: Infra) -> None:
    env = service_env({"feedback": infra.create_database("feedback")}, infra.kafka_bootstrap, "")
    db = env["FEEDBACK_DATABASE_URL"]
    asyncio.run(_chain(db, 3))
    intact = run(env, "audit", "verify")
    assert intact.exit_code == 0 and "ok: 3 record(s) chained" in intact.stdout

    asyncio.run(
        db_execute(db, "UPDATE fb_audit SET content = replace(content, 'noise', 'other') WHERE seq = 2")
    )
    broken = run(env, "audit", "verify")
    assert broken.exit_code == 1 and "chain broken at seq 2" in broken.stdout
