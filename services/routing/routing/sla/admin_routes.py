"""Admin API: SLA policies and official calendar years (admin edits, supervision reads)."""

from __future__ import annotations

from datetime import date
from typing import Annotated

from fastapi import APIRouter, Depends, Path, Request

from huiyin.auth import access
from huiyin.auth.tokens import Principal, Role
from huiyin.events.complaints import Priority
from huiyin.runtime import Runtime
from routing.sla import handlers, queries
from routing.sla.api_models import CalendarOverview, CalendarYearIn, CalendarYearOut, PolicyOut
from routing.sla.policy import Policy
from routing.sla.schedules import library_schedules
from routing.sla.status import STATUS
from routing.sla.tables import SlaCalendarYearRow

Admin = Annotated[Principal, access.staff(Role.ADMIN)]
Reader = Annotated[Principal, access.staff(Role.ADMIN, Role.SUPERVISION)]
Category = Annotated[str, Path(pattern=r"^(\*|[a-z0-9_-]{1,64})$", description="`*`: the priority's default")]
Year = Annotated[int, Path(ge=2000, le=2100)]


def _runtime(request: Request) -> Runtime:
    runtime: Runtime = request.app.state.runtime
    return runtime


RuntimeDep = Annotated[Runtime, Depends(_runtime)]


def _loaded(row: SlaCalendarYearRow, recomputed: int | None = None) -> CalendarYearOut:
    return CalendarYearOut(
        year=row.year,
        source="loaded",
        holidays=[date.fromisoformat(d) for d in row.holidays],
        workdays=[date.fromisoformat(d) for d in row.workdays],
        loaded_at=row.loaded_at,
        loaded_by=row.loaded_by,
        recomputed=recomputed,
    )


def admin_router() -> APIRouter:
    router = APIRouter(prefix="/api/v1/admin", tags=["sla admin"])

    @router.get("/sla/policies", response_model=list[PolicyOut])
    async def list_policies(_: Reader, rt: RuntimeDep) -> list[PolicyOut]:
        async with rt.sessions() as session:
            return [PolicyOut.model_validate(p) for p in await queries.policies(session)]

    @router.put("/sla/policies/{category}/{priority}", response_model=PolicyOut)
    async def put_policy(
        category: Category, priority: Priority, body: Policy, principal: Admin, rt: RuntimeDep
    ) -> PolicyOut:
        row = await handlers.save_policy(
            rt.uow,
            category=category,
            priority=priority,
            policy=body,
            by=principal.username or principal.user_id,
        )
        return PolicyOut.model_validate(row.model_dump())

    @router.get("/calendar", response_model=CalendarOverview)
    async def calendar_overview(_: Reader, rt: RuntimeDep) -> CalendarOverview:
        async with rt.sessions() as session:
            loaded = [_loaded(r) for r in await queries.calendar_years(session)]
        library = list(library_schedules())
        return CalendarOverview(
            library_years=(library[0], library[-1]),
            loaded=loaded,
            years_without_schedule=STATUS.years_without_schedule,
            provisional_open=STATUS.provisional_open,
        )

    @router.get("/calendar/{year}", response_model=CalendarYearOut)
    async def get_calendar_year(year: Year, _: Reader, rt: RuntimeDep) -> CalendarYearOut:
        async with rt.sessions() as session:
            row = await queries.calendar_year(session, year)
        if row is not None:
            return _loaded(row)
        schedule = library_schedules().get(year)
        if schedule is None:
            return CalendarYearOut(year=year, source="none", holidays=[], workdays=[])
        return CalendarYearOut(
            year=year,
            source="library",
            holidays=sorted(schedule.holidays),
            workdays=sorted(schedule.workdays),
        )

    @router.put("/calendar/{year}", response_model=CalendarYearOut)
    async def put_calendar_year(
        year: Year, body: CalendarYearIn, principal: Admin, rt: RuntimeDep
    ) -> CalendarYearOut:
        schedule = handlers.parse_schedule(year, body.holidays, body.workdays)
        load = await handlers.load_calendar_year(
            rt.uow, schedule, source="admin", by=principal.username or principal.user_id
        )
        async with rt.sessions() as session:
            row = await queries.calendar_year(session, year)
        assert row is not None  # just committed
        return _loaded(row, recomputed=load.recomputed)

    return router
