"""A JSON response rendered with orjson (error bodies and hand-built payloads)."""

from __future__ import annotations

from typing import Any

from starlette.responses import JSONResponse

from huiyin import jsonutil


class FastJSONResponse(JSONResponse):
    def render(self, content: Any) -> bytes:
        return jsonutil.dumps(content)
