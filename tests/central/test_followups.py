"""A low rating opens a follow-up due in 15 working days; a supervisor records the 整改 and the
回访 and closes it; past its day an open one is overdue. On SQLite and PostgreSQL."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime, timedelta

import pytest
from centre_support import CLERK, KIOSK, ServedCentre, served_centre

from central import followups
from central.auth import Clerk, Role
from central.samples import sample_submission
from central.work_calendar import WorkCalendar
from contract.wire import RatingLevel

SUPERVISOR = Clerk("zhao", Role.SUPERVISOR)
ELSEWHERE_SUPERVISOR = Clerk("qian", Role.SUPERVISOR, sites=frozenset({"another-site"}))


@pytest.fixture
def centre(database_url: str) -> Iterator[ServedCentre]:
    yield from served_centre(database_url)


def rate(centre: ServedCentre, sequence: int, level: RatingLevel, comment: str = "") -> datetime:
    body = sample_submission(sequence).model_dump(mode="json")
    assert centre.api.post("/api/v1/cases", json=body, headers=KIOSK).status_code == 201
    answer = centre.api.post(f"/api/v1/cases/{body['case_number']}/rating", headers=KIOSK,
                             json={"level": level.value, "reasons": ["等候时间长"], "comment": comment})
    assert answer.status_code == 201, answer.text
    return datetime.fromisoformat(answer.json()["rated_at"])


def test_low_ratings_open_follow_ups_due_in_fifteen_working_days(centre: ServedCentre) -> None:
    rated_at = rate(centre, 1, RatingLevel.VERY_DISSATISFIED, "窗口无人")
    rate(centre, 2, RatingLevel.SATISFIED)
    rate(centre, 3, RatingLevel.BASICALLY_SATISFIED)
    rate(centre, 4, RatingLevel.DISSATISFIED)
    listed = followups.follow_ups(centre.engine, SUPERVISOR)
    assert [(f.case_number, f.level) for f in listed.rows] == [
        ("202611230010001", RatingLevel.VERY_DISSATISFIED),
        ("202611230010004", RatingLevel.DISSATISFIED)]
    first = listed.rows[0]
    assert first.due_on == WorkCalendar().due_on(rated_at)
    assert (first.due_on - WorkCalendar().local_day(rated_at)).days >= 19  # three weekends at least
    assert first.open and not first.overdue and first.reasons == ["等候时间长"]
    assert first.comment == "窗口无人"
    assert followups.follow_ups(centre.engine, ELSEWHERE_SUPERVISOR).total == 0
    # The same rating sent again opens nothing more.
    again = centre.api.post("/api/v1/cases/202611230010001/rating", headers=KIOSK,
                            json={"level": "very_dissatisfied", "reasons": ["等候时间长"],
                                  "comment": "窗口无人"})
    assert again.status_code == 200
    assert followups.follow_ups(centre.engine, SUPERVISOR).total == 2


def test_a_follow_up_is_closed_after_rectification_and_call_back(centre: ServedCentre) -> None:
    rate(centre, 1, RatingLevel.DISSATISFIED)
    (opened,) = followups.follow_ups(centre.engine, SUPERVISOR).rows
    with pytest.raises(followups.FollowUpConflict, match="整改情况和回访记录"):
        followups.close(centre.engine, SUPERVISOR, opened.id)
    with pytest.raises(followups.FollowUpConflict, match="请填写"):
        followups.record_rectification(centre.engine, SUPERVISOR, opened.id, "   ")
    followups.record_rectification(centre.engine, SUPERVISOR, opened.id, "增派一名工作人员值守")
    with pytest.raises(followups.FollowUpConflict, match="晚于现在"):
        followups.record_callback(centre.engine, SUPERVISOR, opened.id,
                                  called_back_at=opened.opened_at + timedelta(days=30),
                                  outcome="x", satisfied=True)
    followups.record_callback(centre.engine, SUPERVISOR, opened.id,
                              called_back_at=opened.opened_at,
                              outcome="已电话回访，群众表示认可", satisfied=True)
    with pytest.raises(followups.FollowUpNotFound):
        followups.close(centre.engine, Clerk("wang", Role.CLERK, "区民政局"), opened.id)
    with pytest.raises(followups.FollowUpNotFound):
        followups.close(centre.engine, ELSEWHERE_SUPERVISOR, opened.id)
    followups.close(centre.engine, SUPERVISOR, opened.id)
    closed = followups.follow_up(centre.engine, SUPERVISOR, opened.id)
    assert (closed.status, closed.closed_by, closed.resident_satisfied) == ("closed", "zhao", True)
    assert closed.rectification == "增派一名工作人员值守" and not closed.overdue
    with pytest.raises(followups.FollowUpConflict, match="已办结"):
        followups.record_rectification(centre.engine, SUPERVISOR, opened.id, "再改")
    assert followups.follow_ups(centre.engine, SUPERVISOR, status="open").total == 0
    assert followups.follow_ups(centre.engine, SUPERVISOR, status="closed").total == 1


def test_an_open_follow_up_past_its_day_is_overdue(centre: ServedCentre) -> None:
    rate(centre, 1, RatingLevel.DISSATISFIED)
    rate(centre, 2, RatingLevel.VERY_DISSATISFIED)
    (first, second) = followups.follow_ups(centre.engine, SUPERVISOR).rows
    followups.record_rectification(centre.engine, SUPERVISOR, second.id, "已整改")
    followups.record_callback(centre.engine, SUPERVISOR, second.id, called_back_at=second.opened_at,
                              outcome="满意", satisfied=True)
    followups.close(centre.engine, SUPERVISOR, second.id)
    later = datetime.combine(first.due_on + timedelta(days=1), datetime.min.time(),
                             WorkCalendar().zone) + timedelta(hours=12)
    overdue = followups.follow_ups(centre.engine, SUPERVISOR, overdue_only=True, now=later)
    assert [f.id for f in overdue.rows] == [first.id]
    assert overdue.rows[0].overdue and overdue.rows[0].working_days_left < 0
    on_the_day = datetime.combine(first.due_on, datetime.min.time(), WorkCalendar().zone)
    assert followups.follow_ups(centre.engine, SUPERVISOR, overdue_only=True, now=on_the_day).total == 0
    # Clerks rate nothing and see no follow-up through the API: there is none for them.
    assert centre.api.get("/api/v1/clerk/cases/202611230010001/history", headers=CLERK).status_code == 200
