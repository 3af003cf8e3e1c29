"""Exports of the metrics and the ranking as CSV or XLSX, with bilingual headers."""

from __future__ import annotations

from typing import Annotated, Literal

from fastapi import APIRouter, Query
from fastapi.responses import Response

from feedback.adapters import exports
from feedback.entrypoints.deps import FilterDep, RuntimeDep, SettingsDep, Staff, scope_of
from feedback.handlers import metrics

router = APIRouter(prefix="/api/v1/exports", tags=["supervision exports"])
Format = Annotated[Literal["csv", "xlsx"], Query(description="csv or xlsx")]
MEDIA = {
    "csv": "text/csv; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}


def _file(cells: list[list[object]], name: str, fmt: str) -> Response:
    body = exports.to_csv(cells) if fmt == "csv" else exports.to_xlsx(cells, name)
    return Response(
        body, media_type=MEDIA[fmt], headers={"Content-Disposition": f'attachment; filename="{name}.{fmt}"'}
    )


@router.get("/metrics", response_class=Response)
async def export_metrics(
    principal: Staff, params: FilterDep, rt: RuntimeDep, format: Format = "csv"
) -> Response:
    async with rt.uow() as uow:
        await uow.read_snapshot()
        rows = await metrics.unit_metrics(uow, params.filters(await scope_of(uow, principal)))
    name = f"metrics_{params.period.start.isoformat()}_{params.period.kind}"
    return _file(exports.table(rows, exports.METRICS_COLUMNS), name, format)


@router.get("/rankings", response_class=Response)
async def export_rankings(
    principal: Staff, params: FilterDep, rt: RuntimeDep, settings: SettingsDep, format: Format = "csv"
) -> Response:
    async with rt.uow() as uow:
        await uow.read_snapshot()
        result = await metrics.rankings(
            uow, params.filters(await scope_of(uow, principal)), settings.ranking_weights()
        )
    name = f"rankings_{params.period.start.isoformat()}_{params.period.kind}"
    return _file(exports.table(result["ranked"] + result["unranked"], exports.RANKING_COLUMNS), name, format)
