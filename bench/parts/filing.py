"""Filing -> inbox, end to end: complaints filed over HTTP at fixed rates, read back from
routing's database afterwards; and intake alone (routing and feedback stopped) far above
its capacity, for the ratio to the bare endpoint."""

from __future__ import annotations

import time
from typing import Any

from bench import backlog, inbox, system
from bench.context import Context
from bench.http_figures import accepted, http_figures
from bench.loadgen import LoadRun
from bench.machine import CpuMeter


def _intake_url(ctx: Context) -> str:
    return ctx.stack.url("intake") + "/api/v1/complaints"


def _metered_load(
    ctx: Context, *, rate: float, seconds: float, name: str
) -> tuple[LoadRun, dict[str, float]]:
    meter = CpuMeter(system.process_roots(ctx.stack))
    meter.start()
    run = ctx.load(_intake_url(ctx), rate=rate, duration=seconds, name=name)
    return run, meter.stop()


def _per_complaint_ms(cpu: dict[str, float], n: int) -> dict[str, float] | None:
    if n == 0:
        return None
    return {k: round(v * 1000 / n, 3) for k, v in cpu.items() if not k.endswith("_share")}


def inbox_step(ctx: Context, rate: int, run_no: int) -> dict[str, Any]:
    seconds = ctx.plan.step_s
    # Each step starts from an idle system: what an earlier step left (deferred hot-spot
    # detection, feedback's groups) is worked off first, so it does not compete here.
    with ctx.step(f"filing -> inbox {rate}/s: waiting for every consumer to catch up", 5):
        settle_s, settled = backlog.wait_until_drained(ctx.stack, ctx.plan.settle_timeout_s)
    before = backlog.snapshot(ctx.stack)
    # CPU is metered from the first filing until every consumer has caught up: all the
    # work the filings caused, also what was deferred past the moment they reached an inbox.
    meter = CpuMeter(system.process_roots(ctx.stack))
    meter.start()
    with ctx.step(f"filing -> inbox {rate}/s", seconds):
        run = ctx.load(_intake_url(ctx), rate=rate, duration=seconds, name=f"inbox-{run_no}-{rate}")
    left = backlog.snapshot(ctx.stack)  # at once, before anything else drains it
    ok = accepted(run.records)
    ids = [r.id for r in ok if r.id]
    with ctx.step(f"filing -> inbox {rate}/s: reading arrivals", 2):
        drain_s = inbox.wait_until_placed(ctx.stack, ids, ctx.plan.drain_timeout_s)
        cpu_to_inbox = meter.stop()
        _, unroutable = inbox.placed_count(ctx.stack, ids)
        figures = inbox.inbox_figures(ok, inbox.arrivals(ctx.stack, ids))
    with ctx.step(f"filing -> inbox {rate}/s: every consumer catching up", 10):
        caught_up_s, caught_up = backlog.wait_until_drained(ctx.stack, ctx.plan.settle_timeout_s)
        cpu = meter.stop()
    figures["unroutable"] = unroutable
    figures["missing"] -= unroutable  # placed in the triage queue is not missing
    figures["drain_s"] = drain_s
    return {
        "http": http_figures(run, rate=rate, duration=seconds),
        "inbox": figures,
        "backlog_at_start": before,
        "backlog_at_end": left,
        "settled_before_s": settle_s if settled else None,  # None: still busy after the timeout
        "caught_up_after_s": (drain_s + caught_up_s) if caught_up else None,  # after the load
        "cpu_s": cpu,
        "cpu_ms_per_complaint": _per_complaint_ms(cpu, len(ok)),
        "cpu_s_to_inbox": cpu_to_inbox,
        "cpu_ms_per_complaint_to_inbox": _per_complaint_ms(cpu_to_inbox, len(ok)),
    }


def ladder(ctx: Context, run_no: int) -> tuple[dict[str, Any], list[int]]:
    """Each offered rate in turn; once a step's complaints are not all placed within the
    drain timeout, higher rates would only pile onto that backlog: they are skipped."""
    steps: dict[str, Any] = {}
    for i, rate in enumerate(ctx.plan.rates):
        steps[str(rate)] = step = inbox_step(ctx, rate, run_no)
        if step["inbox"]["missing"] > 0:
            return steps, list(ctx.plan.rates[i + 1 :])
    return steps, []


def intake_alone(ctx: Context, run_no: int) -> dict[str, Any]:
    """Intake (with its outbox relay) far above capacity, routing and feedback not running;
    then they start and work off the backlog (how long that takes is recorded)."""
    rate, seconds = ctx.plan.capacity_rate, ctx.plan.capacity_s
    with ctx.step("starting intake", 5):
        system.start_services(ctx.stack, ("intake",))
    with ctx.step(f"intake alone: capacity ({rate}/s offered)", seconds):
        run, cpu = _metered_load(ctx, rate=rate, seconds=seconds, name=f"intake-{run_no}-capacity")
    figures = http_figures(run, rate=rate, duration=seconds)
    ids = [r.id for r in accepted(run.records) if r.id]
    with ctx.step("starting routing and feedback; routing works off the backlog", 15):
        started = time.monotonic()
        system.start_services(ctx.stack, ("routing", "feedback"))
        inbox.wait_until_placed(ctx.stack, ids, ctx.plan.drain_timeout_s)
        caught_up_s = round(time.monotonic() - started, 2)
    placed, _ = inbox.placed_count(ctx.stack, ids)
    return {
        **figures,
        "cpu_s": cpu,
        "cpu_ms_per_complaint": _per_complaint_ms(cpu, figures["accepted"]),
        "backlog_placed": placed,
        "backlog_worked_off_s": caught_up_s,  # includes starting both services
    }
