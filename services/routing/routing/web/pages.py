"""The station's pages: HTML shells over routing's inbox and action API (staff JWT in the
tab's sessionStorage), plus the jurisdictions as public GeoJSON for the pages' maps."""

from __future__ import annotations

from functools import cache
from typing import Any
from uuid import UUID

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, RedirectResponse

from huiyin.auth import access
from huiyin.http.responses import FastJSONResponse
from huiyin.runtime import Runtime
from huiyin.web.pages import PageKit
from huiyin.web.static_files import static_router
from routing.adapters import units_repo
from routing.web.messages import STATION

# What a map needs of a unit; nothing else of the directory (contacts, rules) is public.
MAP_PROPERTIES = ("id", "name", "name_en", "kind", "parent_id")

router = APIRouter(tags=["pages"], dependencies=[access.public()])
router.include_router(static_router("routing.web"))


@cache
def _kit() -> PageKit:
    return PageKit(package="routing.web", messages=STATION)


@router.get("/", include_in_schema=False)
async def home() -> RedirectResponse:
    return RedirectResponse("/station", status_code=303)


@router.get("/station", response_class=HTMLResponse, include_in_schema=False)
async def inbox_page(request: Request) -> HTMLResponse:
    return _kit().render(request, "inbox.html", title="inbox_title", script="inbox.js", page="inbox")


@router.get("/station/complaints/{complaint_id}", response_class=HTMLResponse, include_in_schema=False)
async def complaint_page(complaint_id: UUID, request: Request) -> HTMLResponse:
    return _kit().render(
        request,
        "complaint.html",
        title="complaint_title",
        script="complaint.js",
        data={"complaint_id": str(complaint_id)},
        page="complaint",
    )


@router.get("/station/hotspots", response_class=HTMLResponse, include_in_schema=False)
async def hotspots_page(request: Request) -> HTMLResponse:
    return _kit().render(
        request, "hotspots.html", title="hotspots_title", script="hotspots.js", page="hotspots"
    )


@router.get("/station/hotspots/{hotspot_id}", response_class=HTMLResponse, include_in_schema=False)
async def hotspot_page(hotspot_id: UUID, request: Request) -> HTMLResponse:
    return _kit().render(
        request,
        "hotspot.html",
        title="hotspot_title",
        script="hotspot.js",
        data={"hotspot_id": str(hotspot_id)},
        page="hotspots",
    )


@router.get(
    "/web/jurisdictions.geojson",
    response_class=FastJSONResponse,
    responses={200: {"content": {"application/geo+json": {}}}},  # what it really sends
)
async def jurisdictions(request: Request) -> FastJSONResponse:
    """The units' jurisdictions for the maps of the citizen's and the station's pages."""
    runtime: Runtime = request.app.state.runtime
    async with runtime.sessions() as session:
        rows = await units_repo.all_units(session)
    features: list[dict[str, Any]] = [
        {
            "type": "Feature",
            "id": row.id,
            "geometry": row.jurisdiction,
            "properties": {key: getattr(row, key) for key in MAP_PROPERTIES},
        }
        for row in rows
        if row.jurisdiction is not None and row.retired_at is None
    ]
    return FastJSONResponse(
        {"type": "FeatureCollection", "features": features},
        headers={"cache-control": "public, max-age=60"},
        media_type="application/geo+json",
    )
