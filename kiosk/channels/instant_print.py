"""Instant print (即时打印): once the case is safe in the outbox, the centre draws the
certificate and the A4 printer prints it, off the UI thread; progress comes back to the
terminal as ``CertificateUpdate`` events for the receipt screen.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import TYPE_CHECKING

from drivers.document_printer.printer import DocumentPrinter
from kiosk.events import CertificateUpdate, TerminalEvent
from kiosk.messages import MessageId, message
from kiosk.session.identity import Identity
from kiosk.session.outcome import PrintState

if TYPE_CHECKING:
    from kiosk.delivery.centre_client import CentreClient


class InstantPrint:
    def __init__(self, client: Callable[[], CentreClient | None], printer: DocumentPrinter,
                 post: Callable[[TerminalEvent], None]) -> None:
        self.client = client
        self.printer = printer
        self.post = post
        self._lock = threading.Lock()  # one certificate at a time on the one A4 printer

    def start(self, case_number: str, item_id: str, identity: Identity, answers: dict[str, str]) -> None:
        self.post(CertificateUpdate(case_number, PrintState.PRINTING, None))
        threading.Thread(target=self._print, args=(case_number, item_id, identity, answers),
                         name="certificate", daemon=True).start()

    def _print(self, case_number: str, item_id: str, identity: Identity, answers: dict[str, str]) -> None:
        from contract.certificates import CertificateRequest
        from contract.wire import Applicant
        from kiosk.printing.certificate_printing import print_certificate

        client = self.client()
        if client is None:
            self.post(CertificateUpdate(case_number, PrintState.FAILED,
                                        message(MessageId.CERTIFICATE_CENTRE_UNREACHABLE)))
            return
        request = CertificateRequest(
            item_id=item_id, case_number=case_number, answers=answers,
            applicant=Applicant(id_type=identity.id_type, name=identity.name, id_number=identity.id_number))
        with self._lock:
            outcome = print_certificate(client, self.printer, request)
        state = PrintState.PRINTED if outcome.printed else PrintState.FAILED
        self.post(CertificateUpdate(case_number, state, None if outcome.printed else outcome.message))
