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
    # A GeoJSON import of a whole city's jurisdictions is larger than the default 64 KiB.
    max_body_bytes: int = Field(4 * 1024 * 1024, ge=1024, validation_alias="ROUTING_MAX_BODY_BYTES")
