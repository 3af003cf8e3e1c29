"""The daily counters (fb_rm_daily) and their monthly sums (fb_rm_monthly), kept by
difference: a batch reads what the complaints (or hot spots) it touches contribute to each
(unit, category, day) bucket before its writes and after them, and adds the change to the
daily rows and to their months (`apply_change`, the one way these tables are written). A batch so costs what it touches, not what its buckets
already hold (a busy station's day holds thousands of facts). The rows always equal a
count of all the facts (`recount`, used by bench loads and by the tests that check the
kept rows against it): the rules are the same (readmodel_counting), and every read-model
writer takes READ_MODEL_LOCK first, so no two batches read or change counters at once.
A bucket or month whose counters all come to zero is removed."""

from __future__ import annotations

from collections.abc import Collection, Iterable, Mapping, Sequence
from typing import Any
from uuid import UUID

from sqlalchemy import TextClause, text
from sqlalchemy.ext.asyncio import AsyncSession

from feedback.adapters.readmodel_counting import COMPLAINT_SOURCES, HOTSPOT_SOURCES, SOURCES, Bucket, counts
from feedback.adapters.readmodel_tables import COUNTERS

READ_MODEL_LOCK = 0x48594652  # "HYFR": every read-model writer takes it once per batch

Counts = dict[Bucket, tuple[int, ...]]  # the counters (in COUNTERS order) per bucket
_ZERO = (0,) * len(COUNTERS)


def _nonzero(alias: str) -> str:
    return " + ".join(f"{alias}.{c}" for c in COUNTERS) + " > 0"  # counters are never negative


OF_COMPLAINTS = text(counts(COMPLAINT_SOURCES, lambda s: f"{s.table} x WHERE x.complaint_id = ANY(:ids)"))
OF_HOTSPOTS = text(counts(HOTSPOT_SOURCES, lambda s: f"{s.table} x WHERE x.hotspot_id = ANY(:ids)"))


def _unnest(prefix: str, period: str) -> str:
    """Rows bound as one array per column (`_params`): d(unit_id, category, <period>, counters)."""
    arrays = ", ".join(f"CAST(:{prefix}{c} AS int[])" for c in COUNTERS)
    return (
        f"unnest(CAST(:{prefix}units AS text[]), CAST(:{prefix}cats AS text[]), "
        f"CAST(:{prefix}{period}s AS date[]), {arrays}) AS d(unit_id, category, {period}, {', '.join(COUNTERS)})"
    )


def _add_to(table: str, period: str, rows: str) -> str:
    columns = ", ".join(COUNTERS)
    return (
        f"INSERT INTO {table} AS t (unit_id, category, {period}, {columns}) SELECT * FROM {rows}\n"  # noqa: S608
        f"ON CONFLICT (unit_id, category, {period}) DO UPDATE SET "
        + ", ".join(f"{c} = t.{c} + excluded.{c}" for c in COUNTERS)
    )


# The change of a batch: one statement for the days and their months.
ADD = text(f"""
WITH days AS ({_add_to("fb_rm_daily", "day", _unnest("", "day"))})
{_add_to("fb_rm_monthly", "month", _unnest("m_", "month"))}
""")  # fragments are constants; values are bound

# Only a batch that took something off can leave a bucket or a month at zero.
DROP_EMPTY = text(f"""
WITH days AS (DELETE FROM fb_rm_daily t USING {_unnest("", "day")}
               WHERE (t.unit_id, t.category, t.day) = (d.unit_id, d.category, d.day) AND NOT ({_nonzero("t")}))
DELETE FROM fb_rm_monthly t USING {_unnest("m_", "month")}
 WHERE (t.unit_id, t.category, t.month) = (d.unit_id, d.category, d.month) AND NOT ({_nonzero("t")})
""")  # noqa: S608 (fragments are constants; values are bound)


async def of_complaints(session: AsyncSession, complaint_ids: Collection[UUID]) -> Counts:
    """What these complaints' facts count in each bucket, as they are now."""
    return await _counted(session, OF_COMPLAINTS, complaint_ids)


async def of_hotspots(session: AsyncSession, hotspot_ids: Collection[UUID]) -> Counts:
    """What these hot spots count in each bucket (their owner units'), as they are now."""
    return await _counted(session, OF_HOTSPOTS, hotspot_ids)


async def _counted(session: AsyncSession, statement: TextClause, ids: Collection[UUID]) -> Counts:
    return _by_bucket(await session.execute(statement, {"ids": list(ids)}))


def _by_bucket(rows: Iterable[Sequence[Any]]) -> Counts:
    """Rows of (unit_id, category, day, <COUNTERS>) -> counters per bucket."""
    return {(r[0], r[1], r[2]): tuple(r[3:]) for r in rows}


def change(before: Counts, after: Counts) -> Counts:
    """after - before, per bucket; buckets that did not change are left out."""
    out = {}
    for bucket in before.keys() | after.keys():
        delta = tuple(a - b for a, b in zip(after.get(bucket, _ZERO), before.get(bucket, _ZERO), strict=True))
        if any(delta):
            out[bucket] = delta
    return out


def by_month(days: Counts) -> Counts:
    """Daily changes summed per month (keyed by its first day); months that net to zero left out."""
    months: dict[Bucket, list[int]] = {}
    for (unit, category, day), delta in days.items():
        into = months.setdefault((unit, category, day.replace(day=1)), [0] * len(COUNTERS))
        for i, d in enumerate(delta):
            into[i] += d
    return {k: tuple(v) for k, v in months.items() if any(v)}


async def apply_change(session: AsyncSession, before: Counts, after: Counts) -> None:
    days = change(before, after)
    if not days:
        return
    params = _params("", "day", days) | _params("m_", "month", by_month(days))
    await session.execute(ADD, params)
    if any(d < 0 for delta in days.values() for d in delta):
        await session.execute(DROP_EMPTY, params)


def _params(prefix: str, period: str, rows: Mapping[Bucket, Sequence[int]]) -> dict[str, Any]:
    keys = sorted(rows)  # one order for every writer: row locks are taken in it
    params: dict[str, Any] = {
        f"{prefix}units": [k[0] for k in keys],
        f"{prefix}cats": [k[1] for k in keys],
        f"{prefix}{period}s": [k[2] for k in keys],
    }
    for i, c in enumerate(COUNTERS):
        params[f"{prefix}{c}"] = [rows[k][i] for k in keys]
    return params


# Counting whole buckets again from all their facts (bench loads, checks; not per batch):
# what their daily rows hold now against what the facts give, applied as a batch's change.
B = """b AS (SELECT * FROM unnest(CAST(:units AS text[]), CAST(:cats AS text[]), CAST(:days AS date[]))
              AS b(unit_id, category, day))"""
HELD = text(f"""
WITH {B} SELECT t.unit_id, t.category, t.day, {", ".join(f"t.{c}" for c in COUNTERS)}
  FROM fb_rm_daily t JOIN b USING (unit_id, category, day)
""")  # noqa: S608 (fragments are constants; values are bound)
FROM_FACTS = text(
    f"WITH {B} "
    + counts(
        SOURCES,
        lambda s: (
            f"b JOIN {s.table} x ON x.unit_id = b.unit_id AND x.category = b.category AND x.{s.day} = b.day WHERE true"
        ),
    )
)


# A recount leaves no row at zero, also one a batch left behind (no change would remove it).
RECOUNT_DROP_EMPTY = text(f"""
WITH {B},
days AS (DELETE FROM fb_rm_daily t USING b
          WHERE (t.unit_id, t.category, t.day) = (b.unit_id, b.category, b.day) AND NOT ({_nonzero("t")}))
DELETE FROM fb_rm_monthly t USING b
 WHERE (t.unit_id, t.category, t.month) = (b.unit_id, b.category, date_trunc('month', b.day)::date)
   AND NOT ({_nonzero("t")})
""")  # noqa: S608 (fragments are constants; values are bound)


async def recount(session: AsyncSession, buckets: Collection[Bucket]) -> None:
    """These buckets' daily rows counted again from all their facts, and their months
    changed by the same amounts."""
    if not buckets:
        return
    ordered = sorted(buckets)
    params = {
        "units": [b[0] for b in ordered],
        "cats": [b[1] for b in ordered],
        "days": [b[2] for b in ordered],
    }
    held = await session.execute(HELD, params)
    counted = await session.execute(FROM_FACTS, params)
    await apply_change(session, _by_bucket(held), _by_bucket(counted))
    await session.execute(RECOUNT_DROP_EMPTY, params)
