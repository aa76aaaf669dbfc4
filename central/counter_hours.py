"""Each site's counter hours (窗口服务时间) and the appointment slots they make.

A schedule is data, read once at start-up from the JSON file ``CENTRAL_COUNTER_HOURS_FILE``
names (or given to ``create_app`` as a mapping)::

    {"slot_minutes": 30, "capacity": 3,
     "sites": {"demo-site": {"place": "一楼综合受理区 3-5号窗口",
                             "place_in": {"en": "Service area, 1st floor, counters 3-5"},
                             "hours": {"mon-fri": ["09:00-12:00", "13:30-17:00"],
                                       "sat": ["09:00-12:00"]},
                             "capacity": 4}}}

``place_in`` (optional) names the counter in the kiosk's other languages (``zh-Hant``, ``en``).
Day keys are ``mon`` … ``sun`` or a range such as ``mon-fri``; a site may override
``slot_minutes`` and ``capacity``. Times are the centre's local time (``CENTRE_ZONE``). A
public holiday of the work calendar closes the counter whatever its weekday; a make-up working
day (调休) opens with Monday's hours. A period is cut into whole slots from its start; a
remainder shorter than a slot is not offered.
"""

from __future__ import annotations

import json
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from pathlib import Path
from typing import Any

from central.work_calendar import WorkCalendar

DEFAULT_SLOT_MINUTES = 30
DEFAULT_CAPACITY = 3
PLACE_LANGUAGES = frozenset({"zh-Hant", "en"})  # the kiosk's languages besides the place's own
DAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")


class CounterHoursError(ValueError):
    """A schedule cannot be used; the message names the site and the key."""


@dataclass(frozen=True)
class Period:
    opens: time
    closes: time


@dataclass(frozen=True)
class SiteHours:
    """One site's counter: its weekly hours (index 0 is Monday), slot length, capacity, place."""

    weekly: tuple[tuple[Period, ...], ...]
    place: str = "服务窗口"
    place_in: Mapping[str, str] = field(default_factory=dict)  # the place in other languages
    slot_minutes: int = DEFAULT_SLOT_MINUTES
    capacity: int = DEFAULT_CAPACITY

    def periods_on(self, day: date, calendar: WorkCalendar) -> tuple[Period, ...]:
        """The counter's open periods on ``day``: none on a holiday, Monday's on a make-up day."""
        if day in calendar.workdays:
            return self.weekly[0]
        if day in calendar.holidays:
            return ()
        return self.weekly[day.weekday()]

    def slots_on(self, day: date, calendar: WorkCalendar) -> Iterator[tuple[datetime, datetime]]:
        """Each slot's local (start, end) on ``day``, in order."""
        length = timedelta(minutes=self.slot_minutes)
        for period in self.periods_on(day, calendar):
            start = datetime.combine(day, period.opens, calendar.zone)
            closes = datetime.combine(day, period.closes, calendar.zone)
            while start + length <= closes:
                yield start, start + length
                start += length

    def slot_at(self, start: datetime, calendar: WorkCalendar) -> tuple[datetime, datetime] | None:
        """The slot that begins exactly at ``start`` (any zone), or None."""
        local = start.astimezone(calendar.zone)
        for begins, ends in self.slots_on(local.date(), calendar):
            if begins == local:
                return begins, ends
        return None


@dataclass(frozen=True)
class CounterHours:
    """Every site's counter; a site without an entry takes no appointments."""

    sites: Mapping[str, SiteHours] = field(default_factory=dict)

    def of(self, site_id: str) -> SiteHours | None:
        return self.sites.get(site_id)


def counter_hours(data: Mapping[str, Any], *, source: str = "counter hours") -> CounterHours:
    """Read a schedule (see the module's docstring); ``CounterHoursError`` names what is wrong."""
    if not isinstance(data, Mapping) or not set(data) <= {"slot_minutes", "capacity", "sites"}:
        raise CounterHoursError(f"{source}: expected an object of slot_minutes, capacity and sites")
    slot_minutes = _whole(data.get("slot_minutes", DEFAULT_SLOT_MINUTES), 5, 240, f"{source}: slot_minutes")
    capacity = _whole(data.get("capacity", DEFAULT_CAPACITY), 1, 100, f"{source}: capacity")
    sites = data.get("sites", {})
    if not isinstance(sites, Mapping):
        raise CounterHoursError(f"{source}: sites must be an object of site id -> counter")
    return CounterHours({str(site): _site(entry, f"{source}: site {site!r}", slot_minutes, capacity)
                         for site, entry in sites.items()})


def load_counter_hours(path: Path) -> CounterHours:
    """Read a schedule file (JSON)."""
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as err:
        raise CounterHoursError(f"{path}: cannot read it: {err}") from err
    return counter_hours(data, source=str(path))


def _site(entry: Any, where: str, slot_minutes: int, capacity: int) -> SiteHours:
    if not isinstance(entry, Mapping) or "hours" not in entry \
            or not set(entry) <= {"hours", "place", "place_in", "slot_minutes", "capacity"}:
        raise CounterHoursError(f"{where}: expected an object with hours (and place, place_in, "
                                "slot_minutes, capacity)")
    place = entry.get("place", "服务窗口")
    if not isinstance(place, str) or not 1 <= len(place) <= 100:
        raise CounterHoursError(f"{where}: place must be 1-100 characters")
    place_in = entry.get("place_in", {})
    if not isinstance(place_in, Mapping) or not set(place_in) <= PLACE_LANGUAGES or not all(
            isinstance(words, str) and 1 <= len(words) <= 100 for words in place_in.values()):
        raise CounterHoursError(f"{where}: place_in must map {' or '.join(sorted(PLACE_LANGUAGES))} "
                                "to 1-100 characters")
    hours = entry["hours"]
    if not isinstance(hours, Mapping):
        raise CounterHoursError(f"{where}: hours must be an object of days -> periods")
    weekly: list[tuple[Period, ...]] = [()] * 7
    for key, periods in hours.items():
        for index in _day_indices(str(key), f"{where}: hours"):
            weekly[index] = _periods(periods, f"{where}: hours[{key!r}]")
    return SiteHours(tuple(weekly), place, dict(place_in),
                     _whole(entry.get("slot_minutes", slot_minutes), 5, 240, f"{where}: slot_minutes"),
                     _whole(entry.get("capacity", capacity), 1, 100, f"{where}: capacity"))


def _day_indices(key: str, where: str) -> range:
    first, _, last = key.partition("-")
    if first not in DAYS or (last and last not in DAYS):
        raise CounterHoursError(f"{where}: {key!r} is not a day (mon … sun) or a range (mon-fri)")
    start, end = DAYS.index(first), DAYS.index(last or first)
    if end < start:
        raise CounterHoursError(f"{where}: the range {key!r} runs backwards")
    return range(start, end + 1)


def _periods(value: Any, where: str) -> tuple[Period, ...]:
    if not isinstance(value, list):
        raise CounterHoursError(f"{where}: expected a list such as [\"09:00-12:00\"]")
    found: list[Period] = []
    for text in value:
        opens, _, closes = str(text).partition("-")
        try:
            period = Period(time.fromisoformat(opens.strip()), time.fromisoformat(closes.strip()))
        except ValueError:
            raise CounterHoursError(f"{where}: {str(text)[:20]!r} is not HH:MM-HH:MM") from None
        if period.closes <= period.opens or (found and period.opens < found[-1].closes):
            raise CounterHoursError(f"{where}: periods must run forwards and not overlap")
        found.append(period)
    return tuple(found)


def _whole(value: Any, low: int, high: int, where: str) -> int:
    if not isinstance(value, int) or isinstance(value, bool) or not low <= value <= high:
        raise CounterHoursError(f"{where} must be a whole number from {low} to {high}")
    return value
