"""Working-time arithmetic on the official calendar: weekends, holidays, make-up workdays
(调休), lunch and nights, unknown years, loaded schedules."""

from __future__ import annotations

import random
import time as monotonic
from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from routing.sla.calendar import TwentyFourSeven, Workdays, WorkingHours, build_calendar
from routing.sla.schedules import YearSchedule, library_schedules, merged_schedules, parse_days

SH = ZoneInfo("Asia/Shanghai")
HOURS = WorkingHours.parse("09:00-12:00,13:30-17:30")
H = 3600


def at(y: int, mo: int, d: int, h: int = 0, mi: int = 0, s: int = 0) -> datetime:
    return datetime(y, mo, d, h, mi, s, tzinfo=SH)


def official(**loaded: YearSchedule) -> Workdays:
    return Workdays(merged_schedules({int(k[1:]): v for k, v in loaded.items()}), HOURS, SH)


CAL = official()


def test_two_working_hours_before_national_day_land_after_the_holiday() -> None:
    # 2026: National Day Oct 1-7 off (library), Sep 30 is a Wednesday and a working day.
    assert CAL.day(date(2026, 9, 30)) == (True, True)
    assert all(not CAL.day(date(2026, 10, d))[0] for d in range(1, 8))
    due, provisional = CAL.add_working(at(2026, 9, 30, 16, 50), 2 * H)
    # 40 min left on Sep 30, then 80 min on Thursday Oct 8, the first working day after it.
    assert due == at(2026, 10, 8, 10, 20)
    assert due.tzinfo == UTC
    assert provisional is False
    assert CAL.working_between(at(2026, 9, 30, 16, 50), due) == 2 * H


def test_a_working_day_is_seven_hours_and_ends_at_the_close() -> None:
    assert HOURS.per_day == timedelta(hours=7)
    assert CAL.add_working(at(2026, 3, 9, 9), 7 * H)[0] == at(2026, 3, 9, 17, 30)
    assert CAL.add_working(at(2026, 3, 9, 9), 3 * H)[0] == at(2026, 3, 9, 12)


def test_weekend_is_skipped() -> None:
    friday = at(2026, 3, 13, 16)
    assert CAL.add_working(friday, 2 * H)[0] == at(2026, 3, 16, 9, 30)
    assert CAL.working_between(friday, at(2026, 3, 16, 9, 30)) == 2 * H
    assert CAL.working_between(at(2026, 3, 14, 8), at(2026, 3, 15, 23)) == 0


def test_start_outside_hours_begins_at_the_next_opening() -> None:
    saturday_night = at(2026, 3, 14, 20)
    assert CAL.add_working(saturday_night, 1)[0] == at(2026, 3, 16, 9, 0, 1)
    assert CAL.add_working(at(2026, 3, 16, 12, 40), 60)[0] == at(2026, 3, 16, 13, 31)


def test_spans_over_lunch_and_night() -> None:
    assert CAL.add_working(at(2026, 3, 10, 11, 30), H)[0] == at(2026, 3, 10, 14)
    assert CAL.add_working(at(2026, 3, 10, 17), H)[0] == at(2026, 3, 11, 9, 30)
    assert CAL.working_between(at(2026, 3, 10, 11), at(2026, 3, 10, 14)) == 1.5 * H
    assert CAL.working_between(at(2026, 3, 10, 17), at(2026, 3, 11, 10)) == 1.5 * H


def test_make_up_saturday_and_sunday_are_working_days() -> None:
    # 调休: Sat Oct 10 and Sun Sep 20 2026 are working days.
    assert CAL.day(date(2026, 10, 10)) == (True, True)
    assert CAL.add_working(at(2026, 10, 9, 17), H)[0] == at(2026, 10, 10, 9, 30)
    assert CAL.add_working(at(2026, 9, 19, 10), H)[0] == at(2026, 9, 20, 10)
    assert CAL.working_between(at(2026, 10, 9, 17), at(2026, 10, 12, 9)) == 7.5 * H


def test_spring_festival_holiday_is_skipped_and_its_make_up_saturdays_count() -> None:
    # 2026: Feb 15-23 off; Sat Feb 14 and Sat Feb 28 are make-up workdays.
    due, _ = CAL.add_working(at(2026, 2, 13, 17), 8 * H)
    assert due == at(2026, 2, 24, 9, 30)  # 0.5 h Fri, 7 h Sat Feb 14, then 0.5 h after the holiday
    assert CAL.working_between(at(2026, 2, 15), at(2026, 2, 24)) == 0


def test_whole_days_are_taken_in_one_step_and_long_spans_are_cheap() -> None:
    started = monotonic.perf_counter()
    due, _ = CAL.add_working(at(2026, 1, 5, 9), 200 * 7 * H)
    span = CAL.working_between(at(2026, 1, 5, 9), due)
    assert monotonic.perf_counter() - started < 0.2
    assert span == 200 * 7 * H
    workdays_2026 = sum(1 for i in range(365) if CAL.day(date(2026, 1, 1) + timedelta(days=i))[0])
    assert CAL.working_between(at(2026, 1, 1), at(2027, 1, 1)) == workdays_2026 * 7 * H


def test_add_and_between_are_inverse() -> None:
    rng = random.Random(5)
    for _ in range(300):
        start = at(2026, 1, 1) + timedelta(minutes=rng.randrange(0, 360 * 24 * 60))
        seconds = rng.randrange(1, 40 * 7 * H)
        due, _ = CAL.add_working(start, seconds)
        assert due > start
        assert CAL.working_between(start, due) == pytest.approx(seconds)


def test_a_year_without_schedule_counts_weekdays_and_is_provisional() -> None:
    assert 2027 not in library_schedules()
    assert CAL.day(date(2027, 1, 8)) == (True, False)
    assert CAL.add_working(at(2027, 1, 8, 17), H) == (at(2027, 1, 11, 9, 30), True)
    # a deadline inside a known year is not provisional; one that runs into 2027 is
    assert CAL.add_working(at(2026, 12, 30, 9), 7 * H)[1] is False
    due, provisional = CAL.add_working(at(2026, 12, 31, 9), 5 * 7 * H)
    assert provisional is True
    # Dec 31, then Fri Jan 1 2027 guessed a working day, Mon Jan 4 .. Wed Jan 6
    assert due == at(2027, 1, 6, 17, 30)


def test_a_loaded_schedule_takes_precedence() -> None:
    y2027 = YearSchedule(2027, holidays=parse_days(["2027-01-01..2027-01-03"]), workdays=frozenset())
    cal = official(y2027=y2027)
    due, provisional = cal.add_working(at(2026, 12, 31, 9), 5 * 7 * H)
    assert (due, provisional) == (at(2027, 1, 7, 17, 30), False)  # Jan 1 is now off
    # a loaded 2026 replaces the library's: here without the National Day holiday
    plain_2026 = YearSchedule(2026, holidays=frozenset(), workdays=frozenset())
    assert official(y2026=plain_2026).add_working(at(2026, 9, 30, 16, 50), 2 * H)[0] == at(
        2026, 10, 1, 10, 20
    )


def test_twenty_four_seven_is_wall_time() -> None:
    cal = build_calendar("24x7", schedules={}, hours=HOURS, tz=SH)
    assert isinstance(cal, TwentyFourSeven)
    start = at(2026, 10, 1, 23, 50)  # a holiday, at night
    assert cal.add_working(start, 30 * 60) == (at(2026, 10, 2, 0, 20), False)
    assert cal.working_between(start, at(2026, 10, 2, 0, 20)) == 1800
    assert cal.working_between(at(2026, 10, 2), start) == 0


def test_schedule_and_hours_are_validated() -> None:
    with pytest.raises(ValueError, match="weekend"):
        YearSchedule(2027, holidays=frozenset(), workdays=frozenset({date(2027, 1, 4)}))  # a Monday
    with pytest.raises(ValueError, match="outside 2027"):
        YearSchedule(2027, holidays=frozenset({date(2026, 12, 31)}), workdays=frozenset())
    with pytest.raises(ValueError, match="both"):
        YearSchedule(2027, holidays=frozenset({date(2027, 1, 2)}), workdays=frozenset({date(2027, 1, 2)}))
    assert parse_days(["2027-10-01..2027-10-03", "2027-10-07"]) == {
        date(2027, 10, 1),
        date(2027, 10, 2),
        date(2027, 10, 3),
        date(2027, 10, 7),
    }
    with pytest.raises(ValueError):
        parse_days(["2027-13-01"])
    with pytest.raises(ValueError, match="overlap"):
        WorkingHours.parse("09:00-12:00,11:00-17:00")
    with pytest.raises(ValueError):
        CAL.add_working(at(2026, 3, 9), -1)
