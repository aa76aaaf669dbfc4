"""Nightly housekeeping of the kiosk's own files: a kiosk nobody visits must not fill its disk.

Once a night (the first beat between ``QUIET_FROM`` and ``QUIET_UNTIL`` local time, at most
once every ``MIN_GAP_S``), the outbox forgets acknowledged cases older than ``KEEP_SENT_DAYS``
and checkpoints and compacts its file (``Outbox.tidy``). It runs on the heartbeat thread,
never the UI's; a failure is logged and tried again the next night.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from datetime import datetime

from kiosk.delivery.outbox import Outbox

log = logging.getLogger(__name__)

KEEP_SENT_DAYS = 30
QUIET_FROM, QUIET_UNTIL = 2, 5  # local hours: before the earliest site opens
MIN_GAP_S = 20 * 3600


class Housekeeping:
    def __init__(self, outbox: Outbox, *, now: Callable[[], datetime] = lambda: datetime.now().astimezone(),
                 clock: Callable[[], float] = time.monotonic, keep_sent_days: float = KEEP_SENT_DAYS) -> None:
        self.outbox = outbox
        self.now = now
        self.clock = clock
        self.keep_sent_s = keep_sent_days * 86400
        self._last_run: float | None = None

    def due(self) -> bool:
        """Whether tonight's round is due: in the quiet hours and not done in the last 20 h."""
        if not QUIET_FROM <= self.now().hour < QUIET_UNTIL:
            return False
        return self._last_run is None or self.clock() - self._last_run >= MIN_GAP_S

    def run_if_due(self) -> int | None:
        """Run the round if it is due; return the outbox rows forgotten (None: not run)."""
        if not self.due():
            return None
        self._last_run = self.clock()
        try:
            forgotten = self.outbox.tidy(self.keep_sent_s)
        except Exception:  # the beat must go on; tomorrow night tries again
            log.exception("housekeeping: the outbox could not be tidied")
            return None
        log.info("housekeeping: %d acknowledged cases forgotten, outbox compacted", forgotten)
        return forgotten
