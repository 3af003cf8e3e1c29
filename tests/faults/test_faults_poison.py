"""Poison messages on every topic: a malformed one and one no handler can apply. Each lands in
`<topic>.dlq` with its error and original headers, and every consumer goes on."""

from __future__ import annotations

import uuid
from collections import Counter
from datetime import UTC, datetime

import pytest
from aiokafka import AIOKafkaProducer

from huiyin.devstack.stack import Stack
from huiyin.events import EventData, encode_event, new_event, topics
from huiyin.events.assignments import Candidate, ComplaintRouted
from huiyin.events.asyncapi import CONSUMER_GROUPS
from huiyin.events.complaints import ComplaintSubmitted, Location
from huiyin.events.feedback import VerdictGiven
from huiyin.events.hotspots import HotspotAdopted
from huiyin.events.sla import SlaBreached
from huiyin.messaging.dlq import DeadLetter, read_dead_letters
from tests.faults.counts import complete, loops, settle
from tests.support.apps import eventually
from tests.support.load import file_load_elsewhere as file_load

pytestmark = pytest.mark.faults

# Which consumer groups read each topic: the AsyncAPI contract's table, which a unit test
# holds to the services' own consumer specs (tests/unit/ops/test_ops_asyncapi.py).
GROUPS = {topic: {g for g, (_, read) in CONSUMER_GROUPS.items() if topic in read} for topic in topics.ALL}
NUL = "\x00"  # valid JSON and a valid str, but PostgreSQL text cannot store it: no handler can apply it


def unappliable(topic: str) -> EventData:
    now, cid, aid = datetime.now(UTC), uuid.uuid4(), uuid.uuid4()
    if topic == topics.COMPLAINTS:
        return ComplaintSubmitted(
            complaint_id=cid, tracking_code="HY-POISON01", access_token_sha256="0" * 64, category="noise",
            priority="normal", description=f"poison{NUL}description", location=Location(lat=30.3, lon=120.15),
            channel="web", submitted_at=now, anonymous=True,
        )  # fmt: skip
    if topic == topics.ASSIGNMENTS:
        return ComplaintRouted(
            complaint_id=cid, assignment_id=aid, unit_id=f"unit{NUL}", unit_name=f"n{NUL}", unit_kind="police_station",
            district_id=None, district_name=None, category="noise", priority="normal", reason="initial",
            rule="jurisdiction", explanation="x", candidates=[Candidate(unit_id="u", why="chosen")], routed_at=now,
            cycle=1, ack_due=now, resolve_due=now, calendar="24x7",
        )  # fmt: skip
    if topic == topics.SLA:
        return SlaBreached(
            complaint_id=cid, assignment_id=aid, unit_id=f"unit{NUL}", cycle=1, kind="ack", due=now, at=now
        )
    if topic == topics.HOTSPOTS:
        return HotspotAdopted(
            hotspot_id=uuid.uuid4(), owner_unit_id=f"unit{NUL}", owner_unit_name=f"n{NUL}", deadline=now,
            adopted_by="supervisor-1", complaint_ids=[cid], adopted_at=now,
        )  # fmt: skip
    return VerdictGiven(
        complaint_id=cid, assignment_id=aid, unit_id=f"unit{NUL}", cycle=1, resolved=False,
        satisfaction="dissatisfied", comment=f"c{NUL}", at=now, reopen_requested=True, review_flagged=False,
    )  # fmt: skip


def _all_dead_lettered(found: list[DeadLetter], topic: str) -> bool:
    malformed = {d.headers.get("dlq.consumer") for d in found if d.error.startswith("EventDecodeError")}
    failing = [d for d in found if not d.error.startswith("EventDecodeError")]
    return malformed >= GROUPS[topic] and (bool(failing) or topic == topics.FEEDBACK)


async def test_poison_on_every_topic_is_dead_lettered_and_consumers_go_on(faulty: Stack) -> None:
    bootstrap = faulty.kafka.bootstrap_servers
    producer = AIOKafkaProducer(bootstrap_servers=bootstrap, enable_idempotence=True, acks="all")
    await producer.start()
    poisoned: dict[str, str] = {}
    try:
        for topic in topics.ALL:
            event = new_event(unappliable(topic), source="/fault-test", time=datetime.now(UTC))
            poisoned[topic] = event.id
            headers = [("traceparent", b"00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01")]
            await producer.send_and_wait(
                topic, value=b"{\x00 not json", key=event.key.encode(), headers=headers
            )
            await producer.send_and_wait(
                topic, value=encode_event(event), key=event.key.encode(), headers=headers
            )
    finally:
        await producer.stop()

    for topic in topics.ALL:
        letters = await eventually(
            lambda topic=topic: read_dead_letters(bootstrap, topic),
            until=lambda found, topic=topic: _all_dead_lettered(found, topic),
            timeout=120,
            every=1.0,
        )
        malformed = Counter(
            d.headers["dlq.consumer"] for d in letters if d.error.startswith("EventDecodeError")
        )
        failing = [d for d in letters if not d.error.startswith("EventDecodeError")]
        print(
            f"\n{topic}.dlq: malformed from {dict(malformed)}; unappliable from {[d.headers['dlq.consumer'] for d in failing]}"
        )
        assert set(malformed) == GROUPS[topic]
        assert all(
            d.headers.get("traceparent", "").startswith("00-0af7") for d in letters
        )  # original headers kept
        assert all(d.original_topic == topic for d in letters)
        if topic != topics.FEEDBACK:
            assert failing, f"the unappliable event on {topic} was not dead-lettered by any group"

    # And the consumers went on: a fresh load is handled completely.
    result = await file_load(faulty.url("intake"), rate=100, count=300, client_ip="127.0.0.31")
    assert result.statuses == {201: 300}
    counts = await settle(faulty, result.accepted, timeout=120)
    print("after poison counts:", counts.line())
    assert complete(counts, 300), await loops(faulty)
