"""Backup and restore (pg_dump / pg_restore of each service's database) give identical
inboxes, timers, figures and audit chain. (Rebuilding feedback's read model from the topics
gives identical figures too: tests/integration/feedback, replay-rebuild equality.)"""

from __future__ import annotations

import asyncio
import subprocess
from pathlib import Path

import asyncpg
import psycopg
import pytest
from psycopg import sql

from feedback.adapters.readmodel_tables import READ_MODEL_TABLES
from huiyin.db import asyncpg_dsn
from huiyin.devstack.pgsys import pg_bin_dir
from huiyin.devstack.stack import SERVICES, Stack

pytestmark = pytest.mark.faults

TABLES = {
    "intake": ["intake_complaints", "intake_status", "intake_timeline", "outbox", "processed_events"],
    "routing": [
        "routing_cases",
        "routing_assignments",
        "routing_history",
        "sla_cycles",
        "sla_timers",
        "sla_escalations",
    ],
    "feedback": [*READ_MODEL_TABLES, "fb_audit", "fb_request", "fb_citizen_access"],
}


async def digest(url: str, table: str) -> str:
    conn = await asyncpg.connect(asyncpg_dsn(url))
    try:
        # Order by the whole row's text: a digest of the table's content, independent of storage order.
        return str(
            await conn.fetchval(
                f"SELECT md5(coalesce(string_agg(t::text, '|' ORDER BY t::text), '')) FROM {table} t"
            )
        )
    finally:
        await conn.close()


def backup_and_restore(stack: Stack, service: str, dump_dir: Path) -> str:
    bin_dir, port = pg_bin_dir(), str(stack.config.pg_port)
    source, target = stack.config.database_name(service), f"restored_{service}"
    dump = dump_dir / f"{service}.dump"
    common = ["-h", "127.0.0.1", "-p", port, "-U", "postgres"]
    subprocess.run([bin_dir / "pg_dump", *common, "-Fc", "-f", dump, source], check=True)
    with psycopg.connect(stack.postgres.dsn("postgres"), autocommit=True) as conn:
        conn.execute(sql.SQL("DROP DATABASE IF EXISTS {}").format(sql.Identifier(target)))
        conn.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(target)))
    subprocess.run([bin_dir / "pg_restore", *common, "-d", target, "--no-owner", dump], check=True)
    return stack.postgres.url(target)


async def test_backup_restore_and_rebuild_give_identical_state(faulty: Stack, tmp_path: Path) -> None:
    for service in SERVICES:  # quiesce: nothing changes while we dump and compare
        await asyncio.to_thread(faulty.stop_service, service)
    try:
        for service in SERVICES:
            restored = await asyncio.to_thread(backup_and_restore, faulty, service, tmp_path)
            for table in TABLES[service]:
                original = await digest(faulty.database_url(service), table)
                assert await digest(restored, table) == original, f"{service}.{table} differs after restore"
            print(f"\nrestore {service}: {len(TABLES[service])} tables identical")

    finally:
        for service in SERVICES:
            await asyncio.to_thread(faulty.start_service, service)
        await asyncio.to_thread(faulty.wait_ready)
