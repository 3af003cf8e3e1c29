"""Baseline: PostgreSQL's `pgbench` (TPC-B-like, 8 clients) against the bench server, over
TCP as the `postgres` role (pgbench is a client, so it may run as root)."""

from __future__ import annotations

import contextlib
import re
import subprocess

import psycopg

from bench import system
from huiyin.devstack.pgsys import pg_bin_dir
from huiyin.devstack.stack import Stack

DATABASE = "bench_pgbench"
CLIENTS = 8
_TPS = re.compile(r"tps = ([\d.]+) \(without initial connection time\)")
_LATENCY = re.compile(r"latency average = ([\d.]+) ms")


def parse(output: str) -> dict[str, float]:
    tps, latency = _TPS.search(output), _LATENCY.search(output)
    if tps is None:
        raise RuntimeError(f"no tps line in pgbench output:\n{output[-2000:]}")
    return {"tps": float(tps[1]), "latency_avg_ms": float(latency[1]) if latency else float("nan")}


def run(stack: Stack, *, seconds: int, scale: int) -> dict[str, float]:
    with (
        psycopg.connect(system.server_dsn(stack), autocommit=True) as conn,
        contextlib.suppress(psycopg.errors.DuplicateDatabase),
    ):
        conn.execute(f"CREATE DATABASE {DATABASE}")
    pg = stack.postgres
    where = ["-h", pg.host, "-p", str(pg.port), "-U", "postgres"]
    pgbench = str(pg_bin_dir() / "pgbench")
    _checked([pgbench, "-i", "-q", "-s", str(scale), *where, DATABASE], "pgbench -i")
    out = _checked([pgbench, "-c", str(CLIENTS), "-j", "2", "-T", str(seconds), *where, DATABASE], "pgbench")
    return {**parse(out), "clients": CLIENTS, "scale": scale, "seconds": seconds}


def _checked(argv: list[str], what: str) -> str:
    done = subprocess.run(argv, capture_output=True, text=True, timeout=900, check=False)
    if done.returncode != 0:
        raise RuntimeError(f"{what} failed (exit {done.returncode}):\n{done.stderr[-2000:]}")
    return done.stdout + done.stderr
