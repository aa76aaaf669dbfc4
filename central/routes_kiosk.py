"""The kiosk API, version 1 (``/api/v1``): what a terminal may ask of the centre."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends, HTTPException, Path, Request, Response
from sqlalchemy import Engine

from central import cases
from central.auth import Caller
from central.wire import (
    API_PREFIX,
    CASE_NUMBER_PATTERN,
    CaseAck,
    CaseStatusView,
    CaseSubmission,
)

router = APIRouter(prefix=API_PREFIX, tags=["kiosk"])

ERRORS: dict[int | str, dict[str, Any]] = {
    401: {"description": "missing or unknown kiosk token"},
    403: {"description": "this kiosk may not act for that terminal"},
}


def kiosk_caller(request: Request) -> Caller:
    """Authenticate the calling kiosk by its bearer token."""
    caller: Caller = request.app.state.kiosk_tokens.identify(request)
    return caller


def engine_of(request: Request) -> Engine:
    engine: Engine = request.app.state.engine
    return engine


Kiosk = Annotated[Caller, Depends(kiosk_caller)]
Db = Annotated[Engine, Depends(engine_of)]
CaseNumber = Annotated[str, Path(pattern=CASE_NUMBER_PATTERN)]


def require_terminal(caller: Caller, terminal_id: str) -> None:
    if not caller.may_act_for(terminal_id):
        raise HTTPException(status_code=403, detail=f"this token is not for terminal "
                                                    f"{terminal_id!r}")


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
def submit_case(submission: CaseSubmission, caller: Kiosk, engine: Db, response: Response
                ) -> CaseAck:
    """Store a case exactly once, de-duplicated on its idempotency key."""
    require_terminal(caller, submission.terminal_id)
    try:
        intake = cases.submit(engine, submission, kiosk_id=caller.name)
    except cases.CaseConflict as err:
        raise HTTPException(status_code=409, detail=str(err)) from err
    if not intake.created:
        response.status_code = 200
    return intake.ack


@router.get(
    "/cases/{case_number}",
    response_model=CaseStatusView,
    responses={404: {"description": "no such case"}, **ERRORS},
)
def case_status(case_number: CaseNumber, _caller: Kiosk, engine: Db) -> CaseStatusView:
    """Return a case's public status (no personal data), e.g. for a receipt's QR lookup."""
    try:
        return cases.status(engine, case_number)
    except cases.CaseNotFound as err:
        raise HTTPException(status_code=404, detail="no case has this number") from err
