"""`huiyin outbox backlog` and `huiyin lag`: where events wait, from an operator's chair."""

from __future__ import annotations

import asyncio
from typing import Annotated

import typer
from rich.console import Console
from rich.table import Table
from sqlalchemy import text

from huiyin.cli.service_db import SERVICES, service_uow, settings_for
from huiyin.events.asyncapi import CONSUMER_GROUPS
from huiyin.observability.kafka_lag import KafkaLag, PartitionLag
from huiyin.settings import ServiceSettings

console = Console()
outbox_app = typer.Typer(help="The transactional outboxes: events committed but not yet in Kafka.")

BACKLOG_BY_TOPIC = """
SELECT topic, count(*), extract(epoch FROM now() - min(created_at))
  FROM outbox WHERE published_at IS NULL GROUP BY topic ORDER BY topic
"""


@outbox_app.command("backlog")
def outbox_backlog(
    service: Annotated[
        list[str] | None, typer.Option(help="intake, routing or feedback (repeat); all by default")
    ] = None,
    max_age: Annotated[
        float | None, typer.Option(help="exit 1 if an unpublished row is older (seconds)")
    ] = None,
) -> None:
    """Unpublished outbox rows per service database and topic, with the age of the oldest.

    Rows wait there while Kafka is unreachable or no relay runs; they are published in order
    once it is back. Database URLs come from INTAKE_/ROUTING_/FEEDBACK_DATABASE_URL."""
    table = Table("service", "topic", "waiting", "oldest (s)")
    oldest = 0.0
    for name in service or SERVICES:
        rows = asyncio.run(_backlog(settings_for(name)))
        for topic, count, age in rows or [("-", 0, 0.0)]:
            table.add_row(name, topic, str(count), f"{float(age):.1f}")
            oldest = max(oldest, float(age))
    console.print(table)
    if max_age is not None and oldest > max_age:
        console.print(f"[red]oldest unpublished row is {oldest:.0f} s old (limit {max_age:.0f} s)[/]")
        raise typer.Exit(1)


async def _backlog(settings: ServiceSettings) -> list[tuple[str, int, float]]:
    async with service_uow(settings) as uow, uow() as u:
        return [(t, int(n), float(a)) for t, n, a in (await u.session.execute(text(BACKLOG_BY_TOPIC))).all()]


def lag(
    group: Annotated[
        list[str] | None, typer.Option(help="consumer group (repeat); every Huiyin group by default")
    ] = None,
    bootstrap: Annotated[
        str | None, typer.Option(help="Kafka bootstrap servers [env KAFKA_BOOTSTRAP_SERVERS]")
    ] = None,
    prefix: Annotated[str | None, typer.Option(help="topic prefix [env KAFKA_TOPIC_PREFIX]")] = None,
    max_lag: Annotated[
        int | None, typer.Option(help="exit 1 if a group is more events behind than this")
    ] = None,
) -> None:
    """Consumer lag per group and partition: events not yet applied, and the oldest one's age."""
    unknown = set(group or ()) - set(CONSUMER_GROUPS)
    if unknown:
        raise typer.BadParameter(f"unknown group(s) {sorted(unknown)}; known: {', '.join(CONSUMER_GROUPS)}")
    settings = ServiceSettings()
    groups = {g: list(ts) for g, (_, ts) in CONSUMER_GROUPS.items() if not group or g in group}
    reader = KafkaLag(
        bootstrap or settings.kafka_bootstrap_servers,
        prefix=settings.kafka_topic_prefix if prefix is None else prefix,
        client_id="huiyin-cli-lag",
    )
    with console.status("asking Kafka for offsets"):
        found = asyncio.run(_read(reader, groups))
    table = Table("group", "topic", "partition", "committed", "end", "lag", "oldest (s)")
    totals: dict[str, int] = dict.fromkeys(groups, 0)
    for p in found:
        totals[p.group] += p.lag
        age = f"{p.oldest_age_s:.1f}" if p.oldest_age_s is not None else "-"
        committed = "-" if p.committed is None else str(p.committed)
        table.add_row(p.group, p.topic, str(p.partition), committed, str(p.end), str(p.lag), age)
    console.print(table)
    console.print(", ".join(f"{g}: {n} behind" for g, n in totals.items()))
    if max_lag is not None and max(totals.values(), default=0) > max_lag:
        raise typer.Exit(1)


async def _read(reader: KafkaLag, groups: dict[str, list[str]]) -> list[PartitionLag]:
    try:
        return await reader.lag(groups)
    finally:
        await reader.close()
