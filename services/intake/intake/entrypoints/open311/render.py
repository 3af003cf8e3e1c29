"""Open311 GeoReport v2 bodies in JSON or XML, and its error format.

The XML is written by hand (escaped), not parsed from anywhere: each list has a root
element and one element per item, as the spec's examples show (`services`/`service`,
`service_requests`/`request`, `errors`/`error`).
"""

from __future__ import annotations

import re
from datetime import datetime
from typing import Any
from xml.sax.saxutils import escape

from fastapi import Request, Response

from huiyin.http.responses import FastJSONResponse

FORMATS = ("json", "xml")
_NOT_XML = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


class Open311Error(Exception):
    def __init__(self, status: int, description: str | list[str], *, fmt: str = "json") -> None:
        self.descriptions = [description] if isinstance(description, str) else description
        super().__init__("; ".join(self.descriptions))
        self.status, self.fmt = status, fmt if fmt in FORMATS else "json"


def check_format(fmt: str) -> str:
    if fmt not in FORMATS:
        raise Open311Error(404, f"unknown format {fmt!r}: use .json or .xml")
    return fmt


def render(fmt: str, body: Any, *, root: str, item: str, status: int = 200) -> Response:
    if fmt == "json":
        return FastJSONResponse(body, status_code=status)
    items = body if isinstance(body, list) else [body]
    inner = "".join(_element(item, i) for i in items) if isinstance(body, list) else _fields(body)
    xml = f'<?xml version="1.0" encoding="utf-8"?><{root}>{inner}</{root}>'
    return Response(xml.encode(), status_code=status, media_type="text/xml; charset=utf-8")


def errors(fmt: str, status: int, descriptions: list[str]) -> Response:
    body = [{"code": status, "description": d} for d in descriptions]
    return render(fmt, body, root="errors", item="error", status=status)


async def handle_open311_error(_: Request, exc: Exception) -> Response:
    assert isinstance(exc, Open311Error)
    return errors(exc.fmt, exc.status, exc.descriptions)


def _element(name: str, value: Any) -> str:
    if isinstance(value, dict):
        return f"<{name}>{_fields(value)}</{name}>"
    if isinstance(value, list):
        return f"<{name}>{''.join(_element(name.removesuffix('s') or 'item', v) for v in value)}</{name}>"
    return f"<{name}>{_scalar(value)}</{name}>" if value is not None else f"<{name}/>"


def _fields(value: dict[str, Any]) -> str:
    return "".join(_element(k, v) for k, v in value.items())


def _scalar(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, datetime):
        return value.isoformat()
    return escape(_NOT_XML.sub("", str(value)))
