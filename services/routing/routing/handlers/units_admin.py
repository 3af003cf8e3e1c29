"""Administering units: create, update, retire (never delete: history keeps pointing at
them), and GeoJSON import/export. Every write bumps the directory revision, so every
process rebuilds its spatial index on its next look-up."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from sqlalchemy import func, select
from sqlmodel import col

from huiyin.db import UnitOfWork
from huiyin.http.errors import DomainError
from routing.adapters import units_repo
from routing.adapters.tables import CaseRow, UnitRow
from routing.domain.geometry import overlaps, parse_area
from routing.domain.lifecycle import OPEN_STATES
from routing.domain.units import FRONT_LINE

Spec = dict[str, Any]


async def create_unit(uow: UnitOfWork, spec: Spec) -> UnitRow:
    async with uow:
        if await units_repo.get(uow.session, spec["id"]) is not None:
            raise DomainError(409, f"unit {spec['id']!r} exists already; update it instead")
        await _check_parents(uow, [spec])
        await units_repo.upsert(uow.session, [spec], now=uow.clock.now())
        row = await units_repo.get(uow.session, spec["id"])
        await uow.commit()
    assert row is not None
    return row


async def update_unit(uow: UnitOfWork, unit_id: str, changes: Spec) -> UnitRow:
    async with uow:
        row = await units_repo.get(uow.session, unit_id)
        if row is None:
            raise DomainError(404, f"no unit {unit_id!r}")
        merged = {**{f: getattr(row, f) for f in units_repo.UNIT_FIELDS}, **changes, "id": unit_id}
        await _check_parents(uow, [merged])
        await units_repo.change(uow.session, unit_id, changes, now=uow.clock.now())
        await uow.session.refresh(row)
        await uow.commit()
    return row


async def retire_unit(uow: UnitOfWork, unit_id: str) -> UnitRow:
    async with uow:
        row = await units_repo.get(uow.session, unit_id)
        if row is None:
            raise DomainError(404, f"no unit {unit_id!r}")
        open_count = (
            await uow.session.execute(
                select(func.count()).where(
                    col(CaseRow.unit_id) == unit_id, col(CaseRow.state).in_(sorted(OPEN_STATES))
                )
            )
        ).scalar_one()
        if open_count:
            raise DomainError(
                409,
                f"unit {unit_id!r} still has {open_count} open complaints; transfer them first",
                open_complaints=open_count,
            )
        if row.retired_at is None:
            await units_repo.change(
                uow.session, unit_id, {"retired_at": uow.clock.now()}, now=uow.clock.now()
            )
            await uow.session.refresh(row)
        await uow.commit()
    return row


async def import_units(uow: UnitOfWork, specs: Sequence[Spec]) -> dict[str, list[str]]:
    """Upsert every feature by id, in one transaction (a bad feature imports nothing)."""
    ids = [s["id"] for s in specs]
    duplicates = sorted({i for i in ids if ids.count(i) > 1})
    if duplicates:
        raise DomainError(422, f"unit ids appear twice: {', '.join(duplicates)}")
    async with uow:
        await _check_parents(uow, specs)
        created = await units_repo.upsert(uow.session, specs, now=uow.clock.now())
        rows = await units_repo.all_units(uow.session)
        await uow.commit()
    return {
        "created": sorted(created),
        "updated": sorted(set(ids) - created),
        "warnings": overlap_warnings(rows),
    }


def overlap_warnings(rows: Sequence[UnitRow]) -> list[str]:
    """Front-line jurisdictions of one kind should tile the city; overlaps are legal (the
    lowest id wins) but usually a mistake worth a warning."""
    warnings = []
    for kind in FRONT_LINE:
        areas = {
            r.id: parse_area(r.jurisdiction)
            for r in rows
            if r.kind == kind and r.jurisdiction and r.retired_at is None
        }
        warnings += [f"{kind.value} jurisdictions of {a} and {b} overlap" for a, b in overlaps(areas)]
    return warnings


async def _check_parents(uow: UnitOfWork, specs: Sequence[Spec]) -> None:
    """Parents must exist (in the database or in the same import) and never form a cycle."""
    parents = {r.id: r.parent_id for r in await units_repo.all_units(uow.session)}
    parents.update({s["id"]: s.get("parent_id") for s in specs})
    for spec in specs:
        parent = spec.get("parent_id")
        if parent is not None and parent not in parents:
            raise DomainError(422, f"unit {spec['id']!r}: parent {parent!r} does not exist")
        seen, at = set(), spec["id"]
        while at is not None:
            if at in seen:
                raise DomainError(422, f"unit {spec['id']!r}: its parents form a cycle")
            seen.add(at)
            at = parents.get(at)
