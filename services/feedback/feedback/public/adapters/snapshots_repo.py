"""The snapshots in PostgreSQL. Publications of one month are serialized by a
transaction-scoped advisory lock on (HYFP, yyyymm); the primary key (month, version) and
ON CONFLICT DO NOTHING make a second insert of a version a no-op even without it."""

from __future__ import annotations

from datetime import date
from typing import Any

from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncSession

PUBLIC_LOCK = 0x48594650  # "HYFP"
META = "month, version, sha256, published_at, published_by, reason"

INSERT = """
INSERT INTO fb_public_snapshot (month, version, figures, sha256, published_at, published_by, reason)
VALUES (:month, :version, :figures, :sha256, :published_at, :published_by, :reason)
ON CONFLICT (month, version) DO NOTHING RETURNING version
"""


async def lock_month(session: AsyncSession, month: date) -> None:
    await session.execute(
        text("SELECT pg_advisory_xact_lock(:k, :m)"), {"k": PUBLIC_LOCK, "m": month.year * 100 + month.month}
    )


async def latest_version(session: AsyncSession, month: str) -> int | None:
    row = await session.execute(
        text("SELECT max(version) FROM fb_public_snapshot WHERE month = :m"), {"m": month}
    )
    return row.scalar_one()


async def insert(session: AsyncSession, snapshot: dict[str, Any]) -> bool:
    """True if stored, False if that (month, version) already was."""
    return (await session.execute(text(INSERT), snapshot)).first() is not None


async def published_months(session: AsyncSession) -> set[str]:
    return {r[0] for r in await session.execute(text("SELECT DISTINCT month FROM fb_public_snapshot"))}


async def versions(session: AsyncSession, month: str | None = None) -> list[dict[str, Any]]:
    """Every version (of one month, or of all), newest month first, versions in order."""
    where = "WHERE month = :m" if month is not None else ""
    sql = f"SELECT {META} FROM fb_public_snapshot {where} ORDER BY month DESC, version"  # noqa: S608 (constant fragments)
    return [dict(r._mapping) for r in await session.execute(text(sql), {"m": month})]


async def get(session: AsyncSession, month: str, version: int | None) -> dict[str, Any] | None:
    """One version with its figures (the latest if `version` is None)."""
    sql = f"""SELECT {META}, figures FROM fb_public_snapshot WHERE month = :m
               AND version = coalesce(CAST(:v AS int), version) ORDER BY version DESC LIMIT 1"""  # noqa: S608
    row = (await session.execute(text(sql), {"m": month, "v": version})).first()
    return dict(row._mapping) if row else None


async def latest_of_last_months(session: AsyncSession, months: int) -> list[dict[str, Any]]:
    """The latest version of each of the last `months` published months, oldest first."""
    sql = f"""SELECT * FROM (SELECT DISTINCT ON (month) {META}, figures FROM fb_public_snapshot
               ORDER BY month DESC, version DESC LIMIT :n) x ORDER BY month"""  # noqa: S608
    return [dict(r._mapping) for r in await session.execute(text(sql), {"n": months})]
