"""Escalation API: supervision's force-escalate, a unit's "escalated to you" list, and a
complaint's SLA state (deadlines, provisional flag, escalations)."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated
from uuid import UUID

from fastapi import APIRouter, HTTPException, Path, Query

from huiyin.auth import access
from huiyin.auth.tokens import Principal, Role
from routing.sla import handlers, queries
from routing.sla.admin_routes import RuntimeDep
from routing.sla.api_models import ComplaintSlaOut, CycleOut, EscalateIn, EscalationOut

Staff = Annotated[Principal, access.staff(*Role)]
Supervisor = Annotated[Principal, access.staff(Role.SUPERVISION, Role.ADMIN)]
SEES_ALL = (Role.SUPERVISION, Role.ADMIN, Role.DISPATCH)


def escalation_router() -> APIRouter:
    router = APIRouter(prefix="/api/v1", tags=["sla"])

    @router.post("/complaints/{complaint_id}/escalate", response_model=EscalationOut, status_code=201)
    async def force_escalate(
        complaint_id: UUID, body: EscalateIn, principal: Supervisor, rt: RuntimeDep
    ) -> EscalationOut:
        event = await handlers.force_escalate(
            rt.uow, complaint_id=complaint_id, reason=body.reason, by=principal.username or principal.user_id
        )
        return EscalationOut.model_validate(event.model_dump())

    @router.get("/units/{unit_id}/escalations", response_model=list[EscalationOut])
    async def unit_escalations(
        unit_id: Annotated[str, Path(pattern=r"^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$")],
        principal: Staff,
        rt: RuntimeDep,
        before: datetime | None = None,
        limit: Annotated[int, Query(ge=1, le=500)] = 100,
    ) -> list[EscalationOut]:
        if principal.unit_id != unit_id and not principal.is_(*SEES_ALL):
            raise HTTPException(403, "you may only read the escalations addressed to your own unit")
        async with rt.sessions() as session:
            rows = await queries.unit_escalations(session, unit_id, before=before, limit=limit)
        return [EscalationOut.model_validate(r) for r in rows]

    @router.get("/complaints/{complaint_id}/sla", response_model=ComplaintSlaOut)
    async def complaint_sla(complaint_id: UUID, principal: Staff, rt: RuntimeDep) -> ComplaintSlaOut:
        async with rt.sessions() as session:
            cycles, escalations = await queries.complaint_sla(session, complaint_id)
        if not cycles:
            raise HTTPException(404, "no SLA cycle for this complaint")
        involved = {c.unit_id for c in cycles} | {u for c in cycles for u in c.escalation_units}
        if principal.unit_id not in involved and not principal.is_(*SEES_ALL, Role.DISTRICT_SUPERVISOR):
            raise HTTPException(403, "this complaint is not with your unit")
        return ComplaintSlaOut(
            complaint_id=complaint_id,
            cycles=[CycleOut.model_validate(c.model_dump()) for c in cycles],
            escalations=[EscalationOut.model_validate(e) for e in escalations],
        )

    return router
