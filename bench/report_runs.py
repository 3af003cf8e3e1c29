"""Which runs measured which part (`--parts`, `--scale-runs`, a run killed midway), said in
the report beside each part's figures: a cell is the median over the runs that have it."""

from __future__ import annotations

from typing import Any

from bench.plan import PARTS, parts_done

LABELS = {
    "baselines": "baselines",
    "intake_alone": "intake alone",
    "filing": "filing ladder",
    "timers": "SLA timers",
    "replay": "rebuild by replay",
    "figures": "figures",
    "hotspots": "hot spots",
    "startup": "start-up",
}


def runs_with(results: dict[str, Any], part: str) -> list[int]:
    """The numbers of the runs that finished `part`."""
    return [run.get("run", n) for n, run in enumerate(results["runs"], 1) if part in parts_done(run)]


def measured(results: dict[str, Any], part: str) -> bool:
    return bool(runs_with(results, part))


def over(results: dict[str, Any], *parts: str) -> str:
    """One sentence: how many runs the figures of `parts` are the median of (parts measured
    in the same runs are named together)."""
    groups: dict[tuple[int, ...], list[str]] = {}
    for part in parts:
        groups.setdefault(tuple(runs_with(results, part)), []).append(LABELS[part])
    said = []
    for runs, labels in groups.items():
        if not runs:
            said.append(f"{', '.join(labels)}: not measured in this run")
        elif len(runs) == 1:
            said.append(f"{', '.join(labels)}: measured once (run {runs[0]}), each cell its value")
        else:
            listed = ", ".join(map(str, runs))
            said.append(f"{', '.join(labels)}: median (min–max) over {len(runs)} runs ({listed})")
    return "*" + "; ".join(said) + ".*"


def per_part(results: dict[str, Any]) -> str:
    """For the machine table: each part and the number of runs that measured it."""
    counts = [f"{LABELS[p]} {len(runs_with(results, p))}" for p in PARTS if measured(results, p)]
    return ", ".join(counts) or "none"


def status(results: dict[str, Any]) -> str:
    """Whether the run ended, and if not, where it stopped (a report from a killed run's file)."""
    failed = [
        (run.get("run", n), run["failed"]) for n, run in enumerate(results["runs"], 1) if run.get("failed")
    ]
    if failed:
        run_no, f = failed[0]
        return f"stopped in run {run_no}, part {f['part']}: {f['error']}"
    if "finished_at" not in results:
        return f"killed; the file was last saved at {results.get('saved_at', '?')}"
    return "finished"


def with_empty_parts(results: dict[str, Any], *, only_with_steps: bool = False) -> dict[str, Any]:
    """A copy whose runs without the ladder or the bare endpoint have them empty, for the
    code that reads every run's steps (the plot, the ratios): no steps, no figures.
    `only_with_steps` leaves out the runs that have neither (the plot counts its runs)."""
    runs = [
        {**run, "filing": run.get("filing", {}), "bare": run.get("bare", {"steps": {}})}
        for run in results["runs"]
        if not only_with_steps or "filing" in run or "bare" in run
    ]
    return {**results, "runs": runs}
