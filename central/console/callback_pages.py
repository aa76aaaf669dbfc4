"""The call-back page (回电): residents who asked, outside staffed hours, to be called back.

- ``GET /console/callbacks?status=open|done``: the requests at the sites this member of
  staff serves, oldest first, with the masked phone only.
- ``GET /console/callbacks/{id}``: one request with the full phone, to call it; each opening
  is recorded in the console audit (who, when; never the number).
- ``POST /console/callbacks/{id}/done``: the call was made; recorded too. The request is
  deleted when the retention period has passed (``central.callbacks.purge``).

Clerks and supervisors use it; technicians get a 403, as for every page with a resident's data.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Path, Query, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from sqlalchemy import Engine
from sqlalchemy.orm import Session

from central import callbacks, console_audit
from central.auth import Role
from central.console.access import CONSOLE_PREFIX, CheckedForm, ConsoleUser, allow
from central.console.rendering import render

router = APIRouter(prefix=f"{CONSOLE_PREFIX}/callbacks", include_in_schema=False)

Reader = Annotated[ConsoleUser, Depends(allow(Role.CLERK, Role.SUPERVISOR))]
CallbackId = Annotated[int, Path(ge=1, le=2**62)]
STATUS_LABELS = {"open": "待回电", "done": "已回电"}


def _audit(engine: Engine, user: ConsoleUser, action: str, callback_id: int, terminal_id: str) -> None:
    with Session(engine) as session, session.begin():
        console_audit.record(session, user.staff, action, terminal_id=terminal_id, detail=f"callback {callback_id}")


@router.get("", response_class=HTMLResponse)
def callbacks_page(request: Request, user: Reader,
                   status: Annotated[str, Query(pattern="^(open|done)$")] = "open") -> Response:
    """The call-back requests at this member of staff's sites."""
    listed = callbacks.listed(request.app.state.engine, user.staff, status=status)
    return render(request, "callbacks.html", user=user, section="callbacks", title="回电",
                  listed=listed, status=status, status_labels=STATUS_LABELS,
                  retention_days=callbacks.RETENTION.days)


@router.get("/{callback_id}", response_class=HTMLResponse)
def callback_page(request: Request, user: Reader, callback_id: CallbackId) -> Response:
    """One request with the number to call (the opening is recorded)."""
    engine: Engine = request.app.state.engine
    found = callbacks.open_phone(engine, callback_id, user.staff, request.app.state.cipher)
    if found is None:
        return render(request, "error.html", user=user, status_code=404, title="没有这条回电请求",
                      message="没有这条回电请求，或它不属于您负责的站点，或已按期删除。")
    view, phone = found
    _audit(engine, user, "callback.read", callback_id, view.terminal_id)
    return render(request, "callback.html", user=user, section="callbacks", title="回电",
                  callback=view, phone=phone, status_labels=STATUS_LABELS)


@router.post("/{callback_id}/done")
def mark_done(request: Request, user: Reader, form: CheckedForm, callback_id: CallbackId) -> Response:
    """The call was made: mark it, record who, back to the list."""
    engine: Engine = request.app.state.engine
    if callbacks.mark_done(engine, callback_id, user.staff):
        _audit(engine, user, "callback.done", callback_id, "")
    del form  # checked for its CSRF token; it carries nothing else
    return RedirectResponse(f"{CONSOLE_PREFIX}/callbacks", status_code=303)
