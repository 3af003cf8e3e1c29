"""/ready lists each dependency and background loop with its state, and warns without
failing when a working-time calendar year is missing."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from huiyin.clock import ManualClock
from routing.entrypoints.app import create_app
from routing.settings import RoutingSettings
from routing.sla.config import SlaSettings
from tests.support.apps import eventually, running
from tests.support.infra import Infra


async def test_routing_is_ready_and_says_which_calendar_years_are_missing(
    infra: Infra, topic_prefix: str
) -> None:
    settings = RoutingSettings(
        database_url=infra.create_database("routing"),
        kafka_bootstrap_servers=infra.kafka_bootstrap,
        kafka_topic_prefix=topic_prefix,
        environment="test",
        outbox_idle_poll_s=0.2,
        log_json=False,
    )
    # No official schedule is known for 2099 (nor loaded): deadlines there would be provisional.
    clock = ManualClock(datetime(2099, 3, 2, 2, 0, tzinfo=UTC))
    app = create_app(settings, clock=clock, sla_settings=SlaSettings(max_sleep_s=0.2, status_refresh_s=0.2))
    async with running(app) as client:

        async def ready() -> tuple[int, dict[str, Any]]:
            r = await client.get("/ready")
            return r.status_code, r.json()

        def settled(sb: tuple[int, dict[str, Any]]) -> bool:
            # routing.sla.status is per process: wait for this app's scheduler to have looked,
            # and for the consumer to have joined its group ("starting" until then).
            running_ = all(loop["state"] == "running" for loop in sb[1]["loops"].values())
            return "2099" in str(sb[1]["warnings"]) and running_

        status, body = await eventually(ready, until=settled, timeout=30)

    assert status == 200 and body["status"] == "ready", "a missing calendar year warns, it does not fail"
    assert any("2099" in w and "2100" in w for w in body["warnings"])
    assert body["sla"]["years_without_schedule"] == [2099, 2100]
    assert body["database"] == {"ok": True} and body["kafka"] == {"ok": True}
    loops = body["loops"]
    assert {"sla-scheduler", "outbox-relay", "consumer:routing"} <= set(loops)
    assert all(loop["restarts"] == 0 and loop["last_error"] is None for loop in loops.values()), loops
