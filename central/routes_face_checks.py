"""The kiosk API's face check (``contract.face_checks``): a case's capture and card photo,
handed to the app's verifier (``central.face_checks``)."""

from __future__ import annotations

from fastapi import APIRouter, HTTPException, Request

from central import face_checks
from central.routes_kiosk import ERRORS, CaseNumber, Cipher, Db, Kiosk, refused, require_case_number
from contract.face_checks import FACE_CHECKS_PATH, FaceCheckAck, FaceCheckSubmission
from contract.wire import API_PREFIX

router = APIRouter(prefix=API_PREFIX, tags=["kiosk"])


@router.post(
    FACE_CHECKS_PATH + "/{case_number}",
    status_code=201,
    response_model=FaceCheckAck,
    responses={404: {"description": "no such case"},
               409: {"description": "the case's face check is already decided"}, **ERRORS},
)
def submit_face_check(case_number: CaseNumber, body: FaceCheckSubmission, caller: Kiosk, engine: Db,
                      cipher: Cipher, request: Request) -> FaceCheckAck:
    """Hand the pair to the verifier; a pending one waits, sealed, for a clerk's eye check."""
    require_case_number(caller, case_number)
    allowed = None if caller.any_terminal else {caller.name}
    verifier: face_checks.FaceVerifier = request.app.state.face_verifier
    try:
        verdict = face_checks.submit(engine, case_number, body.capture, body.card_photo,
                                     terminal_ok=allowed, verifier=verifier, cipher=cipher)
    except face_checks.FaceCheckNotFound as err:
        raise HTTPException(status_code=404, detail="no case has this number") from err
    except face_checks.NotYourCase as err:
        raise refused() from err
    except face_checks.FaceCheckDecided as err:
        raise HTTPException(status_code=409, detail="this case's face check is already decided") from err
    return FaceCheckAck(case_number=case_number, verdict=verdict)
