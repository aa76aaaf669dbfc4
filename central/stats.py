"""Statistics for supervisors (日统计、月汇总): cases per day and month per site and item, the
ratings' distribution, and the kiosks' unsent cases. Counts only: no personal data.

Days and months are the centre's local ones: a case received at 23:30 UTC counts on the next
day in Beijing. The database groups by day, shifting each time by the zone's UTC offset at the
start of the range (China has had one offset, +08:00, since 1991), the same way on SQLite and
PostgreSQL. Ranges are inclusive of both days. A supervisor limited to some sites counts only
theirs (``central.claims.visible_to``).
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta, tzinfo

from sqlalchemy import ColumnElement, Engine, Interval, func, literal, select
from sqlalchemy.orm import InstrumentedAttribute, Session

from central.auth import Clerk
from central.claims import visible_to
from central.db import CaseRow, KioskRow, RatingRow, as_utc, utcnow
from contract.wire import RatingLevel

MAX_RANGE_DAYS = 400  # a range longer than this is refused: a year and a bit


class BadRange(ValueError):
    """The date range cannot be counted; the message is plain words for the page."""


@dataclass(frozen=True)
class DateRange:
    """Local days ``first`` to ``last``, both included."""

    first: date
    last: date

    def __post_init__(self) -> None:
        if self.last < self.first:
            raise BadRange("结束日期早于开始日期。")
        if (self.last - self.first).days + 1 > MAX_RANGE_DAYS:
            raise BadRange(f"日期范围最长 {MAX_RANGE_DAYS} 天。")

    @property
    def days(self) -> list[date]:
        return [self.first + timedelta(days=n) for n in range((self.last - self.first).days + 1)]

    @property
    def months(self) -> list[str]:
        return sorted({day.strftime("%Y-%m") for day in self.days})

    def bounds(self, zone: tzinfo) -> tuple[datetime, datetime]:
        """The range as UTC instants: [start of ``first``, start of the day after ``last``)."""
        start = datetime.combine(self.first, time(), zone).astimezone(UTC)
        end = datetime.combine(self.last + timedelta(days=1), time(), zone).astimezone(UTC)
        return start, end


@dataclass(frozen=True)
class CaseCount:
    """Cases received in one period (a day ``YYYY-MM-DD`` or a month ``YYYY-MM``) at a site, of an item."""

    period: str
    site_id: str
    item_id: str
    cases: int


def _offset_minutes(zone: tzinfo, at: datetime) -> int:
    offset = at.astimezone(zone).utcoffset() or timedelta()
    return int(offset.total_seconds() // 60)


def _local_period(engine: Engine, column: InstrumentedAttribute[datetime], minutes: int, monthly: bool
                  ) -> ColumnElement[str]:
    """``column`` (a UTC time) as its local day ``YYYY-MM-DD`` or month ``YYYY-MM``, as text."""
    if engine.dialect.name == "postgresql":
        local = func.timezone("UTC", column) + literal(timedelta(minutes=minutes), Interval)
        return func.to_char(local, "YYYY-MM" if monthly else "YYYY-MM-DD")
    shift = f"{minutes:+d} minutes"
    return func.strftime("%Y-%m" if monthly else "%Y-%m-%d", column, shift)


def case_counts(engine: Engine, supervisor: Clerk, period: DateRange, zone: tzinfo, *,
                monthly: bool = False) -> list[CaseCount]:
    """Cases received per day (or month) per site and item in ``period``, by period, site, item."""
    start, end = period.bounds(zone)
    key = _local_period(engine, CaseRow.received_at, _offset_minutes(zone, start), monthly)
    query = (select(key.label("period"), CaseRow.site_id, CaseRow.item_id,
                    func.count().label("cases"))
             .where(visible_to(supervisor), CaseRow.received_at >= start, CaseRow.received_at < end)
             .group_by(key, CaseRow.site_id, CaseRow.item_id)
             .order_by(key, CaseRow.site_id, CaseRow.item_id))
    with Session(engine.execution_options(readonly=True)) as session:
        return [CaseCount(str(r.period), r.site_id, r.item_id, r.cases)
                for r in session.execute(query)]


def totals_by(counts: list[CaseCount], what: str) -> dict[str, int]:
    """Sum ``counts`` by ``period``, ``site_id`` or ``item_id``, in key order."""
    summed: Counter[str] = Counter()
    for count in counts:
        summed[getattr(count, what)] += count.cases
    return dict(sorted(summed.items()))


@dataclass(frozen=True)
class RatingCount:
    site_id: str
    level: RatingLevel
    ratings: int


def rating_counts(engine: Engine, supervisor: Clerk, period: DateRange, zone: tzinfo
                  ) -> list[RatingCount]:
    """Ratings given in ``period`` per site and level (best level first within a site)."""
    start, end = period.bounds(zone)
    query = (select(CaseRow.site_id, RatingRow.level, func.count().label("ratings"))
             .join(CaseRow, CaseRow.id == RatingRow.case_id)
             .where(visible_to(supervisor), RatingRow.rated_at >= start, RatingRow.rated_at < end)
             .group_by(CaseRow.site_id, RatingRow.level))
    order = list(RatingLevel)
    with Session(engine.execution_options(readonly=True)) as session:
        found = [RatingCount(r.site_id, RatingLevel(r.level), r.ratings)
                 for r in session.execute(query)]
    return sorted(found, key=lambda c: (c.site_id, order.index(c.level)))


def level_totals(counts: list[RatingCount]) -> dict[RatingLevel, int]:
    """Ratings per level over all sites, every level present, best first."""
    summed = dict.fromkeys(RatingLevel, 0)
    for count in counts:
        summed[count.level] += count.ratings
    return summed


@dataclass(frozen=True)
class UnsentAtKiosk:
    """A kiosk's cases not yet received by the centre, as its last beat reported them."""

    terminal_id: str
    site_id: str
    last_seen: datetime
    outbox_depth: int
    oldest_unsent_age_s: float | None  # at the last beat
    oldest_unsent_now_s: float | None  # that age carried forward to now


def unsent_cases(engine: Engine, supervisor: Clerk, *, now: datetime | None = None
                 ) -> list[UnsentAtKiosk]:
    """Every kiosk (at the supervisor's sites) with cases waiting to be sent, the oldest first."""
    now = now or utcnow()
    query = select(KioskRow).where(KioskRow.outbox_depth > 0)
    if supervisor.sites:
        query = query.where(KioskRow.site_id.in_(sorted(supervisor.sites)))
    with Session(engine.execution_options(readonly=True)) as session:
        rows = session.scalars(query).all()
        found = []
        for row in rows:
            seen = as_utc(row.received_at)
            age = row.oldest_unsent_age_s
            found.append(UnsentAtKiosk(
                row.terminal_id, row.site_id, seen, row.outbox_depth, age,
                None if age is None else age + max(0.0, (now - seen).total_seconds())))
    return sorted(found, key=lambda k: (-(k.oldest_unsent_now_s or 0), k.terminal_id))


__all__ = [
    "BadRange", "CaseCount", "DateRange", "RatingCount", "UnsentAtKiosk", "case_counts", "level_totals",
    "rating_counts", "totals_by", "unsent_cases",
]
