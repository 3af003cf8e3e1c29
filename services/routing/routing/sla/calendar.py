"""Working-time arithmetic: pure functions of time, no I/O.

`add_working(start, seconds) -> (due, provisional)` and `working_between(a, b) -> seconds`
for the two calendars a policy can name: `24x7` (wall time) and `workdays` (working hours
on official working days, local time). Both walk day by day and take a whole working day
in one step, so a deadline of weeks costs a few dozen iterations, never one per minute.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from typing import Protocol
from zoneinfo import ZoneInfo

from routing.sla.schedules import YearSchedule

MAX_DAYS = 3660  # ten years: a duration that needs longer is a misconfiguration


class Calendar(Protocol):
    @property
    def name(self) -> str: ...

    def add_working(self, start: datetime, seconds: float) -> tuple[datetime, bool]: ...

    def working_between(self, a: datetime, b: datetime) -> float: ...


@dataclass(frozen=True)
class WorkingHours:
    windows: tuple[tuple[time, time], ...]

    @classmethod
    def parse(cls, spec: str) -> WorkingHours:
        """`09:00-12:00,13:30-17:30`: ordered, non-overlapping windows within one day."""
        windows = []
        for part in filter(None, (p.strip() for p in spec.split(","))):
            first, sep, last = part.partition("-")
            if not sep:
                raise ValueError(f"working-hours window {part!r} is not HH:MM-HH:MM")
            windows.append((time.fromisoformat(first.strip()), time.fromisoformat(last.strip())))
        if not windows:
            raise ValueError("at least one working-hours window is required")
        for (a, b), nxt in zip(windows, [*windows[1:], None], strict=True):
            if not a < b or (nxt is not None and not b <= nxt[0]):
                raise ValueError(f"working-hours windows must be ordered and not overlap: {spec!r}")
        return cls(tuple(windows))

    def spec(self) -> str:
        return ",".join(f"{a:%H:%M}-{b:%H:%M}" for a, b in self.windows)

    @property
    def per_day(self) -> timedelta:
        return sum(
            (datetime.combine(date.min, b) - datetime.combine(date.min, a) for a, b in self.windows),
            timedelta(),
        )


class TwentyFourSeven:
    name = "24x7"

    def add_working(self, start: datetime, seconds: float) -> tuple[datetime, bool]:
        return start + timedelta(seconds=seconds), False

    def working_between(self, a: datetime, b: datetime) -> float:
        return max((b - a).total_seconds(), 0.0)


@dataclass(frozen=True)
class Workdays:
    """Working hours on working days; a day of a year without a schedule counts as a
    weekday-only guess and makes the answer provisional."""

    schedules: Mapping[int, YearSchedule]
    hours: WorkingHours
    tz: ZoneInfo
    name: str = "workdays"

    def day(self, day: date) -> tuple[bool, bool]:
        """(is a working day, the year's schedule is known)."""
        schedule = self.schedules.get(day.year)
        if schedule is None:
            return day.weekday() < 5, False
        return schedule.is_workday(day), True

    def _windows(self, day: date) -> list[tuple[datetime, datetime]]:
        return [
            (datetime.combine(day, a, self.tz), datetime.combine(day, b, self.tz))
            for a, b in self.hours.windows
        ]

    def add_working(self, start: datetime, seconds: float) -> tuple[datetime, bool]:
        if seconds < 0:
            raise ValueError("a working duration cannot be negative")
        if seconds == 0:
            return start, False
        cursor = start.astimezone(self.tz)
        day, remaining, provisional = cursor.date(), timedelta(seconds=seconds), False
        per_day = self.hours.per_day
        for _ in range(MAX_DAYS):
            working, known = self.day(day)
            provisional |= not known
            if working:
                windows = self._windows(day)
                if cursor <= windows[0][0] and remaining > per_day:
                    remaining -= per_day  # a whole working day in one step
                else:
                    for opens, closes in windows:
                        begin = max(opens, cursor)
                        if begin >= closes:
                            continue
                        if remaining <= closes - begin:
                            return (begin + remaining).astimezone(UTC), provisional
                        remaining -= closes - begin
            day += timedelta(days=1)
            cursor = datetime.combine(day, time(0), self.tz)
        raise ValueError(f"no {seconds} s of working time within {MAX_DAYS} days of {start}")

    def working_between(self, a: datetime, b: datetime) -> float:
        if b <= a:
            return 0.0
        la, lb = a.astimezone(self.tz), b.astimezone(self.tz)
        first, last = la.date(), lb.date()
        if (last - first).days > MAX_DAYS:
            raise ValueError(f"span longer than {MAX_DAYS} days: {a} .. {b}")
        total, per_day, day = timedelta(), self.hours.per_day, first
        while day <= last:
            if self.day(day)[0]:
                if first < day < last:
                    total += per_day
                else:
                    for opens, closes in self._windows(day):
                        overlap = min(closes, lb) - max(opens, la)
                        if overlap > timedelta():
                            total += overlap
            day += timedelta(days=1)
        return total.total_seconds()


def build_calendar(
    kind: str, *, schedules: Mapping[int, YearSchedule], hours: WorkingHours, tz: ZoneInfo
) -> Calendar:
    if kind == "24x7":
        return TwentyFourSeven()
    if kind == "workdays":
        return Workdays(schedules=schedules, hours=hours, tz=tz)
    raise ValueError(f"unknown calendar {kind!r} (24x7 or workdays)")
