"""`huiyin topics ...` and `huiyin dlq ...`: the event backbone from an operator's chair."""

from __future__ import annotations

import asyncio
from typing import Annotated

import typer
from rich.console import Console
from rich.progress import Progress
from rich.table import Table

from huiyin.events import topics
from huiyin.messaging.dlq import read_dead_letters, replay
from huiyin.messaging.kafka import build_producer
from huiyin.messaging.topics_admin import describe_topics, ensure_topics
from huiyin.settings import ServiceSettings

console = Console()
topics_app = typer.Typer(help="Create and inspect the Kafka topics Huiyin uses.")
dlq_app = typer.Typer(help="Dead-letter queues: list failed messages and replay them after a fix.")

Bootstrap = Annotated[str | None, typer.Option(help="Kafka bootstrap servers [env KAFKA_BOOTSTRAP_SERVERS]")]
Prefix = Annotated[str | None, typer.Option(help="topic prefix [env KAFKA_TOPIC_PREFIX]")]


def _resolve(bootstrap: str | None, prefix: str | None) -> tuple[str, str]:
    settings = ServiceSettings()
    return (
        bootstrap or settings.kafka_bootstrap_servers,
        settings.kafka_topic_prefix if prefix is None else prefix,
    )


@topics_app.command("ensure")
def topics_ensure(
    bootstrap: Bootstrap = None,
    prefix: Prefix = None,
    partitions: Annotated[int, typer.Option(help="partitions of each new topic")] = 6,
) -> None:
    """Create every missing topic (and its DLQ); existing topics are left alone."""
    servers, pre = _resolve(bootstrap, prefix)
    created = asyncio.run(ensure_topics(servers, partitions=partitions, prefix=pre))
    console.print(f"created: {', '.join(created) if created else 'nothing (all present)'}")


@topics_app.command("check")
def topics_check(bootstrap: Bootstrap = None, prefix: Prefix = None) -> None:
    """Show each expected topic with its partition count; exit 1 if one is missing."""
    servers, pre = _resolve(bootstrap, prefix)
    found = asyncio.run(describe_topics(servers, prefix=pre))
    table = Table("topic", "partitions")
    missing = []
    for name in topics.all_with_dlq():
        count = found.get(pre + name)
        table.add_row(pre + name, str(count) if count else "[red]missing[/]")
        if not count:
            missing.append(name)
    console.print(table)
    if missing:
        raise typer.Exit(1)


@dlq_app.command("list")
def dlq_list(
    topic: Annotated[str, typer.Argument(help="complaints | assignments | sla | feedback")],
    bootstrap: Bootstrap = None,
    prefix: Prefix = None,
    limit: int = 200,
) -> None:
    """List the messages in <topic>.dlq with their error."""
    servers, pre = _resolve(bootstrap, prefix)
    letters = asyncio.run(read_dead_letters(servers, topic, limit=limit, prefix=pre))
    table = Table("partition:offset", "consumer", "error", "key")
    for letter in letters:
        table.add_row(
            f"{letter.partition}:{letter.offset}",
            letter.headers.get("dlq.consumer", ""),
            letter.error[:120],
            (letter.key or b"").decode(errors="replace"),
        )
    console.print(table)
    console.print(f"{len(letters)} dead letter(s) in {pre}{topics.dlq(topic)}")


@dlq_app.command("replay")
def dlq_replay(
    topic: Annotated[str, typer.Argument(help="complaints | assignments | sla | feedback")],
    offsets: Annotated[
        list[str] | None, typer.Option("--offset", help="partition:offset to replay (repeat)")
    ] = None,
    all_: Annotated[bool, typer.Option("--all", help="replay every dead letter of the topic")] = False,
    bootstrap: Bootstrap = None,
    prefix: Prefix = None,
) -> None:
    """Publish chosen dead letters to their topic again (consumers apply each event at most once)."""
    if not offsets and not all_:
        raise typer.BadParameter("name --offset partition:offset (repeatable) or --all")
    servers, pre = _resolve(bootstrap, prefix)
    count = asyncio.run(_replay(servers, pre, topic, set(offsets or ()), all_))
    console.print(f"replayed {count} message(s) to {pre}{topic}")


async def _replay(servers: str, prefix: str, topic: str, wanted: set[str], all_: bool) -> int:
    letters = await read_dead_letters(servers, topic, limit=100_000, prefix=prefix)
    chosen = [d for d in letters if all_ or f"{d.partition}:{d.offset}" in wanted]
    unknown = wanted - {f"{d.partition}:{d.offset}" for d in letters}
    if unknown:
        raise typer.BadParameter(f"no dead letter at {', '.join(sorted(unknown))}")
    producer = build_producer(servers, client_id="huiyin-dlq-replay")
    await producer.start()
    try:
        with Progress(console=console) as progress:
            task = progress.add_task("replaying", total=len(chosen))
            done = 0
            for i in range(0, len(chosen), 100):
                done += await replay(servers, chosen[i : i + 100], producer)
                progress.update(task, completed=done)
        return done
    finally:
        await producer.stop()
