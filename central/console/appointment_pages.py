"""The appointments page (预约): a day's counter appointments per site, names masked.

- ``GET /console/appointments?day=YYYY-MM-DD&site=...``: the day's appointments (today by
  default, in the centre's zone), grouped by site, in slot order, with the masked name only
  (``central.appointments.day_list``; nothing is decrypted here).

Clerks and supervisors read it; a member of staff limited to some sites sees only theirs;
technicians see no resident's name, masked or not (403).
"""

from __future__ import annotations

from datetime import date, timedelta
from itertools import groupby
from typing import Annotated

from fastapi import APIRouter, Depends, Query, Request
from fastapi.responses import HTMLResponse, Response
from sqlalchemy import Engine

from central import appointments
from central.auth import Role
from central.console.access import CONSOLE_PREFIX, ConsoleUser, allow
from central.console.rendering import render
from central.db import utcnow
from central.work_calendar import WorkCalendar

router = APIRouter(prefix=f"{CONSOLE_PREFIX}/appointments", include_in_schema=False)

Reader = Annotated[ConsoleUser, Depends(allow(Role.CLERK, Role.SUPERVISOR))]
DAY = r"^[0-9]{4}-[0-9]{2}-[0-9]{2}$"


def _chosen_day(text: str, calendar: WorkCalendar) -> tuple[date, str]:
    """The day asked for, or today (and a problem to show) when it is not a date."""
    today = calendar.local_day(utcnow())
    if not text:
        return today, ""
    try:
        return date.fromisoformat(text), ""
    except ValueError:
        return today, "日期格式应为 2026-12-03，已显示今天。"


@router.get("", response_class=HTMLResponse)
def appointments_page(request: Request, user: Reader,
                      day: Annotated[str, Query(max_length=10)] = "",
                      site: Annotated[str, Query(max_length=64)] = "") -> Response:
    """A day's appointments at the sites this member of staff serves."""
    engine: Engine = request.app.state.engine
    calendar: WorkCalendar = request.app.state.work_calendar
    chosen, problem = _chosen_day(day, calendar)
    allowed = user.staff.sites  # empty: every site
    if site and allowed and site not in allowed:
        listed, problem = [], "您不负责这个站点。"
    else:
        listed = appointments.day_list(engine, chosen, calendar,
                                       sites=frozenset({site}) if site else allowed)
    by_site = [(site_id, list(rows)) for site_id, rows in groupby(listed, key=lambda r: r.site_id)]
    served = sorted(user.staff.sites or request.app.state.counter_hours.sites)
    return render(request, "appointments.html", user=user, section="appointments", title="预约",
                  day=chosen, previous=chosen - timedelta(days=1), following=chosen + timedelta(days=1),
                  site=site, sites=served, by_site=by_site, total=len(listed), problem=problem)
