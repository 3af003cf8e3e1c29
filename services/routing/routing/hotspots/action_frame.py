"""The frame of every staff action on a hot spot: load it locked, check its state and the
version the caller read, check the caller may act, change it only if nobody else did."""

from __future__ import annotations

from typing import Any
from uuid import UUID

from sqlalchemy import update

from huiyin.auth.tokens import Principal, Role
from huiyin.db import UnitOfWork
from huiyin.http.errors import DomainError
from routing.hotspots.tables import HotspotRow
from routing.sla.tables import cols

G = cols(HotspotRow)


def field_error(path: str, code: str, message: str) -> DomainError:
    return DomainError(422, message, errors=[{"path": f"body.{path}", "code": code, "message": message}])


async def load(uow: UnitOfWork, hotspot_id: UUID, expected_version: int | None, *, needs: str) -> HotspotRow:
    # Locked: the scheduler firing its deadline skips it meanwhile (or we wait for it).
    row = await uow.session.get(HotspotRow, hotspot_id, with_for_update=True)
    if row is None or row.status == "forming":
        raise DomainError(404, f"no hot spot {hotspot_id}")
    if row.status != needs:
        raise DomainError(
            409,
            f"the hot spot is {row.status}; this needs one that is {needs}",
            state=row.status,
            version=row.version,
        )
    if expected_version is not None and expected_version != row.version:
        raise DomainError(
            409,
            "the hot spot changed since you loaded it; reload and retry",
            state=row.status,
            version=row.version,
        )
    return row


async def change(uow: UnitOfWork, row: HotspotRow, **values: Any) -> None:
    result = await uow.session.execute(
        update(HotspotRow)
        .where(G.id == row.id, G.version == row.version)
        .values(**values, version=row.version + 1)
    )
    if result.rowcount != 1:  # type: ignore[attr-defined]
        raise DomainError(409, "someone else changed this hot spot first; reload and retry")


def owner_or_supervision(principal: Principal, row: HotspotRow, roles: tuple[Role, ...]) -> None:
    if principal.role == Role.SUPERVISION:
        return
    if principal.role not in roles or principal.unit_id != row.owner_unit_id:
        raise DomainError(
            403,
            f"role {principal.role.value!r} of unit {principal.unit_id!r} may not do this: "
            f"the hot spot is owned by {row.owner_unit_id!r}",
        )
