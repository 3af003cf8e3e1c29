"""Start-up: what `make up` (`huiyin stack up`) does, timed step by step, on a second stack
of its own (free ports, its own data dir; the measured stack keeps running beside it, idle).
Caches are warm: the Kafka jars and the venv are there. Twice: with an empty data dir
(initdb, Kafka format, migrations, demo data), then again on the data dir it left."""

from __future__ import annotations

import shutil
import time
from typing import Any

import httpx

from bench.context import Context
from bench.system import bench_config
from huiyin.devstack import procs
from huiyin.devstack.commands import DevstackError
from huiyin.devstack.stack import SERVICES, Stack

READY_TIMEOUT_S = 120


def _services_ready(stack: Stack) -> dict[str, float]:
    """Start the three services (as Stack.start_services does) and time each to its /ready."""
    started = time.monotonic()
    for service in SERVICES:
        stack.start_service(service)
    ready: dict[str, float] = {}
    while len(ready) < len(SERVICES):
        if time.monotonic() - started > READY_TIMEOUT_S:
            raise DevstackError(f"not ready after {READY_TIMEOUT_S} s: {set(SERVICES) - set(ready)}")
        for service in SERVICES:
            if service in ready:
                continue
            if stack.service_pid(service) is None:
                raise DevstackError(f"{service} exited:\n{procs.tail(stack.log_path(service))}")
            try:
                if httpx.get(stack.url(service) + "/ready", timeout=5).status_code == 200:
                    ready[service] = round(time.monotonic() - started, 2)
            except httpx.HTTPError:
                pass  # not listening yet
        time.sleep(0.1)
    return ready


def _up(stack: Stack) -> dict[str, Any]:
    """Stack.up's steps, each timed: infrastructure, schema + topics + demo data, services."""
    started = time.monotonic()
    stack.start_infra()
    infra = time.monotonic()
    stack.prepare(seed=True)
    prepared = time.monotonic()
    ready = _services_ready(stack)
    return {
        "total_s": round(time.monotonic() - started, 2),
        "infra_s": round(infra - started, 2),
        "prepare_s": round(prepared - infra, 2),
        "services_s": round(max(ready.values()), 2),
        "service_ready_s": ready,
    }


def services_only(ctx: Context) -> dict[str, Any]:
    """--smoke: the measured stack's three services stopped and started again (seconds)."""
    with ctx.step("start-up: the three services again, to /ready", 12):
        for service in SERVICES:
            ctx.stack.stop_service(service)
        started = time.monotonic()
        ready = _services_ready(ctx.stack)
    return {"services_only": {"services_s": round(time.monotonic() - started, 2), "service_ready_s": ready}}


def run_part(ctx: Context) -> dict[str, Any]:
    if not ctx.plan.startup_whole_stack:
        return services_only(ctx)
    root = ctx.workdir / "startup-stack"
    root.mkdir(parents=True, exist_ok=True)
    root.chmod(0o755)  # PostgreSQL runs as an unprivileged user when we are root
    config = bench_config(root, {s: ctx.workers.get(s, 1) for s in SERVICES})
    config.env = {}  # exactly make up's settings (the measured stack's two changes are not needed)
    stack = Stack(config)
    out: dict[str, Any] = {}
    try:
        with ctx.step("start-up: make up's steps on an empty data dir", 30):
            out["fresh"] = _up(stack)
        stack.stop_all()
        with ctx.step("start-up: make up again on the data dir it left", 20):
            out["again"] = _up(stack)
    finally:
        stack.stop_all()
        shutil.rmtree(root, ignore_errors=True)
    return out
