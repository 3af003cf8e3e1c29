"""Run the open-loop load generator (Go, or the Python fallback) and read its records.

The Go program is built once per source hash into a cache dir; when `go` is missing the
Python generator (`bench.pyloadgen`, same flags and output) is used and the report says so.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

SOURCE = Path(__file__).resolve().parent / "loadgen"
CACHE = Path.home() / ".cache" / "huiyin" / "bench"


class LoadgenError(RuntimeError):
    """The generator could not be built or failed."""


@dataclass(frozen=True)
class Record:
    due_ns: int
    sent_ns: int
    done_ns: int
    status: int  # 0: transport error, -1: dropped (too far behind schedule)
    id: str
    error: str


@dataclass(frozen=True)
class LoadRun:
    summary: dict[str, object]
    records: list[Record]


def command() -> tuple[list[str], str]:
    """The generator's argv prefix and its kind ("go" or "python")."""
    if shutil.which("go") is None:
        return [sys.executable, "-m", "bench.pyloadgen"], "python"
    return [str(_build())], "go"


def _build() -> Path:
    digest = hashlib.sha256()
    for name in ("go.mod", "main.go"):
        digest.update((SOURCE / name).read_bytes())
    binary = CACHE / f"loadgen-{digest.hexdigest()[:16]}"
    if binary.exists():
        return binary
    CACHE.mkdir(parents=True, exist_ok=True)
    tmp = binary.with_suffix(".tmp")
    env = {**os.environ, "GOTOOLCHAIN": "local", "CGO_ENABLED": "0"}
    done = subprocess.run(
        ["go", "build", "-o", str(tmp), "."], cwd=SOURCE, env=env, capture_output=True, text=True, check=False
    )
    if done.returncode != 0:
        raise LoadgenError(f"go build failed:\n{done.stdout}{done.stderr}")
    tmp.replace(binary)  # atomic: a half-written binary is never used
    return binary


def run(
    argv0: list[str],
    *,
    url: str,
    bodies: Path,
    rate: float,
    duration: float,
    conns: int,
    out: Path,
    timeout: float = 30.0,
) -> LoadRun:
    args = [
        *argv0,
        f"-url={url}",
        f"-bodies={bodies}",
        f"-rate={rate}",
        f"-duration={duration}",
        f"-conns={conns}",
        f"-out={out}",
        f"-timeout={timeout}",
    ]
    done = subprocess.run(args, capture_output=True, text=True, check=False, cwd=SOURCE.parent.parent)
    if done.returncode != 0:
        raise LoadgenError(f"load generator failed (exit {done.returncode}):\n{done.stderr[-2000:]}")
    summary = json.loads(done.stdout.strip().splitlines()[-1])
    return LoadRun(summary=summary, records=read_records(out))


def read_records(path: Path) -> list[Record]:
    records = []
    with path.open() as f:
        for line in f:
            due, sent, done, status, rid, error = line.rstrip("\n").split("\t", 5)
            records.append(Record(int(due), int(sent), int(done), int(status), rid, error))
    return records
