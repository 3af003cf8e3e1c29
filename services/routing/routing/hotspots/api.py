"""The hot spot API (staff only; reads scoped like the inbox, docs/routing.md "Hot spots")."""

from __future__ import annotations

from typing import Annotated, Any
from uuid import UUID

from fastapi import APIRouter, Query

from huiyin.auth import access
from huiyin.auth.tokens import Principal, Role
from huiyin.db import read_snapshot
from routing.entrypoints.deps import DirectoryDep, RuntimeDep
from routing.hotspots import actions, queries
from routing.hotspots import schemas as s

Reader = Annotated[
    Principal,
    access.staff(Role.OFFICER, Role.STATION_HEAD, Role.DISTRICT_SUPERVISOR, Role.SUPERVISION, Role.ADMIN),
]
Supervision = Annotated[Principal, access.staff(Role.SUPERVISION)]
Noter = Annotated[
    Principal, access.staff(Role.OFFICER, Role.STATION_HEAD, Role.DISTRICT_SUPERVISOR, Role.SUPERVISION)
]
Solver = Annotated[Principal, access.staff(Role.STATION_HEAD, Role.SUPERVISION)]
ERRORS: dict[int | str, dict[str, Any]] = {
    404: {"description": "no such hot spot"},
    409: {
        "description": "not in a state for this action, or a concurrent change; the body has the current one"
    },
}


def hotspots_router() -> APIRouter:
    router = APIRouter(prefix="/api/v1/hotspots", tags=["hotspots"])

    async def view(
        rt: RuntimeDep, directory: DirectoryDep, principal: Principal, hotspot_id: UUID
    ) -> s.HotspotView:
        async with rt.sessions() as session:
            await read_snapshot(session)  # its counts, sightings and notes agree
            found = await queries.hotspot_view(
                session, hotspot_id, principal=principal, directory=directory, now=rt.clock.now()
            )
        return s.HotspotView.model_validate(found)

    @router.get("", response_model=s.HotspotPage)
    async def list_hotspots(
        principal: Reader,
        rt: RuntimeDep,
        directory: DirectoryDep,
        status: Annotated[
            s.Status | None, Query(description="default: every detected, adopted or solved one")
        ] = None,
        category: Annotated[str | None, Query(pattern=r"^[a-z_]{1,64}$")] = None,
        limit: Annotated[int, Query(ge=1, le=200)] = 50,
        offset: Annotated[int, Query(ge=0, le=1_000_000)] = 0,
    ) -> s.HotspotPage:
        async with rt.sessions() as session:
            await read_snapshot(session)
            page = await queries.list_hotspots(
                session,
                principal=principal,
                directory=directory,
                now=rt.clock.now(),
                status=status,
                category=category,
                limit=limit,
                offset=offset,
            )
        return s.HotspotPage.model_validate(page)

    @router.get("/{hotspot_id}", response_model=s.HotspotView, responses=ERRORS)
    async def get_hotspot(
        hotspot_id: UUID, principal: Reader, rt: RuntimeDep, directory: DirectoryDep
    ) -> s.HotspotView:
        return await view(rt, directory, principal, hotspot_id)

    @router.post("/{hotspot_id}/adopt", response_model=s.HotspotView, responses=ERRORS)
    async def adopt(
        hotspot_id: UUID, body: s.AdoptIn, principal: Supervision, rt: RuntimeDep, directory: DirectoryDep
    ) -> s.HotspotView:
        await actions.adopt(
            rt.uow(),
            hotspot_id=hotspot_id,
            owner_unit_id=body.owner_unit_id,
            due=body.deadline,
            note=body.note,
            expected_version=body.version,
            principal=principal,
            directory=directory,
        )
        return await view(rt, directory, principal, hotspot_id)

    @router.post("/{hotspot_id}/notes", response_model=s.HotspotView, responses=ERRORS)
    async def add_note(
        hotspot_id: UUID, body: s.HotspotNoteIn, principal: Noter, rt: RuntimeDep, directory: DirectoryDep
    ) -> s.HotspotView:
        await actions.note(
            rt.uow(),
            hotspot_id=hotspot_id,
            text=body.note,
            expected_version=body.version,
            principal=principal,
        )
        return await view(rt, directory, principal, hotspot_id)

    @router.post("/{hotspot_id}/solve", response_model=s.HotspotView, responses=ERRORS)
    async def solve(
        hotspot_id: UUID, body: s.SolveIn, principal: Solver, rt: RuntimeDep, directory: DirectoryDep
    ) -> s.HotspotView:
        await actions.solve(
            rt.uow(),
            hotspot_id=hotspot_id,
            summary=body.summary,
            expected_version=body.version,
            principal=principal,
        )
        return await view(rt, directory, principal, hotspot_id)

    return router
