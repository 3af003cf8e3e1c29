"""Key rotation: re-encrypt every sealed value of intake under the key ring's current key.

Rotation (docs/security.md): put the new key first in PII_KEYS and keep the old ones after
it (they still decrypt), restart intake, run this, then drop the old keys. Rows go in
batches, each batch its own transaction; values already under the current key are
skipped, so an interrupted run is simply run again.
"""

from __future__ import annotations

import uuid
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Any

from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine

from huiyin.db import create_engine
from huiyin.pii import KeyRing

CONTACT_COLUMNS = ("contact_name_enc", "contact_phone_enc", "contact_email_enc")

# The key id is the ciphertext's prefix up to the first dot (huiyin.pii.KeyRing.encrypt).
STALE_COMPLAINTS = """
SELECT id, contact_name_enc, contact_phone_enc, contact_email_enc FROM intake_complaints
 WHERE id > :after
   AND (split_part(contact_name_enc, '.', 1) <> :kid OR split_part(contact_phone_enc, '.', 1) <> :kid
        OR split_part(contact_email_enc, '.', 1) <> :kid)
 ORDER BY id LIMIT :limit FOR UPDATE
"""
UPDATE_COMPLAINT = """
UPDATE intake_complaints
   SET contact_name_enc = :contact_name_enc, contact_phone_enc = :contact_phone_enc,
       contact_email_enc = :contact_email_enc
 WHERE id = :id
"""
STALE_IDEMPOTENCY = """
SELECT key, response_enc FROM intake_idempotency
 WHERE key > :after AND split_part(response_enc, '.', 1) <> :kid
 ORDER BY key LIMIT :limit FOR UPDATE
"""
UPDATE_IDEMPOTENCY = "UPDATE intake_idempotency SET response_enc = :response_enc WHERE key = :key"


@dataclass(frozen=True)
class Reencrypted:
    complaints: int
    idempotency_records: int


async def reencrypt_contacts(database_url: str, keyring: KeyRing, *, batch: int = 500) -> Reencrypted:
    """Re-encrypt contact data (and stored filing responses) sealed under an older key."""
    engine = create_engine(database_url, pool_size=1)
    try:
        complaints = await _in_batches(
            engine, batch, lambda conn, after: _complaints(conn, keyring, after, batch)
        )
        records = await _in_batches(
            engine, batch, lambda conn, after: _idempotency(conn, keyring, after, batch)
        )
    finally:
        await engine.dispose()
    return Reencrypted(complaints=complaints, idempotency_records=records)


Step = Callable[[AsyncConnection, Any], Awaitable[tuple[int, Any]]]


async def _in_batches(engine: AsyncEngine, batch: int, step: Step) -> int:
    """Run `step(conn, after)` in one transaction per batch until a batch comes back short."""
    total, after = 0, None
    while True:
        async with engine.begin() as conn:
            done, after = await step(conn, after)
        total += done
        if done < batch:
            return total


async def _complaints(conn: AsyncConnection, keyring: KeyRing, after: Any, limit: int) -> tuple[int, Any]:
    params = {"after": after or uuid.UUID(int=0), "kid": keyring.current_kid}
    rows = (await conn.execute(text(STALE_COMPLAINTS), {**params, "limit": limit})).mappings().all()
    updates = []
    for row in rows:
        aad = row["id"].bytes  # the complaint id binds each ciphertext to its row
        updates.append({"id": row["id"], **{c: _reseal(keyring, row[c], aad) for c in CONTACT_COLUMNS}})
    if updates:
        await conn.execute(text(UPDATE_COMPLAINT), updates)
    return len(rows), rows[-1]["id"] if rows else after


async def _idempotency(conn: AsyncConnection, keyring: KeyRing, after: Any, limit: int) -> tuple[int, Any]:
    params = {"after": after or "", "kid": keyring.current_kid, "limit": limit}
    rows = (await conn.execute(text(STALE_IDEMPOTENCY), params)).mappings().all()
    updates = [
        {"key": r["key"], "response_enc": _reseal(keyring, r["response_enc"], r["key"].encode())}
        for r in rows
    ]
    if updates:
        await conn.execute(text(UPDATE_IDEMPOTENCY), updates)
    return len(rows), rows[-1]["key"] if rows else after


def _reseal(keyring: KeyRing, sealed: str | None, aad: bytes) -> str | None:
    if sealed is None or sealed.partition(".")[0] == keyring.current_kid:
        return sealed
    return keyring.encrypt(keyring.decrypt(sealed, aad=aad), aad=aad)
