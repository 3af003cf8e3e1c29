"""How routing's app installs the SLA engine: the scheduler loop and the SLA routers.

In routing's `create_app`:
    routers = [*routing_routers, *sla_wiring.install(runtime)]
    app = create_service_app(..., routers=routers)
    app.state.ready_extra = sla_wiring.ready_detail
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from fastapi import APIRouter

from huiyin.runtime import Runtime
from routing.sla import config, status
from routing.sla.admin_routes import admin_router
from routing.sla.config import SlaSettings
from routing.sla.escalation_routes import escalation_router
from routing.sla.scheduler import SlaScheduler, TimerSource


def install(
    runtime: Runtime, settings: SlaSettings | None = None, *, extra_timers: Sequence[TimerSource] = ()
) -> list[APIRouter]:
    """Settings default to the environment (ROUTING_SLA_*). `extra_timers`: other durable
    deadlines the scheduler loop fires too (hot spots)."""
    settings = settings or SlaSettings()
    config.use(settings)
    if settings.run_scheduler:
        scheduler = SlaScheduler(runtime.uow, runtime.clock, settings, extra=extra_timers)
        runtime.add_loop("sla-scheduler", scheduler.run)
    return [admin_router(), escalation_router()]


def ready_detail() -> dict[str, Any]:
    """The `sla` section of /ready: scheduler state and provisional-deadline warnings."""
    return status.ready_detail()
