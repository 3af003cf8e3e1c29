"""The citizen's JSON API: categories, filing, tracking, withdrawing, answering a question."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Header, Request

from huiyin.auth import access
from huiyin.http.responses import FastJSONResponse
from intake.domain import categories
from intake.domain.filing import ComplaintCreate
from intake.entrypoints import schemas as s
from intake.entrypoints.deps import CitizenGateDep, IntakeDep
from intake.entrypoints.filing import file_new_complaint
from intake.entrypoints.views import category_out, citizen_view
from intake.handlers import citizen_actions

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
    # Served by intake.entrypoints.filing_fast_path unless that is turned off
    # (INTAKE_FILING_FAST_PATH); declared here for the OpenAPI document and as the fallback.
    return await file_new_complaint(request, body, await request.body())


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
