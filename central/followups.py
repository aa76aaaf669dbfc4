"""The 好差评 loop's second half: a low rating opens a follow-up, a supervisor closes it.

    rating 不满意 / 非常不满意 ──> open (due in 15 working days) ──整改 + 回访──> closed

A follow-up is opened in the rating's own transaction (``open_for_rating``), with the last day
to close it on computed by the working-day calendar (``central.work_calendar``). While open, a
supervisor records the rectification (整改: what was done) and the call-back (回访: when, what
came of it, whether the resident is now satisfied); closing needs both. An open follow-up past
its day is overdue. Supervisors see the follow-ups of the cases they may see (their sites).
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import UTC, date, datetime

from sqlalchemy import Engine, Row, Select, func, select
from sqlalchemy.orm import Session

from central.auth import Clerk
from central.claims import visible_to
from central.db import CaseRow, RatingRow, as_utc, utcnow
from central.followup_rows import CLOSED, OPEN, FollowUpRow
from central.work_calendar import WorkCalendar
from contract.wire import RatingLevel

LOW_LEVELS = frozenset({RatingLevel.DISSATISFIED, RatingLevel.VERY_DISSATISFIED})
TEXT_MAX = 2000
PER_PAGE = 25


class FollowUpNotFound(Exception):
    """No follow-up has this id, or not one this supervisor may see."""


class FollowUpConflict(Exception):
    """The step does not fit the follow-up (closed already, or not ready to close); the
    message is plain words for the page."""


def open_for_rating(session: Session, *, case_id: int, level: RatingLevel, rated_at: datetime,
                    calendar: WorkCalendar) -> None:
    """Open the follow-up a low rating calls for (nothing for a good one), in ``session``."""
    if level not in LOW_LEVELS:
        return
    session.add(FollowUpRow(case_id=case_id, level=level.value, opened_at=rated_at,
                            due_on=calendar.due_on(rated_at), status=OPEN, rectification="",
                            callback_outcome=""))


@dataclass(frozen=True)
class FollowUp:
    """A follow-up with its case's facts and the rating (no personal data of the case)."""

    id: int
    case_number: str
    site_id: str
    item_id: str
    department: str | None
    level: RatingLevel
    reasons: list[str]
    comment: str
    opened_at: datetime
    due_on: date
    status: str
    rectification: str
    rectified_by: str | None
    rectified_at: datetime | None
    called_back_at: datetime | None
    callback_outcome: str
    resident_satisfied: bool | None
    called_back_by: str | None
    closed_at: datetime | None
    closed_by: str | None
    overdue: bool  # open past its day, or closed after it
    working_days_left: int  # to its day, from today (0 on the day; negative: overdue)

    @property
    def open(self) -> bool:
        return self.status == OPEN


@dataclass(frozen=True)
class FollowUpPage:
    rows: list[FollowUp]
    total: int
    page: int
    per_page: int = PER_PAGE

    @property
    def pages(self) -> int:
        return max(1, -(-self.total // self.per_page))


def _query(clerk: Clerk) -> Select[FollowUpRow, str, str, str, str | None, str, str]:
    return (select(FollowUpRow, CaseRow.case_number, CaseRow.site_id, CaseRow.item_id,
                   CaseRow.department, RatingRow.reasons, RatingRow.comment)
            .join(CaseRow, CaseRow.id == FollowUpRow.case_id)
            .join(RatingRow, RatingRow.case_id == FollowUpRow.case_id)
            .where(visible_to(clerk)))


def _follow_up(found: Row[FollowUpRow, str, str, str, str | None, str, str], today: date,
               calendar: WorkCalendar) -> FollowUp:
    row, case_number, site_id, item_id, department, reasons, comment = found
    closed_on = calendar.local_day(as_utc(row.closed_at)) if row.closed_at else None
    overdue = (closed_on or today) > row.due_on
    left = calendar.working_days_left(today, row.due_on)
    return FollowUp(
        id=row.id, case_number=case_number, site_id=site_id, item_id=item_id,
        department=department, level=RatingLevel(row.level), reasons=json.loads(reasons),
        comment=comment, opened_at=as_utc(row.opened_at), due_on=row.due_on, status=row.status,
        rectification=row.rectification, rectified_by=row.rectified_by,
        rectified_at=as_utc(row.rectified_at) if row.rectified_at else None,
        called_back_at=as_utc(row.called_back_at) if row.called_back_at else None,
        callback_outcome=row.callback_outcome, resident_satisfied=row.resident_satisfied,
        called_back_by=row.called_back_by,
        closed_at=as_utc(row.closed_at) if row.closed_at else None, closed_by=row.closed_by,
        overdue=overdue, working_days_left=left)


def follow_ups(engine: Engine, supervisor: Clerk, *, status: str | None = None,
               overdue_only: bool = False, page: int = 1, per_page: int = PER_PAGE,
               calendar: WorkCalendar | None = None, now: datetime | None = None) -> FollowUpPage:
    """The follow-ups ``supervisor`` may see, the nearest day first; ``status``: open or
    closed (None: both); ``overdue_only``: open ones past their day."""
    calendar = calendar or WorkCalendar()
    today = calendar.local_day(now or utcnow())
    query = _query(supervisor)
    if status in (OPEN, CLOSED):
        query = query.where(FollowUpRow.status == status)
    if overdue_only:
        query = query.where(FollowUpRow.status == OPEN, FollowUpRow.due_on < today)
    page = max(1, page)
    with Session(engine.execution_options(readonly=True)) as session:
        total = session.scalar(select(func.count()).select_from(query.subquery())) or 0
        found = session.execute(query.order_by(FollowUpRow.status.desc(), FollowUpRow.due_on,
                                               FollowUpRow.id)
                                .offset((page - 1) * per_page).limit(per_page)).all()
        rows = [_follow_up(f, today, calendar) for f in found]
    return FollowUpPage(rows, total, page, per_page)


def follow_up(engine: Engine, supervisor: Clerk, follow_up_id: int, *,
              calendar: WorkCalendar | None = None, now: datetime | None = None) -> FollowUp:
    """One follow-up, or ``FollowUpNotFound``."""
    calendar = calendar or WorkCalendar()
    with Session(engine.execution_options(readonly=True)) as session:
        found = session.execute(_query(supervisor).where(FollowUpRow.id == follow_up_id)).first()
        if found is None:
            raise FollowUpNotFound(follow_up_id)
        return _follow_up(found, calendar.local_day(now or utcnow()), calendar)


def _open_row(session: Session, supervisor: Clerk, follow_up_id: int) -> FollowUpRow:
    if not supervisor.supervisor:
        raise FollowUpNotFound(follow_up_id)
    row = session.scalars(
        select(FollowUpRow).join(CaseRow, CaseRow.id == FollowUpRow.case_id)
        .where(FollowUpRow.id == follow_up_id, visible_to(supervisor)).with_for_update()).first()
    if row is None:
        raise FollowUpNotFound(follow_up_id)
    if row.status != OPEN:
        raise FollowUpConflict("这条整改回访已办结，不能再修改。")
    return row


def _text(value: str, what: str) -> str:
    value = value.strip()
    if not value:
        raise FollowUpConflict(f"请填写{what}。")
    if len(value) > TEXT_MAX:
        raise FollowUpConflict(f"{what}不能超过 {TEXT_MAX} 字。")
    return value


def record_rectification(engine: Engine, supervisor: Clerk, follow_up_id: int, text: str) -> None:
    """Record what was done about the rating (整改); a later record replaces it while open."""
    text = _text(text, "整改情况")
    with Session(engine) as session, session.begin():
        row = _open_row(session, supervisor, follow_up_id)
        row.rectification = text
        row.rectified_by = supervisor.name
        row.rectified_at = utcnow()


def record_callback(engine: Engine, supervisor: Clerk, follow_up_id: int, *,
                    called_back_at: datetime, outcome: str, satisfied: bool) -> None:
    """Record the call back to the resident (回访): when, what came of it, satisfied now?"""
    outcome = _text(outcome, "回访结果")
    called_back_at = called_back_at.astimezone(UTC)  # SQLite keeps the digits, not the offset
    if called_back_at > utcnow():
        raise FollowUpConflict("回访时间不能晚于现在。")
    with Session(engine) as session, session.begin():
        row = _open_row(session, supervisor, follow_up_id)
        # Compared to the minute: the form gives the time of the call to the minute.
        if called_back_at < as_utc(row.opened_at).replace(second=0, microsecond=0):
            raise FollowUpConflict("回访时间不能早于差评时间。")
        row.called_back_at = called_back_at
        row.callback_outcome = outcome
        row.resident_satisfied = satisfied
        row.called_back_by = supervisor.name


def close(engine: Engine, supervisor: Clerk, follow_up_id: int) -> None:
    """Close a follow-up whose rectification and call-back are recorded."""
    with Session(engine) as session, session.begin():
        row = _open_row(session, supervisor, follow_up_id)
        missing = [what for what, done in (("整改情况", row.rectified_at),
                                            ("回访记录", row.called_back_at)) if done is None]
        if missing:
            raise FollowUpConflict("办结前请先登记" + "和".join(missing) + "。")
        row.status = CLOSED
        row.closed_at = utcnow()
        row.closed_by = supervisor.name
