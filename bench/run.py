"""`python -m bench.run --smoke | --full | --report-from RAW.json`: measure, keep, report.

One command, one run of the whole system: Kafka + PostgreSQL + the three services started
by the repo's launcher, the baselines measured in the same run, then Huiyin. Each run
starts a fresh stack (empty databases and topics), so runs repeat one another. Raw results
go to bench/results/<timestamp>-<mode>.json, rewritten whole (temp file + rename) after
every part of every run: each run lists the parts it finished (`parts_done`) and the part
that failed (`failed`), so a run that fails or is killed keeps what it measured. --full
renders docs/benchmarks.md (and its plot), --smoke renders beside its JSON so `make test`
never rewrites the docs.

  --parts a,b,c      only these parts, always in this order: baselines, intake_alone,
                     filing, timers, replay, figures, hotspots, startup (start-up last: it
                     restarts things). Services are started for the parts that need them.
  --runs N           runs instead of the plan's (3 in --full, 1 in --smoke).
  --scale-runs N     the parts at scale (timers, replay, figures, hotspots, startup) only
                     in the first N runs; the report says how many runs each part had.
  --report-from RAW  render the report of an existing raw file (e.g. a killed run's)
                     without measuring; --report chooses where (default as above).

E.g. `python -m bench.run --full --runs 3 --scale-runs 1`: baselines, intake alone and the
ladder three times, the parts at scale once. Exit status 1 when a part produced no numbers
(or, in --smoke, lost a complaint), failed or did not finish.
"""

from __future__ import annotations

import argparse
import json
import os
import shlex
import signal
import sys
import tempfile
from collections.abc import Callable
from contextlib import ExitStack
from datetime import UTC, datetime
from pathlib import Path
from types import FrameType
from typing import Any

from rich.console import Console

from bench import bodies, loadgen, machine, system
from bench.checks import problems
from bench.context import Context
from bench.parts import baselines, figures, filing, hotspots, startup, timers
from bench.plan import FULL, NEEDS_SERVICES, NEEDS_STOPPED, PARTS, SMOKE, Plan, schedule, steps
from bench.progress import StepProgress
from bench.report import render, summary_lines
from huiyin.devstack.stack import SERVICES

RESULTS = Path(__file__).resolve().parent / "results"
DOCS = Path(__file__).resolve().parents[1] / "docs"
console = Console()

Part = Callable[[Context, int], dict[str, Any]]


def _filing(ctx: Context, run_no: int) -> dict[str, Any]:
    ladder, skipped = filing.ladder(ctx, run_no)
    return {"filing": ladder, "skipped_rates": skipped}


RUNNERS: dict[str, Part] = {
    "baselines": lambda ctx, n: {
        "kafka_producer": baselines.kafka_producer(ctx),
        "pgbench": baselines.postgres_pgbench(ctx),
        "bare": baselines.bare_endpoint(ctx, n),
    },
    # Intake alone, then routing and feedback start and work off what it accepted: that
    # catch-up is also the warm-up (consumers joined, caches filled) for the ladder.
    "intake_alone": lambda ctx, n: {"intake_alone": filing.intake_alone(ctx, n)},
    "filing": _filing,
    "timers": lambda ctx, n: {"timers": timers.run_part(ctx)},
    "replay": lambda ctx, n: {"replay": figures.replay(ctx, n)},
    "figures": lambda ctx, n: {"figures": figures.run_part(ctx)},
    "hotspots": lambda ctx, n: {"hotspots": hotspots.run_part(ctx)},
    "startup": lambda ctx, n: {"startup": startup.run_part(ctx)},
}


def _parts(spec: str) -> tuple[str, ...]:
    names = [s.strip() for s in spec.split(",") if s.strip()]
    unknown = [n for n in names if n not in PARTS]
    if unknown or not names:
        raise argparse.ArgumentTypeError(
            f"unknown part(s) {', '.join(map(repr, unknown)) or '(none given)'}; the parts: {','.join(PARTS)}"
        )
    return tuple(p for p in PARTS if p in names)  # run order, whatever the order given


def _positive(text: str) -> int:
    if not text.isdigit() or int(text) < 1:
        raise argparse.ArgumentTypeError(f"a whole number of runs, at least 1; got {text!r}")
    return int(text)


def _workers(spec: str) -> dict[str, int]:
    out = {}
    for item in filter(None, (s.strip() for s in spec.split(","))):
        name, _, n = item.partition("=")
        if name not in SERVICES or not n.isdigit() or int(n) < 1:
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
    mode.add_argument("--report-from", type=Path, metavar="RAW", help="render the report of a raw JSON")
    p.add_argument("--parts", type=_parts, help=f"only these parts, comma-separated: {','.join(PARTS)}")
    p.add_argument("--runs", type=_positive, help="override the number of runs")
    p.add_argument(
        "--scale-runs", type=_positive, metavar="N", help="the parts at scale in the first N runs only"
    )
    p.add_argument(
        "--workers", type=_workers, default={}, help="uvicorn workers, e.g. intake=2 (default 1 each)"
    )
    p.add_argument(
        "--split-intake",
        action="store_true",
        help="intake's API process(es) without relay and consumer, which run in a second intake "
        "process (with --parts filing only)",
    )
    p.add_argument("--report", type=Path, help="where to write the markdown report")
    args = p.parse_args(argv)
    if args.split_intake and args.parts != ("filing",):
        p.error("--split-intake needs --parts filing (the other parts stop and start intake as one process)")
    if args.report_from and (args.parts or args.runs or args.scale_runs or args.workers):
        p.error("--report-from only renders: --parts, --runs, --scale-runs and --workers are for measuring")
    args.parts = args.parts or PARTS
    return args


def save_json(path: Path, data: dict[str, Any]) -> None:
    """Write `data` to `path` whole or not at all: a kill mid-write leaves the previous version."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=path.name + ".", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as f:
            json.dump(data, f, indent=1, ensure_ascii=False)
            f.flush()
            os.fsync(f.fileno())
        os.chmod(tmp, 0o644)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def _ensure_services(ctx: Context) -> None:
    down = tuple(s for s in SERVICES if ctx.stack.service_pid(s) is None)
    if down:
        with ctx.step(f"starting {', '.join(down)}", 15):
            system.start_services(ctx.stack, down, split_intake=ctx.split_intake)


def one_run(ctx: Context, run: dict[str, Any], parts: tuple[str, ...], save: Callable[[], None]) -> None:
    """Measure `parts` into `run`, saving after each. A failing part is recorded, then raised."""
    if NEEDS_STOPPED & set(parts):  # baselines: nothing else on the cores; intake: alone
        for service in SERVICES:
            ctx.stack.stop_service(service)
    for part in parts:
        try:
            if part in NEEDS_SERVICES:
                _ensure_services(ctx)
            run.update(RUNNERS[part](ctx, run["run"]))
        except BaseException as exc:  # KeyboardInterrupt and SIGTERM too: the file says where it stopped
            run["failed"] = {"part": part, "error": f"{type(exc).__name__}: {exc}"}
            raise
        run["parts_done"].append(part)
        save()


def measure(plan: Plan, args: argparse.Namespace, results: dict[str, Any], save: Callable[[], None]) -> None:
    """Each run on a fresh stack (Kafka, PostgreSQL, the services), so runs are repetitions
    of one another: a run never starts with what an earlier run stored (complaints, hot-spot
    sightings, the day's counters)."""
    generator, results["generator"] = loadgen.command()
    runs = schedule(plan.runs, args.parts, args.scale_runs)
    total = 1 + len(runs) + sum(steps(plan, parts) for _, parts in runs)
    with ExitStack() as scope:
        work = Path(scope.enter_context(tempfile.TemporaryDirectory(prefix="huiyin-bench-work-")))
        work.chmod(0o711)  # start-up's second stack runs PostgreSQL as huiyin-pg under it
        progress = scope.enter_context(StepProgress(console, total_steps=total))
        body_file = work / "bodies.jsonl"
        for run_no, parts in runs:
            with ExitStack() as run_scope:
                with progress.step(f"run {run_no}: starting Kafka and PostgreSQL, migrations, demo data", 25):
                    stack = run_scope.enter_context(system.infrastructure(results["workers"]))
                if not body_file.exists():
                    with progress.step("writing filing bodies over the demo city", 2):
                        results["bodies"] = bodies.write_bodies(
                            system.dsn(stack, "routing"), plan.bodies_needed(), body_file
                        )
                ctx = Context(
                    stack,
                    plan,
                    generator,
                    body_file,
                    work,
                    results["workers"],
                    progress.step,
                    args.split_intake,
                )
                results["runs"].append(run := {"run": run_no, "parts_done": []})
                one_run(ctx, run, parts, save)


def _terminated(signum: int, frame: FrameType | None) -> None:
    raise SystemExit(f"terminated by signal {signum}")  # unwinds: the stack stops, the file is saved


def _now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")


def report(results: dict[str, Any], raw: Path, out: Path | None) -> int:
    path = out or (DOCS / "benchmarks.md" if results["mode"] == "full" else raw.with_suffix(".md"))
    render(results, path, raw)
    console.print(f"report: {path}")
    for line in summary_lines(results):
        console.print(line)
    found = problems(results)
    for p in found:
        console.print(f"[red]FAILED[/] {p}")
    return 1 if found else 0


def main(argv: list[str] | None = None) -> int:
    args = _args(argv)
    if args.report_from:
        return report(json.loads(args.report_from.read_text()), args.report_from, args.report)
    plan = FULL if args.full else SMOKE
    if args.runs:
        plan = Plan(**{**plan.as_dict(), "runs": args.runs})
    started = datetime.now(UTC)
    results: dict[str, Any] = {
        "mode": plan.mode,
        "command": "python -m bench.run " + shlex.join(sys.argv[1:] if argv is None else argv),
        "started_at": started.isoformat(timespec="seconds"),
        "machine": machine.facts(),
        "background_load": machine.background_load(),
        "plan": plan.as_dict(),
        "parts": list(args.parts),
        "scale_runs": args.scale_runs,
        "workers": {"intake": 1, "routing": 1, "feedback": 1, **args.workers},
        "split_intake": args.split_intake,
        "runs": [],
    }
    raw = RESULTS / f"{started:%Y%m%dT%H%M%SZ}-{plan.mode}.json"

    def save() -> None:
        results["saved_at"] = _now()
        save_json(raw, results)

    save()
    console.print(f"raw results (saved after every part): {raw}")
    signal.signal(signal.SIGTERM, _terminated)
    try:
        measure(plan, args, results, save)
    finally:
        results["finished_at"] = _now()
        save()
    return report(results, raw, args.report)


if __name__ == "__main__":
    sys.exit(main())
