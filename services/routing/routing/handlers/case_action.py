"""The frame of every staff action: load, authorize, check the transition, then change the
case only if nobody else did meanwhile (optimistic concurrency on its version)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any
from uuid import UUID

from huiyin.auth.tokens import Principal
from huiyin.db import UnitOfWork
from huiyin.http.errors import DomainError
from routing.adapters import cases_repo
from routing.adapters.tables import CaseRow
from routing.domain import scope
from routing.domain.commands import StationCommand
from routing.domain.directory import Directory
from routing.domain.lifecycle import IllegalTransition, State, next_state


@dataclass
class ActionContext:
    uow: UnitOfWork
    cmd: StationCommand
    principal: Principal
    directory: Directory
    case: CaseRow
    new_state: State
    now: datetime

    @property
    def by(self) -> str:
        return self.principal.username

    @property
    def assignment_id(self) -> UUID:
        """The current assignment (every state an action starts from, but unroutable, has one)."""
        assert self.case.assignment_id is not None
        return self.case.assignment_id


async def load_for_action(
    uow: UnitOfWork, cmd: StationCommand, principal: Principal, directory: Directory
) -> ActionContext:
    case = await cases_repo.get(uow.session, cmd.complaint_id)
    if case is None:
        raise DomainError(404, f"no complaint {cmd.complaint_id} at routing")
    if not scope.may_act(principal, cmd.action, unit_id=case.unit_id):
        raise DomainError(
            403,
            f"role {principal.role.value!r} of unit {principal.unit_id!r} may not {cmd.action.value} this complaint",
        )
    try:
        new_state = next_state(State(case.state), cmd.action)
    except IllegalTransition as exc:
        raise DomainError(
            409, str(exc), state=case.state, version=case.version, allowed_from=exc.allowed_from
        ) from None
    if cmd.expected_version is not None and cmd.expected_version != case.version:
        raise DomainError(
            409,
            "the complaint changed since you loaded it; reload and retry",
            state=case.state,
            version=case.version,
        )
    return ActionContext(uow, cmd, principal, directory, case, new_state, uow.clock.now())


async def change_case(ctx: ActionContext, **values: Any) -> None:
    """Write the new state, or 409 with the current one when another action won the race
    (the caller has changed nothing else yet, and the unit of work rolls back)."""
    values = {"state": ctx.new_state.value, "updated_at": ctx.now, **values}
    if not await cases_repo.compare_and_set(ctx.uow.session, ctx.case.complaint_id, ctx.case.version, values):
        current = await cases_repo.get(ctx.uow.session, ctx.case.complaint_id)
        state, version = (current.state, current.version) if current else (None, None)
        raise DomainError(
            409, "someone else acted on this complaint first; reload and retry", state=state, version=version
        )


def summary(case: CaseRow) -> dict[str, Any]:
    return {
        "complaint_id": case.complaint_id,
        "state": case.state,
        "unit_id": case.unit_id,
        "assignment_id": case.assignment_id,
        "cycle": case.cycle,
        "officer_id": case.officer_id,
        "version": case.version,
    }
