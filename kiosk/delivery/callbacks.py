"""A help call-back on its way to the centre: sent at once, retried a little, kept nowhere.

The request holds the resident's phone, so it never goes into the outbox or any file: a thread
of its own sends it, tries again after ``RETRY_DELAYS_S`` while the failure may pass (no
answer, the centre busy), and reports the outcome once. A call-back is for someone standing at
the kiosk now; when it cannot be delivered within those tries the screen gives the site's
phone number instead, which serves the resident better than a request delivered hours later.

    send ──▶ posted ──(acknowledged)──▶ done(True)
               └──(retryable failure)──▶ wait, again … ──(tries used up, or refused)──▶ done(False)
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from typing import Protocol

from contract.callbacks import CallbackAck, CallbackRequest
from kiosk.errors import CentreError

log = logging.getLogger(__name__)

RETRY_DELAYS_S = (2.0, 5.0, 10.0)  # after the first try: about 20 s in all before giving up


class CallbackClient(Protocol):
    def request_callback(self, request: CallbackRequest) -> CallbackAck: ...


class CallbackSender:
    """Sends one request at a time on a thread; ``done(ok)`` is called once, on that thread."""

    def __init__(self, client: Callable[[], CallbackClient | None],
                 delays: tuple[float, ...] = RETRY_DELAYS_S) -> None:
        self.client = client  # the link's client, or None while the kiosk is not connected
        self.delays = delays
        self._stop = threading.Event()

    def send(self, request: CallbackRequest, done: Callable[[bool], None]) -> None:
        threading.Thread(target=self._run, args=(request, done), name="callback", daemon=True).start()

    def stop(self) -> None:
        self._stop.set()

    def _run(self, request: CallbackRequest, done: Callable[[bool], None]) -> None:
        done(self._deliver(request))

    def _deliver(self, request: CallbackRequest) -> bool:
        for attempt, delay in enumerate((0.0, *self.delays)):
            if delay and self._stop.wait(delay):
                return False
            client = self.client()
            if client is None:
                continue
            try:
                ack = client.request_callback(request)
            except CentreError as err:
                log.info("call-back request, try %d: %s", attempt + 1, type(err).__name__)  # never the phone
                if not err.retryable:
                    return False
                continue
            log.info("call-back request acknowledged as %d", ack.reference)
            return True
        return False
