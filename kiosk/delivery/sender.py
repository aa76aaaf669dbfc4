"""The sender: a background thread that delivers the outbox to the centre.

It claims due rows, submits each, and marks it sent on the centre's acknowledgement (which
erases the payload). A failure that may pass (no answer, 5xx) puts the row back with a delay
that doubles per attempt, with jitter so a fleet coming back online does not knock together,
and pauses the whole sender for that delay: one probe per period while the centre is down. A
refusal (4xx, 409) marks the row failed for a technician. Cases unsent for longer than
``alert_after_s`` raise a technician alert (``on_alert``) once per ``alert_every_s``.

The centre de-duplicates on the idempotency key, so a row sent twice (the kiosk died after
the centre stored it but before ``mark_sent``) is still one case there.

Once a case is acknowledged its document pages follow (``outbox_pages``), one request each,
whenever no case is due: a page never holds up a case. A page that cannot reach the centre
backs off (and pauses the sender) as a case does; a 404 (the centre does not have the case
yet) backs off that page alone; any other refusal (4xx, 409: another picture is held under
its number) marks it failed for a technician, logged by case and page number only. The
centre's ``PUT`` of a page is idempotent: a page sent twice is stored once.
"""

from __future__ import annotations

import logging
import random
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Protocol

from contract.captured_pages import CapturedPage
from contract.wire import CaseAck, CaseSubmission
from kiosk.delivery.outbox import Outbox, OutboxEntry, OutgoingCase
from kiosk.delivery.outbox_pages import OutgoingPage
from kiosk.errors import CentreError, CentreRejected

log = logging.getLogger(__name__)


class DeliversCases(Protocol):
    def submit(self, submission: CaseSubmission) -> CaseAck: ...

    def send_page(self, case_number: str, number: int, page: CapturedPage) -> None: ...


@dataclass(frozen=True)
class Backoff:
    """Delay before attempt ``n + 1``: half of ``min(cap, base * 2**n)`` plus up to as much
    again at random ("equal jitter")."""

    base_s: float = 2.0
    cap_s: float = 300.0

    def delay(self, attempts: int, rng: random.Random) -> float:
        ceiling = min(self.cap_s, self.base_s * 2 ** min(attempts, 30))
        return ceiling / 2 + rng.uniform(0, ceiling / 2)


@dataclass(frozen=True)
class OverdueAlert:
    """Unsent cases older than the alert age: the technician should look at the link."""

    count: int
    oldest_age_s: float
    cases: tuple[OutboxEntry, ...]


class Sender:
    """Deliver the outbox in a daemon thread: ``start()``, ``wake()`` after enqueue, ``stop()``."""

    def __init__(
        self,
        outbox: Outbox,
        client: DeliversCases,
        on_change: Callable[[], None] | None = None,
        *,
        backoff: Backoff | None = None,
        batch: int = 20,
        idle_poll_s: float = 30.0,
        alert_after_s: float = 3600.0,
        alert_every_s: float = 900.0,
        on_alert: Callable[[OverdueAlert], None] | None = None,
        rng: random.Random | None = None,
    ) -> None:
        self.outbox = outbox
        self.client = client
        self.on_change = on_change
        self.backoff = backoff or Backoff()
        self.batch = batch
        self.idle_poll_s = idle_poll_s
        self.alert_after_s = alert_after_s
        self.alert_every_s = alert_every_s
        self.on_alert = on_alert
        self._rng = rng or random.Random()
        self._wake = threading.Event()
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None
        self._pause_until = 0.0
        self._last_alert = float("-inf")
        self.last_error: CentreError | None = None

    def start(self) -> None:
        """Start the background thread (once)."""
        if self._thread is not None:
            raise RuntimeError("the sender is already started")
        self._stop.clear()
        self._thread = threading.Thread(target=self._run, name="outbox-sender", daemon=True)
        self._thread.start()

    def stop(self, timeout: float = 10.0) -> None:
        """Ask the thread to finish its current send and end; wait up to ``timeout``."""
        self._stop.set()
        self._wake.set()
        if self._thread is not None:
            self._thread.join(timeout)
            self._thread = None

    def wake(self) -> None:
        """Look at the outbox now (call right after an enqueue); ends a pause for failures."""
        self._pause_until = 0.0
        self._wake.set()

    # -- the loop ----------------------------------------------------------------------------

    def _run(self) -> None:
        while not self._stop.is_set():
            try:
                wait = self.run_once()
            except Exception:  # keep delivering whatever one bad row or call does
                log.exception("outbox sender: unexpected error")
                wait = self.idle_poll_s
                try:  # rows this thread had in flight go back to pending, to be sent again
                    self.outbox.recover()
                except Exception:
                    log.exception("outbox sender: cannot return in-flight rows")
            self._wake.wait(wait)
            self._wake.clear()

    def run_once(self) -> float:
        """Deliver what is due now; return how long to sleep before looking again."""
        self._check_overdue()
        paused = self._pause_until - time.monotonic()
        if paused > 0:
            return paused
        while not self._stop.is_set():
            due = self.outbox.claim_due(self.batch)
            if due:
                for index, case in enumerate(due):
                    if self._stop.is_set():
                        self._release(due[index:])
                        return 0.0
                    if not self._deliver(case.case_number, case.attempts, case.submission):
                        self._release(due[index + 1:])
                        return max(0.0, self._pause_until - time.monotonic())
                continue
            page = self.outbox.pages.due()  # one at a time: cases due meanwhile go first
            if page is None:
                break
            if not self._deliver_page(page):
                return max(0.0, self._pause_until - time.monotonic())
        next_due = self.outbox.next_due_in()
        return self.idle_poll_s if next_due is None else min(next_due, self.idle_poll_s)

    def _release(self, cases: list[OutgoingCase]) -> None:
        for case in cases:
            self.outbox.release(case.case_number)
        if cases:
            self._changed()

    def _deliver(self, case_number: str, attempts: int, submission: CaseSubmission) -> bool:
        """Send one case; return False when the centre cannot be reached (stop the batch)."""
        try:
            self.client.submit(submission)
        except CentreError as err:
            self.last_error = err
            if err.retryable:
                delay = self.backoff.delay(attempts, self._rng)
                self.outbox.mark_retry(case_number, delay, err.detail or type(err).__name__)
                self._pause_until = time.monotonic() + delay
                log.warning("outbox: case %s not delivered (%s); retry in %.1f s",
                            case_number, type(err).__name__, delay)
                self._changed()
                return False
            self.outbox.mark_failed(case_number, err.detail or type(err).__name__)
            log.error("outbox: the centre refused case %s: %s", case_number, err.detail)
            self._changed()
            return True
        self.last_error = None
        self.outbox.mark_sent(case_number)
        self._changed()
        return True

    def _deliver_page(self, outgoing: OutgoingPage) -> bool:
        """Send one page; return False when the centre cannot be reached (pause)."""
        case_number, number = outgoing.case_number, outgoing.number
        pages = self.outbox.pages
        try:
            self.client.send_page(case_number, number, outgoing.page)
        except CentreError as err:
            delay = self.backoff.delay(outgoing.attempts, self._rng)
            if isinstance(err, CentreRejected) and err.status_code == 404:  # the case is not there yet
                pages.mark_retry(case_number, number, delay, err.detail or "HTTP 404")
                log.warning("outbox: page %d of case %s: the centre has no such case yet; retry in %.1f s",
                            number, case_number, delay)
                self._changed()
                return True  # the centre answered: the link is fine (``last_error`` stays)
            self.last_error = err
            if err.retryable:
                pages.mark_retry(case_number, number, delay, err.detail or type(err).__name__)
                self._pause_until = time.monotonic() + delay
                log.warning("outbox: page %d of case %s not delivered (%s); retry in %.1f s",
                            number, case_number, type(err).__name__, delay)
                self._changed()
                return False
            pages.mark_failed(case_number, number, err.detail or type(err).__name__)
            log.error("outbox: the centre refused page %d of case %s (%s)", number, case_number,
                      type(err).__name__)
            self._changed()
            return True
        self.last_error = None
        pages.mark_sent(case_number, number)
        self._changed()
        return True

    def _check_overdue(self) -> None:
        now = time.monotonic()
        if now - self._last_alert < self.alert_every_s:
            return
        late = self.outbox.overdue(self.alert_after_s)
        if not late:
            return
        self._last_alert = now
        oldest = max(self.outbox.now() - e.created_at for e in late)
        alert = OverdueAlert(len(late), oldest, tuple(late))
        log.warning("outbox: %d case(s) unsent for over %.0f s (oldest %.0f s)",
                    alert.count, self.alert_after_s, alert.oldest_age_s)
        if self.on_alert is not None:
            self.on_alert(alert)

    def _changed(self) -> None:
        if self.on_change is not None:
            try:
                self.on_change()
            except Exception:
                log.exception("outbox sender: on_change failed")
