"""One entry point for every staff action on a complaint: one transaction, committed here."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any

from huiyin.auth.tokens import Principal
from huiyin.db import UnitOfWork
from routing.adapters import cases_repo
from routing.adapters.units_repo import DirectoryCache
from routing.domain.commands import StationCommand
from routing.domain.lifecycle import Action
from routing.handlers import hand_over, station_actions
from routing.handlers.case_action import ActionContext, load_for_action, summary

USE_CASES: dict[Action, Callable[[ActionContext], Awaitable[None]]] = {
    Action.ACKNOWLEDGE: station_actions.acknowledge,
    Action.ASSIGN: station_actions.assign,
    Action.NOTE: station_actions.note,
    Action.REQUEST_INFORMATION: station_actions.request_information,
    Action.RESOLVE: station_actions.resolve,
    Action.RETURN: hand_over.return_complaint,
    Action.TRANSFER: hand_over.transfer,
    Action.ROUTE: hand_over.route_manually,
}


async def act(
    uow: UnitOfWork, cmd: StationCommand, *, principal: Principal, directories: DirectoryCache
) -> dict[str, Any]:
    async with uow:
        directory = await directories.get(uow.session)
        ctx = await load_for_action(uow, cmd, principal, directory)
        await USE_CASES[cmd.action](ctx)
        after = await cases_repo.get(uow.session, cmd.complaint_id)
        assert after is not None
        result = summary(after)
        await uow.commit()
    return result
