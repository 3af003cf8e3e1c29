"""The bare baseline: FastAPI + uvicorn, a small pydantic body, one asyncpg transaction per
request inserting a complaint-like row and an outbox-like row. Nothing else (no auth, no
group commit, no relay): what a naive filing endpoint costs on this machine.

Run by `bench.baselines.bare` as `uvicorn bench.baselines.bare_app:create_app --factory`
with as many workers as intake; the DSN comes from BENCH_BARE_DSN.
"""

from __future__ import annotations

import os
import uuid
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from datetime import UTC, datetime

import asyncpg
import orjson
from fastapi import FastAPI, Request, Response
from pydantic import BaseModel, ConfigDict, Field

SCHEMA = """
CREATE TABLE IF NOT EXISTS bare_complaints (
    id uuid PRIMARY KEY,
    category text NOT NULL,
    priority text NOT NULL,
    description text NOT NULL,
    lat double precision,
    lon double precision,
    address text,
    channel text NOT NULL,
    submitted_at timestamptz NOT NULL
);
CREATE TABLE IF NOT EXISTS bare_outbox (
    id bigserial PRIMARY KEY,
    event_id text NOT NULL UNIQUE,
    topic text NOT NULL,
    key text NOT NULL,
    payload bytea NOT NULL,
    created_at timestamptz NOT NULL DEFAULT now(),
    published_at timestamptz
);
CREATE INDEX IF NOT EXISTS ix_bare_outbox_pending ON bare_outbox (id) WHERE published_at IS NULL;
"""

_INSERT_COMPLAINT = """
INSERT INTO bare_complaints (id, category, priority, description, lat, lon, address, channel, submitted_at)
VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)
"""
_INSERT_OUTBOX = "INSERT INTO bare_outbox (event_id, topic, key, payload) VALUES ($1, 'complaints', $2, $3)"


class Location(BaseModel):
    lat: float | None = Field(None, ge=-90, le=90)
    lon: float | None = Field(None, ge=-180, le=180)
    address: str | None = Field(None, max_length=500)


class Filing(BaseModel):
    model_config = ConfigDict(extra="ignore")  # the bodies also carry a contact; not stored here

    category: str = Field(max_length=64)
    description: str = Field(min_length=10, max_length=5000)
    location: Location
    channel: str = "web"
    priority: str = "normal"


def create_app() -> FastAPI:
    dsn = os.environ["BENCH_BARE_DSN"]
    pool_size = int(os.environ.get("BENCH_BARE_POOL", "10"))

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        app.state.pool = await asyncpg.create_pool(dsn, min_size=pool_size, max_size=pool_size)
        try:
            yield
        finally:
            await app.state.pool.close()

    app = FastAPI(lifespan=lifespan)

    @app.post("/api/v1/complaints", status_code=201)
    async def file_complaint(filing: Filing, request: Request) -> Response:
        complaint_id = uuid.uuid4()
        now = datetime.now(UTC)
        loc = filing.location
        event = orjson.dumps({"complaint_id": str(complaint_id), **filing.model_dump(), "submitted_at": now})
        async with request.app.state.pool.acquire() as conn, conn.transaction():
            await conn.execute(
                _INSERT_COMPLAINT,
                complaint_id,
                filing.category,
                filing.priority,
                filing.description,
                loc.lat,
                loc.lon,
                loc.address,
                filing.channel,
                now,
            )
            await conn.execute(_INSERT_OUTBOX, str(uuid.uuid4()), str(complaint_id), event)
        return Response(
            orjson.dumps({"id": str(complaint_id)}), status_code=201, media_type="application/json"
        )

    return app
