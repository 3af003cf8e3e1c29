"""`huiyin stack ...`: run Huiyin on this machine (what `make up`, `make infra`, `make down` call)."""

from __future__ import annotations

import signal
import threading
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console

from huiyin.devstack.stack import SERVICES, Stack, profile

app = typer.Typer(help="Run Kafka, PostgreSQL and the three services locally (no Docker needed).")
console = Console()


@app.command()
def infra(
    profile_name: Annotated[str, typer.Option("--profile", help="dev (make up) or test (make test)")] = "dev",
    env_file: Annotated[Path | None, typer.Option(help="write shell exports of the addresses here")] = None,
    fresh_kafka: Annotated[
        bool, typer.Option(help="discard the stopped broker's topics before starting it (make test does)")
    ] = False,
) -> None:
    """Start PostgreSQL and Kafka (reused if already running) and print their addresses."""
    stack = Stack(profile(profile_name))
    with console.status("starting PostgreSQL and Kafka"):
        stack.start_infra(fresh_kafka=fresh_kafka)
    pg_url = f"postgresql://postgres@127.0.0.1:{stack.config.pg_port}"
    console.print(f"PostgreSQL  {pg_url}   (data: {stack.postgres.data_dir})")
    console.print(f"Kafka       {stack.kafka.bootstrap_servers}   (data: {stack.kafka.data_dir})")
    if env_file is not None:
        env_file.parent.mkdir(parents=True, exist_ok=True)
        env_file.write_text(
            f"export HUIYIN_TEST_PG_URL={pg_url}\nexport KAFKA_BOOTSTRAP_SERVERS={stack.kafka.bootstrap_servers}\n"
        )


@app.command()
def up(
    profile_name: Annotated[str, typer.Option("--profile", help="dev (make up) or test (make test)")] = "dev",
    detach: Annotated[bool, typer.Option(help="start and return instead of waiting for Ctrl-C")] = False,
    seed: Annotated[bool, typer.Option(help="load the demo city and demo users")] = True,
) -> None:
    """Start everything, load the demo data, print the URLs; Ctrl-C stops it all."""
    stack = Stack(profile(profile_name))
    with console.status("starting Kafka, PostgreSQL, migrations, demo data and the three services"):
        stack.up(seed=seed)
    for service in SERVICES:
        console.print(f"[bold]{service:9}[/] {stack.url(service)}  (API docs {stack.url(service)}/docs)")
    console.print(f"logs: {stack.config.root / 'logs'}")
    if detach:
        return
    console.print("Ctrl-C stops everything.")
    stopped = threading.Event()
    for sig in (signal.SIGINT, signal.SIGTERM):
        signal.signal(sig, lambda *_: stopped.set())
    while not stopped.wait(1.0):
        for service in SERVICES:
            if stack.service_pid(service) is None:
                console.print(f"[red]{service} exited[/]; see {stack.log_path(service)}")
                stopped.set()
    with console.status("stopping"):
        stack.stop_all()
    console.print("stopped.")


@app.command()
def down(
    profile_name: Annotated[str, typer.Option("--profile", help="dev (make up) or test (make test)")] = "dev",
) -> None:
    """Stop the services, Kafka and PostgreSQL of a profile (by their pid files)."""
    Stack(profile(profile_name)).stop_all()
    console.print(f"stopped everything of profile {profile_name!r}.")
