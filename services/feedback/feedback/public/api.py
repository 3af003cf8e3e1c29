"""The public figures API: anyone may read (no sign-in); reads come from the frozen
snapshots only. Supervision (or an admin) publishes a correction as a new version."""

from __future__ import annotations

from typing import Annotated, Literal

from fastapi import APIRouter, Path, Query
from fastapi.responses import Response
from pydantic import BaseModel, ConfigDict, Field, StringConstraints

from feedback.domain.periods import PeriodError
from feedback.entrypoints.deps import UNIT_ID, RuntimeDep, SettingsDep, Supervision
from feedback.public import open_data
from feedback.public.domain.dictionary import dictionary
from feedback.public.domain.months import MONTH, parse_month
from feedback.public.handlers import publish, read
from huiyin.auth import access
from huiyin.http.errors import DomainError
from huiyin.http.responses import FastJSONResponse

router = APIRouter(prefix="/api/v1/public", tags=["public figures"])
MonthPath = Annotated[str, Path(pattern=MONTH, description="YYYY-MM")]
Version = Annotated[int | None, Query(ge=1, le=10_000, description="default: the latest")]
PUBLIC = [access.public()]


class CorrectionIn(BaseModel):
    model_config = ConfigDict(extra="forbid")
    # No control characters: the reason is published as it is (and PostgreSQL refuses NUL).
    reason: Annotated[
        str,
        StringConstraints(
            strip_whitespace=True,
            min_length=1,
            max_length=2000,
            pattern=r"^[^\x00-\x08\x0b\x0c\x0e-\x1f\x7f]*$",
        ),
    ] = Field(description="why the published figures are corrected (shown with the new version)")


@router.get("/months", response_class=FastJSONResponse, dependencies=PUBLIC)
async def published_months(rt: RuntimeDep) -> FastJSONResponse:
    async with rt.uow() as uow:
        return FastJSONResponse({"months": await read.months_index(uow)})


@router.get("/figures", response_class=FastJSONResponse, dependencies=PUBLIC)
async def month_figures(
    rt: RuntimeDep,
    month: Annotated[str, Query(pattern=MONTH, description="YYYY-MM")],
    version: Version = None,
    level: Annotated[Literal["station", "district"] | None, Query()] = None,
) -> FastJSONResponse:
    async with rt.uow() as uow:
        await uow.read_snapshot()  # the version shown is in the list of versions
        found = await read.published(uow, month, version)
    figures = found.pop("figures")
    body = {**found, **{k: figures[k] for k in ("period", "min_count", "weights")}}
    for name, key in (("station", "stations"), ("district", "districts")):
        if level in (None, name):
            body[key] = figures[key]
    return FastJSONResponse(body)


@router.get("/units/{unit_id}", response_class=FastJSONResponse, dependencies=PUBLIC)
async def unit_trend(
    rt: RuntimeDep,
    unit_id: Annotated[str, Path(pattern=UNIT_ID)],
    months: Annotated[int, Query(ge=1, le=12)] = 12,
) -> FastJSONResponse:
    async with rt.uow() as uow:
        trend = await read.unit_trend(uow, unit_id, months)
    if trend is None:
        raise DomainError(404, "no published figures for this unit", unit_id=unit_id)
    return FastJSONResponse(trend)


@router.get("/open-data/{month}.csv", response_class=Response, dependencies=PUBLIC)
async def open_data_csv(rt: RuntimeDep, month: MonthPath, version: Version = None) -> Response:
    async with rt.uow() as uow:
        await uow.read_snapshot()  # the version shown is in the list of versions
        found = await read.published(uow, month, version)
    name = f"huiyin-public-figures-{month}-v{found['version']}.csv"
    return Response(
        open_data.as_csv(found),
        media_type="text/csv; charset=utf-8",
        headers={
            "Content-Disposition": f'attachment; filename="{name}"',
            "X-Snapshot-SHA256": found["sha256"],
        },
    )


@router.get("/open-data/{month}.json", response_class=FastJSONResponse, dependencies=PUBLIC)
async def open_data_json(rt: RuntimeDep, month: MonthPath, version: Version = None) -> FastJSONResponse:
    async with rt.uow() as uow:
        await uow.read_snapshot()  # the version shown is in the list of versions
        found = await read.published(uow, month, version)
    return FastJSONResponse(open_data.as_json(found), headers={"X-Snapshot-SHA256": found["sha256"]})


@router.get("/data-dictionary", response_class=FastJSONResponse, dependencies=PUBLIC)
async def data_dictionary(settings: SettingsDep) -> FastJSONResponse:
    return FastJSONResponse(dictionary(settings.public_min_count))


@router.post("/months/{month}/versions", response_class=FastJSONResponse, status_code=201)
async def correct_month(
    month: MonthPath, body: CorrectionIn, principal: Supervision, rt: RuntimeDep, settings: SettingsDep
) -> FastJSONResponse:
    try:
        first = parse_month(month)
    except PeriodError as exc:  # the path pattern already refuses it; kept for direct callers
        raise DomainError(422, str(exc)) from exc
    async with rt.uow() as uow:
        published = await publish.correct_month(
            uow, first, reason=body.reason, by=principal.user_id, settings=settings
        )
    return FastJSONResponse(published, status_code=201)
