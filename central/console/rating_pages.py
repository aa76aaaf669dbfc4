"""The ratings pages (好差评整改回访, supervisors): every low rating's follow-up, to its close.

- ``GET /console/ratings?status=open|closed|all&overdue=1&page=``: the follow-ups, the nearest
  deadline first; an overdue one is marked in words and colour.
- ``GET /console/ratings/{id}``: the rating (level, reasons, comment), its case's facts (no
  personal data: the case page has those, recorded), the deadline, the 整改 and 回访 forms and
  the close button.
- ``POST /console/ratings/{id}/rectification``, ``/callback``, ``/close``.

Deadlines count working days (``central.work_calendar``, the app's ``work_calendar``).
Clerks and technicians get 403.
"""

from __future__ import annotations

from datetime import datetime
from typing import Annotated
from urllib.parse import urlencode

from fastapi import APIRouter, Depends, Path, Query, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from sqlalchemy import Engine

from central import followups
from central.auth import Role
from central.console.access import CONSOLE_PREFIX, CheckedForm, ConsoleUser, allow
from central.console.labels import NOTICES, RATING_LABELS
from central.console.rendering import ZONE, render
from central.db import utcnow
from central.work_calendar import WorkCalendar

router = APIRouter(prefix=f"{CONSOLE_PREFIX}/ratings", include_in_schema=False)

Supervisor = Annotated[ConsoleUser, Depends(allow(Role.SUPERVISOR))]
FollowUpId = Annotated[int, Path(ge=1, le=2**62)]
STATUS_CHOICES = {"open": "未办结", "closed": "已办结", "all": "全部"}


def _engine(request: Request) -> Engine:
    engine: Engine = request.app.state.engine
    return engine


def _calendar(request: Request) -> WorkCalendar:
    calendar: WorkCalendar = request.app.state.work_calendar
    return calendar


@router.get("", response_class=HTMLResponse)
def follow_up_list(request: Request, user: Supervisor,
                   status: Annotated[str, Query(max_length=8)] = "open",
                   overdue: Annotated[str, Query(max_length=1)] = "",
                   page: Annotated[int, Query(ge=1, le=100_000)] = 1) -> Response:
    """The follow-ups, filtered by state and overdue, the nearest deadline first."""
    status = status if status in STATUS_CHOICES else "open"
    engine, calendar = _engine(request), _calendar(request)
    listed = followups.follow_ups(engine, user.staff, status=None if status == "all" else status,
                                  overdue_only=overdue == "1", page=page, calendar=calendar)
    overdue_count = followups.follow_ups(engine, user.staff, overdue_only=True, per_page=1,
                                         calendar=calendar).total
    filters = {"status": status, "overdue": "1" if overdue == "1" else ""}
    return render(request, "ratings/list.html", user=user, section="ratings", title="好差评整改回访",
                  listed=listed, filters=filters, status_choices=STATUS_CHOICES,
                  overdue_count=overdue_count, rating_labels=RATING_LABELS,
                  page_query=lambda p: urlencode({**filters, "page": p}))


@router.get("/{follow_up_id}", response_class=HTMLResponse)
def follow_up_page(request: Request, follow_up_id: FollowUpId, user: Supervisor,
                   done: str = "") -> Response:
    """One follow-up: the rating, its deadline, the 整改 and 回访 records, close."""
    return _page(request, user, follow_up_id, notice=NOTICES.get(done, ""))


def _page(request: Request, user: ConsoleUser, follow_up_id: int, *, notice: str = "",
          problem: str = "", typed: dict[str, str] | None = None) -> Response:
    try:
        found = followups.follow_up(_engine(request), user.staff, follow_up_id,
                                    calendar=_calendar(request))
    except followups.FollowUpNotFound:
        return render(request, "error.html", user=user, section="ratings", status_code=404,
                      title="找不到该记录", message="没有这条整改回访记录，或它不在您负责的站点。")
    now_local = utcnow().astimezone(ZONE).strftime("%Y-%m-%dT%H:%M")
    return render(request, "ratings/follow_up.html", user=user, section="ratings",
                  title=f"整改回访 {found.case_number}", f=found, rating_labels=RATING_LABELS,
                  notice=notice, problem=problem, typed=typed or {}, now_local=now_local,
                  status_code=422 if problem else 200)


def _done(follow_up_id: int, what: str) -> Response:
    return RedirectResponse(f"{CONSOLE_PREFIX}/ratings/{follow_up_id}?done={what}", status_code=303)


@router.post("/{follow_up_id}/rectification", response_class=HTMLResponse)
def rectification(request: Request, follow_up_id: FollowUpId, user: Supervisor, form: CheckedForm
                  ) -> Response:
    """Record what was done about the rating (整改)."""
    text = str(form.get("rectification", ""))
    try:
        followups.record_rectification(_engine(request), user.staff, follow_up_id, text)
    except followups.FollowUpNotFound:
        return _page(request, user, follow_up_id)
    except followups.FollowUpConflict as err:
        return _page(request, user, follow_up_id, problem=str(err), typed={"rectification": text})
    return _done(follow_up_id, "rectified")


def _local_time(value: str) -> datetime | None:
    """A ``datetime-local`` field's value (the centre's time zone) as an aware time."""
    try:
        return datetime.fromisoformat(value).replace(tzinfo=ZONE)
    except ValueError:
        return None


@router.post("/{follow_up_id}/callback", response_class=HTMLResponse)
def callback(request: Request, follow_up_id: FollowUpId, user: Supervisor, form: CheckedForm
             ) -> Response:
    """Record the call back to the resident (回访)."""
    typed = {name: str(form.get(name, "")) for name in ("called_back_at", "outcome", "satisfied")}
    when = _local_time(typed["called_back_at"])
    if when is None:
        return _page(request, user, follow_up_id, problem="请填写回访时间。", typed=typed)
    if typed["satisfied"] not in ("yes", "no"):
        return _page(request, user, follow_up_id, problem="请选择群众回访后是否满意。", typed=typed)
    try:
        followups.record_callback(_engine(request), user.staff, follow_up_id, called_back_at=when,
                                  outcome=typed["outcome"], satisfied=typed["satisfied"] == "yes")
    except followups.FollowUpNotFound:
        return _page(request, user, follow_up_id)
    except followups.FollowUpConflict as err:
        return _page(request, user, follow_up_id, problem=str(err), typed=typed)
    return _done(follow_up_id, "called_back")


@router.post("/{follow_up_id}/close", response_class=HTMLResponse)
def close(request: Request, follow_up_id: FollowUpId, user: Supervisor, _form: CheckedForm
          ) -> Response:
    """Close the follow-up (its 整改 and 回访 recorded)."""
    try:
        followups.close(_engine(request), user.staff, follow_up_id)
    except followups.FollowUpNotFound:
        return _page(request, user, follow_up_id)
    except followups.FollowUpConflict as err:
        return _page(request, user, follow_up_id, problem=str(err))
    return _done(follow_up_id, "closed")
