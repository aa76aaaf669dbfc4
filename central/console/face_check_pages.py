"""The face check page (人证比对): clerks compare a kiosk's capture with the card's photo.

- ``GET /console/face-checks``: the oldest pending checks the user may decide (their
  department's cases; supervisors all), each with both pictures side by side and a
  match / no match form. The pictures are decrypted for this page only and sent inline
  (``data:`` URIs, never cached: the console answers ``Cache-Control: no-store``).
- ``POST /console/face-checks/{id}/decide`` with ``verdict`` = ``match`` or ``no_match``:
  records the decision (audited), erases both pictures, and back to the list.

Only the roles that decide cases (clerks, supervisors) may open either; technicians get 403.
A check the user may not see is 404.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Path, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from sqlalchemy import Engine

from central import face_checks
from central.auth import Role
from central.console.access import CONSOLE_PREFIX, CheckedForm, ConsoleUser, allow
from central.console.rendering import render
from central.crypto import PayloadCipher
from contract.face_checks import FaceVerdict

router = APIRouter(prefix=f"{CONSOLE_PREFIX}/face-checks", include_in_schema=False)

CaseWorker = Annotated[ConsoleUser, Depends(allow(Role.CLERK, Role.SUPERVISOR))]
VERDICT_LABELS = {FaceVerdict.MATCH: "是本人", FaceVerdict.NO_MATCH: "不是本人"}
NOTICES = {"decided": "已记录比对结果，两张照片已删除。"}
PROBLEMS = {"decided": "这条比对已由他人处理。", "verdict": "请选择“是本人”或“不是本人”。"}


def _engine(request: Request) -> Engine:
    engine: Engine = request.app.state.engine
    return engine


@router.get("", response_class=HTMLResponse)
def face_check_list(request: Request, user: CaseWorker, done: str = "", problem: str = "") -> Response:
    """The pending checks, oldest first, each with its two pictures."""
    cipher: PayloadCipher = request.app.state.cipher
    engine = _engine(request)
    pairs = []
    for check in face_checks.pending(engine, user.staff):
        try:
            pairs.append(face_checks.open_pair(engine, check, cipher))
        except face_checks.FaceCheckNotFound:  # decided between the two reads
            continue
    return render(request, "face_checks.html", user=user, section="face_checks", title="人证比对",
                  pairs=pairs, verdict_labels=VERDICT_LABELS, verdicts=FaceVerdict,
                  notice=NOTICES.get(done, ""), problem=PROBLEMS.get(problem, ""))


@router.post("/{check_id}/decide")
def decide(request: Request, check_id: Annotated[int, Path(ge=1)], user: CaseWorker, form: CheckedForm
           ) -> Response:
    """Record the verdict and erase the pictures."""
    chosen = form.get("verdict")
    verdict = next((v for v in VERDICT_LABELS if v.value == chosen), None)
    if verdict is None:
        return RedirectResponse(f"{CONSOLE_PREFIX}/face-checks?problem=verdict", status_code=303)
    try:
        face_checks.decide(_engine(request), check_id, verdict, clerk=user.staff)
    except face_checks.FaceCheckNotFound:
        return render(request, "error.html", user=user, status_code=404, title="找不到",
                      message="没有这条比对，或您无权处理。")
    except face_checks.FaceCheckDecided:
        return RedirectResponse(f"{CONSOLE_PREFIX}/face-checks?problem=decided", status_code=303)
    return RedirectResponse(f"{CONSOLE_PREFIX}/face-checks?done=decided", status_code=303)
