"""Resident memory of a process tree (a service and its uvicorn workers), with psutil."""

from __future__ import annotations

import time

import psutil


def tree_rss_mib(pid: int) -> float:
    root = psutil.Process(pid)
    total = 0
    for p in [root, *root.children(recursive=True)]:
        try:
            total += p.memory_info().rss
        except psutil.NoSuchProcess:  # a worker that exited between listing and reading
            continue
    return total / 2**20


def peak_rss_mib(pid: int, *, seconds: float, every_s: float = 0.5) -> float:
    """The highest tree RSS sampled over `seconds`."""
    peak, deadline = 0.0, time.monotonic() + seconds
    while True:
        peak = max(peak, tree_rss_mib(pid))
        if time.monotonic() >= deadline:
            return round(peak, 1)
        time.sleep(every_s)
