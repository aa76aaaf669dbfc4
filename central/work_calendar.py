"""Working days (工作日) for follow-up deadlines, and the centre's local day.

A working day is Monday to Friday, except the holidays the calendar is given; a weekend day
the calendar names as worked (调休, a make-up working day) counts too. The holidays change
every year by State Council notice, so they are data: a text file named by
``CENTRAL_HOLIDAYS_FILE``, one date per line::

    # 2027 春节
    2027-02-08
    2027-02-09
    +2027-02-06     a Saturday worked instead (调休)

Days are the centre's local days (``CENTRE_ZONE``, China Standard Time): a rating given at
23:30 UTC on a Sunday was given on Monday in Beijing.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

CENTRE_ZONE = ZoneInfo("Asia/Shanghai")
FOLLOW_UP_WORKING_DAYS = 15  # a low rating is followed up within this many working days


class CalendarFileError(ValueError):
    """A holiday file cannot be read; the message names the file and the line."""


@dataclass(frozen=True)
class WorkCalendar:
    """Monday to Friday, less ``holidays``, plus the weekend days in ``workdays``."""

    holidays: frozenset[date] = field(default_factory=frozenset)
    workdays: frozenset[date] = field(default_factory=frozenset)
    zone: ZoneInfo = CENTRE_ZONE

    def is_working_day(self, day: date) -> bool:
        if day in self.workdays:
            return True
        return day.weekday() < 5 and day not in self.holidays

    def add_working_days(self, start: date, count: int) -> date:
        """The ``count``-th working day after ``start`` (``start`` itself is not counted)."""
        day = start
        left = count
        while left > 0:
            day += timedelta(days=1)
            if self.is_working_day(day):
                left -= 1
        return day

    def working_days_between(self, start: date, end: date) -> int:
        """How many working days come after ``start`` up to and including ``end``."""
        count, day = 0, start
        while day < end:
            day += timedelta(days=1)
            count += self.is_working_day(day)
        return count

    def working_days_left(self, today: date, due: date) -> int:
        """Working days from ``today`` to ``due`` (0 on the day), negative once past it: at
        least one day late even when no working day has come since (due Friday, late Saturday)."""
        if today <= due:
            return self.working_days_between(today, due)
        return -max(1, self.working_days_between(due, today))

    def local_day(self, at: datetime) -> date:
        """The local calendar day of the instant ``at``."""
        return at.astimezone(self.zone).date()

    def due_on(self, opened_at: datetime, working_days: int = FOLLOW_UP_WORKING_DAYS) -> date:
        """The last day to close a follow-up opened at ``opened_at``."""
        return self.add_working_days(self.local_day(opened_at), working_days)


def calendar_from_lines(lines: Iterable[str], *, source: str = "holidays") -> WorkCalendar:
    """Read ``YYYY-MM-DD`` (a holiday) and ``+YYYY-MM-DD`` (a worked weekend day) lines;
    ``#`` starts a comment, text after the date is ignored."""
    holidays: set[date] = set()
    workdays: set[date] = set()
    for number, raw in enumerate(lines, start=1):
        line = raw.split("#", 1)[0].strip()
        if not line:
            continue
        worked = line.startswith("+")
        text = line.removeprefix("+").split()[0]
        try:
            day = date.fromisoformat(text)
        except ValueError:
            raise CalendarFileError(f"{source}, line {number}: expected a date such as 2027-02-08 "
                                    f"or +2027-02-06, found {text[:20]!r}") from None
        (workdays if worked else holidays).add(day)
    return WorkCalendar(frozenset(holidays), frozenset(workdays))


def load_calendar(path: Path) -> WorkCalendar:
    """Read a holiday file (see the module's docstring)."""
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as err:
        raise CalendarFileError(f"{path}: cannot read it: {err.strerror}") from err
    return calendar_from_lines(text.splitlines(), source=str(path))
