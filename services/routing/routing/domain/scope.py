"""Who may see and act on what (role scoping); pure functions over the principal and units.

officer/station_head: their own unit only (assigning officers: station_head). A supervision
unit works the complaints routed to itself like a station does. district_supervisor: reads
every unit under their bureau (and escalations addressed to it). supervision: reads
everything, and reassigns (transfers) anywhere. dispatch: the triage queue and manual routing.
admin: units and users, not complaints.
"""

from __future__ import annotations

from huiyin.auth.tokens import Principal, Role
from routing.domain.directory import Directory
from routing.domain.lifecycle import Action

UNIT_WORKERS = (Role.OFFICER, Role.STATION_HEAD, Role.SUPERVISION)
READERS = (Role.OFFICER, Role.STATION_HEAD, Role.DISTRICT_SUPERVISOR, Role.SUPERVISION, Role.DISPATCH)


def may_read_unit(principal: Principal, unit_id: str, directory: Directory) -> bool:
    if principal.role == Role.SUPERVISION:
        return True
    if principal.role == Role.DISTRICT_SUPERVISOR:
        return principal.unit_id is not None and directory.under_bureau(principal.unit_id, unit_id)
    if principal.role in (Role.OFFICER, Role.STATION_HEAD, Role.DISPATCH):
        return principal.unit_id == unit_id
    return False


def may_read_case(
    principal: Principal, *, unit_id: str, watchers: set[str], unroutable: bool, directory: Directory
) -> bool:
    """The case's unit's staff, readers of that unit, the escalation watchers' readers;
    dispatch reads what sits in its triage queue."""
    if principal.role == Role.DISPATCH:
        return unroutable or principal.unit_id == unit_id
    return any(may_read_unit(principal, u, directory) for u in (unit_id, *watchers))


def may_act(principal: Principal, action: Action, *, unit_id: str) -> bool:
    if action == Action.ROUTE:
        return principal.role == Role.DISPATCH
    if action == Action.TRANSFER and principal.role == Role.SUPERVISION:
        return True  # supervision reassigns any complaint
    if principal.unit_id != unit_id:
        return False
    if action == Action.ASSIGN:
        return principal.role in (Role.STATION_HEAD, Role.SUPERVISION)
    return principal.role in UNIT_WORKERS
