"""The clerk API (``/api/v1/clerk``): the back office claims cases and moves them on."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends, HTTPException, Request, Response

from central import cases, fleet
from central.auth import Caller, clerk_bearer
from central.routes_kiosk import CaseNumber, Cipher, Db
from contract.wire import (
    CLERK_PREFIX,
    CaseHistory,
    CaseStatusView,
    ClaimedCase,
    KioskStatusView,
    Transition,
)

router = APIRouter(prefix=CLERK_PREFIX, tags=["clerk"])

ERRORS: dict[int | str, dict[str, Any]] = {401: {"description": "missing or unknown clerk token"}}


async def clerk_caller(request: Request, _bearer: Annotated[Any, Depends(clerk_bearer)]
                       ) -> Caller:
    """Authenticate the calling clerk by their bearer token."""
    caller: Caller = request.app.state.clerk_tokens.identify(request)
    return caller


Clerk = Annotated[Caller, Depends(clerk_caller)]


@router.post(
    "/cases/claim",
    response_model=ClaimedCase,
    responses={204: {"description": "no case waits"}, **ERRORS},
)
def claim_next(clerk: Clerk, engine: Db, cipher: Cipher) -> ClaimedCase | Response:
    """Claim the oldest received case; 204 when none waits."""
    claimed = cases.claim_next(engine, clerk=clerk.name, cipher=cipher)
    if claimed is None:
        return Response(status_code=204)
    return claimed


@router.post(
    "/cases/{case_number}/transitions",
    response_model=CaseStatusView,
    responses={
        404: {"description": "no such case"},
        409: {"description": "the move does not fit the case's state, or another clerk holds it"},
        **ERRORS,
    },
)
def move_case(case_number: CaseNumber, transition: Transition, clerk: Clerk, engine: Db
              ) -> CaseStatusView:
    """Move a claimed case on: accepted, more materials needed, rejected or completed."""
    try:
        return cases.move(engine, case_number, transition, clerk=clerk.name)
    except cases.CaseNotFound as err:
        raise HTTPException(status_code=404, detail="no case has this number") from err
    except cases.CaseConflict as err:
        raise HTTPException(status_code=409, detail=str(err)) from err


@router.get(
    "/cases/{case_number}/history",
    response_model=CaseHistory,
    responses={404: {"description": "no such case"}, **ERRORS},
)
def case_history(case_number: CaseNumber, _clerk: Clerk, engine: Db) -> CaseHistory:
    """Return every step of a case, oldest first."""
    try:
        return cases.history(engine, case_number)
    except cases.CaseNotFound as err:
        raise HTTPException(status_code=404, detail="no case has this number") from err


@router.get("/kiosks", response_model=list[KioskStatusView], responses=ERRORS)
def kiosks(_clerk: Clerk, engine: Db, request: Request) -> list[KioskStatusView]:
    """The fleet: every kiosk's last beat, coloured green, yellow or red."""
    request.app.state.beats.flush()  # this process's buffered beats; others' are ≤ 1 s old
    return fleet.fleet(engine)
