"""The outbox's pages: what the document camera took (高拍仪) for a case, kept encrypted on
disk with it until the centre has each page (``contract.captured_pages``).

A state machine of its own in ``outbox_pages`` (``outbox_format``), beside the cases'::

    enqueue (with its case, one transaction) ──▶ pending ──mark_sent──▶ sent  (payload erased)
                         ▲                         │
                         └──── mark_retry ─────────┤   (no answer, 5xx, 404: the case is not
                                                   │    there yet; attempts + 1, later)
                                                   └──mark_failed──▶ failed  (refused, or
                                                                     unreadable: kept encrypted;
                                                                     a technician retries)

A page is due once its case is sent (its case's row says ``sent``, or was tidied away after
being sent), oldest first; a page waiting never holds up a case. It is never in flight: the
centre's ``PUT`` of a page is idempotent, so a page sent twice (the kiosk died before
``mark_sent``) is still stored once.

Each page is encrypted with the outbox's key (AES-GCM); its associated data is the case number
and page number, so a blob cannot be moved to another case or another place in one. The
plaintext is the material's name (UTF-8, which on the wire holds no NUL), a NUL, then the JPEG:
the name says what a resident brought (残疾证), so it is kept as secret as the picture.
Pages are numbered from 1 within their case, in the order given.
"""

from __future__ import annotations

import logging
import os
import sqlite3
import threading
from collections.abc import Callable, Mapping, Sequence
from contextlib import AbstractContextManager
from dataclasses import dataclass

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from pydantic import ValidationError

from contract.captured_pages import PAGES_MAX, CapturedPage

log = logging.getLogger(__name__)

NONCE_BYTES = 12
# A page of a case that is sent (or was, and was tidied away): one the sender may deliver.
_SENDABLE = ("p.state = 'pending' AND NOT EXISTS (SELECT 1 FROM outbox c"
             " WHERE c.case_number = p.case_number AND c.state != 'sent')")


@dataclass(frozen=True)
class SealedPage:
    """A page encrypted for its row, before the transaction that stores it."""

    case_number: str
    number: int
    blob: bytes


@dataclass(frozen=True)
class OutgoingPage:
    """A due page, decrypted, ready to send."""

    case_number: str
    number: int
    attempts: int
    page: CapturedPage


@dataclass(frozen=True)
class PageCounts:
    """Pages by state: what a technician needs to know of them (never what they show)."""

    waiting: int = 0  # pending: their case unsent yet, or due, or waiting to retry
    failed: int = 0  # refused by the centre, or unreadable: kept encrypted for a technician
    sent: int = 0  # acknowledged; payload erased


class OutboxPages:
    """The pages of one ``Outbox``: its connection, lock, key, clock and transactions."""

    def __init__(self, db: sqlite3.Connection, lock: threading.Lock, aead: AESGCM,
                 clock: Callable[[], float], transaction: Callable[[], AbstractContextManager[None]]) -> None:
        self._db = db
        self._lock = lock
        self._aead = aead
        self._clock = clock
        self._transaction = transaction

    # -- intake (inside the outbox's transaction) ------------------------------------------

    def seal(self, pages: Mapping[str, Sequence[CapturedPage]], case_numbers: set[str]) -> list[SealedPage]:
        """Encrypt each case's pages, numbered from 1; refuse pages of a case not enqueued with
        them, or more than ``PAGES_MAX`` of one case (``ValueError``: a caller's mistake)."""
        sealed = []
        for case_number, of_case in pages.items():
            if case_number not in case_numbers:
                raise ValueError(f"pages given for case {case_number}, which is not being enqueued")
            if len(of_case) > PAGES_MAX:
                raise ValueError(f"case {case_number} has {len(of_case)} pages; at most {PAGES_MAX}")
            for number, page in enumerate(of_case, start=1):
                nonce = os.urandom(NONCE_BYTES)
                plaintext = page.material.encode("utf-8") + b"\x00" + page.jpeg
                sealed.append(SealedPage(case_number, number,
                                         nonce + self._aead.encrypt(nonce, plaintext, _aad(case_number, number))))
        return sealed

    @staticmethod
    def insert(db: sqlite3.Connection, sealed: Sequence[SealedPage], now: float) -> None:
        """Store sealed pages as pending; the caller holds the lock and the transaction."""
        db.executemany(
            "INSERT INTO outbox_pages (case_number, number, state, payload, size, attempts, created_at,"
            " next_attempt_at, updated_at) VALUES (?, ?, 'pending', ?, ?, 0, ?, ?, ?)",
            [(p.case_number, p.number, p.blob, len(p.blob), now, now, now) for p in sealed],
        )

    # -- the sender's side -------------------------------------------------------------------

    def due(self) -> OutgoingPage | None:
        """The oldest due page of a sent case, decrypted; None when none is due. A page that
        cannot be decrypted or read is marked failed (no values in the reason) and skipped."""
        while True:
            with self._lock:
                row = self._db.execute(
                    "SELECT p.case_number, p.number, p.attempts, p.payload FROM outbox_pages p"
                    f" WHERE {_SENDABLE} AND p.next_attempt_at <= ?"
                    " ORDER BY p.next_attempt_at, p.created_at, p.case_number, p.number LIMIT 1",
                    (self._clock(),),
                ).fetchone()
            if row is None:
                return None
            case_number, number, attempts, blob = row
            try:
                plaintext = self._aead.decrypt(blob[:NONCE_BYTES], blob[NONCE_BYTES:], _aad(case_number, number))
            except InvalidTag:
                self._set_aside(case_number, number, "cannot decrypt: wrong key file or damaged row")
                continue
            material, nul, jpeg = plaintext.partition(b"\x00")
            try:
                if not nul:
                    raise ValueError("no material name")
                page = CapturedPage(material=material.decode("utf-8"), jpeg=jpeg)
            except (ValueError, ValidationError) as err:  # ValidationError names no values here
                self._set_aside(case_number, number, f"page is not readable ({type(err).__name__})")
                continue
            return OutgoingPage(case_number, number, attempts, page)

    def next_due_in(self) -> float | None:
        """Seconds until the next page of a sent case is due (0: now); None if none waits."""
        with self._lock:
            row = self._db.execute(f"SELECT MIN(p.next_attempt_at) FROM outbox_pages p WHERE {_SENDABLE}").fetchone()
        return None if row[0] is None else max(0.0, row[0] - self._clock())

    def mark_sent(self, case_number: str, number: int) -> None:
        """The centre has the page: mark it sent and erase its payload."""
        now = self._clock()
        self._update(
            "UPDATE outbox_pages SET state = 'sent', payload = NULL, sent_at = ?, updated_at = ?,"
            " last_error = '' WHERE case_number = ? AND number = ? AND state = 'pending'",
            (now, now, case_number, number),
        )

    def mark_retry(self, case_number: str, number: int, delay_s: float, error: str = "") -> None:
        """Sending failed for a reason that may pass: try again after ``delay_s``."""
        now = self._clock()
        self._update(
            "UPDATE outbox_pages SET attempts = attempts + 1, next_attempt_at = ?, updated_at = ?,"
            " last_error = ? WHERE case_number = ? AND number = ? AND state = 'pending'",
            (now + delay_s, now, error[:500], case_number, number),
        )

    def mark_failed(self, case_number: str, number: int, error: str) -> None:
        """The centre refused the page, or it cannot be read: keep it, encrypted, for a technician."""
        now = self._clock()
        self._update(
            "UPDATE outbox_pages SET state = 'failed', attempts = attempts + 1, updated_at = ?,"
            " last_error = ? WHERE case_number = ? AND number = ? AND state = 'pending'",
            (now, error[:500], case_number, number),
        )

    # -- the technician's side (inside the outbox's lock and transaction) --------------------

    @staticmethod
    def retry_failed(db: sqlite3.Connection, now: float) -> int:
        """Return every failed page to pending, due now; return how many."""
        return db.execute(
            "UPDATE outbox_pages SET state = 'pending', next_attempt_at = ?, updated_at = ? WHERE state = 'failed'",
            (now, now),
        ).rowcount

    @staticmethod
    def forget_sent(db: sqlite3.Connection, before: float) -> int:
        """Delete the rows of pages acknowledged before ``before`` (their payload is long gone)."""
        return db.execute("DELETE FROM outbox_pages WHERE state = 'sent' AND sent_at < ?", (before,)).rowcount

    def counts(self) -> PageCounts:
        """Pages by state."""
        with self._lock:
            found = dict(self._db.execute("SELECT state, COUNT(*) FROM outbox_pages GROUP BY state").fetchall())
        return PageCounts(waiting=found.get("pending", 0), failed=found.get("failed", 0), sent=found.get("sent", 0))

    def states_of(self, case_number: str) -> list[str]:
        """The states of the case's pages, by number (none: no pages)."""
        with self._lock:
            rows = self._db.execute(
                "SELECT state FROM outbox_pages WHERE case_number = ? ORDER BY number", (case_number,)
            ).fetchall()
        return [str(row[0]) for row in rows]

    def _set_aside(self, case_number: str, number: int, reason: str) -> None:
        log.warning("page %d of case %s set aside in the outbox: %s", number, case_number, reason)
        self.mark_failed(case_number, number, reason)

    def _update(self, sql: str, params: tuple[object, ...]) -> None:
        with self._lock, self._transaction():
            self._db.execute(sql, params)


def _aad(case_number: str, number: int) -> bytes:
    return f"page\x00{case_number}\x00{number}".encode()
