"""Reporting periods: calendar days, ISO weeks (Monday first) and months in Asia/Shanghai."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Literal
from zoneinfo import ZoneInfo

SHANGHAI = ZoneInfo("Asia/Shanghai")
PeriodKind = Literal["day", "week", "month", "range"]
MAX_RANGE_DAYS = 400  # a query spans at most about a year (and its series that many points)


class PeriodError(ValueError):
    pass


@dataclass(frozen=True)
class Period:
    kind: PeriodKind
    start: date  # first day, inclusive
    end: date  # day after the last, exclusive

    def days(self) -> list[date]:
        return [self.start + timedelta(days=i) for i in range((self.end - self.start).days)]

    def as_dict(self) -> dict[str, str]:
        return {"kind": self.kind, "start": self.start.isoformat(), "end": self.end.isoformat()}


def local_day(moment: datetime) -> date:
    """The calendar day a moment falls on in Asia/Shanghai."""
    return moment.astimezone(SHANGHAI).date()


def period_containing(kind: PeriodKind, on: date) -> Period:
    if kind == "day":
        return Period("day", on, on + timedelta(days=1))
    if kind == "week":
        start = on - timedelta(days=on.weekday())
        return Period("week", start, start + timedelta(days=7))
    if kind == "month":
        start = on.replace(day=1)
        following = date(start.year + (start.month == 12), start.month % 12 + 1, 1)
        return Period("month", start, following)
    raise PeriodError(f"unknown period {kind!r} (day, week, month)")


def explicit_range(first: date, last: date) -> Period:
    """`first`..`last`, both inclusive."""
    if last < first:
        raise PeriodError("'to' is before 'from'")
    if (last - first).days + 1 > MAX_RANGE_DAYS:
        raise PeriodError(f"a range spans at most {MAX_RANGE_DAYS} days")
    return Period("range", first, last + timedelta(days=1))
