"""Which days are working days: the official year schedules (holidays and make-up workdays).

Pure data, no I/O. The `chinese_calendar` package ships the State Council's schedules for
the years it knows; a schedule an administrator loaded for a year takes precedence. A year
with neither is *unknown*: counted as weekdays only, and every deadline touching it is
provisional until its schedule is loaded.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date, timedelta
from functools import cache

from chinese_calendar import constants as official


@dataclass(frozen=True)
class YearSchedule:
    """One year's official schedule: days off (incl. the weekends inside a holiday span)
    and make-up workdays (调休: weekend days that are working days)."""

    year: int
    holidays: frozenset[date]
    workdays: frozenset[date]

    def __post_init__(self) -> None:
        stray = sorted(d for d in self.holidays | self.workdays if d.year != self.year)
        if stray:
            raise ValueError(f"dates outside {self.year}: {', '.join(map(str, stray[:5]))}")
        both = sorted(self.holidays & self.workdays)
        if both:
            raise ValueError(f"dates both holiday and make-up workday: {', '.join(map(str, both[:5]))}")
        weekdays = sorted(d for d in self.workdays if d.weekday() < 5)
        if weekdays:
            raise ValueError(f"make-up workdays must fall on a weekend: {', '.join(map(str, weekdays[:5]))}")

    def is_workday(self, day: date) -> bool:
        return day in self.workdays or (day.weekday() < 5 and day not in self.holidays)


def parse_days(items: Iterable[str]) -> frozenset[date]:
    """ISO dates, or inclusive ranges written `2027-10-01..2027-10-07`."""
    days: set[date] = set()
    for item in items:
        first, _, last = item.strip().partition("..")
        start = date.fromisoformat(first.strip())
        end = date.fromisoformat(last.strip()) if last else start
        if end < start:
            raise ValueError(f"range ends before it starts: {item!r}")
        if (end - start).days > 366:
            raise ValueError(f"range longer than a year: {item!r}")
        days.update(start + timedelta(days=i) for i in range((end - start).days + 1))
    return frozenset(days)


@cache
def library_schedules() -> Mapping[int, YearSchedule]:
    """The years `chinese_calendar` knows, as schedules (built once per process)."""
    years = {d.year for d in official.holidays} | {d.year for d in official.workdays}
    return {
        year: YearSchedule(
            year=year,
            holidays=frozenset(d for d in official.holidays if d.year == year),
            workdays=frozenset(d for d in official.workdays if d.year == year),
        )
        for year in sorted(years)
    }


def merged_schedules(loaded: Mapping[int, YearSchedule]) -> dict[int, YearSchedule]:
    """The library's years overlaid with the loaded ones (a loaded year wins)."""
    return {**library_schedules(), **loaded}


def missing_years(years: Iterable[int], loaded: Mapping[int, YearSchedule]) -> list[int]:
    known = merged_schedules(loaded)
    return sorted(y for y in set(years) if y not in known)
