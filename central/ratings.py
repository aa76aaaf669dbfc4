"""Ratings (好差评): one per case, five levels, from the kiosk that took the case.

A low rating (不满意, 非常不满意) opens its follow-up in the same transaction
(``central.followups``): a rating is never stored without the follow-up it calls for."""

from __future__ import annotations

import json

from sqlalchemy import Engine, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from central.cases import CaseConflict, CaseNotFound
from central.db import CaseRow, RatingRow, as_utc, utcnow
from central.followups import open_for_rating
from central.work_calendar import WorkCalendar
from contract.wire import Rating, RatingAck, RatingLevel


class NotYourCase(Exception):
    """The kiosk rating the case is not the one that took it (answered with 403)."""


def rate(engine: Engine, case_number: str, rating: Rating, *, terminal_ok: set[str] | None,
         calendar: WorkCalendar | None = None) -> tuple[RatingAck, bool]:
    """Store the case's one rating; return the ack and whether it is new.

    ``terminal_ok`` is the set of terminals the caller may act for (None: any). The same
    rating again is answered as before; a different one is a ``CaseConflict``. ``calendar``
    gives a low rating's follow-up its deadline (by default: Monday to Friday, no holidays).
    """
    reasons = json.dumps(rating.reasons, ensure_ascii=False)
    now = utcnow()
    with Session(engine.execution_options(readonly=True)) as session:
        case = session.execute(
            select(CaseRow.id, CaseRow.terminal_id).where(CaseRow.case_number == case_number)
        ).first()
    if case is None:
        raise CaseNotFound(case_number)
    if terminal_ok is not None and case.terminal_id not in terminal_ok:
        raise NotYourCase(case_number)
    try:
        with Session(engine) as session, session.begin():
            session.add(RatingRow(case_id=case.id, level=rating.level.value, reasons=reasons,
                                  comment=rating.comment, kiosk_id=case.terminal_id,
                                  rated_at=now))
            session.flush()  # the rating first: a second one fails here, before its follow-up
            open_for_rating(session, case_id=case.id, level=rating.level, rated_at=now,
                            calendar=calendar or WorkCalendar())
        return RatingAck(case_number=case_number, level=rating.level, rated_at=now), True
    except IntegrityError:
        pass
    with Session(engine.execution_options(readonly=True)) as session:
        held = session.get_one(RatingRow, case.id)
        same = (held.level, held.reasons, held.comment) == (rating.level.value, reasons,
                                                             rating.comment)
        ack = RatingAck(case_number=case_number, level=RatingLevel(held.level),
                        rated_at=as_utc(held.rated_at))
    if not same:
        raise CaseConflict("this case already has a different rating")
    return ack, False
