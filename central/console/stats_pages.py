"""The statistics pages (日统计、月汇总, supervisors): counts, charts and CSV files.

- ``GET /console/stats?from=YYYY-MM-DD&to=YYYY-MM-DD``: cases per day and per month per site
  and item, totals by site and by item, the ratings' distribution, each kiosk's uptime
  (``central.uptime``, a page of kiosks at a time: ``kiosks=``) and the kiosks' unsent
  cases; charts drawn here as SVG (``central.console.charts``) beside the same numbers as
  tables. The range defaults to the last 30 local days.
- ``GET /console/stats/{daily,monthly,ratings,uptime,unsent}.csv?from=&to=``: each table as a CSV
  file (``central.csv_export``: UTF-8 with a BOM, so Excel reads the Chinese).

Counts only: nothing here names or identifies a resident. Clerks and technicians get 403.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from datetime import date, timedelta
from typing import Annotated

from fastapi import APIRouter, Depends, Query, Request
from fastapi.responses import HTMLResponse, Response
from sqlalchemy import Engine

from central import stats, uptime
from central.auth import Role
from central.beat_history import KEEP_DAYS
from central.console.access import CONSOLE_PREFIX, ConsoleUser, allow
from central.console.charts import BLUE, RED, bar_chart, line_chart
from central.console.labels import RATING_LABELS
from central.console.rendering import ZONE, render
from central.csv_export import MEDIA_TYPE, attachment, csv_bytes
from central.db import utcnow
from central.followups import LOW_LEVELS

router = APIRouter(prefix=f"{CONSOLE_PREFIX}/stats", include_in_schema=False)

Supervisor = Annotated[ConsoleUser, Depends(allow(Role.SUPERVISOR))]
FromDay = Annotated[str, Query(alias="from", max_length=10)]  # YYYY-MM-DD, local
ToDay = Annotated[str, Query(alias="to", max_length=10)]
DEFAULT_DAYS = 30
SHOWN_ROWS = 200  # rows of a table on the page; the CSV has them all


def _engine(request: Request) -> Engine:
    engine: Engine = request.app.state.engine
    return engine


def _range(first: str, last: str) -> stats.DateRange:
    """The range the query asks for (``BadRange`` in plain words when it cannot be read)."""
    today = utcnow().astimezone(ZONE).date()
    try:
        end = date.fromisoformat(last) if last else today
        start = date.fromisoformat(first) if first else end - timedelta(days=DEFAULT_DAYS - 1)
    except ValueError:
        raise stats.BadRange("日期格式应为 年-月-日，例如 2026-12-01。") from None
    return stats.DateRange(start, end)


@router.get("", response_class=HTMLResponse)
def stats_page(request: Request, user: Supervisor, first: FromDay = "", last: ToDay = "",
               kiosks: Annotated[int, Query(ge=1, le=100_000)] = 1) -> Response:
    """Counts for the range, charted and tabled, with links to each table's CSV."""
    try:
        period = _range(first, last)
    except stats.BadRange as err:
        return render(request, "stats/stats.html", user=user, section="stats", title="统计",
                      error=str(err), first=first, last=last, status_code=422)
    engine = _engine(request)
    daily = stats.case_counts(engine, user.staff, period, ZONE)
    monthly = stats.case_counts(engine, user.staff, period, ZONE, monthly=True)
    ratings = stats.rating_counts(engine, user.staff, period, ZONE)
    up = uptime.uptime(engine, user.staff, period, ZONE, page=kiosks)
    per_day = stats.totals_by(daily, "period")
    per_month = stats.totals_by(monthly, "period")
    levels = stats.level_totals(ratings)
    day_points = [(d.strftime("%m-%d"), float(per_day.get(d.isoformat(), 0))) for d in period.days]
    charts = {
        "daily": line_chart(f"每日办件量（{period.first} 至 {period.last}）", day_points, unit=" 件"),
        "monthly": bar_chart("每月办件量", [(m, float(per_month.get(m, 0))) for m in period.months],
                             unit=" 件"),
        "ratings": bar_chart("评价分布", [(RATING_LABELS[level], float(n)) for level, n in levels.items()],
                             unit=" 条", colours=[RED if level in LOW_LEVELS else BLUE for level in levels]),
        "uptime": bar_chart("设备在线率（%）", [(k.terminal_id, round(100 * (k.online_ratio or 0), 1))
                                               for k in up.rows], unit="%"),
    }
    query = f"from={period.first}&to={period.last}"
    return render(
        request, "stats/stats.html", user=user, section="stats", title="统计", error="",
        first=period.first.isoformat(), last=period.last.isoformat(), query=query,
        daily=daily[:SHOWN_ROWS], daily_total=len(daily), monthly=monthly[:SHOWN_ROWS],
        monthly_total=len(monthly), per_site=stats.totals_by(daily, "site_id"),
        per_item=stats.totals_by(daily, "item_id"), cases_total=sum(per_day.values()),
        ratings=ratings, levels=levels, rating_labels=RATING_LABELS,
        unsent=stats.unsent_cases(engine, user.staff), charts=charts, shown_rows=SHOWN_ROWS,
        uptime=up, history_days=KEEP_DAYS)


def _csv(name: str, period: stats.DateRange | None, header: Sequence[str],
         rows: Iterable[Sequence[object]]) -> Response:
    span = f"-{period.first:%Y%m%d}-{period.last:%Y%m%d}" if period else ""
    return Response(csv_bytes(header, rows), media_type=MEDIA_TYPE,
                    headers=attachment(f"{name}{span}.csv"))


def _csv_or_error(request: Request, user: ConsoleUser, first: str, last: str,
                  build: Callable[[stats.DateRange], Response]) -> Response:
    try:
        return build(_range(first, last))
    except stats.BadRange as err:
        return render(request, "error.html", user=user, section="stats", status_code=422,
                      title="日期有误", message=str(err))


@router.get("/daily.csv")
def daily_csv(request: Request, user: Supervisor, first: FromDay = "",
              last: ToDay = "") -> Response:
    """日统计: cases per day per site and item."""
    def build(period: stats.DateRange) -> Response:
        counts = stats.case_counts(_engine(request), user.staff, period, ZONE)
        return _csv("cases-daily", period, ["日期", "站点", "事项", "办件量"],
                    ((c.period, c.site_id, c.item_id, c.cases) for c in counts))
    return _csv_or_error(request, user, first, last, build)


@router.get("/monthly.csv")
def monthly_csv(request: Request, user: Supervisor, first: FromDay = "",
                last: ToDay = "") -> Response:
    """月汇总: cases per month per site and item."""
    def build(period: stats.DateRange) -> Response:
        counts = stats.case_counts(_engine(request), user.staff, period, ZONE, monthly=True)
        return _csv("cases-monthly", period, ["月份", "站点", "事项", "办件量"],
                    ((c.period, c.site_id, c.item_id, c.cases) for c in counts))
    return _csv_or_error(request, user, first, last, build)


@router.get("/ratings.csv")
def ratings_csv(request: Request, user: Supervisor, first: FromDay = "",
                last: ToDay = "") -> Response:
    """Ratings per site and level."""
    def build(period: stats.DateRange) -> Response:
        counts = stats.rating_counts(_engine(request), user.staff, period, ZONE)
        return _csv("ratings", period, ["站点", "评价", "条数"],
                    ((c.site_id, RATING_LABELS[c.level], c.ratings) for c in counts))
    return _csv_or_error(request, user, first, last, build)


@router.get("/uptime.csv")
def uptime_csv(request: Request, user: Supervisor, first: FromDay = "", last: ToDay = "") -> Response:
    """Each kiosk's uptime in the range (every kiosk, a page of them at a time)."""
    def build(period: stats.DateRange) -> Response:
        rows: list[tuple[object, ...]] = []
        page, pages = 1, 1
        while page <= pages:
            found = uptime.uptime(_engine(request), user.staff, period, ZONE, page=page)
            rows += [(k.terminal_id, k.site_id, round(k.observed_s / 3600, 1), _percent(k.online_ratio),
                      _percent(k.in_service_ratio)) for k in found.rows]
            page, pages = page + 1, found.pages
        return _csv("uptime", period, ["终端", "站点", "统计时长（小时）", "在线率（%）", "可服务率（%）"], rows)
    return _csv_or_error(request, user, first, last, build)


def _percent(ratio: float | None) -> object:
    return "" if ratio is None else round(100 * ratio, 1)


@router.get("/unsent.csv")
def unsent_csv(request: Request, user: Supervisor) -> Response:
    """Each kiosk's unsent cases, as its last beat reported them."""
    rows = stats.unsent_cases(_engine(request), user.staff)
    return _csv("unsent-cases", None, ["终端", "站点", "最近心跳", "未上传件数", "最早一件已等待（分钟）"],
                ((u.terminal_id, u.site_id, u.last_seen.astimezone(ZONE).strftime("%Y-%m-%d %H:%M"),
                  u.outbox_depth,
                  "" if u.oldest_unsent_now_s is None else round(u.oldest_unsent_now_s / 60))
                 for u in rows))
