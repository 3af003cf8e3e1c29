"""Reading complaints: a unit's inbox, the triage queue, one complaint with its explanation
and history. Role scoping is checked here, before anything is read."""

from __future__ import annotations

from typing import Any
from uuid import UUID

from sqlalchemy.ext.asyncio import AsyncSession

from huiyin.auth.tokens import Principal
from huiyin.http.errors import DomainError
from routing.adapters import cases_repo, inbox_query, timeline_repo
from routing.adapters.units_repo import DirectoryCache
from routing.domain import categories, scope
from routing.domain.lifecycle import State
from routing.sla import queries as sla_queries

SUMMARY_CHARS = 140


async def unit_inbox(
    session: AsyncSession, f: inbox_query.InboxFilter, *, principal: Principal, directories: DirectoryCache
) -> dict[str, Any]:
    directory = await directories.get(session)
    if directory.get(f.unit_id) is None:
        raise DomainError(404, f"no unit {f.unit_id!r}")
    if not scope.may_read_unit(principal, f.unit_id, directory):
        raise DomainError(
            403,
            f"role {principal.role.value!r} of unit {principal.unit_id!r} may not read the inbox of {f.unit_id!r}",
        )
    total, rows = await inbox_query.inbox(session, f)
    for row in rows:
        row["summary"] = row.pop("description")[:SUMMARY_CHARS]
        row["paused"] = row.pop("paused_at") is not None
        row["provisional"] = bool(row["provisional"])
    return {
        "unit_id": f.unit_id,
        "now": f.now,
        "total": total,
        "limit": f.limit,
        "offset": f.offset,
        "items": rows,
    }


async def triage_queue(session: AsyncSession, *, limit: int, offset: int) -> dict[str, Any]:
    total, cases = await inbox_query.triage(session, limit=limit, offset=offset)
    items = [{**c.model_dump(), "summary": c.description[:SUMMARY_CHARS]} for c in cases]
    return {"total": total, "limit": limit, "offset": offset, "items": items}


async def case_view(
    session: AsyncSession, complaint_id: UUID, *, principal: Principal, directories: DirectoryCache
) -> dict[str, Any]:
    directory = await directories.get(session)
    case = await cases_repo.get(session, complaint_id)
    if case is None:
        raise DomainError(404, f"no complaint {complaint_id} at routing")
    cycles, escalations = await sla_queries.complaint_sla(session, complaint_id)
    watchers = {e["watcher_unit_id"] for e in escalations if e["assignment_id"] == case.assignment_id}
    if not scope.may_read_case(
        principal,
        unit_id=case.unit_id,
        watchers=watchers,
        unroutable=case.state == State.UNROUTABLE,
        directory=directory,
    ):
        raise DomainError(403, "this complaint is not with your unit")
    assignments = await timeline_repo.assignments_of(session, complaint_id)
    history = await timeline_repo.history_of(session, complaint_id)
    unit = directory.get(case.unit_id)
    current = next((a for a in assignments if a.id == case.assignment_id), None)
    last_unroutable = next((h for h in reversed(history) if h.action == "unroutable"), None)
    explanation = (
        current.explanation
        if current
        else (last_unroutable.detail.get("explanation") if last_unroutable else None)
    )
    return {
        **case.model_dump(),
        "category_name": categories.label(case.category),
        "unit_name": unit.label if unit else case.unit_id,
        "explanation": explanation,
        "assignments": [
            {
                **a.model_dump(),
                "assignment_id": a.id,
                "unit_name": (u.label if (u := directory.get(a.unit_id)) else a.unit_id),
            }
            for a in assignments
        ],
        "cycles": [c.model_dump() for c in cycles],
        "escalations": escalations,
        "history": [h.model_dump() for h in history],
    }
