"""The monthly time histograms (fb_rm_times): per unit, category (and '*' for all of
them), month and kind, the bucket counts of wall and working seconds of the actions done
in that month (domain/histogram.py). Kept by difference: a batch reads the histogram
entries of the complaints it touches before and after its writes and adds the change, so
the rows always equal what `recompute` files from the facts (which bench loads use).
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Collection, Iterable, Iterator, Sequence
from datetime import date
from operator import add
from typing import Any
from uuid import UUID

from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncSession

from feedback.domain.histogram import BUCKETS, GAMMA

ALL = "*"  # the category of the rows summed over every category
Key = tuple[str, str, date, str]  # unit, category, month, kind
Entry = tuple[str, str, date, str, int, int]  # key + wall bucket + working bucket
Span = tuple[int, Sequence[int]]  # the first bucket, and the counts from it on


def bucket(column: str) -> str:
    # domain.histogram.bucket_of, in SQL (this is the rule that files values)
    return f"CASE WHEN {column} < 1 THEN 0 ELSE least({BUCKETS - 1}, 1 + floor(ln({column}) / ln({GAMMA})))::int END"


ENTRIES = f"""
SELECT unit_id, category, date_trunc('month', done_day)::date AS month, kind,
       {bucket("wall_s")} AS wb, {bucket("working_s")} AS kb, count(*)::int AS n
  FROM fb_rm_obligation
 WHERE {{where}} AND done_day IS NOT NULL AND wall_s IS NOT NULL AND working_s IS NOT NULL
 GROUP BY 1, 2, 3, 4, 5, 6
"""  # noqa: S608 (fragments are constants; values are bound)

KEYS = """unnest(CAST(:units AS text[]), CAST(:cats AS text[]), CAST(:months AS date[]),
                  CAST(:kinds AS text[]), CAST(:ns AS int[])) WITH ORDINALITY AS x(unit_id, category, month, kind, n, o)"""

ADD = f"""
INSERT INTO fb_rm_times AS t (unit_id, category, month, kind, n, wall, working)
SELECT x.unit_id, x.category, x.month, x.kind, x.n,
       (CAST(:wall AS int[]))[(x.o - 1) * {BUCKETS} + 1 : x.o * {BUCKETS}],
       (CAST(:working AS int[]))[(x.o - 1) * {BUCKETS} + 1 : x.o * {BUCKETS}]
  FROM {KEYS}
ON CONFLICT (unit_id, category, month, kind) DO UPDATE SET
  n = t.n + excluded.n,
  wall = ARRAY(SELECT a + b FROM unnest(t.wall, excluded.wall) WITH ORDINALITY z(a, b, i) ORDER BY i),
  working = ARRAY(SELECT a + b FROM unnest(t.working, excluded.working) WITH ORDINALITY z(a, b, i) ORDER BY i)
"""  # noqa: S608 (fragments are constants; values are bound)

# The span of buckets that hold anything (1-based, inclusive): reads fetch only that slice.
SPANS = f"""
UPDATE fb_rm_times t SET
  wall_lo = (SELECT min(i) FROM unnest(t.wall) WITH ORDINALITY z(c, i) WHERE c <> 0),
  wall_hi = (SELECT max(i) FROM unnest(t.wall) WITH ORDINALITY z(c, i) WHERE c <> 0),
  working_lo = (SELECT min(i) FROM unnest(t.working) WITH ORDINALITY z(c, i) WHERE c <> 0),
  working_hi = (SELECT max(i) FROM unnest(t.working) WITH ORDINALITY z(c, i) WHERE c <> 0)
  FROM {KEYS} WHERE (t.unit_id, t.category, t.month, t.kind) = (x.unit_id, x.category, x.month, x.kind)
"""  # noqa: S608 (fragments are constants; values are bound)

DROP_EMPTY = f"""
DELETE FROM fb_rm_times t USING {KEYS}
 WHERE (t.unit_id, t.category, t.month, t.kind) = (x.unit_id, x.category, x.month, x.kind) AND t.n = 0
"""  # noqa: S608 (fragments are constants; values are bound)


async def entries(session: AsyncSession, complaint_ids: Collection[UUID]) -> Counter[Entry]:
    """The histogram entries of these complaints' actions, as they are now."""
    rows = await session.execute(
        text(ENTRIES.format(where="complaint_id = ANY(:ids)")), {"ids": list(complaint_ids)}
    )
    return Counter({(r[0], r[1], r[2], r[3], r[4], r[5]): r[6] for r in rows})


async def apply_change(session: AsyncSession, before: Counter[Entry], after: Counter[Entry]) -> None:
    change = {e: after[e] - before[e] for e in before.keys() | after.keys() if after[e] != before[e]}
    await _add(session, change.items())


async def recompute(session: AsyncSession, units: Collection[str]) -> None:
    """These units' rows filed again from the facts (loads and repairs; not per batch)."""
    await session.execute(text("DELETE FROM fb_rm_times WHERE unit_id = ANY(:units)"), {"units": list(units)})
    rows = await session.execute(text(ENTRIES.format(where="unit_id = ANY(:units)")), {"units": list(units)})
    await _add(session, (((r[0], r[1], r[2], r[3], r[4], r[5]), r[6]) for r in rows))


async def _add(session: AsyncSession, weighted: Iterable[tuple[Entry, int]]) -> None:
    n: dict[Key, int] = defaultdict(int)
    wall: dict[Key, list[int]] = {}
    working: dict[Key, list[int]] = {}
    for (unit, category, month, kind, wb, kb), weight in weighted:
        for key in ((unit, category, month, kind), (unit, ALL, month, kind)):
            n[key] += weight
            wall.setdefault(key, [0] * BUCKETS)[wb] += weight
            working.setdefault(key, [0] * BUCKETS)[kb] += weight
    keys = sorted(k for k in n if n[k] or any(wall[k]) or any(working[k]))
    if not keys:
        return
    params = {
        "units": [k[0] for k in keys], "cats": [k[1] for k in keys], "months": [k[2] for k in keys],
        "kinds": [k[3] for k in keys], "ns": [n[k] for k in keys],
        "wall": [c for k in keys for c in wall[k]], "working": [c for k in keys for c in working[k]],
    }  # fmt: skip
    await session.execute(text(ADD), params)
    await session.execute(text(SPANS), params)
    await session.execute(text(DROP_EMPTY), params)


class Histograms:
    """Histograms per key, summed from spans of monthly rows and single buckets (facts on
    the fly). A span is (first bucket, counts from it on)."""

    def __init__(self) -> None:
        self._n: dict[Any, int] = defaultdict(int)
        self._spans: dict[Any, tuple[list[Span], list[Span]]] = {}

    def add_spans(self, key: Any, n: int, wall: Span, working: Span) -> None:
        self._n[key] += n
        walls, workings = self._spans.setdefault(key, ([], []))
        walls.append(wall)
        workings.append(working)

    def add_items(self, key: Any, n: int, wall_bucket: int, working_bucket: int) -> None:
        self.add_spans(key, n, (wall_bucket, [n]), (working_bucket, [n]))

    def totals(self) -> Iterator[tuple[Any, int, Span, Span]]:
        for key, n in self._n.items():
            walls, workings = self._spans[key]
            yield key, n, _summed(walls), _summed(workings)


def _summed(spans: list[Span]) -> Span:
    if len(spans) == 1:  # one month of one unit: the common read, used as it is
        return spans[0]
    into = [0] * BUCKETS
    for lo, counts in spans:
        hi = lo + len(counts)
        into[lo:hi] = map(add, into[lo:hi], counts)
    return 0, into
