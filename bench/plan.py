"""How much of each part a mode runs: --smoke (seconds, inside `make test`) or --full."""

from __future__ import annotations

from dataclasses import asdict, dataclass
from typing import Any


@dataclass(frozen=True)
class Plan:
    mode: str
    runs: int  # the report gives the median and the min-max over runs
    rates: tuple[int, ...]  # filing -> inbox: offered filings per second, one step each
    step_s: float
    capacity_rate: int  # offered far above what is served: accepted/s is then the capacity
    capacity_s: float
    bare_rates: tuple[int, ...]
    bare_step_s: float
    drain_timeout_s: float  # after a step, how long routing may take to place what was accepted
    settle_timeout_s: float  # how long every consumer may take to catch up (before and after a step)
    kafka_records: int
    pgbench_s: int
    pgbench_scale: int
    conns: int  # most requests in flight from the generator
    # SLA timers at scale (bench/parts/timers.py)
    timers_pending_small: int  # RSS is read with this many pending...
    timers_pending: int  # ...and with this many (the firing lag too)
    timers_due: int  # how many of them fall due inside one window
    timers_window_s: float
    timers_arm: int  # timers armed through the engine's arm path, timed
    # Figures at scale (bench/parts/figures.py)
    figures_complaints: int  # a year of read-model facts for this many complaints...
    figures_units: int  # ...over this many units
    figures_budget_s: float  # generation stops at the chunk that passes this (size reported)
    figures_requests: int  # requests per endpoint, one at a time
    replay_records: int  # the first records of the run's topics, replayed by rebuild
    # Hot-spot detection (bench/parts/hotspots.py)
    hotspots_stored: tuple[int, ...]  # sightings already in the window, one measurement each
    hotspots_complaints: int  # new complaints run through the handler per measurement
    hotspots_pool: int  # distinct texts the stored sightings are drawn from
    # Start-up (bench/parts/startup.py): a whole second stack, or (smoke) the services only
    startup_whole_stack: bool

    def bodies_needed(self) -> int:
        """Enough distinct bodies that no step files one twice (a repeat would be a duplicate)."""
        steps = [r * self.step_s for r in self.rates] + [self.capacity_rate * self.capacity_s]
        return int(max(steps)) + 1

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)


SMOKE = Plan(
    mode="smoke",
    runs=1,
    rates=(50,),
    step_s=3,
    capacity_rate=300,
    capacity_s=1.5,
    bare_rates=(50,),
    bare_step_s=2,
    drain_timeout_s=30,
    settle_timeout_s=60,
    kafka_records=20_000,
    pgbench_s=3,
    pgbench_scale=2,
    conns=64,
    timers_pending_small=2_000,
    timers_pending=20_000,
    timers_due=500,
    timers_window_s=3,
    timers_arm=3_000,
    figures_complaints=5_000,
    figures_units=200,
    figures_budget_s=60,
    figures_requests=20,
    replay_records=3_000,
    hotspots_stored=(0, 5_000),
    hotspots_complaints=500,
    hotspots_pool=500,
    startup_whole_stack=False,
)

FULL = Plan(
    mode="full",
    runs=3,
    # 750 beside the steps: the machine's limit lies between 500 and 1,000.
    rates=(100, 250, 500, 750, 1_000, 2_000),
    step_s=30,
    capacity_rate=4_000,
    capacity_s=10,
    bare_rates=(100, 250, 500, 1_000, 2_000),
    bare_step_s=10,
    drain_timeout_s=120,
    settle_timeout_s=300,
    kafka_records=1_000_000,
    pgbench_s=30,
    pgbench_scale=10,
    conns=512,
    timers_pending_small=10_000,
    timers_pending=1_000_000,
    timers_due=10_000,
    timers_window_s=10,
    timers_arm=100_000,
    figures_complaints=10_000_000,
    figures_units=200,
    figures_budget_s=300,
    figures_requests=200,
    replay_records=120_000,
    hotspots_stored=(0, 100_000, 1_000_000),
    hotspots_complaints=10_000,
    hotspots_pool=5_000,
    startup_whole_stack=True,
)


# The parts of a run, in the order they run. Start-up is last: it restarts things.
PARTS = ("baselines", "intake_alone", "filing", "timers", "replay", "figures", "hotspots", "startup")
# Measured on a system at scale (long in --full): `--scale-runs N` keeps them to the first N runs.
SCALE_PARTS = frozenset({"timers", "replay", "figures", "hotspots", "startup"})
# Need the three services running (intake_alone starts them itself, from stopped).
NEEDS_SERVICES = frozenset({"filing"}) | SCALE_PARTS
# Need the services stopped first: baselines must not share the cores, intake must be alone.
NEEDS_STOPPED = frozenset({"baselines", "intake_alone"})
# The key a part writes into its run's dict first (to tell what a run measured in files
# from before runs recorded `parts_done`).
FIRST_KEY = {"baselines": "kafka_producer", **{p: p for p in PARTS if p != "baselines"}}


def parts_for_run(selected: tuple[str, ...], run_no: int, scale_runs: int | None) -> tuple[str, ...]:
    """The selected parts that run number `run_no` (from 1) measures, in run order."""
    return tuple(
        p
        for p in PARTS
        if p in selected and (p not in SCALE_PARTS or scale_runs is None or run_no <= scale_runs)
    )


def parts_done(run: dict[str, Any]) -> tuple[str, ...]:
    """The parts a run of a raw results file finished."""
    if "parts_done" in run:
        return tuple(run["parts_done"])
    return tuple(p for p in PARTS if FIRST_KEY[p] in run)


def schedule(
    runs: int, selected: tuple[str, ...], scale_runs: int | None
) -> list[tuple[int, tuple[str, ...]]]:
    """(run number, its parts) for each of `runs` runs that has a part to measure."""
    every = [(n, parts_for_run(selected, n, scale_runs)) for n in range(1, runs + 1)]
    return [(n, parts) for n, parts in every if parts]


def steps(plan: Plan, parts: tuple[str, ...]) -> int:
    """How many progress steps a run of `parts` shows (the overall bar's length)."""
    per_part = {
        "baselines": 3 + len(plan.bare_rates),
        "intake_alone": 3,
        "filing": 4 * len(plan.rates),
        "timers": 5,
        "replay": 1,
        "figures": 3,
        "hotspots": 2 * len(plan.hotspots_stored),
        "startup": 2 if plan.startup_whole_stack else 1,
    }
    # + one to start the services when no intake_alone part starts them
    starts = bool(NEEDS_SERVICES & set(parts)) and "intake_alone" not in parts
    return sum(per_part[p] for p in parts) + starts
