"""Dependencies the feedback routes share: the runtime, the caller's scope, the period."""

from __future__ import annotations

from datetime import date
from typing import Annotated, Literal

from fastapi import Depends, Query, Request

from feedback.adapters import metrics_queries as q
from feedback.domain.periods import PeriodError, explicit_range, local_day, period_containing
from feedback.domain.scope import ALL_ROLES, CITY_WIDE, Scope, scope_for
from feedback.settings import FeedbackSettings
from huiyin.auth import access
from huiyin.auth.tokens import Principal, Role
from huiyin.db import UnitOfWork
from huiyin.http.errors import DomainError
from huiyin.runtime import Runtime

# The shapes of ids and codes (as routing defines them): anything else is a 422 before it
# reaches a query (PostgreSQL refuses some characters, e.g. NUL, with an error).
UNIT_ID = r"^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$"
CODE = r"^[a-z][a-z0-9_]{0,63}$"

Staff = Annotated[Principal, access.staff(*ALL_ROLES)]
Supervision = Annotated[Principal, access.staff(*CITY_WIDE)]
AuditReader = Annotated[Principal, access.staff(*CITY_WIDE, Role.DISTRICT_SUPERVISOR, Role.STATION_HEAD)]


def runtime_of(request: Request) -> Runtime:
    return request.app.state.runtime


RuntimeDep = Annotated[Runtime, Depends(runtime_of)]


def settings_of(request: Request) -> FeedbackSettings:
    return request.app.state.runtime.settings


SettingsDep = Annotated[FeedbackSettings, Depends(settings_of)]


async def scope_of(uow: UnitOfWork, principal: Principal) -> Scope:
    district = None
    if principal.role == Role.DISTRICT_SUPERVISOR and principal.unit_id:
        district = await q.district_of(uow.session, principal.unit_id)
    return scope_for(principal, district_of_own_unit=district)


class FilterParams:
    """Query parameters of every supervision read: the period and the unit filters."""

    def __init__(
        self,
        request: Request,
        period: Annotated[Literal["day", "week", "month"], Query(description="day, week or month")] = "month",
        on: Annotated[date | None, Query(description="a day inside the period (default: today)")] = None,
        from_: Annotated[date | None, Query(alias="from", description="first day (with 'to')")] = None,
        to: Annotated[date | None, Query(description="last day, inclusive (with 'from')")] = None,
        unit_kind: Annotated[str | None, Query(pattern=CODE)] = None,
        district_id: Annotated[str | None, Query(pattern=UNIT_ID)] = None,
        category: Annotated[str | None, Query(pattern=CODE)] = None,
    ) -> None:
        try:
            if from_ is not None or to is not None:
                if from_ is None or to is None:
                    raise PeriodError("give both 'from' and 'to', or neither")
                self.period = explicit_range(from_, to)
            else:
                today = local_day(runtime_of(request).clock.now())
                self.period = period_containing(period, on or today)
        except PeriodError as exc:
            raise DomainError(
                422, str(exc), errors=[{"path": "query.period", "code": "period", "message": str(exc)}]
            ) from exc
        self.unit_kind, self.district_id, self.category = unit_kind, district_id, category

    def filters(self, scope: Scope, unit_id: str | None = None) -> q.Filters:
        return q.Filters(
            period=self.period,
            scope=scope,
            unit_kind=self.unit_kind,
            district_id=self.district_id,
            category=self.category,
            unit_id=unit_id,
        )


FilterDep = Annotated[FilterParams, Depends()]
