"""Figures at scale: feedback's read model holding a year of facts for many complaints over
200 units; the supervision reads through HTTP on the running feedback service; and the
rate at which a rebuild replays real events."""

from __future__ import annotations

import asyncio
import time
from typing import Any

import psycopg

from bench import backlog, http_reads, readmodel_load, replay_run, system
from bench.context import Context
from feedback.adapters.readmodel_tables import READ_MODEL_TABLES

ENDPOINTS = {"rankings": "/api/v1/rankings", "unit_metrics": "/api/v1/metrics/units"}


def replay(ctx: Context, run_no: int) -> dict[str, Any]:
    with ctx.step(
        f"figures: rebuild by replay ({ctx.plan.replay_records:,} records)", ctx.plan.replay_records / 1_500
    ):
        return replay_run.replay_rate(ctx.stack, records=ctx.plan.replay_records, run_no=run_no)


def _caught_up(ctx: Context, timeout_s: float = 120) -> None:
    """Wait until every consumer group has applied what earlier parts produced, so no late
    event lands in the read model after it is emptied for the generated year."""
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        lag = asyncio.run(backlog.consumer_lag(ctx.stack.kafka.bootstrap_servers))
        if all(not v for v in lag.values()):
            return
        time.sleep(1)


def run_part(ctx: Context) -> dict[str, Any]:
    plan, dsn = ctx.plan, system.dsn(ctx.stack, "feedback")
    _caught_up(ctx)
    now = readmodel_load.utcnow()
    expected = plan.figures_budget_s + plan.figures_units / 3
    with ctx.step(f"figures: a year of facts for up to {plan.figures_complaints:,} complaints", expected):
        data = readmodel_load.generate(
            dsn, complaints=plan.figures_complaints, n_units=plan.figures_units,
            budget_s=plan.figures_budget_s, now=now,
        )  # fmt: skip
    on = readmodel_load.month_before(now).isoformat()
    params = {"period": "month", "on": on}
    token = http_reads.supervision_token()
    out: dict[str, Any] = {"data": data, "query": params}
    for name, path in ENDPOINTS.items():
        with ctx.step(f"figures: GET {path} x {plan.figures_requests}", plan.figures_requests * 0.1):
            out[name] = http_reads.latency(
                ctx.stack.url("feedback") + path, params, requests=plan.figures_requests, token=token
            )
    with psycopg.connect(dsn, autocommit=True) as conn:  # the disk back, for the next run
        conn.execute(f"TRUNCATE {', '.join(READ_MODEL_TABLES)}")
    return out
