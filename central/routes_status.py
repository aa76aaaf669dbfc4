"""The kiosk's status lookups (办件查询) by typed case number and by ID card
(``contract.status_lookup``; the queries and limits: ``central.status_lookups``).

Only a kiosk's bearer token may call them (a clerk's token or a console session is ``401``):
they answer for cases of any terminal, so the caller must be a kiosk a resident stands at.
The answer is the fixed resident words of each case, never the submission. Nothing personal is
logged: the ID number and phone digits come in the body and the access log sees only the path.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from fastapi import APIRouter, FastAPI, HTTPException, Request, Response
from fastapi.responses import JSONResponse

from central import cases
from central.case_keys import INDEX_KEY_FILE_NAME, CaseKeys
from central.routes_kiosk import ERRORS, Db, Kiosk
from central.status_lookups import StatusLimits, by_card, by_number
from contract.status_lookup import (
    STATUS_BY_CARD_PATH,
    STATUS_BY_NUMBER_PATH,
    CardLookup,
    NumberLookup,
    ResidentCaseList,
)
from contract.wire import ResidentCaseView

router = APIRouter(tags=["kiosk"])

NOT_FOUND = "no case has this number and these digits"
TOO_MANY: dict[int | str, dict[str, Any]] = {
    429: {"description": "too many lookups from this kiosk (or for this case); see Retry-After"}}


def _too_many(wait: int) -> Response:
    return JSONResponse({"detail": "too many lookups; try again later"}, status_code=429,
                        headers={"Retry-After": str(wait)})


@router.post(
    STATUS_BY_NUMBER_PATH,
    response_model=ResidentCaseView,
    responses={404: {"description": "no case with this number and digits (one answer for all)"},
               **TOO_MANY, **ERRORS},
)
def status_by_number(lookup: NumberLookup, caller: Kiosk, engine: Db, request: Request) -> Response:
    """A typed case number with the last 4 digits of its mobile number: the case's resident words."""
    wait = request.app.state.status_limits.number(caller.name, lookup.case_number)
    if wait:
        return _too_many(wait)
    try:
        view = by_number(engine, request.app.state.case_keys, lookup)
    except cases.CaseNotFound as err:
        raise HTTPException(status_code=404, detail=NOT_FOUND) from err
    return Response(view.model_dump_json(exclude_defaults=True), media_type="application/json",
                    headers={"Cache-Control": "no-store"})


@router.post(STATUS_BY_CARD_PATH, response_model=ResidentCaseList, responses={**TOO_MANY, **ERRORS})
def status_by_card(lookup: CardLookup, caller: Kiosk, engine: Db, request: Request) -> Response:
    """The cases of the card on the reader, last 90 days, newest first, at most 10."""
    wait = request.app.state.status_limits.card(caller.name)
    if wait:
        return _too_many(wait)
    found = ResidentCaseList(cases=by_card(engine, request.app.state.case_keys, lookup))
    return Response(found.model_dump_json(), media_type="application/json", headers={"Cache-Control": "no-store"})


def install_status_lookup(app: FastAPI, key_folder: Path, limits: StatusLimits | None = None) -> None:
    """Serve the lookups, with the index key in ``key_folder`` (``central-index.key``) that intake
    also uses (``app.state.case_keys``)."""
    app.state.case_keys = CaseKeys.from_file(key_folder / INDEX_KEY_FILE_NAME)
    app.state.status_limits = limits or StatusLimits()
    app.include_router(router)
