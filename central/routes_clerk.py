"""The clerk API (``/api/v1/clerk``): the back office claims cases and moves them on.

A clerk's token names a clerk with a role and a department (``central.auth.Clerk``): a clerk
sees and claims only their department's cases (at their sites, when the token names sites); a
supervisor sees every department's, and the cases whose item has no department. A case a
clerk may not see answers 404, as if it did not exist.

- ``POST /clerk/cases/claim`` → ``ClaimedCase`` (with the submission; the read is recorded),
  ``204`` when none waits. A claim expires after ``CENTRAL_CLAIM_MINUTES`` (30 by default):
  a case still ``claimed`` after that may be claimed by another clerk.
- ``POST /clerk/cases/{case_number}/claim`` → ``CaseStatusView``: claim that one case, when
  it waits (``409`` otherwise); its data is read separately (the console's case page).
- ``POST /clerk/cases/{case_number}/release`` → ``CaseStatusView``: the holder gives the case
  back (``received``); ``409`` for anyone else or a case past ``claimed``.
- ``POST /clerk/cases/{case_number}/reassign`` with a ``Reassignment`` → ``CaseStatusView``:
  a supervisor hands an open case to another clerk who may see it (``403`` for a clerk,
  ``409`` for a closed case or a clerk of another department, ``422`` for an unknown clerk).
- ``POST /clerk/cases/{case_number}/transitions``, ``GET /clerk/cases/{case_number}/history``.
- ``GET /clerk/cases/{case_number}/reads`` → ``CaseReads``: who read the case's personal data,
  when and what (supervisors only, ``403`` otherwise).
- ``GET /clerk/kiosks``: the fleet.
"""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends, HTTPException, Request, Response

from central import cases, claims, fleet
from central.auth import Clerk as ClerkIdentity
from central.auth import clerk_bearer
from central.routes_kiosk import CaseNumber, Cipher, Db
from contract.wire import (
    CLERK_PREFIX,
    CaseHistory,
    CaseReads,
    CaseStatusView,
    ClaimedCase,
    KioskStatusView,
    Reassignment,
    Transition,
)

router = APIRouter(prefix=CLERK_PREFIX, tags=["clerk"])

ERRORS: dict[int | str, dict[str, Any]] = {401: {"description": "missing or unknown clerk token"}}
NOT_FOUND: dict[int | str, dict[str, Any]] = {
    404: {"description": "no such case, or not one this clerk may see"}}
SUPERVISORS_ONLY: dict[int | str, dict[str, Any]] = {
    403: {"description": "only a supervisor may do this"}}


async def clerk_caller(request: Request, _bearer: Annotated[Any, Depends(clerk_bearer)]
                       ) -> ClerkIdentity:
    """Authenticate the calling clerk by their bearer token."""
    caller: ClerkIdentity = request.app.state.clerk_tokens.identify(request)
    return caller


async def claim_minutes_of(request: Request) -> float:
    minutes: float = request.app.state.claim_minutes
    return minutes


Clerk = Annotated[ClerkIdentity, Depends(clerk_caller)]
ClaimMinutes = Annotated[float, Depends(claim_minutes_of)]


def _not_found(err: Exception) -> HTTPException:
    return HTTPException(status_code=404, detail="no case has this number")


@router.post(
    "/cases/claim",
    response_model=ClaimedCase,
    responses={204: {"description": "no case waits"}, **ERRORS},
)
def claim_next(clerk: Clerk, engine: Db, cipher: Cipher, minutes: ClaimMinutes
               ) -> ClaimedCase | Response:
    """Claim the oldest waiting case of the clerk's department; 204 when none waits."""
    claimed = claims.claim_next(engine, clerk=clerk, cipher=cipher, claim_minutes=minutes)
    if claimed is None:
        return Response(status_code=204)
    return claimed


@router.post(
    "/cases/{case_number}/claim",
    response_model=CaseStatusView,
    responses={**NOT_FOUND, 409: {"description": "the case does not wait (claimed, moved on)"},
               **ERRORS},
)
def claim_case(case_number: CaseNumber, clerk: Clerk, engine: Db, minutes: ClaimMinutes
               ) -> CaseStatusView:
    """Claim one named waiting case (its data is not returned: read it on its page)."""
    try:
        return claims.claim(engine, case_number, clerk=clerk, claim_minutes=minutes)
    except cases.CaseNotFound as err:
        raise _not_found(err) from err
    except cases.CaseConflict as err:
        raise HTTPException(status_code=409, detail=str(err)) from err


@router.post(
    "/cases/{case_number}/release",
    response_model=CaseStatusView,
    responses={**NOT_FOUND, 409: {"description": "this clerk does not hold the claim"},
               **ERRORS},
)
def release(case_number: CaseNumber, clerk: Clerk, engine: Db) -> CaseStatusView:
    """Give a claimed case back to the queue (its holder only)."""
    try:
        return claims.release(engine, case_number, clerk=clerk)
    except cases.CaseNotFound as err:
        raise _not_found(err) from err
    except cases.CaseConflict as err:
        raise HTTPException(status_code=409, detail=str(err)) from err


@router.post(
    "/cases/{case_number}/reassign",
    response_model=CaseStatusView,
    responses={**NOT_FOUND, **SUPERVISORS_ONLY,
               409: {"description": "the case is closed, or that clerk may not handle it"},
               422: {"description": "no clerk has that name"}, **ERRORS},
)
def reassign(case_number: CaseNumber, body: Reassignment, clerk: Clerk, engine: Db,
             minutes: ClaimMinutes, request: Request) -> CaseStatusView:
    """Hand an open case to another clerk (supervisors only)."""
    if not clerk.supervisor:
        raise HTTPException(status_code=403, detail="only a supervisor may do this")
    known: dict[str, ClerkIdentity] = request.app.state.clerks_by_name
    to = known.get(body.clerk)
    if to is None:
        raise HTTPException(status_code=422, detail="no clerk has that name")
    try:
        return claims.reassign(engine, case_number, supervisor=clerk, to=to,
                               claim_minutes=minutes)
    except cases.CaseNotFound as err:
        raise _not_found(err) from err
    except cases.CaseConflict as err:
        raise HTTPException(status_code=409, detail=str(err)) from err


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
        raise _not_found(err) from err
    except cases.CaseConflict as err:
        raise HTTPException(status_code=409, detail=str(err)) from err


@router.get(
    "/cases/{case_number}/history",
    response_model=CaseHistory,
    responses={**NOT_FOUND, **ERRORS},
)
def case_history(case_number: CaseNumber, clerk: Clerk, engine: Db) -> CaseHistory:
    """Return every step of a case, oldest first (no personal data: not recorded as a read)."""
    try:
        claims.check_visible(engine, case_number, clerk)
        return cases.history(engine, case_number)
    except cases.CaseNotFound as err:
        raise _not_found(err) from err


@router.get(
    "/cases/{case_number}/reads",
    response_model=CaseReads,
    responses={**NOT_FOUND, **SUPERVISORS_ONLY, **ERRORS},
)
def case_reads(case_number: CaseNumber, clerk: Clerk, engine: Db) -> CaseReads:
    """Who read the case's personal data, when, and what (supervisors only)."""
    try:
        return claims.reads(engine, case_number, supervisor=clerk)
    except claims.NotAllowed as err:
        raise HTTPException(status_code=403, detail="only a supervisor may do this") from err
    except cases.CaseNotFound as err:
        raise _not_found(err) from err


@router.get("/kiosks", response_model=list[KioskStatusView], responses=ERRORS)
def kiosks(_clerk: Clerk, engine: Db, request: Request) -> list[KioskStatusView]:
    """The fleet: every kiosk's last beat, coloured green, yellow or red."""
    request.app.state.beats.flush()  # this process's buffered beats; others' are ≤ 1 s old
    return fleet.fleet(engine)
