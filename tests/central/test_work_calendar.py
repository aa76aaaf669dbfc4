"""Follow-up deadlines count working days: weekends and holidays skipped, make-up days counted,
days taken in Beijing time."""

from __future__ import annotations

from datetime import UTC, date, datetime
from pathlib import Path

import pytest

from central.work_calendar import CalendarFileError, WorkCalendar, calendar_from_lines, load_calendar

PLAIN = WorkCalendar()


def test_fifteen_working_days_skip_three_weekends() -> None:
    # Wednesday 2026-12-02 + 15 working days: Thursday 3rd ... Wednesday 23rd.
    assert PLAIN.add_working_days(date(2026, 12, 2), 15) == date(2026, 12, 23)
    # From a Friday: the next Monday is the first working day.
    assert PLAIN.add_working_days(date(2026, 12, 4), 1) == date(2026, 12, 7)
    # From a Saturday: 15 working days end on a Friday three weeks on.
    assert PLAIN.add_working_days(date(2026, 12, 5), 15) == date(2026, 12, 25)
    assert PLAIN.working_days_between(date(2026, 12, 2), date(2026, 12, 23)) == 15
    assert PLAIN.working_days_between(date(2026, 12, 4), date(2026, 12, 6)) == 0


def test_days_left_count_down_to_the_day_and_a_day_past_it_is_late() -> None:
    due = date(2026, 12, 4)  # a Friday
    assert PLAIN.working_days_left(date(2026, 12, 2), due) == 2
    assert PLAIN.working_days_left(due, due) == 0
    # The Saturday after: no working day has come since, yet it is a day late, not "0 left".
    assert PLAIN.working_days_left(date(2026, 12, 5), due) == -1
    assert PLAIN.working_days_left(date(2026, 12, 7), due) == -1  # Monday
    assert PLAIN.working_days_left(date(2026, 12, 8), due) == -2  # Tuesday


def test_holidays_are_skipped_and_make_up_days_count() -> None:
    calendar = calendar_from_lines([
        "# 2027 春节",
        "2027-02-08", "2027-02-09", "2027-02-10", "2027-02-11", "2027-02-12",
        "+2027-02-06  调休",
    ])
    assert not calendar.is_working_day(date(2027, 2, 8))  # a Monday off
    assert calendar.is_working_day(date(2027, 2, 6))  # a Saturday worked
    # Friday 5th: Saturday 6th (worked), then the week off, then Monday 15th.
    assert calendar.add_working_days(date(2027, 2, 5), 2) == date(2027, 2, 15)
    assert PLAIN.add_working_days(date(2027, 2, 5), 2) == date(2027, 2, 9)


def test_the_day_is_beijing_s() -> None:
    late_sunday_utc = datetime(2026, 12, 6, 23, 30, tzinfo=UTC)  # Monday 07:30 in Beijing
    assert PLAIN.local_day(late_sunday_utc) == date(2026, 12, 7)
    assert PLAIN.due_on(late_sunday_utc) == date(2026, 12, 28)


def test_a_bad_holiday_file_names_its_line(tmp_path: Path) -> None:
    path = tmp_path / "holidays.txt"
    path.write_text("2027-01-01\n2027-13-01\n", encoding="utf-8")
    with pytest.raises(CalendarFileError, match="line 2"):
        load_calendar(path)
    with pytest.raises(CalendarFileError, match="cannot read"):
        load_calendar(tmp_path / "missing.txt")
    path.write_text("2027-01-01 元旦\n", encoding="utf-8")
    assert load_calendar(path).holidays == {date(2027, 1, 1)}
