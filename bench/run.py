"""`python -m bench.run --smoke | --full`: measure, write raw results and the report.

One command, one run of the whole system: Kafka + PostgreSQL + the three services started
by the repo's launcher, the baselines measured in the same run, then Huiyin. Raw results
go to bench/results/<timestamp>-<mode>.json; --full renders docs/benchmarks.md (and its
plot), --smoke renders beside its JSON so `make test` never rewrites the docs.
Exit status 1 when a part produced no numbers (or, in --smoke, lost a complaint).
"""

from __future__ import annotations

import argparse
import json
import shlex
import sys
import tempfile
from contextlib import ExitStack
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from rich.console import Console

from bench import bodies, loadgen, machine, system
from bench.checks import problems
from bench.context import Context
from bench.parts import baselines, figures, filing, hotspots, startup, timers
from bench.plan import FULL, SMOKE, Plan
from bench.progress import StepProgress
from bench.report import render, summary_lines

RESULTS = Path(__file__).resolve().parent / "results"
DOCS = Path(__file__).resolve().parents[1] / "docs"
console = Console()


def _workers(spec: str) -> dict[str, int]:
    out = {}
    for item in filter(None, (s.strip() for s in spec.split(","))):
        name, _, n = item.partition("=")
        if name not in ("intake", "routing", "feedback") or not n.isdigit() or int(n) < 1:
            raise argparse.ArgumentTypeError(
                f"--workers takes service=N items, e.g. intake=2,routing=1; got {item!r}"
            )
        out[name] = int(n)
    return out


def _args(argv: list[str] | None) -> argparse.Namespace:
    p = argparse.ArgumentParser(prog="python -m bench.run", description=__doc__.split("\n\n")[0])
    mode = p.add_mutually_exclusive_group(required=True)
    mode.add_argument("--smoke", action="store_true", help="every part for a few seconds (make test)")
    mode.add_argument("--full", action="store_true", help="the whole benchmark, 3 runs (make bench)")
    p.add_argument(
        "--workers",
        type=_workers,
        default={},
        help="uvicorn workers, e.g. intake=2 (default 1 each, as make up)",
    )
    p.add_argument("--runs", type=int, help="override the number of runs")
    p.add_argument("--report", type=Path, help="where to write the markdown report")
    return p.parse_args(argv)


def one_run(ctx: Context, run_no: int) -> dict[str, Any]:
    # Baselines first, with Huiyin's services stopped, so nothing else competes for the cores.
    for service in ("intake", "routing", "feedback"):
        ctx.stack.stop_service(service)
    out: dict[str, Any] = {
        "kafka_producer": baselines.kafka_producer(ctx),
        "pgbench": baselines.postgres_pgbench(ctx),
        "bare": baselines.bare_endpoint(ctx, run_no),
    }
    # Intake alone, then routing and feedback start and work off what it accepted: that
    # catch-up is also the warm-up (consumers joined, caches filled) for the ladder.
    out["intake_alone"] = filing.intake_alone(ctx, run_no)
    out["filing"], out["skipped_rates"] = filing.ladder(ctx, run_no)
    # Then the parts at scale, on the same running system; start-up last (it restarts things).
    out["timers"] = timers.run_part(ctx)
    out["replay"] = figures.replay(ctx, run_no)
    out["figures"] = figures.run_part(ctx)
    out["hotspots"] = hotspots.run_part(ctx)
    out["startup"] = startup.run_part(ctx)
    return out


def measure(plan: Plan, workers: dict[str, int], results: dict[str, Any]) -> None:
    generator, results["generator"] = loadgen.command()
    with ExitStack() as scope:
        work = Path(scope.enter_context(tempfile.TemporaryDirectory(prefix="huiyin-bench-work-")))
        progress = scope.enter_context(StepProgress(console, total_steps=_steps(plan)))
        with progress.step("starting Kafka and PostgreSQL, migrations, demo data", 25):
            stack = scope.enter_context(system.infrastructure(workers))
        body_file = work / "bodies.jsonl"
        with progress.step("writing filing bodies over the demo city", 2):
            results["bodies"] = bodies.write_bodies(
                system.dsn(stack, "routing"), plan.bodies_needed(), body_file
            )
        ctx = Context(stack, plan, generator, body_file, work, workers, progress.step)
        for run_no in range(1, plan.runs + 1):
            results["runs"].append(one_run(ctx, run_no))


def _steps(plan: Plan) -> int:
    per_run = 3 + len(plan.bare_rates) + 4 + 2 * len(plan.rates)
    per_run += 5 + 4 + (2 if plan.startup_whole_stack else 1)  # timers, figures, start-up
    per_run += 2 * len(plan.hotspots_stored)
    return 2 + plan.runs * per_run


def main(argv: list[str] | None = None) -> int:
    args = _args(argv)
    plan = FULL if args.full else SMOKE
    if args.runs:
        plan = Plan(**{**plan.as_dict(), "runs": args.runs})
    workers = {"intake": 1, "routing": 1, "feedback": 1, **args.workers}
    started = datetime.now(UTC)
    results: dict[str, Any] = {
        "mode": plan.mode,
        "command": "python -m bench.run " + shlex.join(sys.argv[1:] if argv is None else argv),
        "started_at": started.isoformat(timespec="seconds"),
        "machine": machine.facts(),
        "background_load": machine.background_load(),
        "plan": plan.as_dict(),
        "workers": workers,
        "runs": [],
    }
    try:
        measure(plan, workers, results)
    finally:
        results["finished_at"] = datetime.now(UTC).isoformat(timespec="seconds")
        RESULTS.mkdir(exist_ok=True)
        raw = RESULTS / f"{started:%Y%m%dT%H%M%SZ}-{plan.mode}.json"
        raw.write_text(json.dumps(results, indent=1, ensure_ascii=False))
        console.print(f"raw results: {raw}")
    report = args.report or (DOCS / "benchmarks.md" if plan.mode == "full" else raw.with_suffix(".md"))
    render(results, report, raw)
    console.print(f"report: {report}")
    for line in summary_lines(results):
        console.print(line)
    found = problems(results)
    for p in found:
        console.print(f"[red]FAILED[/] {p}")
    return 1 if found else 0


if __name__ == "__main__":
    sys.exit(main())
