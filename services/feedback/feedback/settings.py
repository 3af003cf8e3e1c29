"""Settings of the feedback service (environment variables; shared ones are unprefixed)."""

from __future__ import annotations

from pydantic import Field

from huiyin.settings import ServiceSettings


class FeedbackSettings(ServiceSettings):
    service_name: str = "feedback"
    http_port: int = Field(8003, ge=1, le=65535, validation_alias="FEEDBACK_HTTP_PORT")
    workers: int = Field(1, ge=1, le=16, validation_alias="FEEDBACK_WORKERS")
    database_url: str = Field(
        "postgresql+asyncpg://postgres@127.0.0.1:5432/huiyin_feedback",
        validation_alias="FEEDBACK_DATABASE_URL",
    )
