"""Audit use cases: append every consumed event to the chain; verify the chain; a
complaint's timeline as supervision reads it."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from feedback.adapters import audit_repo
from feedback.domain.audit_chain import ChainWalker
from feedback.domain.timeline import timeline
from huiyin.db import UnitOfWork
from huiyin.events import REGISTRY, Event
from huiyin.messaging.handlers import HandlerTable


async def append_to_audit(uow: UnitOfWork, events: Sequence[Event[Any]]) -> None:
    await audit_repo.append(uow.session, events)


def handler_table() -> HandlerTable:
    return {model: [append_to_audit] for model in REGISTRY.types().values()}


async def verify_chain(uow: UnitOfWork) -> dict[str, Any]:
    """Walk the whole chain in order; report the first record that does not match."""
    walker = ChainWalker()
    async for chunk in audit_repo.walk(uow.session):
        mismatch = walker.check(chunk)
        if mismatch is not None:
            return {
                "ok": False,
                "checked": walker.checked,
                "first_mismatch": {
                    "seq": mismatch.seq,
                    "event_id": mismatch.event_id,
                    "reason": mismatch.reason,
                },
            }
    seq, digest, recorded_at = await audit_repo.head(uow.session)
    return {
        "ok": True,
        "checked": walker.checked,
        "first_mismatch": None,
        # Publish the head elsewhere to detect a truncation of the chain's end later.
        "head": {"seq": seq, "hash": digest, "recorded_at": recorded_at},
    }


async def complaint_timeline(uow: UnitOfWork, complaint_id: str) -> list[dict[str, Any]]:
    return timeline(await audit_repo.timeline(uow.session, complaint_id))
