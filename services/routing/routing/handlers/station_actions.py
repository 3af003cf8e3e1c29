"""A station works a complaint: acknowledge (签收), assign an officer, note progress, ask the
citizen for information, resolve with a written answer (办结). One event each."""

from __future__ import annotations

from typing import Any

from huiyin.auth.tokens import Role
from huiyin.events.assignments import (
    ComplaintAcknowledged,
    ComplaintResolved,
    InformationRequested,
    OfficerAssigned,
    ProgressNoted,
)
from huiyin.http.errors import DomainError
from routing.adapters import timeline_repo, users_repo
from routing.handlers.case_action import ActionContext, change_case
from routing.sla import service as sla


def _ids(ctx: ActionContext) -> dict[str, Any]:
    return {
        "complaint_id": ctx.case.complaint_id,
        "assignment_id": ctx.assignment_id,
        "unit_id": ctx.case.unit_id,
    }


async def _history(ctx: ActionContext, action: str, **detail: Any) -> None:
    row = timeline_repo.history_row(
        ctx.case.complaint_id, action, ctx.now, assignment_id=ctx.assignment_id, actor=ctx.by, **detail
    )
    await timeline_repo.add_history(ctx.uow.session, [row])


def _deadline_outcome(ctx: ActionContext, outcome: sla.Outcome) -> dict[str, Any]:
    """The fields every deadline-settling event carries (acknowledged, resolved)."""
    return {
        "cycle": ctx.case.cycle,
        "by": ctx.by,
        "at": ctx.now,
        "due": outcome.due,
        "met": outcome.met,
        "wall_s": outcome.wall_s,
        "working_s": outcome.working_s,
    }


async def acknowledge(ctx: ActionContext) -> None:
    await change_case(ctx)
    outcome = await sla.settle(
        ctx.uow, assignment_id=ctx.assignment_id, cycle=ctx.case.cycle, kind="ack", at=ctx.now
    )
    ctx.uow.emit(ComplaintAcknowledged(**_ids(ctx), **_deadline_outcome(ctx, outcome)))
    await _history(ctx, "acknowledged", met=outcome.met)


async def assign(ctx: ActionContext) -> None:
    key = ctx.cmd.officer_id or ""
    officer = await users_repo.find_officer(ctx.uow.session, key)
    if (
        officer is None
        or not officer.active
        or officer.unit_id != ctx.case.unit_id
        or officer.role not in (Role.OFFICER, Role.STATION_HEAD)
    ):
        problem = f"no active officer {key!r} in unit {ctx.case.unit_id}"
        raise DomainError(
            422,
            "invalid request",
            errors=[{"path": "body.officer_id", "code": "unknown_officer", "message": problem}],
        )
    await change_case(ctx, officer_id=officer.username)
    ctx.uow.emit(OfficerAssigned(**_ids(ctx), officer_id=officer.username, by=ctx.by, at=ctx.now))
    await _history(ctx, "officer_assigned", officer_id=officer.username)


async def note(ctx: ActionContext) -> None:
    text = ctx.cmd.text or ""
    await change_case(ctx)
    ctx.uow.emit(ProgressNoted(**_ids(ctx), note=text, by=ctx.by, at=ctx.now))
    await _history(ctx, "noted", note=text)


async def request_information(ctx: ActionContext) -> None:
    question = ctx.cmd.text or ""
    await change_case(ctx)
    await sla.pause(ctx.uow, assignment_id=ctx.assignment_id, cycle=ctx.case.cycle, at=ctx.now)
    ctx.uow.emit(InformationRequested(**_ids(ctx), question=question, by=ctx.by, at=ctx.now))
    await _history(ctx, "information_requested", question=question)


async def resolve(ctx: ActionContext) -> None:
    """Also from awaiting_citizen: settling the resolve deadline ends the pause first."""
    answer = ctx.cmd.text or ""
    await change_case(ctx, answer=answer)
    outcome = await sla.settle(
        ctx.uow, assignment_id=ctx.assignment_id, cycle=ctx.case.cycle, kind="resolve", at=ctx.now
    )
    ctx.uow.emit(ComplaintResolved(**_ids(ctx), **_deadline_outcome(ctx, outcome), answer=answer))
    await _history(ctx, "resolved", met=outcome.met, answer=answer)
