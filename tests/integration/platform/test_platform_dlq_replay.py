"""An operator lists the DLQ and replays a dead letter after the fix; it is applied exactly once."""

from __future__ import annotations

import asyncio

import pytest
from typer.testing import CliRunner

from huiyin.cli.main import app as cli
from huiyin.events import encode_event, new_event, topics
from huiyin.events.complaints import ComplaintSubmitted
from huiyin.messaging.dlq import read_dead_letters
from huiyin.runtime import ConsumerSpec, build_runtime
from tests.integration.platform import probe
from tests.integration.platform.test_platform_backbone import produce_raw
from tests.support.apps import eventually
from tests.support.infra import Infra

pytestmark = pytest.mark.integration


async def test_dead_letter_is_listed_and_replayed_once_after_the_fix(infra: Infra, topic_prefix: str) -> None:
    db = infra.create_database("routing", revision="0001")
    await probe.create_probe_table(db)
    broken = {"fixed": False}

    async def flaky_until_fixed(uow, events):  # type: ignore[no-untyped-def]
        if not broken["fixed"]:
            raise RuntimeError("bug: cannot handle this complaint yet")
        await probe.record_effect(uow, events)

    rt = build_runtime(
        probe.settings(db, infra.kafka_bootstrap, topic_prefix, "consumer"),
        consumers=[ConsumerSpec("probe", [topics.COMPLAINTS], {ComplaintSubmitted: [flaky_until_fixed]})],
    )
    await rt.start()
    try:
        event = new_event(probe.submitted(), source="/test", time=probe.submitted().submitted_at)
        await produce_raw(infra.kafka_bootstrap, topic_prefix + topics.COMPLAINTS, [encode_event(event)])
        letters = await eventually(
            lambda: read_dead_letters(infra.kafka_bootstrap, topics.COMPLAINTS, prefix=topic_prefix),
            until=lambda found: len(found) == 1,
            timeout=30,
        )
        runner = CliRunner()
        args = ["--bootstrap", infra.kafka_bootstrap, "--prefix", topic_prefix]
        listed = await asyncio.to_thread(runner.invoke, cli, ["dlq", "list", "complaints", *args])
        assert listed.exit_code == 0, listed.output
        assert "bug: cannot handle" in listed.output and "1 dead letter(s)" in listed.output

        broken["fixed"] = True
        where = f"{letters[0].partition}:{letters[0].offset}"
        for _ in range(2):  # replaying twice must still apply the event once
            replayed = await asyncio.to_thread(
                runner.invoke, cli, ["dlq", "replay", "complaints", "--offset", where, *args]
            )
            assert replayed.exit_code == 0, replayed.output
        consumer = rt.consumers[0]
        await eventually(lambda: _value(consumer.status.duplicates_total), until=lambda n: n >= 1, timeout=30)
        assert await probe.count_effects(db) == {event.id: 1}
    finally:
        await rt.close()


async def _value(v: int) -> int:
    return v
