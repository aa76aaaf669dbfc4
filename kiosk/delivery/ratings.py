"""Ratings (好差评) on their way to the centre: kept on disk, sent once their case is there.

One rating per case. The centre takes a rating only for a case it holds, so a rating waits
until the outbox has delivered its case, then goes out; a failure that may pass is retried
with the sender's backoff, across restarts (SQLite, WAL, full sync). A rating holds no
personal data: the case number, the level and the reasons a resident tapped.

    record ──▶ pending ──(case at the centre, posted)──▶ sent
                  │ └──(centre down)──▶ pending, later
                  └──(refused: 4xx)──▶ failed
"""

from __future__ import annotations

import json
import logging
import random
import sqlite3
import threading
import time
from collections.abc import Callable
from pathlib import Path

from contract.wire import Rating, RatingLevel
from kiosk.delivery.centre_client import CentreClient
from kiosk.delivery.private_files import private_file
from kiosk.delivery.sender import Backoff
from kiosk.errors import CentreError

log = logging.getLogger(__name__)

LEVELS = tuple(RatingLevel)  # 1 = 非常满意 … 5 = 非常不满意, as the session numbers them
WAITING_FOR_CASE_S = 5.0  # look again this soon when the case itself is not yet delivered

SCHEMA = """
CREATE TABLE IF NOT EXISTS ratings (
    case_number     TEXT PRIMARY KEY,
    level           INTEGER NOT NULL CHECK (level BETWEEN 1 AND 5),
    reasons         TEXT NOT NULL,      -- JSON list of the reasons tapped
    state           TEXT NOT NULL CHECK (state IN ('pending', 'sent', 'failed')),
    attempts        INTEGER NOT NULL DEFAULT 0,
    next_attempt_at REAL NOT NULL,
    created_at      REAL NOT NULL
);
"""


class RatingQueue:
    """Durable ratings and the thread that delivers them."""

    def __init__(
        self,
        path: Path,
        client: CentreClient,
        case_delivered: Callable[[str], bool],
        backoff: Backoff | None = None,
        clock: Callable[[], float] = time.time,
    ) -> None:
        self.client = client
        self.clock = clock  # wall-clock seconds; tests move it
        self.case_delivered = case_delivered
        self.backoff = backoff or Backoff()
        self._rng = random.Random()
        self._lock = threading.Lock()
        private_file(Path(path))
        self._db = sqlite3.connect(path, isolation_level=None, check_same_thread=False, timeout=30)
        self._db.execute("PRAGMA journal_mode=WAL")
        self._db.execute("PRAGMA synchronous=FULL")
        self._db.executescript(SCHEMA)
        self._wake = threading.Event()
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, name="ratings", daemon=True)

    def start(self) -> None:
        self._thread.start()

    def stop(self, timeout: float = 5.0) -> None:
        self._stop.set()
        self._wake.set()
        if self._thread.is_alive():
            self._thread.join(timeout)
        with self._lock:
            self._db.close()

    def record(self, case_number: str, level: int, reasons: tuple[str, ...]) -> None:
        """Keep the rating (durable on return); a second rating of the same case is ignored."""
        now = self.clock()
        with self._lock:
            self._db.execute(
                "INSERT OR IGNORE INTO ratings (case_number, level, reasons, state, next_attempt_at, created_at)"
                " VALUES (?, ?, ?, 'pending', ?, ?)",
                (case_number, level, json.dumps(list(reasons), ensure_ascii=False), now, now),
            )
        self._wake.set()

    def state_of(self, case_number: str) -> str | None:
        with self._lock:
            row = self._db.execute("SELECT state FROM ratings WHERE case_number = ?", (case_number,)).fetchone()
        return None if row is None else str(row[0])

    def deliver_due(self) -> float:
        """Send every rating that is due; return how long to sleep before looking again."""
        with self._lock:
            due = self._db.execute(
                "SELECT case_number, level, reasons, attempts FROM ratings"
                " WHERE state = 'pending' AND next_attempt_at <= ? ORDER BY created_at",
                (self.clock(),),
            ).fetchall()
        for case_number, level, reasons, attempts in due:
            if self._stop.is_set():
                break
            if not self.case_delivered(case_number):
                self._later(case_number, WAITING_FOR_CASE_S, attempts)
                continue
            rating = Rating(level=LEVELS[level - 1], reasons=json.loads(reasons))
            try:
                self.client.rate(case_number, rating)
            except CentreError as err:
                if err.retryable:
                    self._later(case_number, self.backoff.delay(attempts, self._rng), attempts + 1)
                    return self.backoff.delay(attempts, self._rng)
                log.error("the centre refused the rating of case %s: %s", case_number, type(err).__name__)
                self._set_state(case_number, "failed")
                continue
            self._set_state(case_number, "sent")
            log.info("rating of case %s delivered", case_number)
        with self._lock:
            row = self._db.execute("SELECT min(next_attempt_at) FROM ratings WHERE state = 'pending'").fetchone()
        return 30.0 if row[0] is None else max(0.0, min(30.0, row[0] - self.clock()))

    def _later(self, case_number: str, delay: float, attempts: int) -> None:
        with self._lock:
            self._db.execute(
                "UPDATE ratings SET next_attempt_at = ?, attempts = ? WHERE case_number = ?",
                (self.clock() + delay, attempts, case_number),
            )

    def _set_state(self, case_number: str, state: str) -> None:
        with self._lock:
            self._db.execute("UPDATE ratings SET state = ? WHERE case_number = ?", (state, case_number))

    def _run(self) -> None:
        while not self._stop.is_set():
            try:
                wait = self.deliver_due()
            except Exception:  # a bad row must not stop the deliveries
                log.exception("ratings: unexpected error")
                wait = 30.0
            self._wake.wait(wait)
            self._wake.clear()
