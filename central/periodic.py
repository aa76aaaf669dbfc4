"""``Periodic``: one piece of the centre's background work, run every so often on a thread.

A round that fails is logged and the next one tries again: a database pause must not end
the heartbeat flusher, the alert watch or the command list for the life of the process. The
database out of reach is an expected pause, logged as a warning; anything else is an error.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable

from sqlalchemy.exc import OperationalError

log = logging.getLogger(__name__)


class Periodic:
    """Calls ``work`` every ``every_s`` seconds on a daemon thread named ``name``."""

    def __init__(self, name: str, every_s: float, work: Callable[[], object]) -> None:
        self.name, self.every_s, self.work = name, every_s, work
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None

    def start(self) -> None:
        if self._thread is None:
            self._thread = threading.Thread(target=self._run, name=self.name, daemon=True)
            self._thread.start()

    def stop(self, timeout: float = 30.0) -> None:
        """Stop after the round in progress, if any."""
        self._stop.set()
        if self._thread is not None:
            self._thread.join(timeout)
            self._thread = None

    def _run(self) -> None:
        while not self._stop.wait(self.every_s):
            try:
                self.work()
            except OperationalError as err:  # the database is away a moment (a restart, a failover)
                log.warning("%s: round skipped, the database is unreachable (%s); retrying",
                            self.name, type(err.orig).__name__)
            except Exception:
                log.exception("%s: round failed; retrying", self.name)
