"""Public reads, from the snapshots only (a rebuilt read model never changes a published
month). Nothing here commits."""

from __future__ import annotations

import json
from typing import Any

from feedback.public.adapters import snapshots_repo as repo
from huiyin.db import UnitOfWork
from huiyin.http.errors import DomainError


def _version(v: dict[str, Any]) -> dict[str, Any]:
    """A version as the public sees it: no staff user id, only whether it was a correction."""
    return {
        "version": v["version"],
        "sha256": v["sha256"],
        "published_at": v["published_at"],
        "reason": v["reason"],
        "kind": "automatic" if v["version"] == 1 else "correction",
    }


async def months_index(uow: UnitOfWork) -> list[dict[str, Any]]:
    out: dict[str, list[dict[str, Any]]] = {}
    for v in await repo.versions(uow.session):
        out.setdefault(v["month"], []).append(_version(v))
    return [{"month": month, "versions": vs} for month, vs in out.items()]


async def published(uow: UnitOfWork, month: str, version: int | None) -> dict[str, Any]:
    """A published version with its figures and the list of the month's versions."""
    found = await repo.get(uow.session, month, version)
    if found is None:
        what = f"version {version} of {month}" if version is not None else month
        raise DomainError(404, f"{what} is not published", month=month)
    return {
        "month": month,
        **_version(found),
        "versions": [_version(v) for v in await repo.versions(uow.session, month)],
        "figures": json.loads(found["figures"]),
    }


async def unit_trend(uow: UnitOfWork, unit_id: str, months: int) -> dict[str, Any] | None:
    """A station's (or district's) rows over the last published months, latest version each."""
    points, identity = [], None
    for snap in await repo.latest_of_last_months(uow.session, months):
        figures = json.loads(snap["figures"])
        rows = [("station", r) for r in figures["stations"] if r["unit_id"] == unit_id]
        rows += [("district", r) for r in figures["districts"] if r["unit_id"] == unit_id]
        level, row = rows[0] if rows else (None, None)
        if row is not None:
            identity = {"level": level, **{k: row[k] for k in ("unit_id", "unit_name", "unit_kind",
                                                                "district_id", "district_name")}}  # fmt: skip
        points.append({"month": snap["month"], "version": snap["version"], "row": row})
    if identity is None:
        return None
    return {"unit": identity, "months": points}
