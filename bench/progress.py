"""A rich progress display of the run: one bar for the steps, one for the current step."""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from types import TracebackType

from rich.console import Console
from rich.progress import BarColumn, Progress, TextColumn, TimeElapsedColumn


class StepProgress:
    def __init__(self, console: Console, *, total_steps: int) -> None:
        self._progress = Progress(
            TextColumn("{task.description}"),
            BarColumn(),
            TimeElapsedColumn(),
            console=console,
            transient=False,
        )
        self._overall = self._progress.add_task("[bold]benchmark", total=total_steps)
        self._console = console

    def __enter__(self) -> StepProgress:
        self._progress.start()
        return self

    def __exit__(
        self, kind: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self._progress.stop()

    @contextmanager
    def step(self, name: str, expected_s: float) -> Iterator[None]:
        """Show `name` with a bar filling over `expected_s` (a step may take longer)."""
        task = self._progress.add_task(f"  {name}", total=max(expected_s, 0.1))
        started, done = time.monotonic(), threading.Event()

        def tick() -> None:
            while not done.wait(0.25):
                self._progress.update(task, completed=min(time.monotonic() - started, expected_s))

        ticker = threading.Thread(target=tick, daemon=True)
        ticker.start()
        try:
            yield
        finally:
            done.set()
            ticker.join()
            took = time.monotonic() - started
            self._progress.update(task, completed=expected_s, description=f"  {name} ({took:.1f} s)")
            if not self._console.is_terminal:  # a log file gets one line per step instead of bars
                self._console.print(f"{time.strftime('%H:%M:%S')} {name}: {took:.1f} s")
            self._progress.advance(self._overall)
