"""Request and response bodies of the staff actions (the read views are in schemas_views)."""

from __future__ import annotations

from uuid import UUID

from pydantic import BaseModel, ConfigDict, Field

from routing.entrypoints.text import LongText, ShortText

UnitId = Field(pattern=r"^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$")


class ActionIn(BaseModel):
    model_config = ConfigDict(extra="forbid")
    version: int | None = Field(None, ge=1, description="the version you read: 409 if it moved on meanwhile")


class AssignIn(ActionIn):
    officer_id: str = Field(pattern=r"^[A-Za-z0-9._-]{1,64}$", description="username, id or badge number")


class NoteIn(ActionIn):
    note: LongText


class RequestInformationIn(ActionIn):
    question: LongText


class ResolveIn(ActionIn):
    answer: LongText = Field(description="the written answer the citizen reads")


class ReturnIn(ActionIn):
    reason: ShortText


class TransferIn(ActionIn):
    to_unit_id: str = UnitId
    reason: ShortText


class RouteIn(ActionIn):
    unit_id: str = UnitId
    note: ShortText | None = None


class ActionOut(BaseModel):
    complaint_id: UUID
    state: str
    unit_id: str
    assignment_id: UUID | None
    cycle: int
    officer_id: str | None
    version: int
