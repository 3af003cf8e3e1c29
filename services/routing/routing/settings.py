"""Settings of the routing service (environment variables; shared ones are unprefixed)."""

from __future__ import annotations

from pydantic import Field

from huiyin.settings import ServiceSettings


class RoutingSettings(ServiceSettings):
    service_name: str = "routing"
    http_port: int = Field(8002, ge=1, le=65535, validation_alias="ROUTING_HTTP_PORT")
    workers: int = Field(1, ge=1, le=16, validation_alias="ROUTING_WORKERS")
    database_url: str = Field(
        "postgresql+asyncpg://postgres@127.0.0.1:5432/huiyin_routing",
        validation_alias="ROUTING_DATABASE_URL",
    )
    # Transactions in flight in the inbox consumer (group "routing"), one per group of
    # partitions: placing complaints writes only rows of their own, so lanes never contend.
    # 1 on the 2-core benchmark machine: 2 lanes lowered the peak and did not lower the
    # latency at 500/s (bench/analysis.md, session 7); for hosts where PostgreSQL has cores to spare.
    inbox_lanes: int = Field(1, ge=1, le=16, validation_alias="ROUTING_INBOX_LANES")
    # A GeoJSON import of a whole city's jurisdictions is larger than the default 64 KiB.
    max_body_bytes: int = Field(4 * 1024 * 1024, ge=1024, validation_alias="ROUTING_MAX_BODY_BYTES")

    # Hot spots (docs/routing.md "Hot spots"): complaints of one category about the same
    # matter within `hotspot_radius_m` and `hotspot_window_s` form a group; it becomes a hot
    # spot at `hotspot_min_complaints` complaints from `hotspot_min_citizens` citizens.
    hotspot_detection: bool = Field(True, validation_alias="ROUTING_HOTSPOT_DETECTION")
    hotspot_radius_m: float = Field(500.0, gt=0, le=50_000, validation_alias="ROUTING_HOTSPOT_RADIUS_M")
    hotspot_window_s: float = Field(
        14 * 24 * 3600.0, gt=0, le=366 * 24 * 3600.0, validation_alias="ROUTING_HOTSPOT_WINDOW_S"
    )
    hotspot_min_complaints: int = Field(5, ge=2, le=10_000, validation_alias="ROUTING_HOTSPOT_MIN_COMPLAINTS")
    hotspot_min_citizens: int = Field(3, ge=1, le=10_000, validation_alias="ROUTING_HOTSPOT_MIN_CITIZENS")
    # None: the domain's default threshold of text similarity (routing.hotspots.rules).
    hotspot_text_threshold: float | None = Field(
        None, gt=0, le=1, validation_alias="ROUTING_HOTSPOT_TEXT_THRESHOLD"
    )
    hotspot_prune_every_s: float = Field(600.0, gt=0, validation_alias="ROUTING_HOTSPOT_PRUNE_EVERY_S")
