"""Unit bodies and the GeoJSON FeatureCollection units are imported and exported as."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Any, Literal

from pydantic import AfterValidator, BaseModel, ConfigDict, Field, StringConstraints

from routing.domain.categories import CATEGORIES
from routing.domain.geometry import parse_area, to_geojson
from routing.domain.units import UnitKind
from routing.entrypoints.text import normalise, not_blank


def _category(code: str) -> str:
    if code not in CATEGORIES:
        raise ValueError(f"unknown category {code!r}; known: {', '.join(CATEGORIES)}")
    return code


def _area(geometry: dict[str, Any] | None) -> dict[str, Any] | None:
    """Validated (ValueError says what is wrong) and stored in canonical form, without any
    foreign members the client sent along."""
    return None if geometry is None else to_geojson(parse_area(geometry))


UnitIdStr = Annotated[str, StringConstraints(pattern=r"^[a-z0-9][a-z0-9._-]{0,63}$")]
Name = Annotated[str, StringConstraints(max_length=200), AfterValidator(normalise), AfterValidator(not_blank)]
OptionalName = Annotated[str, StringConstraints(max_length=200), AfterValidator(normalise)]
Category = Annotated[str, AfterValidator(_category)]
Area = Annotated[dict[str, Any] | None, AfterValidator(_area)]
Contact = Annotated[
    dict[
        Annotated[str, StringConstraints(pattern=r"^[a-z_]{1,32}$")],
        Annotated[str, StringConstraints(max_length=300), AfterValidator(normalise)],
    ],
    Field(max_length=10),
]
Calendar = Literal["24x7", "workdays"]


class UnitFields(BaseModel):
    model_config = ConfigDict(extra="forbid")
    name: Name
    name_en: OptionalName = ""
    kind: UnitKind
    parent_id: UnitIdStr | None = None
    categories: list[Category] = Field(default_factory=list, description="empty: every category")
    contact: Contact = Field(default_factory=dict)
    calendar: Calendar = "workdays"


class UnitIn(UnitFields):
    id: UnitIdStr
    jurisdiction: Area = Field(None, description="GeoJSON Polygon or MultiPolygon, [lon, lat]")


class UnitPatch(BaseModel):
    model_config = ConfigDict(extra="forbid")
    name: Name | None = None
    name_en: OptionalName | None = None
    kind: UnitKind | None = None
    parent_id: UnitIdStr | None = None
    categories: list[Category] | None = None
    contact: Contact | None = None
    calendar: Calendar | None = None
    jurisdiction: Area = None


class UnitOut(UnitIn):
    model_config = ConfigDict(extra="ignore")
    retired_at: datetime | None
    updated_at: datetime


class FeatureProperties(UnitFields):
    id: UnitIdStr
    retired_at: datetime | None = Field(None, description="exported for reference; ignored on import")


class Feature(BaseModel):
    model_config = ConfigDict(extra="ignore")
    type: Literal["Feature"]
    geometry: Area = None
    properties: FeatureProperties


class FeatureCollection(BaseModel):
    model_config = ConfigDict(extra="ignore")
    type: Literal["FeatureCollection"]
    features: list[Feature] = Field(max_length=5000)


class ImportResult(BaseModel):
    created: list[str]
    updated: list[str]
    warnings: list[str]


class CategoryOut(BaseModel):
    code: str
    name: str
    name_en: str
