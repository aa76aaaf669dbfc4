"""Receipts by SMS in the kiosk API (``contract.receipt_sms``), and the rounds that retry them.

A kiosk asks only for its own cases: the case number's terminal segment must be its number
(as for ratings), and a case (or a request) the centre already holds must be its terminal's;
anything else is the one 403 of the kiosk API. The reply gives the request's status, never
the phone.
"""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, FastAPI, Request, Response

from central.receipt_sms import ROUND_EVERY_S, NotYourCase, ReceiptSms
from central.routes_kiosk import ERRORS, CaseNumber, Kiosk, refused, require_case_number
from central.sms_notifiers import SmsNotifier
from contract.receipt_sms import RECEIPT_SMS_PATH, ReceiptSmsAck, ReceiptSmsRequest

router = APIRouter(tags=["kiosk"])
RESPONSES: dict[int | str, dict[str, Any]] = {
    200: {"model": ReceiptSmsAck, "description": "the centre held a request for this case already: its status now"},
    422: {"description": "a malformed request"},
    **ERRORS,
}


@router.post(RECEIPT_SMS_PATH, status_code=201, response_model=ReceiptSmsAck, responses=RESPONSES)
def ask_receipt_sms(case_number: CaseNumber, body: ReceiptSmsRequest, caller: Kiosk, request: Request,
                    response: Response) -> ReceiptSmsAck:
    """Text the case's receipt to the phone the resident gave, once: now if the case is here,
    else when it arrives."""
    require_case_number(caller, case_number)
    desk: ReceiptSms = request.app.state.receipt_sms
    try:
        ack, created = desk.ask(case_number, body, caller)
    except NotYourCase as err:
        raise refused() from err
    if not created:
        response.status_code = 200
    return ack


def install_receipt_sms(app: FastAPI, notifier: SmsNotifier, every_s: float = ROUND_EVERY_S) -> None:
    """Serve the kiosk route and retry due texts every ``every_s`` (``app.state.receipt_sms``)."""
    app.state.receipt_sms = ReceiptSms(app.state.engine, app.state.cipher, notifier, every_s=every_s)
    app.state.receipt_sms.start()
    app.include_router(router)
