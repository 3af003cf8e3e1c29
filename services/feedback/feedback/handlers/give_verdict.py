"""The citizen's verdict on a resolution, and what the citizen sees about it."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from feedback.adapters import requests_repo
from feedback.adapters.tables import CitizenAccess, FeedbackRequest
from feedback.domain.verdict import Satisfaction, decide, token_matches
from huiyin.db import UnitOfWork
from huiyin.events.feedback import VerdictGiven
from huiyin.http.errors import DomainError
from huiyin.pii import mask_text

NOT_FOUND = "no complaint with this tracking code and access token"


@dataclass(frozen=True)
class VerdictInput:
    resolved: bool
    satisfaction: Satisfaction
    comment: str | None = None


async def _citizen(uow: UnitOfWork, tracking_code: str, token: str | None) -> CitizenAccess:
    access = await requests_repo.access_by_code(uow.session, tracking_code)
    # One answer for an unknown code and a wrong token: the API must not confirm codes.
    if access is None or not token or not token_matches(token, access.token_sha256):
        raise DomainError(404, NOT_FOUND)
    return access


def view(request: FeedbackRequest | None, now: datetime) -> dict[str, Any]:
    if request is None:
        return {"requested": False, "status": "not_requested", "closes_at": None, "verdict": None}
    status = request.status
    if status == "open" and request.closes_at <= now:
        status = "expired"
    verdict = None
    if request.status == "given":
        verdict = {
            "resolved": request.resolved,
            "satisfaction": request.satisfaction,
            "comment": request.comment,
            "given_at": request.given_at,
            "reopen_requested": request.reopen_requested,
            "review_flagged": request.review_flagged,
        }
    return {
        "requested": True,
        "status": status,  # open | given | expired
        "requested_at": request.requested_at,
        "closes_at": request.closes_at,
        "cycle": request.cycle,
        "verdict": verdict,
    }


async def feedback_status(uow: UnitOfWork, *, tracking_code: str, token: str | None) -> dict[str, Any]:
    access = await _citizen(uow, tracking_code, token)
    request = await requests_repo.latest_request(uow.session, access.complaint_id)
    return view(request, uow.clock.now())


async def give_verdict(
    uow: UnitOfWork, *, tracking_code: str, token: str | None, verdict: VerdictInput
) -> dict[str, Any]:
    access = await _citizen(uow, tracking_code, token)
    request = await requests_repo.latest_request(uow.session, access.complaint_id, for_update=True)
    now = uow.clock.now()
    if request is None:
        raise DomainError(
            409, "the complaint has not been resolved yet: no verdict is asked for", code="not_requested"
        )
    if request.status == "given":
        raise DomainError(409, "a verdict was already given for this resolution", code="already_given")
    if request.status == "expired" or request.closes_at <= now:
        raise DomainError(
            409,
            "the feedback window has closed",
            code="window_closed",
            closes_at=request.closes_at.isoformat(),
        )
    earlier = await requests_repo.earlier_reopens(uow.session, access.complaint_id)
    decision = decide(resolved=verdict.resolved, satisfaction=verdict.satisfaction, earlier_reopens=earlier)
    request.status, request.given_at = "given", now
    request.resolved, request.satisfaction = verdict.resolved, verdict.satisfaction
    request.comment = mask_text(verdict.comment) if verdict.comment else None
    request.reopen_requested, request.review_flagged = decision.reopen_requested, decision.review_flagged
    uow.session.add(request)
    uow.emit(
        VerdictGiven(
            complaint_id=request.complaint_id,
            assignment_id=request.assignment_id,
            unit_id=request.unit_id,
            cycle=request.cycle,
            resolved=verdict.resolved,
            satisfaction=verdict.satisfaction,
            comment=request.comment,
            at=now,
            reopen_requested=decision.reopen_requested,
            review_flagged=decision.review_flagged,
        )
    )
    await uow.commit()
    return view(request, now)
