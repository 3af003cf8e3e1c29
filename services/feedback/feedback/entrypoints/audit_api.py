"""The audit trail: a complaint's full timeline, and a check of the whole hash chain."""

from __future__ import annotations

from uuid import UUID

from fastapi import APIRouter

from feedback.adapters import metrics_queries as q
from feedback.entrypoints.deps import AuditReader, RuntimeDep, Supervision, scope_of
from feedback.handlers import audit
from huiyin.http.errors import DomainError
from huiyin.http.responses import FastJSONResponse

router = APIRouter(prefix="/api/v1/audit", tags=["audit"])


@router.get("/complaints/{complaint_id}", response_class=FastJSONResponse)
async def complaint_timeline(complaint_id: UUID, principal: AuditReader, rt: RuntimeDep) -> FastJSONResponse:
    async with rt.uow() as uow:
        scope = await scope_of(uow, principal)
        units = await q.complaint_units(uow.session, str(complaint_id))
        if not scope.city_wide and not any(scope.allows(u["unit_id"], u["district_id"]) for u in units):
            # The same answer as for an unknown complaint: staff outside it learn nothing.
            raise DomainError(404, "no timeline for this complaint in your scope")
        entries = await audit.complaint_timeline(uow, str(complaint_id))
    if not entries:
        raise DomainError(404, "no timeline for this complaint in your scope")
    return FastJSONResponse({"complaint_id": str(complaint_id), "entries": entries})


@router.get("/verify", response_class=FastJSONResponse)
async def verify_chain(principal: Supervision, rt: RuntimeDep) -> FastJSONResponse:
    async with rt.uow() as uow:
        await uow.read_snapshot()  # the head reported is the one the walk ended at
        result = await audit.verify_chain(uow)
    return FastJSONResponse(result, status_code=200)
