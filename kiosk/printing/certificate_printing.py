"""Instant printing (即时打印): the centre draws the resident's certificate, the A4 printer
prints it, and the resident is told how it went.

``print_certificate`` blocks (the centre answers in well under a second; the printer may
take many seconds): run it off the UI thread. It first asks the printer whether it could
print at all, so that no certificate is issued that cannot come out; then asks the centre
(``CentreClient.certificate``), then prints and waits for CUPS to say the job completed.
It never raises for a centre or printer failure: the ``CertificateOutcome`` carries the
resident's ``Message`` and whether the centre produced the certificate (its code and last
valid day then, for the screen or a receipt). Logs name the item, the case number and the
outcome, never the resident.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import date
from typing import Protocol

from contract.certificates import CertificatePdf, CertificateRequest
from drivers.document_printer.printer import DocumentPrinter, FailureReason, PrinterState
from kiosk.errors import CentreError, CentreRejected
from kiosk.messages import Message, MessageId, message

log = logging.getLogger(__name__)

DEFAULT_PRINT_TIMEOUT_S = 90.0  # a cold A4 laser printer takes 20-40 s for its first page

PRINT_FAILURES: dict[FailureReason, MessageId] = {
    FailureReason.NO_PRINTER: MessageId.CERTIFICATE_NO_PRINTER,
    FailureReason.PAPER_OUT: MessageId.CERTIFICATE_PAPER_OUT,
    FailureReason.OFFLINE: MessageId.CERTIFICATE_PRINT_FAILED,
    FailureReason.REJECTED: MessageId.CERTIFICATE_PRINT_FAILED,
    FailureReason.TIMEOUT: MessageId.CERTIFICATE_PRINT_TIMEOUT,
}
_NOT_READY: dict[PrinterState, FailureReason] = {
    PrinterState.NO_PRINTER: FailureReason.NO_PRINTER,
    PrinterState.PAPER_OUT: FailureReason.PAPER_OUT,
    PrinterState.OFFLINE: FailureReason.OFFLINE,
}


class CertificateIssuer(Protocol):
    """What draws certificates: ``kiosk.delivery.centre_client.CentreClient``."""

    def certificate(self, request: CertificateRequest) -> CertificatePdf: ...


@dataclass(frozen=True)
class CertificateOutcome:
    """How an instant print went: ``message`` is what the resident is told either way."""

    printed: bool
    message: Message
    produced: bool  # the centre issued the certificate (whether or not it printed)
    code: str | None = None  # its verification code, when produced
    valid_until: date | None = None
    failure: FailureReason | None = None  # why the printer did not print it
    detail: str = ""  # for technicians: a status code, a printer state; nothing personal


def job_title(request: CertificateRequest) -> str:
    """The print job's title: the item and the case number, nothing about the resident."""
    return f"{request.item_id} {request.case_number}"


def print_certificate(client: CertificateIssuer, printer: DocumentPrinter, request: CertificateRequest,
                      timeout: float = DEFAULT_PRINT_TIMEOUT_S) -> CertificateOutcome:
    """Have the centre draw the certificate ``request`` asks for and print it on ``printer``."""
    status = printer.status()
    if not status.ready:
        reason = _NOT_READY.get(status.state, FailureReason.OFFLINE)
        log.warning("certificate %s for case %s not requested: printer %s %s", request.item_id,
                    request.case_number, status.state, ",".join(status.reasons))
        return CertificateOutcome(False, message(PRINT_FAILURES[reason]), produced=False, failure=reason,
                                  detail=f"printer {status.state}")
    try:
        certificate = client.certificate(request)
    except CentreRejected as err:
        log.warning("certificate %s for case %s refused by the centre: %s", request.item_id,
                    request.case_number, err.detail)
        return CertificateOutcome(False, message(MessageId.CERTIFICATE_NOT_ISSUED), produced=False,
                                  detail=err.detail)
    except CentreError as err:
        log.warning("certificate %s for case %s: centre: %s", request.item_id, request.case_number, err.detail)
        return CertificateOutcome(False, message(MessageId.CERTIFICATE_CENTRE_UNREACHABLE), produced=False,
                                  detail=err.detail)
    outcome = printer.print_pdf(certificate.pdf, job_title(request), timeout)
    if outcome.finished:
        log.info("certificate %s for case %s printed (job %s)", request.item_id, request.case_number, outcome.job_id)
        return CertificateOutcome(True, message(MessageId.CERTIFICATE_PRINTED), produced=True,
                                  code=certificate.code, valid_until=certificate.valid_until)
    reason = outcome.reason or FailureReason.REJECTED
    log.warning("certificate %s for case %s not printed: %s (%s)", request.item_id, request.case_number,
                reason, outcome.detail)
    return CertificateOutcome(False, message(PRINT_FAILURES[reason]), produced=True, code=certificate.code,
                              valid_until=certificate.valid_until, failure=reason, detail=outcome.detail)
