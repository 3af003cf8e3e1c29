"""Writing a batch of filings: complaint rows, status rows and idempotency records, each
table in one statement (the caller owns the transaction)."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import text
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from huiyin.sqlsets import column_params, unnest_insert
from intake.domain.duplicates import Filed

COMPLAINT_COLUMNS = [
    ("id", "uuid"),
    ("tracking_code", "text"),
    ("access_token_sha256", "text"),
    ("category", "text"),
    ("priority", "text"),
    ("description", "text"),
    ("lat", "float8"),
    ("lon", "float8"),
    ("address", "text"),
    ("occurred_at", "timestamptz"),
    ("subject_unit_id", "text"),
    ("subject_officer_id", "text"),
    ("subject_text", "text"),
    ("channel", "text"),
    ("attachments", "jsonb"),
    ("anonymous", "bool"),
    ("contact_name_enc", "text"),
    ("contact_phone_enc", "text"),
    ("contact_email_enc", "text"),
    ("contact_hmac", "text"),
    ("possible_duplicate_of", "uuid"),
    ("submitted_at", "timestamptz"),
]
STATUS_COLUMNS = [("complaint_id", "uuid"), ("state", "text"), ("updated_at", "timestamptz")]
IDEMPOTENCY_COLUMNS = [
    ("key", "text"),
    ("request_sha256", "text"),
    ("complaint_id", "uuid"),
    ("response_enc", "text"),
    ("created_at", "timestamptz"),
]

INSERT_COMPLAINTS = text(unnest_insert("intake_complaints", COMPLAINT_COLUMNS))
INSERT_STATUS = text(unnest_insert("intake_status", STATUS_COLUMNS))
CLAIM_KEYS = text(
    unnest_insert(
        "intake_idempotency", IDEMPOTENCY_COLUMNS, suffix="ON CONFLICT (key) DO NOTHING RETURNING key"
    )
)
RECENT_BY_CONTACT = text(
    """
    SELECT c.id, c.contact_hmac, c.category, c.lat, c.lon, c.address, c.submitted_at
      FROM (SELECT DISTINCT * FROM unnest(CAST(:keys AS text[]), CAST(:categories AS text[]))) AS w(k, cat)
     CROSS JOIN LATERAL (
           SELECT * FROM intake_complaints
            WHERE contact_hmac = w.k AND category = w.cat AND submitted_at >= :since
            ORDER BY submitted_at DESC LIMIT :per_pair) AS c
    """
)
PER_PAIR = 20
TRACKING_CODE_CONSTRAINT = "intake_complaints_tracking_code_key"


class TrackingCodeTaken(Exception):
    """A freshly drawn tracking code already exists (rare): the batch is retried with new codes."""


async def recent_by_contact(
    session: AsyncSession, *, pairs: Sequence[tuple[str, str]], since: datetime
) -> list[Filed]:
    """The latest complaints since `since` of each (contact key, category) pair: at most
    `PER_PAIR` each, so someone filing all day costs the same as anyone else."""
    if not pairs:
        return []
    params = {
        "keys": [k for k, _ in pairs],
        "categories": [c for _, c in pairs],
        "since": since,
        "per_pair": PER_PAIR,
    }
    result = await session.execute(RECENT_BY_CONTACT, params)
    return [Filed(r.id, r.contact_hmac, r.category, r.lat, r.lon, r.address, r.submitted_at) for r in result]


async def claim_idempotency_keys(session: AsyncSession, rows: Sequence[dict[str, Any]]) -> set[str]:
    """Insert the records; returns the keys this transaction got (others were taken first)."""
    if not rows:
        return set()
    result = await session.execute(CLAIM_KEYS, column_params(IDEMPOTENCY_COLUMNS, rows))
    return {row[0] for row in result}


async def insert_complaints(session: AsyncSession, rows: Sequence[dict[str, Any]]) -> None:
    try:
        await session.execute(INSERT_COMPLAINTS, column_params(COMPLAINT_COLUMNS, rows))
    except IntegrityError as exc:
        if TRACKING_CODE_CONSTRAINT in str(exc.orig):
            raise TrackingCodeTaken from exc
        raise
    status = [{"complaint_id": r["id"], "state": "submitted", "updated_at": r["submitted_at"]} for r in rows]
    await session.execute(INSERT_STATUS, column_params(STATUS_COLUMNS, status))
