"""Months as the public figures know them: 'YYYY-MM', calendar months in Asia/Shanghai.

A month is closed once its end (midnight Asia/Shanghai on the 1st of the next month) plus a
grace has passed: the grace lets events about the month's last hours arrive before the
figures are frozen.
"""

from __future__ import annotations

import re
from datetime import date, datetime, time, timedelta

from feedback.domain.periods import SHANGHAI, Period, PeriodError, local_day, period_containing

MONTH = r"^(19[7-9][0-9]|2[0-9]{3})-(0[1-9]|1[0-2])$"  # 1970-01 .. 2999-12


def parse_month(text: str) -> date:
    """'2026-03' -> date(2026, 3, 1)."""
    if not re.fullmatch(MONTH, text):
        raise PeriodError(f"a month is written YYYY-MM (e.g. 2026-03), not {text!r}")
    return date(int(text[:4]), int(text[5:7]), 1)


def month_text(first: date) -> str:
    return f"{first.year:04d}-{first.month:02d}"


def month_period(first: date) -> Period:
    return period_containing("month", first)


def next_month(first: date) -> date:
    return month_period(first).end


def previous_month(first: date) -> date:
    return (first - timedelta(days=1)).replace(day=1)


def closes_at(first: date, grace: timedelta) -> datetime:
    return datetime.combine(month_period(first).end, time(0), SHANGHAI) + grace


def is_closed(first: date, now: datetime, grace: timedelta) -> bool:
    return now >= closes_at(first, grace)


def last_closed(now: datetime, grace: timedelta) -> date:
    """The latest month that is closed at `now`."""
    return previous_month(local_day(now - grace).replace(day=1))


def months_from(first: date, last: date) -> list[date]:
    out, month = [], first.replace(day=1)
    while month <= last:
        out.append(month)
        month = next_month(month)
    return out
