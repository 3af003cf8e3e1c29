"""Open311 GeoReport v2: existing city apps and 311 clients file into Huiyin and read status.

Every response comes as `.json` or `.xml`; errors are the spec's list of
{code, description}. Filing needs an `api_key` from the configured list; reads are public.
"""

from __future__ import annotations

import hmac
import uuid
from datetime import timedelta
from typing import Annotated

from fastapi import APIRouter, Depends, FastAPI, Query, Request, Response
from pydantic import ValidationError

from huiyin.auth import access
from intake.domain import categories
from intake.domain.filing import ComplaintCreate
from intake.domain.tracking import normalize_tracking_code
from intake.entrypoints.deps import IntakeDep, filing_rate_limit
from intake.entrypoints.open311 import records
from intake.entrypoints.open311.params import check_request, describe_errors, split_list, w3c_datetime
from intake.entrypoints.open311.render import Open311Error, check_format, handle_open311_error, render
from intake.handlers import open311_queries as q
from intake.handlers.commit_filings import Filed
from intake.handlers.prepare_filing import prepare_filing

router = APIRouter(prefix="/open311/v2", tags=["open311"], dependencies=[access.public()])
Jurisdiction = Annotated[str | None, Query(max_length=100)]
MAX_SPAN = timedelta(days=90)


def install(app: FastAPI) -> None:
    app.add_exception_handler(Open311Error, handle_open311_error)


@router.get("/services.{fmt}")
async def services(fmt: str, intake: IntakeDep, jurisdiction_id: Jurisdiction = None) -> Response:
    fmt = check_request(intake, fmt, jurisdiction_id)
    return render(fmt, [records.service(c) for c in categories.CATEGORIES], root="services", item="service")


@router.get("/services/{service_code}.{fmt}")
async def service_definition(
    service_code: str, fmt: str, intake: IntakeDep, jurisdiction_id: Jurisdiction = None
) -> Response:
    fmt = check_request(intake, fmt, jurisdiction_id)
    if not categories.is_known(service_code):
        raise Open311Error(404, f"unknown service_code {service_code!r}", fmt=fmt)
    body = {"service_code": service_code, "attributes": []}
    return render(fmt, body, root="service_definition", item="attribute")


@router.post("/requests.{fmt}", status_code=201, dependencies=[Depends(filing_rate_limit)])
async def create_request(fmt: str, request: Request, intake: IntakeDep) -> Response:
    fmt = check_format(fmt)
    form = {k: v for k, v in (await request.form()).items() if isinstance(v, str)}
    check_request(intake, fmt, form.get("jurisdiction_id") or None)
    given_key = form.get("api_key", "")
    if not any(hmac.compare_digest(given_key.encode(), k.encode()) for k in intake.settings.open311_keys):
        raise Open311Error(403, "a valid api_key is required to create service requests", fmt=fmt)
    try:
        body = ComplaintCreate.model_validate(records.complaint_fields(form))
    except ValidationError as exc:
        raise Open311Error(400, describe_errors(exc), fmt=fmt) from None
    now = intake.runtime.clock.now()
    outcome = await intake.filings.submit(prepare_filing(body, now=now, policy=intake.policy))
    if not isinstance(outcome, Filed):  # only a request with an Idempotency-Key can lose its key
        raise TypeError(f"unexpected filing outcome {outcome!r}")
    reply = {
        "service_request_id": outcome.body["tracking_code"],
        "token": outcome.body["id"],
        "service_notice": "Keep the access_token: it is shown once and is needed to follow this request.",
        "account_id": None,
        "access_token": outcome.body["access_token"],
    }
    return render(fmt, [reply], root="service_requests", item="request", status=201)


@router.get("/requests.{fmt}")
async def list_requests(
    fmt: str,
    intake: IntakeDep,
    service_request_id: Annotated[str | None, Query(max_length=2000)] = None,
    service_code: Annotated[str | None, Query(max_length=1000)] = None,
    start_date: Annotated[str | None, Query(max_length=40)] = None,
    end_date: Annotated[str | None, Query(max_length=40)] = None,
    status: Annotated[str | None, Query(max_length=20)] = None,
    jurisdiction_id: Jurisdiction = None,
) -> Response:
    fmt = check_request(intake, fmt, jurisdiction_id)
    statuses = split_list(status)
    if bad := [s for s in statuses if s not in ("open", "closed")]:
        raise Open311Error(400, f"unknown status {bad[0]!r}: use open or closed", fmt=fmt)
    end = w3c_datetime(end_date, "end_date", fmt) or intake.runtime.clock.now()
    start = w3c_datetime(start_date, "start_date", fmt) or end - MAX_SPAN
    if end - start > MAX_SPAN:
        raise Open311Error(400, "start_date to end_date may not span more than 90 days", fmt=fmt)
    # Values that cannot name a request or a service match nothing (and never reach SQL).
    ids = [c for i in split_list(service_request_id) if (c := normalize_tracking_code(i))]
    codes = [c for c in split_list(service_code) if categories.is_known(c)]
    if (service_request_id and not ids) or (service_code and not codes):
        return render(fmt, [], root="service_requests", item="request")
    found = await q.find_requests(intake.uow(), q.RequestFilter(ids, codes, start, end, statuses))
    return render(
        fmt, [records.service_request(c, v) for c, v in found], root="service_requests", item="request"
    )


@router.get("/requests/{service_request_id}.{fmt}")
async def get_request(
    service_request_id: str, fmt: str, intake: IntakeDep, jurisdiction_id: Jurisdiction = None
) -> Response:
    fmt = check_request(intake, fmt, jurisdiction_id)
    code = normalize_tracking_code(service_request_id)
    found = await q.find_request(intake.uow(), code) if code else None
    if found is None:
        raise Open311Error(404, f"no service request {service_request_id!r}", fmt=fmt)
    return render(fmt, [records.service_request(*found)], root="service_requests", item="request")


@router.get("/tokens/{token}.{fmt}")
async def get_token(
    token: str, fmt: str, intake: IntakeDep, jurisdiction_id: Jurisdiction = None
) -> Response:
    fmt = check_request(intake, fmt, jurisdiction_id)
    try:
        found = await q.find_by_token(intake.uow(), uuid.UUID(token))
    except ValueError:
        found = None
    if found is None:
        raise Open311Error(404, f"no service request for token {token!r}", fmt=fmt)
    reply = {"service_request_id": found[0].tracking_code, "token": token}
    return render(fmt, [reply], root="service_requests", item="request")
