"""The citizen's side: is a verdict asked for, and giving it (tracking code + access token)."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated

from fastapi import APIRouter, Header, Path
from pydantic import BaseModel, ConfigDict, Field

from feedback.domain.verdict import Satisfaction
from feedback.entrypoints.deps import RuntimeDep
from feedback.handlers.give_verdict import VerdictInput, feedback_status, give_verdict
from huiyin.auth import access

router = APIRouter(prefix="/api/v1/complaints", tags=["citizen feedback"], dependencies=[access.citizen()])
# Letters, digits and dashes (HY-XXXXXXXX, any case): nothing PostgreSQL could refuse.
TrackingCode = Annotated[str, Path(pattern=r"^[A-Za-z0-9-]{1,64}$")]
AccessToken = Annotated[str | None, Header(alias="X-Access-Token", max_length=256)]


class VerdictIn(BaseModel):
    model_config = ConfigDict(extra="forbid")
    resolved: bool = Field(description="was the matter resolved (是否解决)")
    satisfaction: Satisfaction = Field(
        description="满意 satisfied / 基本满意 basically_satisfied / 不满意 dissatisfied"
    )
    comment: str | None = Field(None, max_length=2000)


class VerdictOut(BaseModel):
    resolved: bool | None
    satisfaction: str | None
    comment: str | None
    given_at: datetime | None
    reopen_requested: bool | None
    review_flagged: bool | None


class FeedbackStatus(BaseModel):
    requested: bool
    status: str = Field(description="not_requested | open | given | expired")
    requested_at: datetime | None = None
    closes_at: datetime | None = None
    cycle: int | None = None
    verdict: VerdictOut | None = None


@router.get("/{tracking_code}/feedback", response_model=FeedbackStatus)
async def get_feedback(
    tracking_code: TrackingCode, rt: RuntimeDep, token: AccessToken = None
) -> FeedbackStatus:
    async with rt.uow() as uow:
        return FeedbackStatus.model_validate(
            await feedback_status(uow, tracking_code=tracking_code, token=token)
        )


@router.post("/{tracking_code}/feedback", response_model=FeedbackStatus, status_code=201)
async def post_feedback(
    tracking_code: TrackingCode, body: VerdictIn, rt: RuntimeDep, token: AccessToken = None
) -> FeedbackStatus:
    verdict = VerdictInput(resolved=body.resolved, satisfaction=body.satisfaction, comment=body.comment)
    async with rt.uow() as uow:
        result = await give_verdict(uow, tracking_code=tracking_code, token=token, verdict=verdict)
    return FeedbackStatus.model_validate(result)
