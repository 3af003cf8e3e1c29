"""Baseline: the bare FastAPI + asyncpg endpoint (bare_app), served with intake's worker
count and driven by the same generator, bodies and rates as Huiyin's intake."""

from __future__ import annotations

import contextlib
import os
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import psycopg

from bench import system
from bench.baselines.bare_app import SCHEMA
from huiyin.devstack import procs
from huiyin.devstack.ports import free_port
from huiyin.devstack.stack import REPO_ROOT, Stack

DATABASE = "bench_bare"


@contextlib.contextmanager
def serving(stack: Stack, *, workers: int, logdir: Path) -> Iterator[tuple[str, int]]:
    """The bare endpoint on a free port; yields its URL and the pid of its server."""
    with (
        psycopg.connect(system.server_dsn(stack), autocommit=True) as conn,
        contextlib.suppress(psycopg.errors.DuplicateDatabase),
    ):
        conn.execute(f"CREATE DATABASE {DATABASE}")
    dsn = system.server_dsn(stack, DATABASE)
    with psycopg.connect(dsn, autocommit=True) as conn:
        conn.execute(SCHEMA)
        conn.execute("TRUNCATE bare_complaints, bare_outbox")
    port = free_port()
    argv = [
        sys.executable, "-m", "uvicorn", "bench.baselines.bare_app:create_app", "--factory",
        "--host", "127.0.0.1", "--port", str(port), "--workers", str(workers),
        "--loop", "uvloop", "--http", "httptools", "--log-level", "warning", "--no-access-log",
    ]  # fmt: skip
    env = {**os.environ, "BENCH_BARE_DSN": dsn}
    log = logdir / "bare.log"
    pid = procs.spawn(argv, log, logdir / "bare.pid", env=env, cwd=REPO_ROOT)
    try:
        url = f"http://127.0.0.1:{port}"
        _wait_ready(url, pid, log)
        yield url + "/api/v1/complaints", pid
    finally:
        procs.stop_pid(pid, timeout=20)


def rows(stack: Stack) -> int:
    with psycopg.connect(system.server_dsn(stack, DATABASE)) as conn:
        row = conn.execute("SELECT count(*) FROM bare_complaints").fetchone()
        return int(row[0]) if row else 0


def _wait_ready(url: str, pid: int, log: Path, timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if not procs.is_alive(pid):
            raise RuntimeError(f"the bare endpoint exited:\n{procs.tail(log)}")
        with contextlib.suppress(httpx.HTTPError):
            if httpx.get(url + "/openapi.json", timeout=2).status_code == 200:
                return
        time.sleep(0.2)
    raise RuntimeError(f"the bare endpoint did not answer in {timeout:.0f} s:\n{procs.tail(log)}")
