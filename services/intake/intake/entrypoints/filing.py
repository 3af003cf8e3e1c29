"""Filing a complaint over HTTP: the one implementation behind POST /api/v1/complaints.

Both the FastAPI route (complaints_api) and the fast path (filing_fast_path) call
`file_new_complaint` with a validated body, so they cannot drift apart.
"""

from __future__ import annotations

import hashlib
from typing import Any

from fastapi import Request
from fastapi.exceptions import RequestValidationError

from huiyin.http.errors import DomainError
from huiyin.http.responses import FastJSONResponse
from intake.domain.filing import ComplaintCreate, future_occurrence_error
from intake.entrypoints.deps import Intake, check_filing_rate
from intake.handlers.commit_filings import KeyTaken
from intake.handlers.idempotency import first_response
from intake.handlers.prepare_filing import Idempotency, prepare_filing


async def file_new_complaint(request: Request, body: ComplaintCreate, raw_body: bytes) -> FastJSONResponse:
    """The 201 answer for a filing (or a replay of the first one); `raw_body` is the request's
    bytes as received, whose hash ties an Idempotency-Key to its body."""
    intake: Intake = request.app.state.intake
    check_filing_rate(intake, request)
    now = intake.runtime.clock.now()
    if error := future_occurrence_error(body.occurred_at, now):
        raise RequestValidationError([error])
    idem = None
    if (key := request.headers.get("idempotency-key")) is not None:
        idem = Idempotency(_checked_key(key), hashlib.sha256(raw_body).hexdigest())
        if (first := await first_response(intake.uow(), intake.keyring, idem)) is not None:
            return _replayed(first)
    outcome = await intake.filings.submit(
        prepare_filing(body, now=now, policy=intake.policy, idempotency=idem)
    )
    if isinstance(outcome, KeyTaken):  # a concurrent request with this key committed first
        return await _answer_taken_key(intake, idem)  # type: ignore[arg-type]
    return FastJSONResponse(outcome.body, status_code=201)


def _checked_key(key: str) -> str:
    if not 1 <= len(key) <= 200:
        error = {"type": "string_length", "loc": ("header", "idempotency-key"), "msg": "1 to 200 characters"}
        raise RequestValidationError([error])
    return key


async def _answer_taken_key(intake: Intake, idem: Idempotency) -> FastJSONResponse:
    first = await first_response(intake.uow(), intake.keyring, idem)
    if first is None:
        raise DomainError(409, "a request with this Idempotency-Key is still being processed; retry")
    return _replayed(first)


def _replayed(body: dict[str, Any]) -> FastJSONResponse:
    return FastJSONResponse(body, status_code=201, headers={"Idempotent-Replayed": "true"})
