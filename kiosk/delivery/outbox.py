"""The outbox: every case, durably on disk, from the moment it is submitted until the centre
acknowledges it.

An explicit state machine in one SQLite table (write-ahead log, ``synchronous=FULL``, so a
committed row survives a power cut)::

    enqueue ──▶ pending ──claim_due──▶ in_flight ──mark_sent──▶ sent   (payload deleted)
                   ▲                      │
                   └──── mark_retry ──────┤          (attempts + 1, next attempt later)
                   └──── recover() ───────┘          (at start-up: the process died mid-send)
                                          └──mark_failed──▶ failed  (the centre refused it;
                                          │                          a technician retries)
                                          └──(unreadable)──▶ quarantined  (decrypts but does
                                                              not validate, even upgraded)

The payload (the whole ``CaseSubmission``, with personal data) is encrypted with AES-GCM under
a 256-bit key kept in a file outside the repository (``outbox.key_file`` in the kiosk config);
the case number and idempotency key are its associated data, so a payload cannot be moved to
another row. Once the centre acknowledges a case the payload is erased (``secure_delete``);
the case number, state and times remain for the technician's queue view.

Payloads are versioned (``payload_version``, ``PAYLOAD_VERSION`` now): an older payload is
upgraded on read (``outbox_format``); one that still does not validate is quarantined, kept
encrypted for a technician, and never stops the cases behind it. Its error names only field
paths, never values. The file carries its schema version (``PRAGMA user_version``): a newer
kiosk migrates an older file forward; an older kiosk refuses a newer file rather than
corrupt it.

The file, its ``-wal``/``-shm`` (SQLite gives them the file's mode) and the key file are
mode 0600, in folders the outbox makes 0700 (``private_file``).

The pages the document camera took for a case (``contract.captured_pages``) are stored with it,
encrypted the same way, in the same transaction, and follow it to the centre once it is sent
(``outbox_pages``, ``Outbox.pages``).

Before accepting a case the outbox checks that the disk has room to spare, its pages counted:
a nearly full disk refuses new cases with ``OutboxFull`` and loses nothing already stored.
"""

from __future__ import annotations

import enum
import logging
import os
import shutil
import sqlite3
import threading
import time
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM

from contract.captured_pages import CapturedPage
from contract.wire import CaseSubmission
from kiosk.delivery.outbox_format import PAYLOAD_VERSION, SCHEMA_VERSION, migrate, readable
from kiosk.delivery.outbox_pages import OutboxPages
from kiosk.delivery.private_files import KEY_BYTES, private_file
from kiosk.errors import OutboxError, OutboxFull
from kiosk.messages import MessageId

log = logging.getLogger(__name__)

NONCE_BYTES = 12
DEFAULT_MIN_FREE_BYTES = 20 * 1024 * 1024

Clock = Callable[[], float]


class OutboxState(enum.StrEnum):
    PENDING = "pending"
    IN_FLIGHT = "in_flight"
    SENT = "sent"
    FAILED = "failed"
    QUARANTINED = "quarantined"


@dataclass(frozen=True)
class OutboxStats:
    pending: int
    in_flight: int
    sent: int
    failed: int
    oldest_pending_age_s: float | None  # oldest unsent (pending or in flight) case's age
    quarantined: int = 0  # unreadable rows kept for a technician
    pages_waiting: int = 0  # document pages not at the centre yet (their case unsent, or retrying)
    pages_failed: int = 0  # pages the centre refused, or unreadable: kept for a technician

    @property
    def unsent(self) -> int:
        """Cases not at the centre (pages are counted on their own)."""
        return self.pending + self.in_flight + self.failed + self.quarantined


@dataclass(frozen=True)
class OutgoingCase:
    """A claimed row, decrypted, ready to send."""

    case_number: str
    attempts: int
    submission: CaseSubmission


@dataclass(frozen=True)
class OutboxEntry:
    """A row as the technician's queue view shows it: no personal data."""

    case_number: str
    state: OutboxState
    attempts: int
    created_at: float
    next_attempt_at: float
    sent_at: float | None
    last_error: str


class Outbox:
    """The kiosk's durable queue of cases for the centre. Safe to share between threads."""

    def __init__(
        self,
        path: Path,
        key: bytes,
        clock: Clock = time.time,
        *,
        min_free_bytes: int = DEFAULT_MIN_FREE_BYTES,
    ) -> None:
        if len(key) != KEY_BYTES:
            raise ValueError("the outbox key must be 32 bytes")
        self.path = Path(path)
        self._aead = AESGCM(key)
        self._clock = clock
        self.min_free_bytes = min_free_bytes
        self._lock = threading.Lock()
        private_file(self.path)
        self._db = sqlite3.connect(self.path, isolation_level=None, check_same_thread=False,
                                   timeout=30)
        self._db.execute("PRAGMA journal_mode=WAL")
        self._db.execute("PRAGMA synchronous=FULL")
        self._db.execute("PRAGMA secure_delete=ON")
        self._migrate()
        self.pages = OutboxPages(self._db, self._lock, self._aead, clock, self._transaction)
        self.recovered = self.recover()  # in-flight rows the last process left behind

    def _migrate(self) -> None:
        """Bring the file to ``SCHEMA_VERSION``; refuse a file written by a newer kiosk (and
        leave it untouched: the newer kiosk, or a technician, still finds every case in it)."""
        version = self._db.execute("PRAGMA user_version").fetchone()[0]
        if version > SCHEMA_VERSION:
            self._db.close()
            raise OutboxError(
                MessageId.OUTBOX_FAULT,
                detail=f"{self.path}: outbox schema {version} is newer than this kiosk's {SCHEMA_VERSION}",
            )
        if version == SCHEMA_VERSION:
            return
        with self._transaction():
            migrate(self._db, version)
            self._db.execute(f"PRAGMA user_version = {SCHEMA_VERSION}")

    def now(self) -> float:
        """The outbox's clock: wall-clock seconds since the epoch."""
        return self._clock()

    def close(self) -> None:
        with self._lock:
            self._db.close()

    # -- intake ------------------------------------------------------------------------------

    def enqueue(self, submission: CaseSubmission) -> None:
        """Store the case durably; on return it survives a crash or a power cut.

        Enqueueing the same case again (same idempotency key) is a no-op. Raises ``OutboxFull``
        when the disk is too full to take it, and ``OutboxError`` when the case number is
        already taken by another case.
        """
        self.enqueue_all([submission])

    def enqueue_all(self, submissions: Sequence[CaseSubmission],
                    pages: Mapping[str, Sequence[CapturedPage]] | None = None) -> None:
        """Store several cases (a bundle's) and their pages (by case number, numbered from 1 in
        the order given) in one transaction: all of them or none. A case already held is
        left as it is, with its pages; pages of a case not in ``submissions`` are a
        ``ValueError``."""
        rows = []
        for submission in submissions:
            plaintext = submission.model_dump_json().encode("utf-8")
            nonce = os.urandom(NONCE_BYTES)
            aad = _aad(submission.case_number, submission.idempotency_key)
            rows.append((submission, nonce + self._aead.encrypt(nonce, plaintext, aad)))
        sealed = self.pages.seal(pages or {}, {submission.case_number for submission in submissions})
        # The write-ahead log holds what is written, then the file again at the checkpoint.
        self._check_free_space(2 * (sum(len(blob) for _, blob in rows) + sum(len(p.blob) for p in sealed)))
        now = self._clock()
        try:
            with self._lock, self._transaction():
                for submission, blob in rows:
                    held = self._db.execute(
                        "SELECT idempotency_key FROM outbox WHERE case_number = ?"
                        " OR idempotency_key = ?",
                        (submission.case_number, submission.idempotency_key),
                    ).fetchone()
                    if held is not None:
                        if held[0] == submission.idempotency_key:
                            continue
                        raise OutboxError(MessageId.DUPLICATE_CASE_NUMBER, detail="case number already in the outbox")
                    self._db.execute(
                        "INSERT INTO outbox (case_number, idempotency_key, state, payload, payload_version,"
                        " attempts, created_at, next_attempt_at, updated_at) VALUES (?, ?, ?, ?, ?, 0, ?, ?, ?)",
                        (submission.case_number, submission.idempotency_key,
                         OutboxState.PENDING.value, blob, PAYLOAD_VERSION, now, now, now),
                    )
                    OutboxPages.insert(self._db, [p for p in sealed if p.case_number == submission.case_number], now)
        except sqlite3.OperationalError as err:
            if _is_disk_full(err):
                raise OutboxFull() from err
            raise OutboxError(MessageId.OUTBOX_FAULT, detail=f"sqlite: {err}") from err

    def has_room(self) -> bool:
        """True when the disk has room to spare for another case."""
        try:
            return shutil.disk_usage(self.path.parent).free >= self.min_free_bytes
        except OSError:
            return False

    def _check_free_space(self, incoming: int) -> None:
        """Refuse when writing ``incoming`` bytes would leave less than ``min_free_bytes``."""
        try:
            free = shutil.disk_usage(self.path.parent).free
        except OSError as err:
            raise OutboxFull() from err
        if free - incoming < self.min_free_bytes:
            raise OutboxFull()

    # -- the sender's side -------------------------------------------------------------------

    def claim_due(self, limit: int = 10) -> list[OutgoingCase]:
        """Move up to ``limit`` due pending rows to in flight and return them decrypted."""
        now = self._clock()
        with self._lock, self._transaction():
            rows = self._db.execute(
                "SELECT case_number, idempotency_key, attempts, payload, payload_version FROM outbox"
                " WHERE state = 'pending' AND next_attempt_at <= ?"
                " ORDER BY next_attempt_at, created_at LIMIT ?",
                (now, limit),
            ).fetchall()
            self._db.executemany(
                "UPDATE outbox SET state = 'in_flight', updated_at = ? WHERE case_number = ?",
                [(now, row[0]) for row in rows],
            )
        claimed = []
        for case_number, key, attempts, blob, payload_version in rows:
            nonce, ciphertext = blob[:NONCE_BYTES], blob[NONCE_BYTES:]
            try:
                plaintext = self._aead.decrypt(nonce, ciphertext, _aad(case_number, key))
            except InvalidTag:  # another key file, or a damaged row: a technician's matter (retry once mended)
                self.mark_failed(case_number, "cannot decrypt: wrong key file or damaged row")
                continue
            try:
                submission = readable(payload_version, plaintext)
            except ValueError as err:  # kept encrypted for a technician; the rest go on
                self.quarantine(case_number, str(err))
                continue
            claimed.append(OutgoingCase(case_number, attempts, submission))
        return claimed

    def quarantine(self, case_number: str, reason: str) -> None:
        """Set an in-flight row aside, encrypted: it cannot be read as a case (``reason`` has no values)."""
        log.warning("case %s quarantined in the outbox: %s", case_number, reason)
        self._update(
            "UPDATE outbox SET state = 'quarantined', updated_at = ?, last_error = ?"
            " WHERE case_number = ? AND state = 'in_flight'",
            (self._clock(), reason[:500], case_number),
        )

    def mark_sent(self, case_number: str) -> None:
        """The centre acknowledged the case: mark it sent and erase its payload."""
        now = self._clock()
        self._update(
            "UPDATE outbox SET state = 'sent', payload = NULL, sent_at = ?, updated_at = ?,"
            " last_error = '' WHERE case_number = ? AND state != 'sent'",
            (now, now, case_number),
        )

    def mark_retry(self, case_number: str, delay_s: float, error: str = "") -> None:
        """Sending failed for a reason that may pass: try again after ``delay_s``."""
        now = self._clock()
        self._update(
            "UPDATE outbox SET state = 'pending', attempts = attempts + 1, next_attempt_at = ?,"
            " updated_at = ?, last_error = ? WHERE case_number = ? AND state = 'in_flight'",
            (now + delay_s, now, error[:500], case_number),
        )

    def release(self, case_number: str) -> None:
        """Return an unsent in-flight row to pending as it was (no attempt was made)."""
        self._update(
            "UPDATE outbox SET state = 'pending', updated_at = ?"
            " WHERE case_number = ? AND state = 'in_flight'",
            (self._clock(), case_number),
        )

    def mark_failed(self, case_number: str, error: str) -> None:
        """The centre refused the case: keep it (encrypted) for a technician to look at."""
        now = self._clock()
        self._update(
            "UPDATE outbox SET state = 'failed', attempts = attempts + 1, updated_at = ?,"
            " last_error = ? WHERE case_number = ? AND state = 'in_flight'",
            (now, error[:500], case_number),
        )

    def tidy(self, keep_sent_s: float) -> int:
        """Forget acknowledged cases and document pages older than ``keep_sent_s`` (their
        payload is long gone), fold the write-ahead log back into the file, and give freed
        pages back to the disk when a quarter of the file is free. Unsent, failed and
        quarantined rows are never touched. Returns the cases forgotten."""
        with self._lock:
            cutoff = self._clock() - keep_sent_s
            deleted = self._db.execute("DELETE FROM outbox WHERE state = 'sent' AND sent_at < ?", (cutoff,)).rowcount
            OutboxPages.forget_sent(self._db, cutoff)
            self._db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
            free = self._db.execute("PRAGMA freelist_count").fetchone()[0]
            pages = self._db.execute("PRAGMA page_count").fetchone()[0]
            if pages and free * 4 >= pages:
                self._db.execute("VACUUM")
                self._db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        return int(deleted)

    def retry_failed(self) -> int:
        """Return every failed case and page to pending, due now (the technician's "force
        send"); return how many rows."""
        now = self._clock()
        with self._lock, self._transaction():
            cursor = self._db.execute(
                "UPDATE outbox SET state = 'pending', next_attempt_at = ?, updated_at = ?"
                " WHERE state = 'failed'",
                (now, now),
            )
            pages = OutboxPages.retry_failed(self._db, now)
        return cursor.rowcount + pages

    def recover(self) -> int:
        """Return in-flight rows to pending (at start-up: the last process died mid-send)."""
        now = self._clock()
        with self._lock, self._transaction():
            cursor = self._db.execute(
                "UPDATE outbox SET state = 'pending', updated_at = ? WHERE state = 'in_flight'",
                (now,),
            )
        return cursor.rowcount

    def next_due_in(self) -> float | None:
        """Seconds until the next pending case, or page of a sent case, is due (0 if one is due
        now); None if none."""
        with self._lock:
            row = self._db.execute(
                "SELECT MIN(next_attempt_at) FROM outbox WHERE state = 'pending'"
            ).fetchone()
        cases = None if row[0] is None else max(0.0, row[0] - self._clock())
        pages = self.pages.next_due_in()
        return min((wait for wait in (cases, pages) if wait is not None), default=None)

    # -- views -------------------------------------------------------------------------------

    def stats(self) -> OutboxStats:
        """Count cases and pages by state and give the age of the oldest unsent case."""
        with self._lock:
            counts = dict(
                self._db.execute("SELECT state, COUNT(*) FROM outbox GROUP BY state").fetchall()
            )
            oldest = self._db.execute(
                "SELECT MIN(created_at) FROM outbox WHERE state IN ('pending', 'in_flight')"
            ).fetchone()[0]
        pages = self.pages.counts()
        return OutboxStats(
            pending=counts.get("pending", 0),
            in_flight=counts.get("in_flight", 0),
            sent=counts.get("sent", 0),
            failed=counts.get("failed", 0),
            quarantined=counts.get("quarantined", 0),
            oldest_pending_age_s=None if oldest is None else max(0.0, self._clock() - oldest),
            pages_waiting=pages.waiting,
            pages_failed=pages.failed,
        )

    def state_of(self, case_number: str) -> str | None:
        """Return the case's outbox state, or None if the outbox never held it."""
        with self._lock:
            row = self._db.execute(
                "SELECT state FROM outbox WHERE case_number = ?", (case_number,)
            ).fetchone()
        return None if row is None else str(row[0])

    def highest_case_number(self, prefix: str) -> str | None:
        """Return the highest case number held (in any state) that starts with ``prefix``
        (a day and terminal number: ``YYYYMMDD`` + ``NNN``), or None."""
        with self._lock:
            row = self._db.execute(
                "SELECT MAX(case_number) FROM outbox WHERE case_number >= ? AND case_number < ?",
                (prefix, prefix + ":"),  # ':' sorts just after '9'
            ).fetchone()
        return None if row is None or row[0] is None else str(row[0])

    def overdue(self, older_than_s: float) -> list[OutboxEntry]:
        """Return unsent cases (pending, in flight or failed) older than ``older_than_s``."""
        now = self._clock()
        return [
            e for e in self.entries(unsent_only=True)
            if now - e.created_at > older_than_s
        ]

    def entries(self, *, unsent_only: bool = False, limit: int = 1000) -> list[OutboxEntry]:
        """List rows, oldest first, without payloads: the technician's queue view."""
        where = "WHERE state != 'sent'" if unsent_only else ""
        with self._lock:
            rows = self._db.execute(
                "SELECT case_number, state, attempts, created_at, next_attempt_at, sent_at,"
                f" last_error FROM outbox {where} ORDER BY created_at LIMIT ?",
                (limit,),
            ).fetchall()
        return [
            OutboxEntry(r[0], OutboxState(r[1]), r[2], r[3], r[4], r[5], r[6]) for r in rows
        ]

    # -- plumbing ----------------------------------------------------------------------------

    def _update(self, sql: str, params: tuple[object, ...]) -> None:
        with self._lock, self._transaction():
            self._db.execute(sql, params)

    def _transaction(self) -> _Transaction:
        return _Transaction(self._db)


class _Transaction:
    """``BEGIN IMMEDIATE`` ... ``COMMIT`` (or ``ROLLBACK`` on an exception)."""

    def __init__(self, db: sqlite3.Connection) -> None:
        self._db = db

    def __enter__(self) -> None:
        self._db.execute("BEGIN IMMEDIATE")

    def __exit__(self, exc_type: object, exc: object, tb: object) -> None:
        if exc_type is None:
            try:
                self._db.execute("COMMIT")
            except sqlite3.Error:
                if self._db.in_transaction:
                    self._db.execute("ROLLBACK")
                raise
        elif self._db.in_transaction:
            self._db.execute("ROLLBACK")


def _aad(case_number: str, idempotency_key: str) -> bytes:
    return f"{case_number}\x00{idempotency_key}".encode()


def _is_disk_full(err: sqlite3.OperationalError) -> bool:
    code = getattr(err, "sqlite_errorcode", None)
    return code == sqlite3.SQLITE_FULL or "full" in str(err).lower()
