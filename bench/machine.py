"""What this machine is, and how much CPU each process tree used during a step (from /proc)."""

from __future__ import annotations

import os
import platform
import subprocess
import time
from dataclasses import dataclass
from pathlib import Path

from huiyin.devstack.kafka import KAFKA_VERSION
from huiyin.devstack.pgsys import pg_bin_dir

_TICK = os.sysconf("SC_CLK_TCK")


def facts() -> dict[str, object]:
    return {
        "nproc": os.cpu_count(),
        "memory_gib": round(_meminfo_kib("MemTotal") / 1024 / 1024, 1),
        "cpu_model": _cpu_model(),
        "kernel": platform.release(),
        "python": platform.python_version(),
        "kafka": KAFKA_VERSION,
        "postgresql": _pg_version(),
        "java": _first_line(["java", "-version"]),
        "go": _first_line(["go", "version"]),
    }


def background_load(sample_s: float = 2.0) -> dict[str, float]:
    """How busy the machine was before the benchmark started (others' work skews the figures)."""
    busy0, total0 = machine_busy()
    time.sleep(sample_s)
    busy1, total1 = machine_busy()
    share = (busy1 - busy0) / (total1 - total0) if total1 > total0 else 0.0
    return {"busy_share": round(share, 3), "loadavg_1m": os.getloadavg()[0]}


def _meminfo_kib(key: str) -> int:
    for line in Path("/proc/meminfo").read_text().splitlines():
        if line.startswith(key + ":"):
            return int(line.split()[1])
    raise KeyError(key)


def _cpu_model() -> str:
    for line in Path("/proc/cpuinfo").read_text().splitlines():
        if line.startswith("model name"):
            return line.split(":", 1)[1].strip()
    return platform.processor() or "unknown"


def _pg_version() -> str:
    return _first_line([str(pg_bin_dir() / "postgres"), "--version"]) or "unknown"


def _first_line(argv: list[str]) -> str | None:
    try:
        done = subprocess.run(argv, capture_output=True, text=True, timeout=30, check=False)
    except (OSError, subprocess.TimeoutExpired):
        return None
    lines = (done.stdout + done.stderr).strip().splitlines()
    return lines[0] if lines else None


# -- CPU accounting -----------------------------------------------------------------------


def _stat_fields(pid: int) -> list[str] | None:
    try:
        raw = Path(f"/proc/{pid}/stat").read_text()
    except (FileNotFoundError, ProcessLookupError):
        return None
    return raw.rsplit(")", 1)[1].split()  # fields from the state on (the name may hold spaces)


def _children_map() -> dict[int, list[int]]:
    kids: dict[int, list[int]] = {}
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            fields = _stat_fields(int(entry.name))
            if fields is not None:
                kids.setdefault(int(fields[1]), []).append(int(entry.name))
    return kids


def tree_cpu_seconds(root: int, kids: dict[int, list[int]] | None = None) -> float:
    """user + system CPU of `root` and its live descendants (and of their reaped children)."""
    kids = _children_map() if kids is None else kids
    total, todo = 0.0, [root]
    while todo:
        pid = todo.pop()
        fields = _stat_fields(pid)
        if fields is None:
            continue
        # utime, stime, cutime, cstime are fields 14-17 of stat; here offset by the two cut off.
        total += sum(int(x) for x in fields[11:15]) / _TICK
        todo.extend(kids.get(pid, []))
    return total


def machine_busy() -> tuple[float, float]:
    """(busy, total) CPU seconds of the whole machine since boot, from /proc/stat."""
    first = Path("/proc/stat").read_text().splitlines()[0].split()[1:]
    ticks = [int(x) for x in first]
    idle = ticks[3] + ticks[4]  # idle + iowait
    return (sum(ticks) - idle) / _TICK, sum(ticks) / _TICK


@dataclass
class CpuMeter:
    """CPU used by named process trees between `start()` and `stop()`, and how busy the
    whole machine was meanwhile (`outside_share`: busy with anything but those trees,
    e.g. the load generator or other people's work on a shared machine)."""

    roots: dict[str, list[int]]  # a name's CPU is the sum over its pids' trees

    def _used(self) -> dict[str, float]:
        kids = _children_map()
        return {name: sum(tree_cpu_seconds(pid, kids) for pid in pids) for name, pids in self.roots.items()}

    def start(self) -> None:
        self._before = self._used()
        self._machine = machine_busy()

    def stop(self) -> dict[str, float]:
        used = {name: cpu - self._before[name] for name, cpu in self._used().items()}
        busy, total = machine_busy()
        span = total - self._machine[1]  # CPU-seconds available on all cores
        if span > 0:
            ours = sum(used.values())
            used["machine_busy_share"] = (busy - self._machine[0]) / span
            used["outside_share"] = max(0.0, used["machine_busy_share"] - ours / span)
        return {k: round(v, 3) for k, v in used.items()}
