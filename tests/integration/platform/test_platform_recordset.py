"""Rows sent as one JSON document (huiyin.sqlsets) come back from PostgreSQL as they went in,
for every column type the services write that way."""

from __future__ import annotations

import uuid
from datetime import UTC, date, datetime, timedelta, timezone

import asyncpg
import pytest
from sqlalchemy import text
from sqlalchemy.ext.asyncio import create_async_engine

from huiyin.db import asyncpg_dsn
from huiyin.sqlsets import Column, recordset_insert, recordset_params
from tests.support.infra import Infra

pytestmark = pytest.mark.integration

COLUMNS: list[Column] = [
    ("id", "int4"),
    ("u", "uuid"),
    ("t", "text"),
    ("at", "timestamptz"),
    ("day", "date"),
    ("small", "int2"),
    ("x", "float8"),
    ("flag", "bool"),
    ("doc", "jsonb"),
    ("raw", "bytea"),
]


async def test_every_type_round_trips(infra: Infra) -> None:
    url = infra.create_database("intake", revision="0001")
    conn = await asyncpg.connect(asyncpg_dsn(url))
    try:
        await conn.execute(
            "CREATE TABLE sets (id int4 PRIMARY KEY, u uuid, t text, at timestamptz, day date, small int2,"
            " x float8, flag bool, doc jsonb, raw bytea)"
        )
        some = uuid.uuid4()
        from_db = await conn.fetchval("SELECT $1::uuid", some)  # asyncpg's own UUID type
    finally:
        await conn.close()
    at = datetime(2026, 11, 24, 10, 0, 0, 123456, tzinfo=UTC)
    rows = [
        {
            "id": 1,
            "u": some,
            "t": '引号 " and \\ and \n',
            "at": at,
            "day": date(2026, 2, 28),
            "small": 7,
            "x": 0.1 + 0.2,
            "flag": True,
            "doc": '{"a": [1, 2]}',
            "raw": b"\x00\xff payload",
            "ignored": object(),
        },
        {
            "id": 2,
            "u": from_db,
            "t": "",
            "at": at.astimezone(timezone(timedelta(hours=8))),
            "day": None,
            "small": -1,
            "x": -1e300,
            "flag": False,
            "doc": {"k": some, "n": None},
            "raw": b"",
        },
        {
            "id": 3,
            "u": None,
            "t": None,
            "at": None,
            "day": None,
            "small": None,
            "x": None,
            "flag": None,
            "doc": None,
            "raw": None,
        },
    ]
    engine = create_async_engine(url)
    try:
        async with engine.begin() as db:
            await db.execute(text(recordset_insert("sets", COLUMNS)), recordset_params(COLUMNS, rows))
            got = (await db.execute(text("SELECT * FROM sets ORDER BY id"))).mappings().all()
    finally:
        await engine.dispose()
    assert got[0]["u"] == some and got[0]["t"] == rows[0]["t"] and got[0]["at"] == at
    assert got[0]["day"] == date(2026, 2, 28) and got[0]["small"] == 7 and got[0]["x"] == 0.1 + 0.2
    assert got[0]["flag"] is True and got[0]["doc"] == {"a": [1, 2]} and got[0]["raw"] == b"\x00\xff payload"
    assert got[1]["u"] == some and got[1]["at"] == at and got[1]["x"] == -1e300 and got[1]["flag"] is False
    assert got[1]["doc"] == {"k": str(some), "n": None} and got[1]["raw"] == b"" and got[1]["t"] == ""
    assert all(v is None for k, v in got[2].items() if k != "id")
