"""Printing a case's receipt in the background, one job at a time.

The job runs on its own thread (the printer may take seconds); its outcome comes back as a
``PrintFinished`` event with the resident's words for a failure. A failed print never
touches the case: it is safe in the outbox, and the receipt screen shows its number and QR.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable

from drivers.errors import CoverOpen, DriverError, PaperOut
from drivers.printer.document import Document
from drivers.printer.printer import ReceiptPrinter
from kiosk.events import PrintFinished
from kiosk.messages import MessageId, message
from kiosk.session.outcome import PrintState

log = logging.getLogger(__name__)

PRINT_FAULTS: tuple[tuple[type[DriverError], MessageId], ...] = (
    (PaperOut, MessageId.PAPER_OUT),
    (CoverOpen, MessageId.COVER_OPEN),
)


class ReceiptPrinting:
    """Prints documents on ``printer`` in the background and posts how each went."""

    def __init__(self, printer: ReceiptPrinter, post: Callable[[PrintFinished], None]) -> None:
        self.printer = printer
        self.post = post
        self._lock = threading.Lock()  # one job at a time

    def start(self, case_number: str, document: Document) -> None:
        threading.Thread(target=self._print, args=(case_number, document), name="print", daemon=True).start()

    def _print(self, case_number: str, document: Document) -> None:
        with self._lock:
            try:
                self.printer.print_document(document)
            except DriverError as err:
                log.warning("printing the receipt of case %s failed: %s", case_number, type(err).__name__)
                problem = next((m for fault, m in PRINT_FAULTS if isinstance(err, fault)), MessageId.PRINTER_FAULT)
                result = PrintFinished(case_number, PrintState.FAILED, message(problem))
            else:
                result = PrintFinished(case_number, PrintState.PRINTED)
        self.post(result)
