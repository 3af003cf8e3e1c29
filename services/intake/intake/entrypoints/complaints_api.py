"""The citizen's JSON API: categories, filing, tracking, withdrawing, answering a question."""

from __future__ import annotations

import hashlib
from typing import Annotated, Any

from fastapi import APIRouter, Header, Request
from fastapi.exceptions import RequestValidationError

from huiyin.auth import access
from huiyin.http.errors import DomainError
from huiyin.http.responses import FastJSONResponse
from intake.domain import categories
from intake.domain.filing import ComplaintCreate, future_occurrence_error
from intake.entrypoints import schemas as s
from intake.entrypoints.deps import CitizenGateDep, Intake, IntakeDep, check_filing_rate
from intake.entrypoints.views import category_out, citizen_view
from intake.handlers import citizen_actions
from intake.handlers.commit_filings import KeyTaken
from intake.handlers.idempotency import first_response
from intake.handlers.prepare_filing import Idempotency, prepare_filing

router = APIRouter(prefix="/api/v1", tags=["citizens"])
AccessToken = Annotated[str | None, Header(description="the access token returned at filing")]
IDEMPOTENCY_KEY_DOC = {
    "name": "Idempotency-Key",
    "in": "header",
    "required": False,
    "schema": {"type": "string", "minLength": 1, "maxLength": 200},
    "description": "a retry with the same key and body gets the first response and files nothing new",
}
Responses = dict[int | str, dict[str, Any]]
NOT_FOUND: Responses = {404: {"description": "unknown tracking code or wrong access token (the same answer)"}}
LIMITED: Responses = {429: {"description": "too many failed lookups from this address (see Retry-After)"}}


@router.get("/categories", response_model=list[s.CategoryOut], dependencies=[access.public()])
async def list_categories() -> list[s.CategoryOut]:
    return [category_out(c.code) for c in categories.CATEGORIES]


@router.post(
    "/complaints",
    status_code=201,
    response_model=s.FiledComplaint,
    dependencies=[access.public()],
    responses={409: {"description": "Idempotency-Key reused with another body"}, 413: {}, 429: {}, 503: {}},
    openapi_extra={"parameters": [IDEMPOTENCY_KEY_DOC]},
)
async def file_complaint(body: ComplaintCreate, request: Request) -> FastJSONResponse:
    # The hot path: parts are taken from the request directly rather than through more
    # dependencies, which cost more per request here than the filing itself.
    intake: Intake = request.app.state.intake
    check_filing_rate(intake, request)
    now = intake.runtime.clock.now()
    if error := future_occurrence_error(body.occurred_at, now):
        raise RequestValidationError([error])
    idem = None
    if (key := request.headers.get("idempotency-key")) is not None:
        idem = Idempotency(_checked_key(key), hashlib.sha256(await request.body()).hexdigest())
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


@router.get(
    "/complaints/{tracking_code}",
    response_model=s.ComplaintView,
    dependencies=[access.citizen()],
    responses={**NOT_FOUND, **LIMITED},
)
async def track_complaint(
    tracking_code: str, intake: IntakeDep, gate: CitizenGateDep, x_access_token: AccessToken = None
) -> s.ComplaintView:
    found = await citizen_actions.track(intake.uow(), code=tracking_code, token=x_access_token)
    if found is None:
        gate.fail()
    (complaint, view), timeline, hotspot = found
    return citizen_view(complaint, view, timeline, hotspot)


@router.post(
    "/complaints/{tracking_code}/withdraw",
    response_model=s.ComplaintView,
    dependencies=[access.citizen()],
    responses={**NOT_FOUND, **LIMITED, 409: {"description": "already resolved, closed or withdrawn"}},
)
async def withdraw_complaint(
    tracking_code: str,
    intake: IntakeDep,
    gate: CitizenGateDep,
    body: s.WithdrawIn | None = None,
    x_access_token: AccessToken = None,
) -> s.ComplaintView:
    reason = body.reason if body else None
    if not await citizen_actions.withdraw(
        intake.uow(), code=tracking_code, token=x_access_token, reason=reason
    ):
        gate.fail()
    return await track_complaint(tracking_code, intake, gate, x_access_token)


@router.post(
    "/complaints/{tracking_code}/information",
    response_model=s.ComplaintView,
    dependencies=[access.citizen()],
    responses={**NOT_FOUND, **LIMITED, 409: {"description": "the station is not waiting for information"}},
)
async def add_information(
    tracking_code: str,
    body: s.InformationIn,
    intake: IntakeDep,
    gate: CitizenGateDep,
    x_access_token: AccessToken = None,
) -> s.ComplaintView:
    if not await citizen_actions.add_information(
        intake.uow(), code=tracking_code, token=x_access_token, text=body.text
    ):
        gate.fail()
    return await track_complaint(tracking_code, intake, gate, x_access_token)
