"""Settings shared by every service, read from the environment by pydantic-settings.

Each service subclasses `ServiceSettings` and adds its own fields; instances are built by
`load_settings()` in a factory (the app factory or a CLI command), never at import.
"""

from __future__ import annotations

from typing import Literal, Self

from pydantic import Field, model_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

# Refused outside development: anyone who reads this repo knows them.
DEV_JWT_SECRET = "huiyin-dev-only-jwt-secret-change-me-0123456789"  # noqa: S105
DEV_PII_KEY = "aHVpeWluLWRldi1vbmx5LXBpaS1rZXktMzJieXRlcyE="  # base64 of 32 bytes, dev only


class ServiceSettings(BaseSettings):
    """Fields every service needs. Environment variables are upper-case field names."""

    model_config = SettingsConfigDict(env_file=None, extra="ignore", frozen=True, populate_by_name=True)

    environment: Literal["development", "test", "production"] = "development"
    service_name: str = "huiyin"
    http_host: str = "127.0.0.1"
    http_port: int = Field(8000, ge=1, le=65535)

    database_url: str = "postgresql+asyncpg://postgres@127.0.0.1:5432/huiyin"
    db_pool_size: int = Field(10, ge=1, le=200)

    kafka_bootstrap_servers: str = "127.0.0.1:9092"
    kafka_partitions: int = Field(6, ge=1)
    # A prefix on every physical topic name: isolates test runs or environments sharing a cluster.
    kafka_topic_prefix: str = Field("", pattern=r"^[A-Za-z0-9._-]*$")

    # Background loops: an API-only replica can switch them off.
    run_relay: bool = True
    run_consumers: bool = True
    # Which of the service's consumer groups this process runs, comma-separated; empty: all.
    # A group nobody waits on (routing-hotspots, feedback's) can so run in a deployment of
    # its own beside the one that runs the inbox path's group (docs/scaling.md).
    run_consumer_groups: str = Field("", pattern=r"^[A-Za-z0-9._, -]*$")

    def consumer_groups_run(self) -> set[str] | None:
        """The groups named by RUN_CONSUMER_GROUPS; None: every group of the service."""
        names = {g.strip() for g in self.run_consumer_groups.split(",") if g.strip()}
        return names or None

    outbox_batch_size: int = Field(500, ge=1, le=10_000)
    outbox_idle_poll_s: float = Field(1.0, gt=0)
    outbox_retention_s: float = Field(7 * 24 * 3600, ge=0)
    # The relay polls from a floor and sweeps from zero this often (outbox/scan_floor.py); 0: every poll sweeps.
    outbox_sweep_every_s: float = Field(5.0, ge=0)
    consumer_batch_size: int = Field(500, ge=1, le=10_000)
    consumer_max_attempts: int = Field(3, ge=1, le=20)
    # A deferring consumer (ConsumerSpec.defers_to) pauses while the one it defers to takes
    # this many records a second or more (over the last second), for at most
    # consumer_defer_max_s per batch. 100/s is a peak for a city (its day's average is a
    # few a minute); run inline, hot-spot detection set the inbox's p99 at every rate of
    # the benchmark ladder (bench/analysis.md).
    consumer_defer_busy_rate: float = Field(100.0, gt=0)
    consumer_defer_max_s: float = Field(30.0, ge=0)
    # A call on a consumer's Kafka client (getmany, commit, start, stop) that has not returned
    # after this long: the consumer is rebuilt (huiyin.messaging.consumer.ConsumerStalled).
    # Well above a rebalance (session timeout 10 s), well below an operator's patience.
    consumer_stall_s: float = Field(60.0, gt=0)
    # A consumer commits its offsets at most this often (huiyin.messaging.consumer.OffsetCommits):
    # after a crash or a rebalance, at most this long of events is delivered again and skipped.
    consumer_commit_interval_s: float = Field(1.0, ge=0, le=60)

    jwt_secret: str = DEV_JWT_SECRET
    jwt_ttl_s: int = Field(1800, ge=30)
    pii_keys: str = Field(
        "k1:" + DEV_PII_KEY,
        description="comma-separated key-id:base64(32 bytes); the first encrypts, all decrypt",
    )

    log_level: str = "INFO"
    log_json: bool = True

    # OpenTelemetry tracing (docs/operations.md). Off by default; the W3C trace context then
    # travels in the outbox rows and Kafka headers. Names follow the OTel SDK's variables.
    otel_enabled: bool = False
    otel_traces_exporter: Literal["otlp", "console", "none"] = "otlp"
    otel_exporter_otlp_endpoint: str = "http://127.0.0.1:4318"  # OTLP over HTTP (the collector)
    otel_traces_sampler_ratio: float = Field(1.0, ge=0, le=1)  # of new traces; children follow

    # Where a browser reaches each service (the stack launcher sets them): a service's pages
    # link to the others and call the sibling APIs they need. Empty: not known.
    intake_url: str = ""
    routing_url: str = ""
    feedback_url: str = ""
    # Page origins allowed to call this service's API from a browser (comma-separated,
    # e.g. "http://127.0.0.1:8001"). Empty (the default): no cross-origin call is allowed.
    cors_allow_origins: str = ""

    @model_validator(mode="after")
    def _no_dev_secrets_in_production(self) -> Self:
        if self.environment == "production":
            if self.jwt_secret == DEV_JWT_SECRET:
                raise ValueError("JWT_SECRET is the development key; set a real one in production")
            if DEV_PII_KEY in self.pii_keys:
                raise ValueError("PII_KEYS holds the development key; set a real one in production")
        if len(self.jwt_secret) < 32:
            raise ValueError("JWT_SECRET must be at least 32 characters")
        return self

    @property
    def cors_origins(self) -> list[str]:
        return [o.strip().rstrip("/") for o in self.cors_allow_origins.split(",") if o.strip()]

    @property
    def kafka_client_id(self) -> str:
        return f"huiyin-{self.service_name}"
