"""SLA timers at scale: routing's scheduler (the real service, as the stack started it)
fires timers that were written into its tables, with many more pending; the firing lag is
read from the `sla` topic afterwards, routing's memory from its process tree."""

from __future__ import annotations

import asyncio
import time
from datetime import UTC, datetime, timedelta
from typing import Any

from aiokafka import ConsumerRecord

from bench import rss, sla_arm, sla_load, system, topic_read
from bench.context import Context
from bench.stats import distribution
from huiyin.events import decode_event
from huiyin.events import topics as t
from huiyin.events.sla import SlaBreached, SlaWarning

SETTLE_S = 3.0  # after a load, the scheduler's passes (≤ 1 s apart) have seen it
LEAD_S = 3.0  # the window opens this long after the due timers are committed
GRACE_S = 60.0  # how long after the window a late event is still waited for


def _lags(ctx: Context, start: topic_read.Offsets, due: list[sla_load.DueTimer]) -> dict[str, Any]:
    """Each due timer's lag: its due_at to the Kafka timestamp of the event it fired."""
    wanted = {(d.assignment_id, "warn" if d.kind == "ack_warn" else "breach"): d.due_at for d in due}
    lags: list[float] = []
    others = 0

    def on_record(r: ConsumerRecord[bytes, bytes]) -> bool:
        nonlocal others
        data = decode_event(r.value or b"").data
        if isinstance(data, SlaWarning | SlaBreached):
            key = (data.assignment_id, "warn" if isinstance(data, SlaWarning) else "breach")
            if key in wanted:
                due_at = wanted.pop(key)
                lags.append(r.timestamp - due_at.timestamp() * 1000)
                return not wanted
        others += 1
        return False

    topic = ctx.stack.config.topic_prefix + t.SLA
    asyncio.run(topic_read.read_from(ctx.stack.kafka.bootstrap_servers, topic, start,
                                     on_record=on_record, timeout_s=GRACE_S))  # fmt: skip
    return {
        "lag_ms": distribution(lags),
        "fired": len(lags),
        "not_fired": len(wanted),
        "other_records": others,
    }


def run_part(ctx: Context) -> dict[str, Any]:
    plan, dsn = ctx.plan, system.dsn(ctx.stack, "routing")
    pid = ctx.stack.service_pid("routing")
    if pid is None:
        raise RuntimeError("routing is not running: the timers part needs its scheduler")
    out: dict[str, Any] = {}
    far = datetime.now(UTC) + timedelta(days=1)  # nothing of the bulk falls due during the part
    with ctx.step(f"timers: {plan.timers_pending_small:,} pending, routing's memory", SETTLE_S + 5):
        sla_load.empty(dsn)
        sla_load.load_far(dsn, plan.timers_pending_small, start=far)
        time.sleep(SETTLE_S)
        out["pending_small"] = sla_load.pending(dsn)
        out["rss_small_mib"] = rss.peak_rss_mib(pid, seconds=3)
    bulk = plan.timers_pending - plan.timers_pending_small - 5 * plan.timers_due
    with ctx.step(f"timers: loading up to {plan.timers_pending:,} pending", plan.timers_pending / 40_000 + 2):
        started = time.monotonic()
        sla_load.load_far(dsn, max(bulk, 0), start=far)
        out["load_s"] = round(time.monotonic() - started, 1)
        out["claim_plan"] = sla_load.claim_plan(dsn, 200)
    window = plan.timers_window_s
    with ctx.step(f"timers: {plan.timers_due:,} due in a {window:.0f}-s window", LEAD_S + window + 5):
        topic = ctx.stack.config.topic_prefix + t.SLA
        start = asyncio.run(topic_read.end_offsets(ctx.stack.kafka.bootstrap_servers, topic))
        first_due = datetime.now(UTC) + timedelta(seconds=LEAD_S + 1)
        due = sla_load.load_due(dsn, plan.timers_due, first_due=first_due, window_s=window)
        out["pending_large"] = sla_load.pending(dsn)  # read before the window opens
        # Memory is sampled through the window (no DB reads until it is over).
        until_end = (first_due - datetime.now(UTC)).total_seconds() + window + 2
        out["rss_large_mib"] = rss.peak_rss_mib(pid, seconds=max(until_end, 1))
    with ctx.step("timers: reading the fired events from the sla topic", 3):
        out.update(_lags(ctx, start, due))
    with ctx.step(f"timers: arming {plan.timers_arm:,} through arm_cycles", plan.timers_arm / 5_000 + 2):
        out["arm"] = asyncio.run(sla_arm.arm(ctx.stack.database_url("routing"), timers=plan.timers_arm))
        sla_load.empty(dsn)  # the next parts (and runs) start without them
    return out
