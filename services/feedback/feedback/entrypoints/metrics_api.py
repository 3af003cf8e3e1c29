"""Supervision reads: metrics per unit (district, city), one unit's series, rankings, overdue."""

from __future__ import annotations

from typing import Annotated, Any, Literal

from fastapi import APIRouter, Path, Query

from feedback.entrypoints.deps import UNIT_ID, FilterDep, RuntimeDep, SettingsDep, Staff, scope_of
from feedback.handlers import metrics
from huiyin.http.errors import DomainError
from huiyin.http.responses import FastJSONResponse

router = APIRouter(prefix="/api/v1", tags=["supervision metrics"])


@router.get("/metrics/units", response_class=FastJSONResponse)
async def list_unit_metrics(
    principal: Staff,
    params: FilterDep,
    rt: RuntimeDep,
    group: Annotated[Literal["unit", "district", "city"], Query()] = "unit",
) -> FastJSONResponse:
    async with rt.uow() as uow:
        await uow.read_snapshot()  # counts, times and units from one moment
        scope = await scope_of(uow, principal)
        rows = await metrics.unit_metrics(uow, params.filters(scope), group)
    return FastJSONResponse({"period": params.period.as_dict(), "group": group, "items": rows})


@router.get("/metrics/units/{unit_id}", response_class=FastJSONResponse)
async def one_unit_metrics(
    unit_id: Annotated[str, Path(pattern=UNIT_ID)], principal: Staff, params: FilterDep, rt: RuntimeDep
) -> FastJSONResponse:
    async with rt.uow() as uow:
        await uow.read_snapshot()  # counts, times and units from one moment
        scope = await scope_of(uow, principal)
        detail = await metrics.unit_detail(uow, params.filters(scope, unit_id=unit_id))
    if detail is None:
        raise DomainError(404, "no such unit in your scope", unit_id=unit_id)
    return FastJSONResponse({"period": params.period.as_dict(), **detail})


@router.get("/rankings", response_class=FastJSONResponse)
async def unit_rankings(
    principal: Staff, params: FilterDep, rt: RuntimeDep, settings: SettingsDep
) -> FastJSONResponse:
    async with rt.uow() as uow:
        await uow.read_snapshot()  # counts, times and units from one moment
        scope = await scope_of(uow, principal)
        result: dict[str, Any] = await metrics.rankings(
            uow, params.filters(scope), settings.ranking_weights()
        )
    return FastJSONResponse({"period": params.period.as_dict(), **result})


@router.get("/overdue", response_class=FastJSONResponse)
async def overdue_complaints(
    principal: Staff,
    params: FilterDep,
    rt: RuntimeDep,
    limit: Annotated[int, Query(ge=1, le=1000)] = 200,
) -> FastJSONResponse:
    async with rt.uow() as uow:
        await uow.read_snapshot()  # counts, times and units from one moment
        scope = await scope_of(uow, principal)
        now = rt.clock.now()
        rows = await metrics.overdue(uow, params.filters(scope), now, limit)
    return FastJSONResponse({"now": now, "items": rows})
