"""Each kiosk's usage per day (业务量统计), as its newest beat reported it.

A beat carries today's and yesterday's ``DailyCounters``; the ``BeatBuffer`` stores the ones
that changed (``store``), so a day's row holds the kiosk's running totals for it. Days are
the kiosk's local days (``YYYYMMDD``).

``daily_counters(engine, since, until, site=None)`` is the query the statistics page and the
fleet pages read: every kiosk-day from ``since`` to ``until`` (both included).
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import Engine, select
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.orm import Session

from central.fleet_rows import DailyCountersRow
from contract.fleet import DailyCounters


@dataclass(frozen=True)
class KioskDay:
    """One kiosk's counters for one day."""

    terminal_id: str
    site_id: str
    counters: DailyCounters

    @property
    def day(self) -> date:
        return datetime.strptime(self.counters.day, "%Y%m%d").date()


def store(session: Session, counters: Sequence[tuple[str, str, DailyCounters]], *, at: datetime
          ) -> None:
    """Upsert (terminal, site, counters) rows: the newest figures for each kiosk-day win."""
    rows = [{
        "terminal_id": terminal, "day": day.day, "site_id": site,
        "sessions_started": day.sessions_started, "prints": day.prints,
        "read_failures": day.read_failures,
        "cases_by_item": json.dumps(day.cases_by_item, sort_keys=True, ensure_ascii=False),
        "ratings": json.dumps(day.ratings, sort_keys=True), "updated_at": at,
    } for terminal, site, day in counters]
    bind = session.get_bind()
    insert = pg_insert if bind.dialect.name == "postgresql" else sqlite_insert
    statement = insert(DailyCountersRow)
    statement = statement.on_conflict_do_update(
        index_elements=[DailyCountersRow.terminal_id, DailyCountersRow.day],
        set_={k: statement.excluded[k] for k in rows[0] if k not in ("terminal_id", "day")},
        where=DailyCountersRow.updated_at <= statement.excluded.updated_at,
    )
    session.execute(statement, rows)


def daily_counters(engine: Engine, since: date, until: date, site: str | None = None
                   ) -> list[KioskDay]:
    """Every kiosk's counters for each day from ``since`` to ``until`` (both included), at
    ``site`` or everywhere, by day then terminal."""
    query = select(DailyCountersRow).where(
        DailyCountersRow.day >= since.strftime("%Y%m%d"),
        DailyCountersRow.day <= until.strftime("%Y%m%d"),
    ).order_by(DailyCountersRow.day, DailyCountersRow.terminal_id)
    if site is not None:
        query = query.where(DailyCountersRow.site_id == site)
    with Session(engine.execution_options(readonly=True)) as session:
        return [KioskDay(row.terminal_id, row.site_id, DailyCounters(
            day=row.day, sessions_started=row.sessions_started, prints=row.prints,
            read_failures=row.read_failures, cases_by_item=json.loads(row.cases_by_item),
            ratings=json.loads(row.ratings),
        )) for row in session.scalars(query)]
