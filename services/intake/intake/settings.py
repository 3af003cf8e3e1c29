"""Settings of the intake service (environment variables; shared ones are unprefixed)."""

from __future__ import annotations

from pydantic import Field

from huiyin.settings import ServiceSettings


class IntakeSettings(ServiceSettings):
    service_name: str = "intake"
    http_port: int = Field(8001, ge=1, le=65535, validation_alias="INTAKE_HTTP_PORT")
    workers: int = Field(1, ge=1, le=16, validation_alias="INTAKE_WORKERS")
    database_url: str = Field(
        "postgresql+asyncpg://postgres@127.0.0.1:5432/huiyin_intake",
        validation_alias="INTAKE_DATABASE_URL",
    )
