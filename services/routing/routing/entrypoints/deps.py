"""Dependency aliases of routing's routes: the runtime, the unit directory, who is calling."""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends, Request

from huiyin.auth import access
from huiyin.auth.tokens import Principal, Role
from huiyin.runtime import Runtime
from routing.adapters.units_repo import DirectoryCache
from routing.domain.directory import Directory


def _runtime(request: Request) -> Runtime:
    return request.app.state.runtime


def _directories(request: Request) -> DirectoryCache:
    return request.app.state.directories


async def _directory(request: Request) -> Directory:
    rt: Runtime = request.app.state.runtime
    async with rt.sessions() as session:
        return await _directories(request).get(session)


RuntimeDep = Annotated[Runtime, Depends(_runtime)]
DirectoriesDep = Annotated[DirectoryCache, Depends(_directories)]
DirectoryDep = Annotated[Directory, Depends(_directory)]

AnyStaff = Annotated[Principal, access.staff(*Role)]
CaseReader = Annotated[
    Principal,
    access.staff(Role.OFFICER, Role.STATION_HEAD, Role.DISTRICT_SUPERVISOR, Role.SUPERVISION, Role.DISPATCH),
]
UnitWorker = Annotated[Principal, access.staff(Role.OFFICER, Role.STATION_HEAD, Role.SUPERVISION)]
HeadOfUnit = Annotated[Principal, access.staff(Role.STATION_HEAD, Role.SUPERVISION)]
Reassigner = Annotated[Principal, access.staff(Role.OFFICER, Role.STATION_HEAD, Role.SUPERVISION)]
Dispatcher = Annotated[Principal, access.staff(Role.DISPATCH)]
TriageReader = Annotated[Principal, access.staff(Role.DISPATCH, Role.SUPERVISION)]
Admin = Annotated[Principal, access.staff(Role.ADMIN)]
