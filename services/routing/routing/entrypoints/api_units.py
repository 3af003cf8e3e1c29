"""Units: the directory (every staff role reads it), the admin's writes, GeoJSON in and out,
and the category list (public: the citizen form shows it too)."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Path

from huiyin.auth import access
from huiyin.http.errors import DomainError
from routing.adapters import units_repo
from routing.adapters.tables import UnitRow
from routing.domain.categories import CATEGORIES
from routing.entrypoints.deps import Admin, AnyStaff, RuntimeDep
from routing.entrypoints.schemas_units import (
    CategoryOut,
    Feature,
    FeatureCollection,
    ImportResult,
    UnitIn,
    UnitOut,
    UnitPatch,
)
from routing.handlers import units_admin

UnitPath = Annotated[str, Path(pattern=r"^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$")]


def _out(row: UnitRow) -> UnitOut:
    return UnitOut.model_validate(row.model_dump())


def _feature(row: UnitRow) -> dict[str, Any]:
    props = {
        k: v
        for k, v in row.model_dump(mode="json").items()
        if k not in ("jurisdiction", "revision", "created_at", "updated_at")
    }
    return {"type": "Feature", "id": row.id, "geometry": row.jurisdiction, "properties": props}


def _spec(feature: Feature) -> dict[str, Any]:
    props = feature.properties.model_dump(exclude={"retired_at"}, mode="json")
    return {**props, "jurisdiction": feature.geometry}


def units_router() -> APIRouter:
    router = APIRouter(prefix="/api/v1", tags=["units"])

    @router.get("/categories", response_model=list[CategoryOut], dependencies=[access.public()])
    async def categories() -> list[CategoryOut]:
        return [CategoryOut(code=c, name=zh, name_en=en) for c, (zh, en) in CATEGORIES.items()]

    @router.get("/units", response_model=list[UnitOut])
    async def list_units(_: AnyStaff, rt: RuntimeDep) -> list[UnitOut]:
        async with rt.sessions() as session:
            return [_out(r) for r in await units_repo.all_units(session)]

    @router.get("/units.geojson", response_model=FeatureCollection)
    async def export_units(_: AnyStaff, rt: RuntimeDep) -> dict[str, Any]:
        async with rt.sessions() as session:
            rows = await units_repo.all_units(session)
        return {"type": "FeatureCollection", "features": [_feature(r) for r in rows]}

    @router.post("/units/import", response_model=ImportResult)
    async def import_units(body: FeatureCollection, _: Admin, rt: RuntimeDep) -> ImportResult:
        result = await units_admin.import_units(rt.uow(), [_spec(f) for f in body.features])
        return ImportResult.model_validate(result)

    @router.get("/units/{unit_id}", response_model=UnitOut)
    async def get_unit(unit_id: UnitPath, _: AnyStaff, rt: RuntimeDep) -> UnitOut:
        async with rt.sessions() as session:
            row = await units_repo.get(session, unit_id)
        if row is None:
            raise DomainError(404, f"no unit {unit_id!r}")
        return _out(row)

    @router.post("/units", response_model=UnitOut, status_code=201)
    async def create_unit(body: UnitIn, _: Admin, rt: RuntimeDep) -> UnitOut:
        return _out(await units_admin.create_unit(rt.uow(), body.model_dump(mode="json")))

    @router.patch("/units/{unit_id}", response_model=UnitOut)
    async def update_unit(unit_id: UnitPath, body: UnitPatch, _: Admin, rt: RuntimeDep) -> UnitOut:
        nullable = ("parent_id", "jurisdiction")
        changes = {
            k: v
            for k, v in body.model_dump(exclude_unset=True, mode="json").items()
            if v is not None or k in nullable
        }
        return _out(await units_admin.update_unit(rt.uow(), unit_id, changes))

    @router.post(
        "/units/{unit_id}/retire", response_model=UnitOut, responses={409: {"description": "open complaints"}}
    )
    async def retire_unit(unit_id: UnitPath, _: Admin, rt: RuntimeDep) -> UnitOut:
        return _out(await units_admin.retire_unit(rt.uow(), unit_id))

    return router
