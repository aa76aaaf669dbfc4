"""The case pages (办件): clerks work their department's queue; supervisors every department's.

- ``GET /console/cases?site=&item=&status=&age=&page=``: the queue (``central.case_queue``),
  oldest first, no personal data; "claim the next one" and a claim button per waiting case.
- ``POST /console/cases/claim-next``, ``POST /console/cases/{n}/claim``: claim, then the page.
- ``GET /console/cases/{n}``: the case's facts, its data (decrypted for its holder and for
  supervisors, each view recorded as a read: ``central.case_file``), its history, and a form
  per possible next state with the words the resident will then read beside its button. A
  bundle's case links the other cases of the bundle the user may see (同一件事).
- ``GET /console/cases/{n}/pages/{k}``: page ``k`` the document camera took (高拍仪), as a
  JPEG: for those who may read the case's data (its holder, supervisors; others who may see
  the case get 403), each look recorded as a read (``central.case_pages``), never cached.
- ``POST /console/cases/{n}/move``: a ``Transition`` from the form; a form that does not fit
  comes back with plain-word errors and what was typed.
- ``POST /console/cases/{n}/release`` (the holder), ``POST /console/cases/{n}/reassign``
  (supervisors).

Technicians get 403 on every one of them; a case a clerk may not see is 404, as in the API.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Annotated
from urllib.parse import urlencode

from fastapi import APIRouter, Depends, Path, Query, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from pydantic import ValidationError
from sqlalchemy import Engine
from starlette.datastructures import FormData

from central import case_pages, cases, claims
from central.auth import Clerk, Role
from central.case_file import CaseFile, may_read_data, open_case
from central.case_queue import OPEN_STATES, QueueFilter, queue
from central.console.access import CONSOLE_PREFIX, CheckedForm, ConsoleUser, allow
from central.console.labels import (
    DELIVERY_LABELS,
    ID_TYPE_LABELS,
    MOVE_LABELS,
    NOTICES,
    PROBLEMS,
    STATE_LABELS,
    step_note,
)
from central.console.rendering import render
from central.crypto import PayloadCipher
from central.db import utcnow
from contract.captured_pages import PAGES_MAX
from contract.materials import MATERIAL_LABELS, MISSING_MAX, Material, missing_line_problem
from contract.resident_status import resident_words
from contract.vocabulary import CaseState, Delivery
from contract.wire import CASE_NUMBER_PATTERN, CLERK_MOVES, Transition

router = APIRouter(prefix=f"{CONSOLE_PREFIX}/cases", include_in_schema=False)

CaseWorker = Annotated[ConsoleUser, Depends(allow(Role.CLERK, Role.SUPERVISOR))]
Supervisor = Annotated[ConsoleUser, Depends(allow(Role.SUPERVISOR))]
CaseNumber = Annotated[str, Path(pattern=CASE_NUMBER_PATTERN)]
PageNumber = Annotated[int, Path(ge=1, le=PAGES_MAX)]
AGES = {"1": "1 天以上", "3": "3 天以上", "7": "7 天以上"}
_HELD_STATES = frozenset({CaseState.CLAIMED, CaseState.ACCEPTED, CaseState.MORE_MATERIALS_NEEDED})
STATUS_CHOICES = {"open": "办理中（全部未结）", **{s.value: STATE_LABELS[s] for s in CaseState},
                  "all": "全部"}


def _engine(request: Request) -> Engine:
    engine: Engine = request.app.state.engine
    return engine


def _go(path: str, **query: str) -> RedirectResponse:
    return RedirectResponse(path + (f"?{urlencode(query)}" if query else ""), status_code=303)


def _states(status: str) -> frozenset[CaseState]:
    if status == "all":
        return frozenset(CaseState)
    chosen = next((s for s in CaseState if s.value == status), None)
    return frozenset({chosen}) if chosen else OPEN_STATES


@router.get("", response_class=HTMLResponse)
def case_queue(request: Request, user: CaseWorker,
               site: Annotated[str, Query(max_length=64)] = "",
               item: Annotated[str, Query(max_length=64)] = "",
               status: Annotated[str, Query(max_length=32)] = "open",
               age: Annotated[str, Query(max_length=4)] = "",
               page: Annotated[int, Query(ge=1, le=100_000)] = 1,
               done: str = "", problem: str = "") -> Response:
    """The cases the user may see, oldest first, filtered and one page at a time."""
    wanted = QueueFilter(site=site or None, item=item or None, states=_states(status),
                         min_age_days=int(age) if age in AGES else None)
    now = utcnow()
    listed = queue(_engine(request), user.staff, wanted, page=page, now=now)
    filters = {"site": site, "item": item, "status": status, "age": age if age in AGES else ""}
    return render(request, "cases/queue.html", user=user, section="cases", title="办件队列",
                  listed=listed, filters=filters, ages=AGES, status_choices=STATUS_CHOICES,
                  state_labels=STATE_LABELS, now=now,
                  page_query=lambda p: urlencode({**filters, "page": p}),
                  notice=NOTICES.get(done, ""), problem=PROBLEMS.get(problem, ""))


@router.post("/claim-next")
def claim_next(request: Request, user: CaseWorker, _form: CheckedForm) -> Response:
    """Claim the oldest waiting case and open it."""
    claimed = claims.claim_oldest(_engine(request), clerk=user.staff,
                                  claim_minutes=request.app.state.claim_minutes)
    if claimed is None:
        return _go(f"{CONSOLE_PREFIX}/cases", problem="none_waiting")
    return _go(f"{CONSOLE_PREFIX}/cases/{claimed.case_number}", done="claimed")


@router.post("/{case_number}/claim")
def claim_case(request: Request, case_number: CaseNumber, user: CaseWorker, _form: CheckedForm
               ) -> Response:
    """Claim this case and open it."""
    try:
        claims.claim(_engine(request), case_number, clerk=user.staff,
                     claim_minutes=request.app.state.claim_minutes)
    except cases.CaseNotFound:
        return _not_found(request, user)
    except cases.CaseConflict:
        return _go(f"{CONSOLE_PREFIX}/cases/{case_number}", problem="not_waiting")
    return _go(f"{CONSOLE_PREFIX}/cases/{case_number}", done="claimed")


@dataclass
class MoveForm:
    """A transition form as typed, with what is wrong with it (plain words)."""

    status: CaseState
    note: str = ""
    missing: list[str] = field(default_factory=list)
    missing_other: str = ""
    reason: str = ""
    delivery: str = ""
    errors: list[str] = field(default_factory=list)


@router.get("/{case_number}", response_class=HTMLResponse)
def case_page(request: Request, case_number: CaseNumber, user: CaseWorker,
              done: str = "", problem: str = "") -> Response:
    """The case: facts, data (a recorded read, when allowed), history and the next moves."""
    return _case_page(request, user, case_number, notice=NOTICES.get(done, ""),
                      problem=PROBLEMS.get(problem, ""))


def _case_page(request: Request, user: ConsoleUser, case_number: str, *, notice: str = "",
               problem: str = "", typed: MoveForm | None = None) -> Response:
    cipher: PayloadCipher = request.app.state.cipher
    try:
        found = open_case(_engine(request), case_number, clerk=user.staff, cipher=cipher)
    except cases.CaseNotFound:
        return _not_found(request, user)
    moves = _moves(found, user.staff, typed)
    return render(
        request, "cases/case.html", user=user, section="cases", title=f"办件 {case_number}",
        case=found, moves=moves, notice=notice, problem=problem,
        state_labels=STATE_LABELS, delivery_labels=DELIVERY_LABELS, id_type_labels=ID_TYPE_LABELS,
        step_note=step_note,
        material_labels=MATERIAL_LABELS, resident_now=resident_words(found.status),
        reassign_to=_reassign_choices(request, user.staff, found),
        bundle_name=_bundle_name(request, found),
        reads_data=may_read_data(user.staff, found.claimed_by),
        waiting=found.status is CaseState.RECEIVED or (
            found.status is CaseState.CLAIMED and found.claim_expires_at is not None
            and found.claim_expires_at < utcnow()),
        status_code=422 if typed and typed.errors else 200)


@router.get("/{case_number}/pages/{number}")
def page_image(request: Request, case_number: CaseNumber, number: PageNumber, user: CaseWorker) -> Response:
    """One page's picture, to those who may read the case's data (the read recorded)."""
    cipher: PayloadCipher = request.app.state.cipher
    try:
        jpeg = case_pages.open_page(_engine(request), case_number, number, clerk=user.staff, cipher=cipher)
    except cases.CaseNotFound:
        return _not_found(request, user)
    except claims.NotAllowed:
        return render(request, "error.html", user=user, section="cases", status_code=403, title="无权查看",
                      message="只有认领该办件的工作人员和主管可以查看材料照片。")
    except case_pages.PageNotFound:
        return render(request, "error.html", user=user, section="cases", status_code=404,
                      title="找不到该材料照片", message="该办件没有这一页材料照片。")
    except case_pages.PageUnreadable:
        return render(request, "error.html", user=user, section="cases", status_code=500,
                      title="材料照片无法打开", message="该材料照片无法解密，请联系技术人员。")
    return Response(jpeg, media_type="image/jpeg", headers={"Cache-Control": "no-store"})


def _bundle_name(request: Request, found: CaseFile) -> str:
    """The name of the case's bundle in its site's catalogue, else its id ("" when none)."""
    if found.bundle is None:
        return ""
    served = request.app.state.catalogs.get(found.site_id)
    return (served.bundle_name(found.bundle.bundle_id) if served else None) or found.bundle.bundle_id


@dataclass(frozen=True)
class Move:
    """One possible next state: its button, what the resident will read, the form as typed."""

    state: CaseState
    label: str
    resident_message: str
    resident_next_step: str
    form: MoveForm


def _moves(found: CaseFile, clerk: Clerk, typed: MoveForm | None) -> list[Move]:
    if not found.held_by(clerk):
        return []
    default_delivery = found.submission.delivery.value if found.submission else ""
    moves = []
    for state in sorted(CLERK_MOVES.get(found.status, frozenset()), key=list(MOVE_LABELS).index):
        form = typed if typed and typed.status is state else MoveForm(state, delivery=default_delivery)
        message, next_step = resident_words(state)
        moves.append(Move(state, MOVE_LABELS[state], message, next_step, form))
    return moves


def _reassign_choices(request: Request, supervisor: Clerk, found: CaseFile) -> list[str]:
    if not supervisor.supervisor or found.status not in _HELD_STATES:
        return []
    known: dict[str, Clerk] = request.app.state.clerks_by_name
    return sorted(name for name, clerk in known.items()
                  if name != found.claimed_by and clerk.may_see(found.department, found.site_id))


def _read_move(form: FormData) -> MoveForm:
    """The posted form, checked; ``errors`` say in plain words what to put right."""
    raw = str(form.get("status", ""))
    state = next((s for s in MOVE_LABELS if s.value == raw), None)
    if state is None:
        return MoveForm(CaseState.ACCEPTED, errors=["请选择要办理的操作。"])
    typed = MoveForm(state, note=str(form.get("note", "")).strip(),
                     missing=[str(m) for m in form.getlist("missing")],
                     missing_other=str(form.get("missing_other", "")),
                     reason=str(form.get("reason", "")).strip(),
                     delivery=str(form.get("delivery", "")))
    lines = [line.strip() for line in typed.missing_other.splitlines() if line.strip()]
    if state is CaseState.MORE_MATERIALS_NEEDED:
        if not typed.missing and not lines:
            typed.errors.append("请勾选或填写需要补充的材料。")
        if len(lines) > MISSING_MAX:
            typed.errors.append(f"其他材料最多填写 {MISSING_MAX} 行。")
        for number, line in enumerate(lines, start=1):
            problem = missing_line_problem(line)
            if problem is None:
                continue
            if "long number" in problem:
                typed.errors.append(f"其他材料第 {number} 行含有一串数字（像证件号或电话），群众会看到这一行，请删去。")
            elif "longer than" in problem:
                typed.errors.append(f"其他材料第 {number} 行超过 100 字，请写得简短些。")
            else:
                typed.errors.append(f"其他材料第 {number} 行含有不能显示的字符，请重新输入。")
    if state is CaseState.REJECTED and not typed.reason:
        typed.errors.append("请填写不予受理的理由。")
    if state is CaseState.COMPLETED and typed.delivery not in {d.value for d in Delivery}:
        typed.errors.append("请选择办理结果的送达方式。")
    return typed


def _transition(typed: MoveForm) -> Transition | None:
    """The ``Transition`` the form describes; None (with ``errors`` added) when it does not fit."""
    lines = [line.strip() for line in typed.missing_other.splitlines() if line.strip()]
    state = typed.status
    try:
        return Transition(
            status=state, note=typed.note,
            missing=[Material(m) for m in typed.missing] if state is CaseState.MORE_MATERIALS_NEEDED else [],
            missing_other=lines if state is CaseState.MORE_MATERIALS_NEEDED else [],
            reason=typed.reason if state is CaseState.REJECTED else "",
            delivery=Delivery(typed.delivery) if state is CaseState.COMPLETED else None)
    except (ValueError, ValidationError):
        typed.errors.append("表单内容无法识别，请检查后重新提交（备注最多 2000 字，理由最多 500 字）。")
        return None


@router.post("/{case_number}/move", response_class=HTMLResponse)
def move_case(request: Request, case_number: CaseNumber, user: CaseWorker, form: CheckedForm
              ) -> Response:
    """Move the case on with the form's details; the page again with errors if they do not fit."""
    typed = _read_move(form)
    transition = None if typed.errors else _transition(typed)
    if transition is None:
        return _case_page(request, user, case_number, typed=typed)
    try:
        claims.check_visible(_engine(request), case_number, user.staff)
        cases.move(_engine(request), case_number, transition, clerk=user.name)
    except cases.CaseNotFound:
        return _not_found(request, user)
    except cases.CaseConflict:
        typed.errors.append("办件状态已变化，或已由他人办理：请看下方的最新状态。")
        return _case_page(request, user, case_number, typed=typed)
    return _go(f"{CONSOLE_PREFIX}/cases/{case_number}", done="moved")


@router.post("/{case_number}/release")
def release_case(request: Request, case_number: CaseNumber, user: CaseWorker, _form: CheckedForm
                 ) -> Response:
    """Give the case back to the queue (its holder, while only claimed)."""
    try:
        claims.release(_engine(request), case_number, clerk=user.staff)
    except cases.CaseNotFound:
        return _not_found(request, user)
    except cases.CaseConflict:
        return _go(f"{CONSOLE_PREFIX}/cases/{case_number}", problem="not_held")
    return _go(f"{CONSOLE_PREFIX}/cases", done="released")


@router.post("/{case_number}/reassign", response_class=HTMLResponse)
def reassign_case(request: Request, case_number: CaseNumber, user: Supervisor, form: CheckedForm
                  ) -> Response:
    """Hand the open case to another clerk (supervisors)."""
    known: dict[str, Clerk] = request.app.state.clerks_by_name
    to = known.get(str(form.get("clerk", "")))
    if to is None:
        return _case_page(request, user, case_number, problem="请选择要转交的工作人员。")
    try:
        claims.reassign(_engine(request), case_number, supervisor=user.staff, to=to,
                        claim_minutes=request.app.state.claim_minutes)
    except cases.CaseNotFound:
        return _not_found(request, user)
    except cases.CaseConflict:
        return _case_page(request, user, case_number,
                          problem=f"不能转交给 {to.name}：该办件已结束，或其不负责该部门或站点。")
    return _go(f"{CONSOLE_PREFIX}/cases/{case_number}", done="reassigned")


def _not_found(request: Request, user: ConsoleUser) -> Response:
    return render(request, "error.html", user=user, section="cases", status_code=404,
                  title="找不到该办件", message="没有这个编号的办件，或它不属于您负责的部门和站点。")

