"""`huiyin rebuild|calendar|users|seed ...`: changing data, each through the service's own use case."""

from __future__ import annotations

import asyncio
import importlib
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.console import Console
from rich.progress import BarColumn, Progress, TextColumn, TimeElapsedColumn
from sqlalchemy import text

from huiyin.cli.service_db import SERVICES, service_uow, settings_for
from huiyin.events import topics
from huiyin.http.errors import DomainError
from huiyin.observability.kafka_lag import KafkaLag

console = Console()
rebuild_app = typer.Typer(help="Rebuild a read model by replaying the Kafka topics from the start.")
calendar_app = typer.Typer(help="Official working-time calendars (holidays and make-up workdays, 调休).")
users_app = typer.Typer(help="Staff accounts (stored in routing, which signs staff in).")
seed_app = typer.Typer(help="Load demo data.")


@rebuild_app.command("readmodel")
def rebuild_readmodel(
    yes: Annotated[bool, typer.Option("--yes", help="do not ask for confirmation")] = False,
) -> None:
    """Empty feedback's accountability read model and replay all five topics into it.

    Safe while the service runs: the live consumer and the replay share processed-event ids,
    so each event is applied once. The audit log is not touched. Needs FEEDBACK_DATABASE_URL
    and KAFKA_BOOTSTRAP_SERVERS (and KAFKA_TOPIC_PREFIX if one is used)."""
    if not yes:
        typer.confirm("Empty the read model and rebuild it from Kafka?", abort=True)
    report = asyncio.run(_rebuild(settings_for("feedback")))
    console.print(
        f"read {report.records} messages: {report.applied} events applied, {report.duplicates} duplicates skipped"
    )


async def _rebuild(settings: Any) -> Any:
    from feedback.entrypoints.consumers import READ_MODEL_GROUP
    from feedback.handlers.rebuild import rebuild_read_model

    reader = KafkaLag(
        settings.kafka_bootstrap_servers, prefix=settings.kafka_topic_prefix, client_id="huiyin-cli"
    )
    try:
        total = sum((await reader.retained(list(topics.ALL))).values())
    finally:
        await reader.close()
    columns = (TextColumn("replaying"), BarColumn(), TextColumn("{task.completed}/{task.total} events"))
    with Progress(*columns, TimeElapsedColumn(), console=console) as progress:
        task = progress.add_task("replay", total=total)
        rebuild = asyncio.ensure_future(rebuild_read_model(settings))
        async with service_uow(settings) as uow:
            while not rebuild.done():  # progress: the ids the replay has recorded so far
                await asyncio.wait([rebuild], timeout=0.5)
                async with uow() as u:
                    done = await u.session.execute(
                        text("SELECT count(*) FROM processed_events WHERE consumer = :c"),
                        {"c": READ_MODEL_GROUP},
                    )
                    progress.update(task, completed=min(int(done.scalar_one()), total))
        progress.update(task, completed=total)
        return await rebuild


@calendar_app.command("load")
def calendar_load(
    year: Annotated[int, typer.Argument(help="the year to load, e.g. 2027")],
    file: Annotated[
        Path, typer.Argument(exists=True, dir_okay=False, help="JSON: one year or a list of years")
    ],
) -> None:
    """Load a year's official schedule into routing and recompute the deadlines it changes.

    The file holds {"year": 2027, "holidays": ["2027-10-01..2027-10-07", ...], "workdays":
    ["2027-09-26"]} (or a list of such years). Replaces a schedule loaded before."""
    from routing.sla.calendar_file import read_calendar_file
    from routing.sla.handlers import load_calendar_year, parse_schedule

    entries = [e for e in read_calendar_file(file) if e["year"] == year]
    if not entries:
        raise typer.BadParameter(f"{file} has no entry for {year}")
    entry = entries[0]
    try:
        schedule = parse_schedule(year, list(entry.get("holidays", [])), list(entry.get("workdays", [])))
    except DomainError as exc:
        raise typer.BadParameter(exc.detail) from exc

    async def load() -> Any:
        async with service_uow(settings_for("routing")) as uow:
            return await load_calendar_year(uow, schedule, source=f"file:{file.name}", by="cli")

    loaded = asyncio.run(load())
    console.print(
        f"{loaded.year}: {loaded.holidays} holidays, {loaded.workdays} make-up workdays; "
        f"{loaded.recomputed} open deadline(s) recomputed"
    )


@users_app.command("create")
def users_create(
    username: Annotated[str, typer.Argument(help="sign-in name (stored lower-case)")],
    role: Annotated[
        str, typer.Option(help="officer, station_head, district_supervisor, supervision, dispatch, admin")
    ],
    unit: Annotated[
        str | None, typer.Option(help="the unit id (every role but admin and supervision)")
    ] = None,
    name: Annotated[str, typer.Option(help="display name")] = "",
    badge: Annotated[str | None, typer.Option(help="badge number (警号)")] = None,
    password: Annotated[
        str,
        typer.Option(prompt=True, hide_input=True, confirmation_prompt=True, help="asked for when not given"),
    ] = "",
) -> None:
    """Create a staff account in routing (the password is stored as an argon2 hash)."""
    from huiyin.auth.tokens import Role
    from routing.adapters.units_repo import DirectoryCache
    from routing.handlers.staff_auth import create_user

    if role not in {r.value for r in Role}:
        raise typer.BadParameter(f"unknown role {role!r}; one of {', '.join(r.value for r in Role)}")
    if len(password) < 8:
        raise typer.BadParameter("the password needs at least 8 characters")
    spec = {"username": username, "role": role, "unit_id": unit, "display_name": name, "badge_no": badge}

    async def create() -> Any:
        async with service_uow(settings_for("routing")) as uow:
            return await create_user(uow(), {**spec, "password": password}, directories=DirectoryCache())

    try:
        user = asyncio.run(create())
    except DomainError as exc:
        console.print(f"[red]{exc.detail}[/] {exc.extra.get('errors', '')}")
        raise typer.Exit(1) from exc
    console.print(f"created {user.username} ({user.role}, unit {user.unit_id or '-'}), id {user.id}")


@seed_app.command("demo")
def seed_demo() -> None:
    """Load each service's demo data (the demo city's units, demo staff users, SLA policies).

    Idempotent: what exists is kept. DEMO ONLY: the demo users share a published password."""
    with Progress(console=console) as progress:
        task = progress.add_task("seeding", total=len(SERVICES))
        for service in SERVICES:
            try:
                module = importlib.import_module(f"{service}.demo")
            except ModuleNotFoundError as exc:
                if exc.name != f"{service}.demo":
                    raise
                module = None  # this service has no demo data
            if module is not None:
                asyncio.run(module.seed(settings_for(service).database_url))
                console.print(f"{service}: demo data loaded")
            progress.advance(task)
