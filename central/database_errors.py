"""The database is down or restarting: answer 503 with Retry-After, log one line, no traceback.

Kiosks retry 503 with back-off and lose nothing (their outbox keeps the case), so a
PostgreSQL restart is a pause, not an error. The log names the error's class only: a driver's
message may quote a statement or its parameters. Repeats within a window are counted, not
logged each time, so a long outage cannot flood the log.
"""

from __future__ import annotations

import logging
import threading
import time

from fastapi import FastAPI, Request
from fastapi.responses import JSONResponse
from sqlalchemy.exc import DisconnectionError, InterfaceError, OperationalError
from sqlalchemy.exc import TimeoutError as PoolTimeout

log = logging.getLogger(__name__)

RETRY_AFTER_S = 2
LOG_EVERY_S = 30.0  # at most one line per window while the database stays away


class _Quiet:
    """Counts repeated outages between log lines."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._last = 0.0
        self._skipped = 0

    def report(self, error: BaseException) -> None:
        now = time.monotonic()
        with self._lock:
            if now - self._last < LOG_EVERY_S:
                self._skipped += 1
                return
            skipped, self._skipped, self._last = self._skipped, 0, now
        more = f" ({skipped} more since the last line)" if skipped else ""
        log.warning("database unavailable (%s): answering 503%s", type(error).__name__, more)


def install_database_error_handlers(app: FastAPI) -> None:
    """Answer 503 instead of 500 while the database cannot be reached."""
    quiet = _Quiet()

    async def unavailable(_request: Request, error: Exception) -> JSONResponse:
        quiet.report(error)
        return JSONResponse(
            {"detail": "the database is unavailable; try again shortly"},
            status_code=503,
            headers={"Retry-After": str(RETRY_AFTER_S)},
        )

    # The driver's operational errors (server gone, connection refused or reset, SQLite busy,
    # a deadlock) pass when retried; integrity and programming errors stay 500s with a trace.
    for kind in (OperationalError, InterfaceError, DisconnectionError, PoolTimeout):
        app.add_exception_handler(kind, unavailable)
