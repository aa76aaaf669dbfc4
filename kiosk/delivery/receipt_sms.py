"""Asking the centre to text a receipt the kiosk could not print (``contract.receipt_sms``).

The request holds the case number, the phone question's id, the item's name and the receipt
QR's link; never the phone (the centre reads it from the case). A thread of its own asks, and
asks again after ``RETRY_DELAYS_S`` (about a minute in all) while the answer may still change:
no answer or a busy centre, or the centre holding the request until the case arrives (the
outbox may be behind) or its SMS gateway recovers. It reports once, on that thread: the last
status the centre gave, or None when the centre never took the request. Nothing is written to
disk: a resident who has left gains nothing from a request sent an hour later.

    ask ──▶ posted ──(sent, no phone, refused)──▶ done(status)
              ├──(the centre holds it: waiting, failing)──▶ wait, ask again … ──(tries used)──▶ done(status)
              └──(no answer)──▶ wait, again … ──(tries used up, or a 4xx)──▶ done(last status, or None)
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from typing import Protocol

from contract.receipt_sms import ReceiptSmsAck, ReceiptSmsRequest, ReceiptSmsStatus
from kiosk.errors import CentreError

log = logging.getLogger(__name__)

RETRY_DELAYS_S = (2.0, 4.0, 8.0, 12.0, 15.0, 20.0)  # after the first try: about a minute in all


class ReceiptSmsClient(Protocol):
    def ask_receipt_sms(self, case_number: str, request: ReceiptSmsRequest) -> ReceiptSmsAck: ...


Done = Callable[[ReceiptSmsStatus | None], None]


class ReceiptSmsAsker:
    """Asks for one case at a time on a thread each; ``done(status)`` is called once, on that thread."""

    def __init__(self, client: Callable[[], ReceiptSmsClient | None],
                 delays: tuple[float, ...] = RETRY_DELAYS_S) -> None:
        self.client = client  # the link's client, or None while the kiosk is not connected
        self.delays = delays
        self._stop = threading.Event()

    def ask(self, case_number: str, request: ReceiptSmsRequest, done: Done) -> None:
        threading.Thread(target=self._run, args=(case_number, request, done), name="receipt-sms",
                         daemon=True).start()

    def stop(self) -> None:
        """Give up every request still being asked (each reports what it had)."""
        self._stop.set()

    def _run(self, case_number: str, request: ReceiptSmsRequest, done: Done) -> None:
        done(self._settle(case_number, request))

    def _settle(self, case_number: str, request: ReceiptSmsRequest) -> ReceiptSmsStatus | None:
        status: ReceiptSmsStatus | None = None
        for attempt, delay in enumerate((0.0, *self.delays)):
            if delay and self._stop.wait(delay):
                break
            client = self.client()
            if client is None:
                continue
            try:
                status = client.ask_receipt_sms(case_number, request).status
            except CentreError as err:
                log.info("receipt SMS of case %s, try %d: %s", case_number, attempt + 1, type(err).__name__)
                if not err.retryable:
                    break
                continue
            if not status.pending:
                break
        log.info("receipt SMS of case %s: %s", case_number, status.value if status else "not taken by the centre")
        return status
