"""The machine's own limits, measured in the same run: Kafka, PostgreSQL, a bare endpoint."""

from __future__ import annotations

from typing import Any

from bench.baselines import bare, kafka_perf, pgbench
from bench.context import Context
from bench.http_figures import http_figures
from bench.machine import CpuMeter


def kafka_producer(ctx: Context) -> dict[str, Any]:
    with ctx.step("baseline: Kafka ProducerPerformance", ctx.plan.kafka_records / 150_000 + 3):
        return kafka_perf.run(ctx.stack, records=ctx.plan.kafka_records)


def postgres_pgbench(ctx: Context) -> dict[str, Any]:
    with ctx.step("baseline: pgbench", ctx.plan.pgbench_s + 3):
        return pgbench.run(ctx.stack, seconds=ctx.plan.pgbench_s, scale=ctx.plan.pgbench_scale)


def bare_endpoint(ctx: Context, run_no: int) -> dict[str, Any]:
    """The same rates as intake, then far above them (accepted/s is the capacity)."""
    workers = ctx.workers.get("intake", 1)
    out: dict[str, Any] = {"workers": workers, "steps": {}}
    with bare.serving(ctx.stack, workers=workers, logdir=ctx.workdir) as (url, pid):
        for rate in ctx.plan.bare_rates:
            with ctx.step(f"baseline: bare endpoint {rate}/s", ctx.plan.bare_step_s):
                run = ctx.load(url, rate=rate, duration=ctx.plan.bare_step_s, name=f"bare-{run_no}-{rate}")
            out["steps"][str(rate)] = http_figures(run, rate=rate, duration=ctx.plan.bare_step_s)
        rate, seconds = ctx.plan.capacity_rate, ctx.plan.capacity_s
        with ctx.step(f"baseline: bare endpoint capacity ({rate}/s offered)", seconds):
            pg = ctx.stack.postgres.pid()
            meter = CpuMeter({"bare": [pid], **({"postgres": [pg]} if pg is not None else {})})
            meter.start()
            run = ctx.load(url, rate=rate, duration=seconds, name=f"bare-{run_no}-capacity")
            cpu = meter.stop()
        out["capacity"] = {**http_figures(run, rate=rate, duration=seconds), "cpu_s": cpu}
    out["rows"] = bare.rows(ctx.stack)
    return out
