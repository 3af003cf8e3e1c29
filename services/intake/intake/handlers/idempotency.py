"""Answering a retried filing: the same Idempotency-Key and body get the first response."""

from __future__ import annotations

import hmac
from datetime import timedelta
from typing import Any

from sqlalchemy import delete, select
from sqlmodel import col

from huiyin import jsonutil
from huiyin.db import UnitOfWork
from huiyin.http.errors import DomainError
from huiyin.pii import KeyRing
from intake.adapters.tables import IdempotencyRecord
from intake.handlers.prepare_filing import Idempotency


async def first_response(uow: UnitOfWork, keyring: KeyRing, idem: Idempotency) -> dict[str, Any] | None:
    """The stored 201 body for this key, None if the key is new; 409 if the body differs."""
    async with uow:
        record = await uow.session.get(IdempotencyRecord, idem.key)
        uow.session.expunge_all()  # read-only: keep the record readable after the rollback
    if record is None:
        return None
    if not hmac.compare_digest(record.request_sha256, idem.request_sha256):
        raise DomainError(409, "this Idempotency-Key was used with a different request body")
    body: dict[str, Any] = jsonutil.loads(keyring.decrypt(record.response_enc, aad=idem.key.encode()))
    return body


async def prune_expired(uow: UnitOfWork, *, ttl_s: float, limit: int = 10_000) -> int:
    """Forget records older than the TTL (a retry after that files anew)."""
    cutoff = uow.clock.now() - timedelta(seconds=ttl_s)
    async with uow:
        old = (
            select(col(IdempotencyRecord.key))
            .where(col(IdempotencyRecord.created_at) < cutoff)
            .limit(limit)
            .scalar_subquery()
        )
        result = await uow.session.execute(
            delete(IdempotencyRecord).where(col(IdempotencyRecord.key).in_(old))
        )
        await uow.commit()
    return int(result.rowcount or 0)  # type: ignore[attr-defined]
