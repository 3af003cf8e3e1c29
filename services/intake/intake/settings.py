"""Settings of the intake service (environment variables; shared ones are unprefixed)."""

from __future__ import annotations

import base64
from typing import Self

from pydantic import Field, model_validator

from huiyin.settings import ServiceSettings

# Refused outside development, like the shared development keys.
DEV_CONTACT_HMAC_KEY = "aHVpeWluLWRldi1vbmx5LWNvbnRhY3QtaG1hYy1rZXk="
DEV_OPEN311_API_KEY = "huiyin-dev-open311-key"
DEV_CITIZEN_REF_KEY = "aHVpeWluLWRldi1vbmx5LWNpdGl6ZW4tcmVmLWtleQ=="


class IntakeSettings(ServiceSettings):
    service_name: str = "intake"
    http_port: int = Field(8001, ge=1, le=65535, validation_alias="INTAKE_HTTP_PORT")
    workers: int = Field(1, ge=1, le=16, validation_alias="INTAKE_WORKERS")
    database_url: str = Field(
        "postgresql+asyncpg://postgres@127.0.0.1:5432/huiyin_intake",
        validation_alias="INTAKE_DATABASE_URL",
    )

    # Filings committed together: one transaction for up to this many concurrent requests.
    group_commit_max_batch: int = Field(200, ge=1, le=1000, validation_alias="INTAKE_GROUP_COMMIT_MAX_BATCH")
    # POST /api/v1/complaints answered by a pure-ASGI fast path (same answers, less CPU);
    # false: by the FastAPI route (entrypoints/filing_fast_path.py).
    filing_fast_path: bool = Field(True, validation_alias="INTAKE_FILING_FAST_PATH")
    # Per client address; generous so a benchmark from one host is not throttled. 0 = off.
    filing_rate_per_minute: int = Field(120_000, ge=0, validation_alias="INTAKE_FILING_RATE_PER_MINUTE")
    # Wrong tracking code or access token: this many per window, then 429 until it ends.
    lookup_failures_allowed: int = Field(10, ge=1, validation_alias="INTAKE_LOOKUP_FAILURES_ALLOWED")
    lookup_failure_window_s: float = Field(300, gt=0, validation_alias="INTAKE_LOOKUP_FAILURE_WINDOW_S")

    duplicate_window_s: float = Field(24 * 3600, gt=0, validation_alias="INTAKE_DUPLICATE_WINDOW_S")
    duplicate_radius_m: float = Field(300, gt=0, validation_alias="INTAKE_DUPLICATE_RADIUS_M")
    # Keyed hash of a contact's phone/e-mail (duplicate detection without decrypting). Unlike
    # the PII encryption keys it is not rotated: a new key would hide every earlier duplicate.
    contact_hmac_key: str = Field(DEV_CONTACT_HMAC_KEY, validation_alias="INTAKE_CONTACT_HMAC_KEY")
    # Keys the citizen pseudonym in ComplaintSubmitted.citizen_ref (hot spots count distinct
    # citizens with it). Separate from the contact key so the pseudonym other services see
    # cannot be matched against intake's own column. Rotating it splits every citizen in two
    # for the hot-spot window (docs/intake.md).
    citizen_ref_key: str = Field(DEV_CITIZEN_REF_KEY, validation_alias="INTAKE_CITIZEN_REF_KEY")
    idempotency_ttl_s: float = Field(24 * 3600, gt=0, validation_alias="INTAKE_IDEMPOTENCY_TTL_S")

    open311_api_keys: str = Field(
        DEV_OPEN311_API_KEY,
        validation_alias="INTAKE_OPEN311_API_KEYS",
        description="comma-separated api_key values accepted by POST /open311/v2/requests",
    )
    open311_jurisdiction_id: str = Field("huiyin.city", validation_alias="INTAKE_OPEN311_JURISDICTION_ID")

    @model_validator(mode="after")
    def _intake_keys(self) -> Self:
        if len(base64.b64decode(self.contact_hmac_key)) < 16:
            raise ValueError("INTAKE_CONTACT_HMAC_KEY must be base64 of at least 16 bytes")
        if len(base64.b64decode(self.citizen_ref_key)) < 16:
            raise ValueError("INTAKE_CITIZEN_REF_KEY must be base64 of at least 16 bytes")
        if self.environment == "production":
            if self.contact_hmac_key == DEV_CONTACT_HMAC_KEY:
                raise ValueError("INTAKE_CONTACT_HMAC_KEY is the development key; set a real one")
            if self.citizen_ref_key == DEV_CITIZEN_REF_KEY:
                raise ValueError("INTAKE_CITIZEN_REF_KEY is the development key; set a real one")
            if DEV_OPEN311_API_KEY in self.open311_keys:
                raise ValueError("INTAKE_OPEN311_API_KEYS holds the development key; set real ones")
        return self

    @property
    def open311_keys(self) -> tuple[str, ...]:
        return tuple(k.strip() for k in self.open311_api_keys.split(",") if k.strip())

    @property
    def contact_hmac_bytes(self) -> bytes:
        return base64.b64decode(self.contact_hmac_key)

    @property
    def citizen_ref_bytes(self) -> bytes:
        return base64.b64decode(self.citizen_ref_key)
