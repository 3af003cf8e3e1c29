"""The static files of the pages (CSS, JS, SVG) as a public route, and vendored libraries
installed by the repo's own build (`npm ci` in web/) served from web/node_modules."""

from __future__ import annotations

from collections.abc import Mapping
from importlib import resources
from pathlib import Path
from typing import Annotated

from fastapi import APIRouter
from fastapi import Path as PathParam
from fastapi.responses import Response

from huiyin.auth import access
from huiyin.http.errors import DomainError

MEDIA = {".css": "text/css; charset=utf-8", ".js": "text/javascript; charset=utf-8", ".svg": "image/svg+xml"}
NAME = r"^[a-z0-9][a-z0-9_.-]{0,80}\.(css|js|svg)$"
# libs/huiyin/web/static_files.py -> the repository root, where web/package.json lives.
NODE_MODULES = Path(__file__).resolve().parents[3] / "web" / "node_modules"
CACHE = "public, max-age=300"


def _read(package: str, name: str) -> bytes | None:
    entry = resources.files(package) / "static" / name
    return entry.read_bytes() if entry.is_file() else None


def static_router(package: str, *, vendor: Mapping[str, str] | None = None) -> APIRouter:
    """GET /web/static/{name}: the service's own file, else the shared one (huiyin.web).
    GET /web/vendor/{name}: a file of web/node_modules named in `vendor` (name -> relative path)."""
    router = APIRouter(prefix="/web", tags=["pages"], dependencies=[access.public()])
    vendored = dict(vendor or {})

    @router.get("/static/{name}", response_class=Response, include_in_schema=False)
    async def static_file(name: Annotated[str, PathParam(pattern=NAME)]) -> Response:
        body = _read(package, name) or _read("huiyin.web", name)
        if body is None:
            raise DomainError(404, f"no static file {name!r}")
        return Response(body, media_type=MEDIA[Path(name).suffix], headers={"cache-control": CACHE})

    @router.get("/vendor/{name}", response_class=Response, include_in_schema=False)
    async def vendor_file(name: Annotated[str, PathParam(pattern=NAME)]) -> Response:
        relative = vendored.get(name)
        path = NODE_MODULES / relative if relative else None
        if path is None or not path.is_file():
            # The pages still work: every chart's numbers are in a table beside it.
            raise DomainError(404, f"{name} is not installed: run `npm ci` in web/ (see docs/web.md)")
        return Response(path.read_bytes(), media_type=MEDIA[path.suffix], headers={"cache-control": CACHE})

    return router
