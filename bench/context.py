"""What every part of a run needs: the running system, the plan, the generator, the bodies."""

from __future__ import annotations

from collections.abc import Callable
from contextlib import AbstractContextManager
from dataclasses import dataclass
from pathlib import Path

from bench import loadgen
from bench.plan import Plan
from huiyin.devstack.stack import Stack

# step(name, expected seconds) -> a context manager that shows the step's progress
StepFn = Callable[[str, float], AbstractContextManager[None]]


@dataclass
class Context:
    stack: Stack
    plan: Plan
    generator: list[str]
    bodies: Path
    workdir: Path
    workers: dict[str, int]
    step: StepFn
    split_intake: bool = False  # intake's relay and consumer in a process of their own

    def load(self, url: str, *, rate: float, duration: float, name: str) -> loadgen.LoadRun:
        return loadgen.run(
            self.generator,
            url=url,
            bodies=self.bodies,
            rate=rate,
            duration=duration,
            conns=self.plan.conns,
            out=self.workdir / f"{name}.tsv",
        )
