"""The station inbox, one complaint's view, the staff actions and the triage queue."""

from __future__ import annotations

from typing import Annotated, Any
from uuid import UUID

from fastapi import APIRouter, Path, Query

from huiyin.auth.tokens import Principal
from huiyin.db import read_snapshot
from routing.adapters.inbox_query import InboxFilter, Sort
from routing.domain.commands import StationCommand
from routing.domain.lifecycle import OPEN_STATES, Action, State
from routing.entrypoints import schemas_cases as s
from routing.entrypoints import schemas_views as v
from routing.entrypoints.deps import (
    CaseReader,
    DirectoriesDep,
    Dispatcher,
    HeadOfUnit,
    Reassigner,
    RuntimeDep,
    TriageReader,
    UnitWorker,
)
from routing.handlers import read_cases
from routing.handlers.act import act

UnitPath = Annotated[str, Path(pattern=r"^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$")]
CONFLICT: dict[int | str, dict[str, Any]] = {
    409: {"description": "illegal transition or a concurrent change; the body has the current state"}
}


def cases_router() -> APIRouter:
    router = APIRouter(prefix="/api/v1", tags=["inbox"])

    @router.get("/stations/{unit_id}/inbox", response_model=v.InboxPage)
    async def inbox(
        unit_id: UnitPath,
        principal: CaseReader,
        rt: RuntimeDep,
        directories: DirectoriesDep,
        state: Annotated[list[State] | None, Query(description="default: every open state")] = None,
        category: Annotated[str | None, Query(pattern=r"^[a-z_]{1,64}$")] = None,
        overdue: bool | None = None,
        due_within_h: Annotated[float | None, Query(gt=0, le=24 * 366)] = None,
        sort: Sort = "deadline",
        limit: Annotated[int, Query(ge=1, le=200)] = 50,
        offset: Annotated[int, Query(ge=0, le=1_000_000)] = 0,
    ) -> v.InboxPage:
        states = tuple(x.value for x in (state or sorted(OPEN_STATES)))
        f = InboxFilter(unit_id, rt.clock.now(), states, category, overdue, due_within_h, sort, limit, offset)
        async with rt.sessions() as session:
            await read_snapshot(session)  # the count and the page agree
            page = await read_cases.unit_inbox(session, f, principal=principal, directories=directories)
        return v.InboxPage.model_validate(page)

    @router.get("/assignments/{complaint_id}", response_model=v.CaseView)
    async def complaint(
        complaint_id: UUID, principal: CaseReader, rt: RuntimeDep, directories: DirectoriesDep
    ) -> v.CaseView:
        async with rt.sessions() as session:
            await read_snapshot(session)  # the case, its deadlines and its history agree
            view = await read_cases.case_view(
                session, complaint_id, principal=principal, directories=directories
            )
        return v.CaseView.model_validate(view)

    async def run(
        rt: RuntimeDep,
        directories: DirectoriesDep,
        principal: Principal,
        complaint_id: UUID,
        action: Action,
        body: s.ActionIn,
        **fields: str | None,
    ) -> s.ActionOut:
        cmd = StationCommand(complaint_id, action, body.version, **fields)
        result = await act(rt.uow(), cmd, principal=principal, directories=directories)
        return s.ActionOut.model_validate(result)

    base = "/assignments/{complaint_id}"

    @router.post(f"{base}/acknowledge", response_model=s.ActionOut, responses=CONFLICT)
    async def acknowledge(
        complaint_id: UUID, body: s.ActionIn, p: UnitWorker, rt: RuntimeDep, d: DirectoriesDep
    ) -> s.ActionOut:
        return await run(rt, d, p, complaint_id, Action.ACKNOWLEDGE, body)

    @router.post(f"{base}/assign", response_model=s.ActionOut, responses=CONFLICT)
    async def assign(
        complaint_id: UUID, body: s.AssignIn, p: HeadOfUnit, rt: RuntimeDep, d: DirectoriesDep
    ) -> s.ActionOut:
        return await run(rt, d, p, complaint_id, Action.ASSIGN, body, officer_id=body.officer_id)

    @router.post(f"{base}/note", response_model=s.ActionOut, responses=CONFLICT)
    async def note(
        complaint_id: UUID, body: s.NoteIn, p: UnitWorker, rt: RuntimeDep, d: DirectoriesDep
    ) -> s.ActionOut:
        return await run(rt, d, p, complaint_id, Action.NOTE, body, text=body.note)

    @router.post(f"{base}/request-information", response_model=s.ActionOut, responses=CONFLICT)
    async def request_information(
        complaint_id: UUID, body: s.RequestInformationIn, p: UnitWorker, rt: RuntimeDep, d: DirectoriesDep
    ) -> s.ActionOut:
        return await run(rt, d, p, complaint_id, Action.REQUEST_INFORMATION, body, text=body.question)

    @router.post(f"{base}/resolve", response_model=s.ActionOut, responses=CONFLICT)
    async def resolve(
        complaint_id: UUID, body: s.ResolveIn, p: UnitWorker, rt: RuntimeDep, d: DirectoriesDep
    ) -> s.ActionOut:
        return await run(rt, d, p, complaint_id, Action.RESOLVE, body, text=body.answer)

    @router.post(f"{base}/return", response_model=s.ActionOut, responses=CONFLICT)
    async def return_(
        complaint_id: UUID, body: s.ReturnIn, p: UnitWorker, rt: RuntimeDep, d: DirectoriesDep
    ) -> s.ActionOut:
        return await run(rt, d, p, complaint_id, Action.RETURN, body, text=body.reason)

    @router.post(f"{base}/transfer", response_model=s.ActionOut, responses=CONFLICT)
    async def transfer(
        complaint_id: UUID, body: s.TransferIn, p: Reassigner, rt: RuntimeDep, d: DirectoriesDep
    ) -> s.ActionOut:
        return await run(
            rt, d, p, complaint_id, Action.TRANSFER, body, text=body.reason, to_unit_id=body.to_unit_id
        )

    @router.get("/triage", response_model=v.TriagePage)
    async def triage(
        _: TriageReader,
        rt: RuntimeDep,
        limit: Annotated[int, Query(ge=1, le=200)] = 50,
        offset: Annotated[int, Query(ge=0, le=1_000_000)] = 0,
    ) -> v.TriagePage:
        async with rt.sessions() as session:
            await read_snapshot(session)
            return v.TriagePage.model_validate(
                await read_cases.triage_queue(session, limit=limit, offset=offset)
            )

    @router.post("/triage/{complaint_id}/route", response_model=s.ActionOut, responses=CONFLICT)
    async def route(
        complaint_id: UUID, body: s.RouteIn, p: Dispatcher, rt: RuntimeDep, d: DirectoriesDep
    ) -> s.ActionOut:
        return await run(rt, d, p, complaint_id, Action.ROUTE, body, text=body.note, to_unit_id=body.unit_id)

    return router
