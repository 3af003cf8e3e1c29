"""Schema evolution: `complaint.withdrawn` went from v1 to v2. Both versions sit on the
topic (history is kept forever); the consumer reads a mix and applies the same effect."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from aiokafka import AIOKafkaProducer

from huiyin import jsonutil
from huiyin.events import decode_event, new_event
from huiyin.events.complaints import ComplaintWithdrawn
from tests.integration.routing.routing_harness import GULOU, RoutingEnv, inside, routing_env_fixture  # noqa: F401

pytestmark = pytest.mark.integration


def as_v1(event_bytes: dict) -> bytes:  # type: ignore[type-arg]
    """The same withdrawal as an old intake wrote it: type v1, no `state_before`."""
    wire = dict(event_bytes)
    wire["type"] = "huiyin.complaint.withdrawn.v1"
    wire["data"] = {k: v for k, v in wire["data"].items() if k != "state_before"}
    return jsonutil.dumps(wire)


async def test_a_mix_of_v1_and_v2_withdrawals_has_the_same_effect(routing_env: RoutingEnv) -> None:
    env = routing_env
    old, new = await env.submit(**inside(GULOU)), await env.submit(**inside(GULOU))
    for cid in (old, new):
        await env.case_when(cid, lambda c: c["state"] == "routed")

    now = datetime.now(UTC)
    v2_old = new_event(
        ComplaintWithdrawn(complaint_id=old, withdrawn_at=now, state_before="routed"), source="/t", time=now
    )
    v2_new = new_event(
        ComplaintWithdrawn(complaint_id=new, withdrawn_at=now, state_before="routed"), source="/t", time=now
    )
    v1_raw = as_v1(v2_old.to_wire())
    decoded = decode_event(v1_raw)  # the upcaster at work
    assert decoded.type == "huiyin.complaint.withdrawn.v2" and decoded.data.state_before == "unknown"

    producer = AIOKafkaProducer(bootstrap_servers=env.bootstrap, enable_idempotence=True, acks="all")
    await producer.start()
    try:
        await producer.send_and_wait(env.prefix + "complaints", v1_raw, key=str(old).encode())
        await producer.send_and_wait(
            env.prefix + "complaints", jsonutil.dumps(v2_new.to_wire()), key=str(new).encode()
        )
    finally:
        await producer.stop()

    for cid in (old, new):
        case = await env.case_when(cid, lambda c: c["state"] == "withdrawn")
        assert case["state"] == "withdrawn"
