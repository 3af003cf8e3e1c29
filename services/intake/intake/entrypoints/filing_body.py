"""The filing's body, read and validated with exactly the answers FastAPI's route gives.

The common case (a JSON content type, a body pydantic-core's JSON parser accepts) costs one
`model_validate_json`. Anything else is done again the way FastAPI does it (json.loads,
then the route's own body field), so odd inputs — a BOM or UTF-16 body that the stdlib
parser accepts, a JSON error and its position, a non-JSON content type — get the same
result and the same error entries as before.
"""

from __future__ import annotations

import contextlib
import email.message
import json
from dataclasses import dataclass
from typing import Any

from fastapi.datastructures import DefaultPlaceholder
from fastapi.dependencies.utils import request_body_to_args
from fastapi.exceptions import RequestValidationError
from pydantic import ValidationError
from pydantic_core import PydanticUndefined
from starlette.exceptions import HTTPException
from starlette.requests import ClientDisconnect
from starlette.types import Receive

from intake.domain.filing import ComplaintCreate

UNREADABLE = "There was an error parsing the body"  # FastAPI's words for it


async def read_body(receive: Receive) -> bytes:
    """The whole request body; any failure to read it is FastAPI's 400 (it catches all)."""
    chunks: list[bytes] = []
    try:
        while True:
            message = await receive()
            if message["type"] == "http.disconnect":
                raise ClientDisconnect
            chunks.append(message.get("body", b""))
            if not message.get("more_body", False):
                return b"".join(chunks)
    except Exception as exc:
        raise HTTPException(400, UNREADABLE) from exc


def is_json(content_type: str | None, *, strict: bool) -> bool:
    """FastAPI's test: application/json or application/*+json; missing is JSON only if not strict."""
    if not content_type:
        return not strict
    if content_type == "application/json":
        return True
    message = email.message.Message()
    message["content-type"] = content_type
    subtype = message.get_content_subtype()
    return message.get_content_maintype() == "application" and (
        subtype == "json" or subtype.endswith("+json")
    )


@dataclass(frozen=True)
class BodyRule:
    """What the route's request handler is built from: its body field(s) and content-type rule."""

    body_params: list[Any]
    embed_body_fields: bool
    strict_content_type: bool

    @classmethod
    def of(cls, route: Any) -> BodyRule:
        strict = route.strict_content_type
        return cls(
            body_params=list(route.dependant.body_params),
            embed_body_fields=route._embed_body_fields,
            strict_content_type=strict.value if isinstance(strict, DefaultPlaceholder) else bool(strict),
        )

    async def validate(self, raw: bytes, content_type: str | None) -> ComplaintCreate:
        json_body = bool(raw) and is_json(content_type, strict=self.strict_content_type)
        if json_body:
            # Not swallowed: a body this parser refuses is judged again below, FastAPI's way.
            with contextlib.suppress(ValidationError):
                return ComplaintCreate.model_validate_json(raw)
        return await self._validate_as_fastapi(raw, json_body)

    async def _validate_as_fastapi(self, raw: bytes, json_body: bool) -> ComplaintCreate:
        body: Any = PydanticUndefined  # FastAPI's "no body": a missing-field error
        if raw:
            body = _loads(raw) if json_body else raw
        values, errors = await request_body_to_args(
            body_fields=self.body_params, received_body=body, embed_body_fields=self.embed_body_fields
        )
        if errors:
            raise RequestValidationError(errors, body=body)
        model: ComplaintCreate = values[self.body_params[0].name]
        return model


def _loads(raw: bytes) -> Any:
    try:
        return json.loads(raw)
    except json.JSONDecodeError as exc:
        error = {
            "type": "json_invalid",
            "loc": ("body", exc.pos),
            "msg": "JSON decode error",
            "input": {},
            "ctx": {"error": exc.msg},
        }
        raise RequestValidationError([error], body=exc.doc) from exc
    except Exception as exc:
        raise HTTPException(400, UNREADABLE) from exc
