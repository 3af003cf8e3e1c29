"""The supervision dashboard: HTML shells; the figures come from the supervision JSON API
(staff JWT from routing's sign-in, kept in the tab's sessionStorage)."""

from __future__ import annotations

from functools import cache

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, RedirectResponse

from feedback.web.messages import DASHBOARD
from huiyin.auth import access
from huiyin.web.pages import PageKit
from huiyin.web.static_files import static_router

# Chart.js, installed by `npm ci` in web/ (not copied into the repository).
VENDOR = {"chart.umd.min.js": "chart.js/dist/chart.umd.min.js"}

router = APIRouter(tags=["pages"], dependencies=[access.public()])
router.include_router(static_router("feedback.web", vendor=VENDOR))


@cache
def _kit() -> PageKit:
    return PageKit(package="feedback.web", messages=DASHBOARD)


@router.get("/", include_in_schema=False)
async def home() -> RedirectResponse:
    return RedirectResponse("/dashboard", status_code=303)


@router.get("/dashboard", response_class=HTMLResponse, include_in_schema=False)
async def dashboard(request: Request) -> HTMLResponse:
    return _kit().render(request, "dashboard.html", title="dashboard_title", script="dashboard.js")


@router.get("/dashboard/audit", response_class=HTMLResponse, include_in_schema=False)
async def audit_timeline(request: Request) -> HTMLResponse:
    return _kit().render(request, "audit.html", title="audit_title", script="audit.js")
