"""The fleet pages (设备): technicians see and command their kiosks; supervisors look on.

- ``GET /console/fleet?site=&colour=&page=``: every kiosk (at the viewer's sites), red first,
  each row with its colour in words and why ("失联 14 分钟"), its last beat, paper, unsent
  cases and versions; counts per colour; the open alerts. Paginated (``PAGE_SIZE``).
- ``GET /console/fleet/kiosks/{terminal_id}``: one kiosk: its state, devices and faults,
  the remote commands with their status, the latest screenshot, heartbeat and device
  history, its own audit log and what staff did to it.
- ``POST /console/fleet/kiosks/{terminal_id}/commands``: a technician's remote command
  (``central.remote_commands``), recorded in the centre's audit; back to the kiosk page.
- ``GET /console/fleet/uploads/{command_id}``: a screenshot (shown inline) or logs (a download).

Clerks see none of it (403); a technician or supervisor limited to some sites sees only
their kiosks (any other answers 404, like an unknown one).
"""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Path, Query, Request
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from sqlalchemy import Engine

from central import alerts, console_audit, kiosk_audit, remote_commands, uploads
from central.auth import Role
from central.console.access import CONSOLE_PREFIX, ROLE_LABELS, CheckedForm, ConsoleUser, allow
from central.console.rendering import render
from central.db import utcnow
from central.fleet import DEVICE_LABELS
from central.fleet_board import (
    COLOUR_LABELS,
    DEVICE_STATUS_LABELS,
    PAGE_SIZE,
    PAPER_LABELS,
    fleet_page,
    history,
    kiosk,
)
from contract.fleet import RemoteCommandKind
from contract.wire import KioskColour

router = APIRouter(prefix=f"{CONSOLE_PREFIX}/fleet", include_in_schema=False)

Viewer = Annotated[ConsoleUser, Depends(allow(Role.TECHNICIAN, Role.SUPERVISOR))]
Technician = Annotated[ConsoleUser, Depends(allow(Role.TECHNICIAN))]
TerminalId = Annotated[str, Path()]  # any text: an unknown one is a 404 page, not a 422
ACTION_LABELS = {f"command.{kind.value}": f"发出指令：{label}"
                 for kind, label in remote_commands.KIND_LABELS.items()}
COMMAND_BUTTONS = [(kind, remote_commands.KIND_LABELS[kind]) for kind in RemoteCommandKind
                   if kind is not RemoteCommandKind.OUT_OF_SERVICE]


def _number(text: str) -> int | None:
    """A query's whole number, or None for anything else (never a 422 on a page)."""
    return int(text) if text.isascii() and text.isdigit() and len(text) <= 12 else None


def _engine(request: Request) -> Engine:
    engine: Engine = request.app.state.engine
    return engine


@router.get("", response_class=HTMLResponse)
async def fleet(request: Request, user: Viewer,
                site: Annotated[str, Query(max_length=64)] = "",
                colour: Annotated[str, Query(max_length=16)] = "",
                page: Annotated[str, Query(max_length=8)] = "1") -> Response:
    """Every kiosk, problems first, one page at a time (a page past the end: the last)."""
    engine, sites = _engine(request), user.staff.sites
    watch: alerts.AlertWatch = request.app.state.alerts
    chosen = next((c for c in KioskColour if c.value == colour), None)  # else: every colour
    now = utcnow()

    def load() -> tuple[object, object]:
        watch.evaluate_if_stale(now)  # the alerts shown are as fresh as the rows
        return (fleet_page(engine, now, sites=sites, site=site or None, colour=chosen,
                           page=_number(page) or 1),
                alerts.active(engine, sites, limit=20))

    board, open_alerts = await run_in_threadpool(load)
    return render(request, "fleet.html", user=user, section="fleet", title="设备",
                  board=board, alerts=open_alerts, site=site, colour=chosen,
                  colour_labels=COLOUR_LABELS, page_size=PAGE_SIZE)


def _kiosk_page(request: Request, user: ConsoleUser, terminal_id: str, *, error: str = "",
                notice: str = "", status_code: int = 200) -> Response:
    engine, now = _engine(request), utcnow()
    shown = kiosk(engine, terminal_id, now, user.staff.sites)
    if shown is None:
        return render(request, "error.html", user=user, section="fleet", status_code=404,
                      title="没有这台终端", message=f"没有编号为 {terminal_id} 的终端，"
                      "或它不在您负责的站点。")
    commands = remote_commands.for_kiosk(engine, terminal_id)
    return render(
        request, "fleet_kiosk.html", user=user, section="fleet", title=f"终端 {terminal_id}",
        kiosk=shown, commands=commands, history=history(engine, terminal_id),
        audit=kiosk_audit.for_kiosk(engine, terminal_id),
        staff_actions=console_audit.for_kiosk(engine, terminal_id),
        screenshot=uploads.latest(engine, terminal_id),
        uploaded=uploads.command_ids(engine, terminal_id),
        may_command=user.role is Role.TECHNICIAN, buttons=COMMAND_BUTTONS,
        device_labels=DEVICE_STATUS_LABELS, paper_labels=PAPER_LABELS,
        device_names=DEVICE_LABELS, role_labels={r.value: label for r, label in ROLE_LABELS.items()},
        action_labels=ACTION_LABELS,
        waiting=any(c.status in remote_commands.OPEN for c in commands),
        error=error, notice=notice, status_code=status_code)


@router.get("/kiosks/{terminal_id}", response_class=HTMLResponse)
def kiosk_page(request: Request, user: Viewer, terminal_id: TerminalId,
               issued: Annotated[str, Query(max_length=20)] = "") -> Response:
    """One kiosk: state, commands, screenshot, history and audit."""
    number = _number(issued)
    notice = f"指令 #{number} 已排队，终端下次心跳（30 秒内）时执行。" if number else ""
    return _kiosk_page(request, user, terminal_id, notice=notice)


@router.post("/kiosks/{terminal_id}/commands", response_class=HTMLResponse)
def command(request: Request, user: Technician, form: CheckedForm,
            terminal_id: TerminalId) -> Response:
    """Queue a remote command for the kiosk (technicians only)."""
    engine = _engine(request)
    if kiosk(engine, terminal_id, utcnow(), user.staff.sites) is None:
        return _kiosk_page(request, user, terminal_id)
    kind_text, reason = form.get("kind"), form.get("reason", "")
    try:
        kind = RemoteCommandKind(kind_text if isinstance(kind_text, str) else "")
    except ValueError:
        return _kiosk_page(request, user, terminal_id, status_code=422,
                           error="请选择一个指令。")
    try:
        issued = remote_commands.issue(engine, terminal_id, kind, by=user.staff,
                                       reason=reason if isinstance(reason, str) else "")
    except remote_commands.CommandRefused as err:
        return _kiosk_page(request, user, terminal_id, error=str(err), status_code=422)
    request.app.state.open_commands.add(terminal_id)
    return RedirectResponse(f"{CONSOLE_PREFIX}/fleet/kiosks/{terminal_id}?issued={issued}",
                            status_code=303)


@router.get("/uploads/{command_id}")
def upload(request: Request, user: Viewer, command_id: Annotated[str, Path()]) -> Response:
    """A kiosk's screenshot (inline) or logs (a download)."""
    engine, number = _engine(request), _number(command_id)
    found = uploads.body_of(engine, number) if number else None
    if found is None or kiosk(engine, found[0].terminal_id, utcnow(), user.staff.sites) is None:
        return render(request, "error.html", user=user, section="fleet", status_code=404,
                      title="没有这个文件", message="这个文件不存在，或不在您负责的站点。")
    meta, body = found
    headers = {}
    if meta.media_type != "image/png":
        name = f"{meta.terminal_id}-logs-{number}.jsonl.gz"
        headers["Content-Disposition"] = f'attachment; filename="{name}"'
    return Response(body, media_type=meta.media_type, headers=headers)
