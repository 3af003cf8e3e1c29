"""The report's sections for the parts at scale: SLA timers, figures, start-up (pure:
results dict in, markdown lines out; each cell the median (min–max) over the runs
that measured it)."""

from __future__ import annotations

from typing import Any

from bench.figures import across_runs
from bench.report_runs import measured
from bench.report_tables import cell
from bench.stats import dig, spread

TIMERS_METHOD = """\
How: routing's SLA tables are emptied (the filing steps' cycles; nothing reads them
afterwards), then pending timers are written straight into them in the shape the engine
writes (one `sla_cycles` row with the default `normal` policy's snapshot, and each
deadline's next step pending: two warnings per cycle), far in the future, with set-based
INSERTs, and ANALYZE is run as autovacuum would. Then the due cycles: half whose ack
warning and half whose ack breach (with its level-1 escalation) falls due (each firing also
arms the step after it), spread evenly over one window that opens 4 s after they are
committed. The routing service's own scheduler loop fires them; nothing reads the database
during the window. Afterwards the `sla` topic is read from the offsets it had before:
lag = the Kafka record's timestamp (set as the relay hands it to the producer) − due_at.
Memory: the RSS of routing's process tree (psutil), the peak of samples every 0.5 s, with
the small count pending (over 3 s) and through the window with the large count pending.
Arming: `routing.sla.service.arm_cycles` called in this process against routing's
database, 500 cycles (a consumer batch, two timers each) per transaction, mixed
categories, 10 % urgent;
timed are the policy and calendar work, the inserts and the commit; not the Kafka
consumption or the assignment rows of routing's real consumer."""

FIGURES_METHOD = """\
How: feedback's read-model tables are emptied and a year of facts (up to now) is written
into them for generated complaints over 200 units in ten districts, chunk by chunk with
set-based SQL (`bench/readmodel_sql.py`): raw columns as the consumers write them, derived
ones (outcome, counted day, pending) by the read model's rules. Generation stops at the
chunk that passes the time budget, and the size reached is what is reported. The daily
counters are then counted by the read model's own rollup (its `recount`, the same rules
its consumers keep the counters by) for every bucket that holds a fact, and ANALYZE is run. The
two reads go through HTTP to the running feedback service with a supervision (city-wide)
token, for the last whole month, one request at a time after 5 warm-up requests.
Rebuild by replay: the first records of every partition of the run's own topics (events the
real services produced during the run, about the same share of each) are copied unchanged
under a fresh topic prefix and `rebuild_read_model` replays them into an empty scratch
feedback database; records read ÷ its wall time."""

STARTUP_METHOD = """\
How: a second stack with its own ports and data dir (the measured one stays up, idle)
goes through `Stack.up`'s steps, what `make up` runs, each timed: PostgreSQL and Kafka
started, then the databases, migrations, topics and demo data, then the three services
started together, each timed until its `/ready` answers 200. Warm caches: the Kafka jars
and the venv are already there. First on an empty data dir, then again on the data dir it
left (no initdb, migrations already applied). `--smoke` only stops the measured stack's
three services and times them back to ready."""


def _c(results: dict[str, Any], path: str, digits: int = 0) -> str:
    return cell(across_runs(results, path), digits)


def _growth(results: dict[str, Any]) -> str:
    values: list[float | None] = []
    for r in results["runs"]:
        large = dig(r, "timers.rss_large_mib")
        values.append(None if large is None else large - (dig(r, "timers.rss_small_mib") or 0))
    return cell(spread(values), 1)


def timers(results: dict[str, Any]) -> list[str]:
    p = results["plan"]
    small, large = _c(results, "timers.pending_small"), _c(results, "timers.pending_large")
    return [
        TIMERS_METHOD, "",
        "| figure | value | goal |", "| --- | --- | --- |",
        f"| firing lag (due → event on Kafka), {_c(results, 'timers.fired')} due in {p['timers_window_s']:.0f} s, "
        f"{large} pending: p50 / p99 / max | {_c(results, 'timers.lag_ms.p50')} / {_c(results, 'timers.lag_ms.p99')} / "
        f"{_c(results, 'timers.lag_ms.max')} ms | p99 ≤ 1,000 ms |",
        f"| due timers never fired (within 60 s of the window) | {_c(results, 'timers.not_fired')} | 0 |",
        f"| routing RSS with {small} pending | {_c(results, 'timers.rss_small_mib', 1)} MiB | |",
        f"| routing RSS with {large} pending (through the window) | {_c(results, 'timers.rss_large_mib', 1)} MiB | |",
        f"| growth of routing's RSS from the small to the large count | {_growth(results)} MiB | does not grow with the number pending |",
        f"| time to arm 100,000 timers (from {_c(results, 'timers.arm.timers')} armed through `arm_cycles`) | "
        f"{_c(results, 'timers.arm.seconds_per_100k', 1)} s ({_c(results, 'timers.arm.timers_per_s')} timers/s) | |",
        f"| cycles (complaints' deadline pairs) armed per second, from {_c(results, 'timers.arm.cycles')} "
        f"(runs before session 10 armed about six timers per cycle, later ones two) | {_c(results, 'timers.arm.cycles_per_s')} /s | |",
        f"| loading the bulk of pending timers with set-based INSERTs (harness, not Huiyin) | {_c(results, 'timers.load_s', 1)} s | |",
        "", "The scheduler's claim query at the large count (EXPLAIN, the first run that measured it):", "", "```",
        *(next((r["timers"]["claim_plan"] for r in results["runs"] if r.get("timers", {}).get("claim_plan")), ["not measured"])), "```",
    ]  # fmt: skip


def figures(results: dict[str, Any]) -> list[str]:
    size = _c(results, "figures.data.complaints")
    return [
        FIGURES_METHOD, "",
        "| figure | value | goal |", "| --- | --- | --- |",
        f"| complaints in the read model (a year, {results['plan']['figures_units']} units; planned "
        f"{results['plan']['figures_complaints']:,}, budget {results['plan']['figures_budget_s']:.0f} s) | {size} | 10,000,000 |",
        f"| obligation facts / daily counter rows | {_c(results, 'figures.data.rows.fb_rm_obligation')} / "
        f"{_c(results, 'figures.data.rows.fb_rm_daily')} | |",
        f"| generating the facts / the daily counters (harness, through the read model's rollup) | "
        f"{_c(results, 'figures.data.facts_s', 1)} s / {_c(results, 'figures.data.rollup_s', 1)} s | |",
        f"| `GET /api/v1/rankings?period=month` p50 / p99 | {_c(results, 'figures.rankings.latency_ms.p50', 1)} / "
        f"{_c(results, 'figures.rankings.latency_ms.p99', 1)} ms | p99 ≤ 100 ms |",
        f"| `GET /api/v1/metrics/units?period=month` p50 / p99 | {_c(results, 'figures.unit_metrics.latency_ms.p50', 1)} / "
        f"{_c(results, 'figures.unit_metrics.latency_ms.p99', 1)} ms | p99 ≤ 100 ms |",
        f"| rebuild by replay: records replayed / rate | {_c(results, 'replay.records')} / "
        f"{_c(results, 'replay.events_per_s')} events/s | |",
    ]  # fmt: skip


def startup(results: dict[str, Any]) -> list[str]:
    lines = [STARTUP_METHOD, "", "| start | total (s) | PostgreSQL + Kafka | schema, topics, demo data | "
             "services to ready | intake | routing | feedback |", "| " + " | ".join(["---"] * 8) + " |"]  # fmt: skip
    for key, label in (("fresh", "`make up`, empty data dir"), ("again", "`make up` again, data dir kept"),
                       ("services_only", "the three services only (smoke)")):  # fmt: skip
        if across_runs(results, f"startup.{key}.services_s") is None:
            continue
        cells = [
            _c(results, f"startup.{key}.{f}", 1) for f in ("total_s", "infra_s", "prepare_s", "services_s")
        ]
        cells += [
            _c(results, f"startup.{key}.service_ready_s.{s}", 1) for s in ("intake", "routing", "feedback")
        ]
        lines.append(f"| {label} | " + " | ".join(cells) + " |")
    return lines


def summary(results: dict[str, Any]) -> list[str]:
    """One line per part at scale that some run measured."""
    lines = {
        "timers": f"SLA timers: {_c(results, 'timers.pending_large')} pending, lag p99 {_c(results, 'timers.lag_ms.p99')} ms, "
        f"RSS {_c(results, 'timers.rss_small_mib', 1)} -> {_c(results, 'timers.rss_large_mib', 1)} MiB, "
        f"arm 100k in {_c(results, 'timers.arm.seconds_per_100k', 1)} s",
        "figures": f"figures over {_c(results, 'figures.data.complaints')} complaints: rankings p99 "
        f"{_c(results, 'figures.rankings.latency_ms.p99', 1)} ms, monthly unit metrics p99 "
        f"{_c(results, 'figures.unit_metrics.latency_ms.p99', 1)} ms",
        "replay": f"rebuild by replay: {_c(results, 'replay.events_per_s')} events/s",
        "startup": _startup_line(results),
        "hotspots": hotspots_summary(results),
    }
    return [line for part, line in lines.items() if measured(results, part)]


def _startup_line(results: dict[str, Any]) -> str:
    if across_runs(results, "startup.fresh.total_s") is not None:
        return (
            f"start-up: make up {_c(results, 'startup.fresh.total_s', 1)} s on an empty data dir, "
            f"{_c(results, 'startup.again.total_s', 1)} s again"
        )
    return f"start-up: the three services to ready in {_c(results, 'startup.services_only.services_s', 1)} s"


HOTSPOTS_METHOD = """\
How: a scratch routing database on the stack's PostgreSQL (migrated, seeded with the demo
city; the running services never see it) is loaded, for each stored size, with that many
sightings spread uniformly over the window before now and over the city, in the shape
detection writes them (fingerprint, LSH keys for the place, no group) with set-based
INSERTs from a pool of fingerprinted texts, then ANALYZEd. The texts are recombined from
the labelled set's clauses (tests/data/hotspots), in its category mix. Then new complaints
(other recombined texts, uniform points, submitted now) go through the real handler
`routing.hotspots.detect.detect_hotspots` in this process, in batches of 500 (the
consumer's batch size), one transaction each, after one warm-up batch. Not included:
reading from Kafka, decoding, recording processed event ids. Python CPU is this process's
CPU time; PostgreSQL CPU that of its whole process tree (psutil), so autovacuum or other
databases' work in the same seconds counts too."""


def hotspots(results: dict[str, Any]) -> list[str]:
    sizes = results.get("plan", {}).get("hotspots_stored") or []
    lines = [
        HOTSPOTS_METHOD, "",
        "| stored in the window | LSH key rows | complaints/s | Python CPU ms / complaint | "
        "PostgreSQL CPU ms / complaint | goal |",
        "| --- | --- | --- | --- | --- | --- |",
    ]  # fmt: skip
    for size in sizes:
        p = f"hotspots.by_stored.{size}"
        lines.append(
            f"| {size:,} | {_c(results, p + '.key_rows')} | {_c(results, p + '.complaints_per_s')} | "
            f"{_c(results, p + '.python_cpu_ms', 3)} | {_c(results, p + '.postgres_cpu_ms', 3)} | "
            "flat in the stored count |"
        )
    return lines


def hotspots_summary(results: dict[str, Any]) -> str:
    sizes = results.get("plan", {}).get("hotspots_stored") or []
    parts = [
        f"{size:,} stored: {_c(results, f'hotspots.by_stored.{size}.complaints_per_s')}/s, "
        f"{_c(results, f'hotspots.by_stored.{size}.python_cpu_ms', 3)} + "
        f"{_c(results, f'hotspots.by_stored.{size}.postgres_cpu_ms', 3)} ms CPU"
        for size in sizes
    ]
    return "hot-spot detection: " + "; ".join(parts)
