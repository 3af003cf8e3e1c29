"""docs/benchmarks.md from a results JSON: machine, command, date, each part's figures
(median of the runs that measured it, with min-max), the ratios to the baselines, the goals, and the plot."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

from bench import plot
from bench import report_analysis as a
from bench import report_runs as rr
from bench import report_scale as sc
from bench import report_tables as t
from bench.figures import across_runs, derived_across_runs
from bench.report_tables import cell

HOW_TO_RUN = (
    "`make bench` reruns everything (long; `python -m bench.run --full`); `make bench-smoke` runs each part "
    "for seconds. `--parts a,b,c` measures only some parts (baselines, intake_alone, filing, timers, replay, "
    "figures, hotspots, startup), `--runs N --scale-runs M` measures the parts at scale in the first M of N "
    "runs only, `--workers intake=2` gives a service more uvicorn workers, `--split-intake` (with `--parts "
    "filing`) runs intake's relay and status consumer in a process apart from its API, and `--report-from "
    "RAW.json` renders this page again from a raw file, e.g. a stopped run's (it is saved after every part)."
)

_METHOD = """\
How: one command starts Kafka, PostgreSQL and the three services as processes with the
repo's own launcher (as `make up` does; every guarantee on: outbox, acks=all, idempotent
consumers, fsync), measures the baselines with Huiyin's services stopped, then files
complaints at fixed rates with an open-loop generator (`bench/loadgen`, Go: a request is
due at its time whatever the server does; a send more than 10 ms behind schedule is
counted late, one more than 5 s behind is dropped, and latency counts from the scheduled
time). Bodies are points drawn uniformly over the demo city's jurisdictions, 30 % with a
named contact. When the load stops, the backlog is read (unpublished outbox rows,
consumer lag); then each complaint's inbox arrival is read from routing's database: the
commit time of its assignment row (PostgreSQL `track_commit_timestamp`), the transaction
that also arms its deadlines. Nothing polls during the load. Each step starts once the
work of the one before it is done (no unpublished outbox row, no consumer lag). Each run
starts on a fresh stack (empty databases and topics), so runs repeat one another (raw
files from before 2026-11-24 came from runs that shared one stack).

Two settings differ from `make up`, both for measuring: PostgreSQL records commit
timestamps, and intake's per-address filing throttle is off (all the load comes from
127.0.0.1). Figures drift about ±20 % between runs on shared machines, and more when other
work shares the cores (see "other load" below): compare the ratios, measured in one run."""


Lines = Callable[[], list[str]]


def _section(results: dict[str, Any], title: str, parts: tuple[str, ...], body: Lines) -> list[str]:
    """A part's section: how many runs its cells are the median of, then its figures (none
    when no run measured it)."""
    head = [f"## {title}", "", rr.over(results, *parts), ""]
    return head + ([*body(), ""] if any(rr.measured(results, p) for p in parts) else [])


def _ladder(results: dict[str, Any], png: str | None) -> list[str]:
    return [
        f"{results['plan']['step_s']:.0f} s per offered rate. *Reached inbox/s*: complaints whose assignment "
        "row (deadlines armed) committed, over the span from the first to the last such commit. "
        "*201→inbox*: from the client receiving the 201 to that commit. Backlog: at the moment the load stopped.", "",
        *t.filing(results), *t.skipped(results),
        *(["", f"![latency against offered load]({png})"] if png else []),
    ]  # fmt: skip


def _where(results: dict[str, Any]) -> list[str]:
    return [
        "Per complaint, from the same steps: the 201→inbox time split at the moment routing's handler "
        "took the batch (`routed_at`), and the CPU each process tree used from the step's first filing "
        "until every consumer had caught up (hot-spot detection and feedback's groups, which defer "
        "or lag at a peak, included), divided by the complaints accepted; *to inbox*: the same, all "
        "processes, only until the last complaint was in an inbox. *Caught up*: seconds after the load "
        "stopped until no consumer group had lag left. Machine busy: the share of both cores in use, "
        "by anything, over that span. Each step starts once everything before it was worked off.", "",
        *a.where(results),
    ]  # fmt: skip


def _ratios(results: dict[str, Any]) -> list[str]:
    return [
        "Each ratio is taken within a run, then the median (min–max) over the runs that have its figures.", "",
        *a.ratios(results),
    ]  # fmt: skip


def render(results: dict[str, Any], path: Path, raw: Path) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    png = path.with_name(path.stem + "-latency.png")
    plotted = rr.measured(results, "filing") or rr.measured(results, "baselines")
    if plotted:
        plot.latency_plot(rr.with_empty_parts(results, only_with_steps=True), png)
    parts = [
        "# Benchmarks", "",
        "Generated by `bench/run.py` from " f"`{raw.name}` (bench/results/, git-ignored). {HOW_TO_RUN}", "",
        _METHOD, "", "## Machine, command, date", "", *t.machine(results), "",
        *_section(results, "Baselines, in the same run", ("baselines",), lambda: t.baselines(results)),
        *_section(results, "Filing → inbox, end to end", ("filing",), lambda: _ladder(results, png.name if plotted else None)),
        *_section(results, "Where the time goes", ("filing",), lambda: _where(results)),
        *_section(results, "Ratios to the baselines and the goals", ("baselines", "intake_alone", "filing"),
                  lambda: _ratios(results)),
        *_section(results, "SLA timers at scale", ("timers",), lambda: sc.timers(results)),
        *_section(results, "Figures at scale", ("figures", "replay"), lambda: sc.figures(results)),
        *_section(results, "Hot-spot detection at scale", ("hotspots",), lambda: sc.hotspots(results)),
        *_section(results, "Start-up", ("startup",), lambda: sc.startup(results)),
        *_analysis(),
    ]  # fmt: skip
    path.write_text("\n".join(parts))


ANALYSIS = Path(__file__).with_name("analysis.md")


def _analysis() -> list[str]:
    """The written part (what bounds each figure, what was changed for it, from the
    profiles): kept in bench/analysis.md so regenerating the numbers keeps it."""
    if not ANALYSIS.exists():
        return []
    return ["", ANALYSIS.read_text().rstrip(), ""]


def summary_lines(results: dict[str, Any]) -> list[str]:
    d = derived_across_runs(rr.with_empty_parts(results)) if results["runs"] else {}
    lines = []
    if rr.measured(results, "baselines"):
        lines += [
            f"Kafka ProducerPerformance: {cell(across_runs(results, 'kafka_producer.records_per_s'))} records/s",
            f"pgbench: {cell(across_runs(results, 'pgbench.tps'))} tps",
            f"bare endpoint capacity: {cell(across_runs(results, 'bare.capacity.accepted_per_s'))} requests/s",
        ]
    if rr.measured(results, "intake_alone"):
        lines.append(
            f"intake alone capacity: {cell(across_runs(results, 'intake_alone.accepted_per_s'))} filings/s "
            f"({cell(d.get('intake_alone_vs_bare'), 2)} × bare)"
        )
    for rate in sorted({int(r) for run in results["runs"] for r in run.get("filing", {})}):
        f = f"filing.{rate}"
        lines.append(
            f"filing -> inbox at {rate}/s: {cell(across_runs(results, f'{f}.inbox.inbox_per_s'))} reached inbox/s, "
            f"201->inbox p50 {cell(across_runs(results, f'{f}.inbox.latency_ms.p50'), 1)} ms, "
            f"p99 {cell(across_runs(results, f'{f}.inbox.latency_ms.p99'), 1)} ms, "
            f"errors {cell(across_runs(results, f'{f}.http.errors'))}"
        )
    return lines + sc.summary(results)


def main() -> None:
    """`python -m bench.report RESULTS.json [REPORT.md]`: render again (e.g. after a crash)."""
    import json
    import sys

    raw = Path(sys.argv[1])
    out = Path(sys.argv[2]) if len(sys.argv) > 2 else raw.with_suffix(".md")
    render(json.loads(raw.read_text()), out, raw)
    print(out)


if __name__ == "__main__":
    main()
