"""The public figures pages (no sign-in), rendered on the server from the snapshots: a
month with its versions, the station and district tables, the open-data links and the
data dictionary; a unit's 12-month trend (Chart.js over the same numbers as its table)."""

from __future__ import annotations

from datetime import datetime
from functools import cache
from typing import Annotated, Any

from fastapi import APIRouter, Path, Query, Request
from fastapi.responses import HTMLResponse

from feedback.domain.periods import SHANGHAI
from feedback.entrypoints.deps import UNIT_ID, RuntimeDep, SettingsDep
from feedback.public.domain.dictionary import FIELDS
from feedback.public.domain.months import MONTH
from feedback.public.domain.suppression import PUBLIC_RATES
from feedback.public.handlers import read
from feedback.public.messages import PUBLIC
from feedback.web.messages import DASHBOARD
from huiyin.auth import access
from huiyin.web.pages import PageKit

router = APIRouter(tags=["pages"], dependencies=[access.public()])


def _local(moment: datetime) -> str:
    """A publication time as people in the city read it."""
    return moment.astimezone(SHANGHAI).strftime("%Y-%m-%d %H:%M")


@cache
def _kit() -> PageKit:
    return PageKit(package="feedback.web", messages={**DASHBOARD, **PUBLIC})


@router.get("/public", response_class=HTMLResponse, include_in_schema=False)
async def public_figures(
    request: Request,
    rt: RuntimeDep,
    settings: SettingsDep,
    month: Annotated[str | None, Query(pattern=MONTH)] = None,
    version: Annotated[int | None, Query(ge=1, le=10_000)] = None,
) -> HTMLResponse:
    async with rt.uow() as uow:
        await uow.read_snapshot()
        months = await read.months_index(uow)
        chosen = month or (months[0]["month"] if months else None)
        listed = {(m["month"], v["version"]) for m in months for v in m["versions"]}
        shown: dict[str, Any] | None = None
        if any(m == chosen and (version is None or v == version) for m, v in listed):
            shown = await read.published(uow, str(chosen), version)
    return _kit().render(
        request, "public.html", title="public_title", months=months, shown=shown, rates=PUBLIC_RATES,
        fields=FIELDS, min_count=settings.public_min_count, asked=(month, version), local=_local,
    )  # fmt: skip


@router.get("/public/units/{unit_id}", response_class=HTMLResponse, include_in_schema=False)
async def public_unit(
    request: Request, rt: RuntimeDep, unit_id: Annotated[str, Path(pattern=UNIT_ID)]
) -> HTMLResponse:
    async with rt.uow() as uow:
        trend = await read.unit_trend(uow, unit_id, 12)
    return _kit().render(
        request, "public_unit.html", title="unit_title", script="public.js", trend=trend, rates=PUBLIC_RATES,
        data={"trend": trend, "rates": list(PUBLIC_RATES)}, status_code=200 if trend else 404,
    )  # fmt: skip
