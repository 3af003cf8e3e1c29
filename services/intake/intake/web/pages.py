"""The citizen's pages: file a complaint, track it. HTML shells: the data comes from
intake's JSON API (and the verdict goes to feedback's, see docs/web.md)."""

from __future__ import annotations

from functools import cache

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse

from huiyin.auth import access
from huiyin.web.pages import PageKit, choose_lang
from huiyin.web.static_files import static_router
from intake.domain.categories import CATEGORIES
from intake.web.messages import FILING, TRACKING

router = APIRouter(tags=["pages"], dependencies=[access.public()])
router.include_router(static_router("intake.web"))


@cache
def _kit() -> PageKit:
    return PageKit(package="intake.web", messages={**FILING, **TRACKING})


@router.get("/", response_class=HTMLResponse, include_in_schema=False)
async def file_complaint_page(request: Request) -> HTMLResponse:
    lang, _ = choose_lang(request)
    categories = [(c.code, c.zh if lang == "zh-CN" else c.en) for c in CATEGORIES]
    return _kit().render(
        request, "file.html", title="file_title", script="file.js", categories=categories, page="file"
    )


@router.get("/track", response_class=HTMLResponse, include_in_schema=False)
async def track_complaint_page(request: Request) -> HTMLResponse:
    return _kit().render(request, "track.html", title="track_title", script="track.js", page="track")
