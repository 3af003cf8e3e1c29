"""The SLA engine's settings (environment: ROUTING_SLA_*), and the ones this process uses.

The service functions' signatures are fixed by the routing contract (no settings
argument), so `wiring.install()` records the process's settings here once at start-up.
"""

from __future__ import annotations

from typing import Self
from zoneinfo import ZoneInfo

from pydantic import Field, model_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

from routing.sla.calendar import WorkingHours


class SlaSettings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="ROUTING_SLA_", extra="ignore", frozen=True)

    # Demo knobs: every policy duration is multiplied by `scale` when a cycle is armed
    # (0.001 turns 2 working hours into 7.2 working seconds); `force_24x7` counts wall time,
    # so a demo at night still moves. Both are recorded in the cycle's policy snapshot.
    scale: float = Field(1.0, gt=0, le=1000)
    force_24x7: bool = False
    working_hours: str = "09:00-12:00,13:30-17:30"
    timezone: str = "Asia/Shanghai"

    run_scheduler: bool = True  # an API-only replica can switch it off
    batch_size: int = Field(200, ge=1, le=5000)
    max_sleep_s: float = Field(1.0, gt=0, le=60)  # the scheduler wakes at least this often
    status_refresh_s: float = Field(30.0, gt=0)  # how often /ready's SLA detail is recounted

    @model_validator(mode="after")
    def _valid_calendar(self) -> Self:
        WorkingHours.parse(self.working_hours)
        ZoneInfo(self.timezone)
        return self

    @property
    def hours(self) -> WorkingHours:
        return WorkingHours.parse(self.working_hours)


_active: SlaSettings | None = None


def use(settings: SlaSettings) -> None:
    global _active
    _active = settings


def active() -> SlaSettings:
    global _active
    if _active is None:
        _active = SlaSettings()
    return _active
