"""A clerk's queue: the cases they may see, filtered (site, item, status, age) and paginated.

The queue lists facts only (number, item, site, status, holder, times): no personal data, so
listing is not a read. Oldest first, the order clerks work in. Page numbers start at 1.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta

from sqlalchemy import Engine, func, select
from sqlalchemy.orm import Session

from central.auth import Clerk
from central.claims import visible_to
from central.db import CaseRow, as_utc, utcnow
from contract.wire import CaseState

PER_PAGE = 25
# The states a case is worked in; the queue shows these unless asked otherwise.
OPEN_STATES = frozenset({CaseState.RECEIVED, CaseState.CLAIMED, CaseState.ACCEPTED,
                         CaseState.MORE_MATERIALS_NEEDED})


@dataclass(frozen=True)
class QueueFilter:
    """What to list: empty fields do not filter; ``min_age_days``: received at least that long ago."""

    site: str | None = None
    item: str | None = None
    states: frozenset[CaseState] = OPEN_STATES
    min_age_days: int | None = None


@dataclass(frozen=True)
class QueueRow:
    case_number: str
    site_id: str
    item_id: str
    department: str | None
    status: CaseState
    claimed_by: str | None
    received_at: datetime
    updated_at: datetime


@dataclass(frozen=True)
class QueuePage:
    rows: list[QueueRow]
    total: int
    page: int
    per_page: int = PER_PAGE
    sites: list[str] = field(default_factory=list)  # every site and item of the clerk's cases,
    items: list[str] = field(default_factory=list)  # for the filter's choices

    @property
    def pages(self) -> int:
        return max(1, -(-self.total // self.per_page))


def queue(engine: Engine, clerk: Clerk, wanted: QueueFilter, *, page: int = 1,
          per_page: int = PER_PAGE, now: datetime | None = None) -> QueuePage:
    """The page ``page`` of the cases ``clerk`` may see that ``wanted`` selects, oldest first."""
    now = now or utcnow()
    conditions = [visible_to(clerk), CaseRow.status.in_(sorted(s.value for s in wanted.states))]
    if wanted.site:
        conditions.append(CaseRow.site_id == wanted.site)
    if wanted.item:
        conditions.append(CaseRow.item_id == wanted.item)
    if wanted.min_age_days:
        conditions.append(CaseRow.received_at <= now - timedelta(days=wanted.min_age_days))
    page = max(1, page)
    with Session(engine.execution_options(readonly=True)) as session:
        total = session.scalar(select(func.count()).select_from(CaseRow).where(*conditions)) or 0
        rows = session.scalars(
            select(CaseRow).where(*conditions).order_by(CaseRow.id)
            .offset((page - 1) * per_page).limit(per_page)).all()
        listed = [QueueRow(r.case_number, r.site_id, r.item_id, r.department,
                           CaseState(r.status), r.claimed_by, as_utc(r.received_at),
                           as_utc(r.updated_at)) for r in rows]
        sites = session.scalars(select(CaseRow.site_id).where(visible_to(clerk)).distinct()
                                .order_by(CaseRow.site_id)).all()
        items = session.scalars(select(CaseRow.item_id).where(visible_to(clerk)).distinct()
                                .order_by(CaseRow.item_id)).all()
    return QueuePage(listed, total, page, per_page, list(sites), list(items))
