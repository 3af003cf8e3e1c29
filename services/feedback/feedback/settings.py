"""Settings of the feedback service (environment variables; shared ones are unprefixed)."""

from __future__ import annotations

from typing import Self

from pydantic import Field, model_validator

from huiyin.settings import ServiceSettings


class FeedbackSettings(ServiceSettings):
    service_name: str = "feedback"
    http_port: int = Field(8003, ge=1, le=65535, validation_alias="FEEDBACK_HTTP_PORT")
    workers: int = Field(1, ge=1, le=16, validation_alias="FEEDBACK_WORKERS")
    database_url: str = Field(
        "postgresql+asyncpg://postgres@127.0.0.1:5432/huiyin_feedback",
        validation_alias="FEEDBACK_DATABASE_URL",
    )
    # Feedback's consumer groups take a batch that is not full at most this often (seconds):
    # nobody waits on figures, the audit log or a feedback request within a second, and
    # fewer, larger transactions leave the cores and PostgreSQL to the inbox path
    # (bench/analysis.md). 0: as soon as events arrive.
    feedback_gather_s: float = Field(1.0, ge=0, le=60, validation_alias="FEEDBACK_GATHER_S")
    # How long the citizen may give a verdict after the resolution (seconds; 7 days).
    feedback_window_s: float = Field(7 * 24 * 3600, gt=0, validation_alias="FEEDBACK_WINDOW_S")
    # How often the expiry loop looks for requests whose window has closed.
    feedback_expiry_poll_s: float = Field(5.0, gt=0, validation_alias="FEEDBACK_EXPIRY_POLL_S")
    # Composite score = weighted mean of response, resolution and satisfaction rates.
    ranking_weight_response: float = Field(0.4, ge=0, validation_alias="FEEDBACK_RANKING_WEIGHT_RESPONSE")
    ranking_weight_resolution: float = Field(0.3, ge=0, validation_alias="FEEDBACK_RANKING_WEIGHT_RESOLUTION")
    ranking_weight_satisfaction: float = Field(
        0.3, ge=0, validation_alias="FEEDBACK_RANKING_WEIGHT_SATISFACTION"
    )

    # Public figures (docs/public-figures.md): a figure computed from fewer items is shown as
    # "too few to publish"; a month is frozen this long after it ends (late events land first).
    public_min_count: int = Field(5, ge=1, le=1000, validation_alias="FEEDBACK_PUBLIC_MIN_COUNT")
    public_grace_s: float = Field(3600, ge=0, validation_alias="FEEDBACK_PUBLIC_GRACE_S")
    public_poll_s: float = Field(60.0, gt=0, validation_alias="FEEDBACK_PUBLIC_POLL_S")

    @model_validator(mode="after")
    def _some_weight(self) -> Self:
        if self.ranking_weights_total() <= 0:
            raise ValueError("at least one FEEDBACK_RANKING_WEIGHT_* must be positive")
        return self

    def ranking_weights(self) -> dict[str, float]:
        return {
            "response_rate": self.ranking_weight_response,
            "resolution_rate": self.ranking_weight_resolution,
            "satisfaction_rate": self.ranking_weight_satisfaction,
        }

    def ranking_weights_total(self) -> float:
        return sum(self.ranking_weights().values())
