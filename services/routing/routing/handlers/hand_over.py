"""A complaint changes unit: return (退单: routed again without the units that returned it;
the second return goes to the dispatch desk), transfer to a named unit, or manual routing
of an unroutable complaint by the dispatch desk."""

from __future__ import annotations

from typing import Any

from huiyin.events.assignments import Candidate, ComplaintReturned, ComplaintTransferred, RouteReason
from huiyin.http.errors import DomainError
from routing.adapters import timeline_repo, users_repo
from routing.domain.conflict import is_conflicted
from routing.domain.decision import RouteDecision
from routing.domain.rules import decide
from routing.domain.units import Unit, UnitKind
from routing.handlers.assigning import Placement, place
from routing.handlers.case_action import ActionContext, change_case
from routing.handlers.route_submitted import facts_of
from routing.sla import service as sla

MAX_RETURNS = 2  # the second return goes to the dispatch desk


async def return_complaint(ctx: ActionContext) -> None:
    case, session = ctx.case, ctx.uow.session
    returns = case.returns + 1
    if returns >= MAX_RETURNS:
        decision = RouteDecision.unroutable(
            "second_return", f"it was returned {returns} times; a person decides now"
        )
    else:
        excluded = frozenset(await timeline_repo.units_that_returned(session, case.complaint_id)) | {
            case.unit_id
        }
        officer = (case.subject or {}).get("officer_id")
        officer_units = await users_repo.units_of_officers(session, [officer] if officer else [])
        stored = {"location": case.location, "subject": case.subject, "category": case.category}
        decision = decide(facts_of(stored, officer_units, excluded), ctx.directory)
    await _hand_over(ctx, decision, "return", returns=returns)


async def transfer(ctx: ActionContext) -> None:
    target = await _target(ctx)
    origin = ctx.directory.get(ctx.case.unit_id)
    why = f"{ctx.by} transferred it from {origin.label if origin else ctx.case.unit_id}: {ctx.cmd.text}"
    decision = RouteDecision(
        target.id,
        "transfer",
        f"routed to {target.label} because {why}",
        (Candidate(unit_id=target.id, why="chosen by staff"),),
    )
    await _hand_over(ctx, decision, "transfer")


async def route_manually(ctx: ActionContext) -> None:
    target = await _target(ctx)
    why = f"the dispatch desk ({ctx.by}) routed it by hand" + (f": {ctx.cmd.text}" if ctx.cmd.text else "")
    decision = RouteDecision(
        target.id,
        "manual",
        f"routed to {target.label} because {why}",
        (Candidate(unit_id=target.id, why="chosen by staff"),),
    )
    await _hand_over(ctx, decision, "manual")


async def _hand_over(ctx: ActionContext, decision: RouteDecision, reason: RouteReason, **extra: Any) -> None:
    case = ctx.case
    placement = Placement.plan(
        complaint_id=case.complaint_id,
        category=case.category,
        priority=case.priority,
        decision=decision,
        reason=reason,
        at=ctx.now,
        by=ctx.by,
    )
    await change_case(ctx, **placement.case_values(ctx.directory), **extra)
    if case.assignment_id is not None:  # a manual routing starts from the triage queue
        await _end_assignment(ctx, reason, decision)
    await place(ctx.uow, ctx.directory, [placement])


async def _end_assignment(ctx: ActionContext, reason: RouteReason, decision: RouteDecision) -> None:
    case, reason_text = ctx.case, ctx.cmd.text or ""
    ack_met = await sla.cancel_cycle(ctx.uow, assignment_id=ctx.assignment_id, cycle=case.cycle, at=ctx.now)
    ids: dict[str, Any] = {
        "complaint_id": case.complaint_id,
        "assignment_id": ctx.assignment_id,
        "unit_id": case.unit_id,
    }
    common = {"cycle": case.cycle, "reason": reason_text, "by": ctx.by, "at": ctx.now, "ack_met": ack_met}
    if reason == "return":
        ctx.uow.emit(ComplaintReturned(**ids, **common))
    else:
        ctx.uow.emit(ComplaintTransferred(**ids, **common, to_unit_id=decision.unit_id or ""))
    ended = "returned" if reason == "return" else "transferred"
    await timeline_repo.end_assignments(
        ctx.uow.session, [{"id": ctx.assignment_id, "ended_at": ctx.now, "end_reason": ended}]
    )
    row = timeline_repo.history_row(
        case.complaint_id,
        ended,
        ctx.now,
        assignment_id=ctx.assignment_id,
        actor=ctx.by,
        reason=reason_text,
        ack_met=ack_met,
    )
    await timeline_repo.add_history(ctx.uow.session, [row])


async def _target(ctx: ActionContext) -> Unit:
    """The unit staff chose: active, able to work complaints, not the current one, and free
    of the conflict of interest the complaint may carry."""
    unit_id = ctx.cmd.to_unit_id or ""
    unit = ctx.directory.active(unit_id)
    subject = ctx.case.subject or {}
    officer = subject.get("officer_id")
    officer_units = await users_repo.units_of_officers(ctx.uow.session, [officer] if officer else [])
    named = [u for u in (subject.get("unit_id"), officer_units.get(officer or "")) if u]
    problem = None
    if unit is None:
        problem = f"no active unit {unit_id!r}"
    elif unit.kind == UnitKind.DISPATCH_DESK:
        problem = "the dispatch desk does not work complaints; choose a unit"
    elif unit.id == ctx.case.unit_id:
        problem = "the complaint is already at this unit"
    elif is_conflicted(ctx.directory, unit.id, named):
        problem = "the complaint is about this unit or one above it (conflict of interest)"
    if problem is not None or unit is None:
        raise DomainError(
            422,
            "invalid request",
            errors=[{"path": "body.to_unit_id", "code": "invalid_unit", "message": problem}],
        )
    return unit
