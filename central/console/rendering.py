"""The console's templates and the navigation each role sees.

``render(request, "page.html", user=user, section="fleet", **context)`` fills a template
under ``templates/`` (autoescaped) with the user, their CSRF token, the navigation and the
context. Times are shown in the centre's time zone (``CENTRAL_TIMEZONE``, Asia/Shanghai by
default).
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta, timezone, tzinfo
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from fastapi import Request
from fastapi.responses import HTMLResponse
from fastapi.templating import Jinja2Templates

from central.auth import Role
from central.console.access import ROLE_LABELS, ConsoleUser
from central.fleet import duration

TEMPLATES = Jinja2Templates(directory=Path(__file__).parent / "templates")


@dataclass(frozen=True)
class Section:
    key: str
    label: str
    path: str
    roles: frozenset[Role]


SECTIONS = (
    Section("fleet", "设备", "/console/fleet", frozenset({Role.TECHNICIAN, Role.SUPERVISOR})),
    Section("releases", "版本", "/console/releases", frozenset({Role.TECHNICIAN, Role.SUPERVISOR})),
    Section("cases", "办件", "/console/cases", frozenset({Role.CLERK, Role.SUPERVISOR})),
    Section("appointments", "预约", "/console/appointments", frozenset({Role.CLERK, Role.SUPERVISOR})),
    Section("callbacks", "回电", "/console/callbacks", frozenset({Role.CLERK, Role.SUPERVISOR})),
    Section("face_checks", "人证比对", "/console/face-checks", frozenset({Role.CLERK, Role.SUPERVISOR})),
    Section("ratings", "好差评", "/console/ratings", frozenset({Role.SUPERVISOR})),
    Section("stats", "统计", "/console/stats", frozenset({Role.SUPERVISOR})),
)


def sections_for(request: Request, role: Role) -> list[Section]:
    """The sections ``role`` may open that this centre serves."""
    # Recorded by ``install_console``: FastAPI nests included routers (``app.routes`` does not
    # list their paths), so the sections served are known from the section routers' prefixes.
    served: frozenset[str] = request.app.state.console_sections
    return [s for s in SECTIONS if role in s.roles and s.path in served]


def _zone() -> tzinfo:
    try:
        return ZoneInfo(os.environ.get("CENTRAL_TIMEZONE", "Asia/Shanghai"))
    except (ZoneInfoNotFoundError, ValueError):
        return timezone(timedelta(hours=8), "UTC+8")


ZONE = _zone()


def local_time(moment: datetime | None, fmt: str = "%Y-%m-%d %H:%M") -> str:
    """A UTC time as the centre's staff read it; "—" for none."""
    if moment is None:
        return "—"
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return moment.astimezone(ZONE).strftime(fmt)


def age(seconds: float | None) -> str:
    """A duration in plain words (``central.fleet.duration``); "—" for none."""
    return "—" if seconds is None else duration(seconds)


TEMPLATES.env.filters["local_time"] = local_time
TEMPLATES.env.filters["age"] = age


def render(request: Request, template: str, *, user: ConsoleUser | None, section: str = "",
           status_code: int = 200, **context: Any) -> HTMLResponse:
    """The page ``template`` for ``user`` (None on the login page)."""
    return TEMPLATES.TemplateResponse(request, template, {
        "user": user,
        "role_label": ROLE_LABELS[user.role] if user else "",
        "csrf": user.csrf if user else "",
        "sections": sections_for(request, user.role) if user else [],
        "section": section,
        **context,
    }, status_code=status_code)
