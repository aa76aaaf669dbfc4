"""The kiosk API, version 1 (``/api/v1``): what a terminal may ask of the centre.

A kiosk's token names its terminal (``central.auth``): a case, rating or heartbeat for another
terminal, or a case number whose terminal segment (digits 9-11) is not the token's, is refused
with 403 and the same body every time (``REFUSED``).

- ``GET /api/v1/terminals/self/last-case-number?day=YYYYMMDD`` → ``LastCaseNumber``: the
  highest case number the centre holds for the calling terminal that day, so a kiosk whose
  data folder was wiped goes on numbering after it.
"""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, BackgroundTasks, Depends, Header, HTTPException, Path, Query, Request, Response
from fastapi.concurrency import run_in_threadpool
from sqlalchemy import Engine

from central import cases, fleet, qr_issue, ratings, remote_commands
from central.auth import Caller, kiosk_bearer
from central.catalog import ServedCatalog, etag_matches
from central.crypto import PayloadCipher
from contract.fleet import RemoteCommand
from contract.wire import (
    API_PREFIX,
    CASE_NUMBER_PATTERN,
    DAY_PATTERN,
    CaseAck,
    CaseSubmission,
    CatalogDocument,
    Heartbeat,
    HeartbeatAck,
    IssuedQrCode,
    LastCaseNumber,
    QrCodeKind,
    QrCodeRequest,
    QrKeys,
    Rating,
    RatingAck,
    ResidentCaseView,
)

router = APIRouter(prefix=API_PREFIX, tags=["kiosk"])

ERRORS: dict[int | str, dict[str, Any]] = {
    401: {"description": "missing or unknown kiosk token"},
    403: {"description": "this kiosk may not act for that terminal"},
}


async def kiosk_caller(request: Request, _bearer: Annotated[Any, Depends(kiosk_bearer)]
                       ) -> Caller:
    """Authenticate the calling kiosk by its bearer token."""
    caller: Caller = request.app.state.kiosk_tokens.identify(request)
    return caller


async def engine_of(request: Request) -> Engine:
    engine: Engine = request.app.state.engine
    return engine


async def cipher_of(request: Request) -> PayloadCipher:
    cipher: PayloadCipher = request.app.state.cipher
    return cipher


Kiosk = Annotated[Caller, Depends(kiosk_caller)]
Db = Annotated[Engine, Depends(engine_of)]
Cipher = Annotated[PayloadCipher, Depends(cipher_of)]
CaseNumber = Annotated[str, Path(pattern=CASE_NUMBER_PATTERN)]
SiteId = Annotated[str, Path(min_length=1, max_length=64, pattern=r"^[A-Za-z0-9_.-]+$")]


REFUSED = "this kiosk token may not act for that terminal"


def refused() -> HTTPException:
    """The one answer to a kiosk acting for another terminal: 403 with ``REFUSED``."""
    return HTTPException(status_code=403, detail=REFUSED)


def require_terminal(caller: Caller, terminal_id: str) -> None:
    if not caller.may_act_for(terminal_id):
        raise refused()


def require_case_number(caller: Caller, case_number: str) -> None:
    """Refuse a case number whose terminal segment is not the caller's terminal number."""
    if not caller.owns_case_number(case_number):
        raise refused()


@router.post(
    "/cases",
    status_code=201,
    response_model=CaseAck,
    responses={
        200: {"model": CaseAck, "description": "the same case again: the same acknowledgement"},
        409: {"description": "the key or case number is held with a different body"},
        **ERRORS,
    },
)
def submit_case(submission: CaseSubmission, caller: Kiosk, engine: Db, cipher: Cipher,
                request: Request, response: Response, background: BackgroundTasks) -> CaseAck:
    """Store a case exactly once, de-duplicated on its idempotency key; a receipt SMS asked for
    before it came is sent once the kiosk has its answer (``central.receipt_sms``)."""
    require_terminal(caller, submission.terminal_id)
    require_case_number(caller, submission.case_number)
    for sibling in submission.bundle_cases:  # a bundle links only this terminal's own cases
        require_case_number(caller, sibling)
    served: ServedCatalog | None = request.app.state.catalogs.get(submission.site_id)
    department = served.department_of(submission.item_id) if served else None
    try:
        intake = cases.submit(engine, submission, kiosk_id=caller.name, cipher=cipher,
                              department=department, keys=request.app.state.case_keys)
    except cases.CaseConflict as err:
        raise HTTPException(status_code=409, detail=str(err)) from err
    if not intake.created:
        response.status_code = 200
    else:
        background.add_task(request.app.state.receipt_sms.case_arrived, submission.case_number)
    return intake.ack


NO_SUCH_CASE = "no case has this number"


@router.get(
    "/cases/{case_number}",
    response_model=ResidentCaseView,
    response_model_exclude_defaults=True,  # ``missing`` only when there is something to bring
    responses={404: {"description": "no such case, or another terminal's (the same answer)"},
               **ERRORS},
)
def case_status(case_number: CaseNumber, caller: Kiosk, engine: Db) -> ResidentCaseView:
    """Return what the receipt's holder may read of one of this terminal's cases: status, a
    fixed message, the next step. Another terminal's case is 404, exactly like no case."""
    try:
        return cases.resident_status(engine, case_number, may_read=caller.may_act_for)
    except cases.CaseNotFound as err:
        raise HTTPException(status_code=404, detail=NO_SUCH_CASE) from err


@router.post(
    "/cases/{case_number}/rating",
    status_code=201,
    response_model=RatingAck,
    responses={
        200: {"model": RatingAck, "description": "the same rating again"},
        404: {"description": "no such case"},
        409: {"description": "the case already has a different rating"},
        **ERRORS,
    },
)
def rate_case(case_number: CaseNumber, rating: Rating, caller: Kiosk, engine: Db,
              request: Request, response: Response) -> RatingAck:
    """Record the case's one rating (好差评), from the kiosk that took the case; a low one
    opens a follow-up (``central.followups``)."""
    require_case_number(caller, case_number)
    allowed = None if caller.any_terminal else {caller.name}
    try:
        ack, created = ratings.rate(engine, case_number, rating, terminal_ok=allowed,
                                    calendar=request.app.state.work_calendar)
    except cases.CaseNotFound as err:
        raise HTTPException(status_code=404, detail="no case has this number") from err
    except ratings.NotYourCase as err:
        raise refused() from err
    except cases.CaseConflict as err:
        raise HTTPException(status_code=409, detail=str(err)) from err
    if not created:
        response.status_code = 200
    return ack


@router.post("/heartbeats", response_model=HeartbeatAck, responses=ERRORS)
async def heartbeat(beat: Heartbeat, caller: Kiosk, request: Request) -> HeartbeatAck:
    """Record a kiosk's beat; answer with its site's current catalogue version, the
    kiosk's open remote commands (``central.remote_commands``) and a newer release a rollout
    offers it (``central.releases``)."""
    require_terminal(caller, beat.terminal_id)
    beats: fleet.BeatBuffer = request.app.state.beats
    received = beats.add(beat)  # memory only: no database, no thread hop
    served: ServedCatalog | None = request.app.state.catalogs.get(beat.site_id)
    commands: list[RemoteCommand] = []
    waiting: remote_commands.OpenCommands = request.app.state.open_commands
    if beat.command_results or beat.terminal_id in waiting:  # else no database either
        commands = await run_in_threadpool(remote_commands.exchange, request.app.state.engine,
                                           beat.terminal_id, beat.command_results, received)
    offer = request.app.state.rollouts.offer(beat.terminal_id, beat.site_id, beat.software_version)
    return HeartbeatAck(received_at=received, commands=commands, update=offer,
                        catalog_version=served.document.version if served else None)


@router.get(
    "/sites/{site_id}/catalog",
    response_model=CatalogDocument,
    responses={304: {"description": "not modified since the ETag given"},
               404: {"description": "no catalogue for this site"}, **ERRORS},
)
def site_catalog(
    site_id: SiteId, _caller: Kiosk, request: Request,
    if_none_match: Annotated[str | None, Header(max_length=1024)] = None,
) -> Response:
    """Serve a site's catalogue with its version; 304 when the kiosk already has it."""
    served: ServedCatalog | None = request.app.state.catalogs.get(site_id)
    if served is None:
        raise HTTPException(status_code=404, detail="no catalogue for this site")
    headers = {"ETag": served.etag, "Cache-Control": "no-cache"}
    if etag_matches(if_none_match, served.etag):
        return Response(status_code=304, headers=headers)
    return Response(served.body, media_type="application/json", headers=headers)


@router.post(
    "/qr-codes",
    status_code=201,
    response_model=IssuedQrCode,
    responses={403: {"description": "login codes come from an identity authority only"},
               422: {"description": "the data does not fit the code format"}, **ERRORS},
)
def issue_qr_code(request_body: QrCodeRequest, _caller: Kiosk, request: Request
                  ) -> IssuedQrCode:
    """Issue an appointment code in the ``contract.qr_codes`` format.

    Never a login code (403): one stolen kiosk token must not log in as anyone. Login codes
    are signed by an identity authority, whose keys kiosks trust for login alone."""
    if request_body.kind is QrCodeKind.LOGIN:
        raise HTTPException(status_code=403,
                            detail="login codes are issued by the identity authority only")
    try:
        return qr_issue.issue(request.app.state.qr_key, request_body)
    except ValueError as err:
        raise HTTPException(status_code=422, detail=str(err)) from err


@router.get("/qr-keys", response_model=QrKeys, responses=ERRORS)
def qr_keys(_caller: Kiosk, request: Request) -> QrKeys:
    """The public keys that verify the centre's codes."""
    return QrKeys(keys=qr_issue.public_keys(request.app.state.qr_key))


@router.get(
    "/terminals/self/last-case-number",
    response_model=LastCaseNumber,
    responses=ERRORS,
)
def last_case_number(caller: Kiosk, engine: Db,
                     day: Annotated[str, Query(pattern=DAY_PATTERN)]) -> LastCaseNumber:
    """The highest case number the centre holds for the calling terminal on ``day``."""
    if caller.terminal_number is None:  # a development token for any terminal has no number
        raise refused()
    return LastCaseNumber(day=day, case_number=cases.last_case_number(
        engine, terminal_number=caller.terminal_number, day=day))
