"""The kiosk API's case pages (``contract.captured_pages``): the document camera's pages of a
case, one ``PUT`` each, after the case itself (``central.case_pages``)."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, HTTPException, Path, Response

from central import case_pages
from central.cases import CaseNotFound
from central.routes_kiosk import ERRORS, NO_SUCH_CASE, CaseNumber, Cipher, Db, Kiosk, refused, require_case_number
from contract.captured_pages import PAGES_MAX, PAGES_PATH, CapturedPage, CapturedPageAck
from contract.wire import API_PREFIX

router = APIRouter(prefix=API_PREFIX, tags=["kiosk"])

PageNumber = Annotated[int, Path(ge=1, le=PAGES_MAX, description=f"counts from 1 within the case, at most {PAGES_MAX}")]


@router.put(
    "/cases/{case_number}" + PAGES_PATH + "/{number}",
    status_code=201,
    response_model=CapturedPageAck,
    responses={200: {"model": CapturedPageAck, "description": "the same page again: nothing changes"},
               404: {"description": "no such case (yet): the kiosk sends pages after their case"},
               409: {"description": "another picture is held under this page's number"}, **ERRORS},
)
def put_page(case_number: CaseNumber, number: PageNumber, page: CapturedPage, caller: Kiosk, engine: Db,
             cipher: Cipher, response: Response) -> CapturedPageAck:
    """Keep the page, sealed, once; from the kiosk that took the case only."""
    require_case_number(caller, case_number)
    allowed = None if caller.any_terminal else {caller.name}
    try:
        created = case_pages.store(engine, case_number, number, page, terminal_ok=allowed, cipher=cipher)
    except CaseNotFound as err:
        raise HTTPException(status_code=404, detail=NO_SUCH_CASE) from err
    except case_pages.NotYourCase as err:
        raise refused() from err
    except case_pages.PageConflict as err:
        raise HTTPException(status_code=409, detail="another picture is held under this page's number") from err
    if not created:
        response.status_code = 200
    return CapturedPageAck(case_number=case_number, number=number)
