"""The outbox's format on disk: its tables, the file's schema version with the migrations to
it, and the payload versions with the upgrades from older ones.

Schema versions: 1 the cases; 2 adds ``payload_version`` and the 'quarantined' state; 3 adds
``outbox_pages``, the document camera's pages of each case (``kiosk.delivery.outbox_pages``).
A newer kiosk migrates an older file forward (``migrate``); a file written by a newer kiosk is
refused rather than corrupted (``Outbox`` checks ``PRAGMA user_version`` first). A payload
written by an older kiosk is upgraded on read (``readable``); one that still does not validate
raises ``ValueError`` naming field paths only.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Callable
from typing import Any

from pydantic import ValidationError

from contract.wire import CaseSubmission

SCHEMA_VERSION = 3  # PRAGMA user_version of the file this code writes
PAYLOAD_VERSION = 1  # the CaseSubmission shape enqueue writes

CASES_SCHEMA = """
CREATE TABLE IF NOT EXISTS outbox (
    case_number     TEXT PRIMARY KEY,
    idempotency_key TEXT NOT NULL UNIQUE,
    state           TEXT NOT NULL
                    CHECK (state IN ('pending', 'in_flight', 'sent', 'failed', 'quarantined')),
    payload         BLOB,            -- nonce || AES-GCM ciphertext, NULL once sent
    payload_version INTEGER NOT NULL DEFAULT 1,
    attempts        INTEGER NOT NULL DEFAULT 0,
    created_at      REAL NOT NULL,   -- wall clock, seconds since the epoch
    next_attempt_at REAL NOT NULL,
    updated_at      REAL NOT NULL,
    sent_at         REAL,
    last_error      TEXT NOT NULL DEFAULT ''
);
CREATE INDEX IF NOT EXISTS outbox_due ON outbox (state, next_attempt_at);
"""

# A page waits until its case is sent, then goes on its own: no in-flight state, since the
# centre's PUT of a page is idempotent (sent twice, stored once). Its payload is erased once
# the centre has it; the CHECK makes a sent page without one, and any other with one.
PAGES_SCHEMA = """
CREATE TABLE IF NOT EXISTS outbox_pages (
    case_number     TEXT NOT NULL,
    number          INTEGER NOT NULL CHECK (number >= 1),
    state           TEXT NOT NULL CHECK (state IN ('pending', 'sent', 'failed')),
    payload         BLOB,            -- nonce || AES-GCM ciphertext of material and JPEG
    size            INTEGER NOT NULL, -- bytes of the payload as stored (the disk it holds)
    attempts        INTEGER NOT NULL DEFAULT 0,
    created_at      REAL NOT NULL,
    next_attempt_at REAL NOT NULL,
    updated_at      REAL NOT NULL,
    sent_at         REAL,
    last_error      TEXT NOT NULL DEFAULT '',
    PRIMARY KEY (case_number, number),
    CHECK ((state = 'sent') = (payload IS NULL))
);
CREATE INDEX IF NOT EXISTS outbox_pages_due ON outbox_pages (state, next_attempt_at);
"""

SCHEMA = CASES_SCHEMA + PAGES_SCHEMA



def statements(script: str) -> list[str]:
    """The statements of ``script`` (no ';' inside comments or strings there)."""
    return [statement for statement in script.split(";") if statement.strip()]


def migrate(db: sqlite3.Connection, version: int) -> None:
    """Bring a file at schema ``version`` to ``SCHEMA_VERSION``, in the caller's transaction;
    every row it holds is kept. A new file (no table yet) gets the whole schema."""
    if db.execute("SELECT 1 FROM sqlite_master WHERE name = 'outbox'").fetchone() is None:
        for statement in statements(SCHEMA):
            db.execute(statement)
        return
    if version < 2:
        migrate_1_to_2(db)
    if version < 3:
        migrate_2_to_3(db)


def migrate_1_to_2(db: sqlite3.Connection) -> None:
    """Version 1 files had no ``payload_version`` and no 'quarantined' state: rebuild the table."""
    db.execute("DROP INDEX IF EXISTS outbox_due")
    db.execute("ALTER TABLE outbox RENAME TO outbox_v1")
    for statement in statements(CASES_SCHEMA):
        db.execute(statement)
    db.execute(
        "INSERT INTO outbox (case_number, idempotency_key, state, payload, payload_version, attempts,"
        " created_at, next_attempt_at, updated_at, sent_at, last_error)"
        " SELECT case_number, idempotency_key, state, payload, 1, attempts,"
        " created_at, next_attempt_at, updated_at, sent_at, last_error FROM outbox_v1"
    )
    db.execute("DROP TABLE outbox_v1")


def migrate_2_to_3(db: sqlite3.Connection) -> None:
    """Version 2 files had no pages: add their table (the cases stay as they are)."""
    for statement in statements(PAGES_SCHEMA):
        db.execute(statement)


# Upgrades of older payloads to the current shape, by the version they were written with.
_UPGRADES: dict[int, Callable[[dict[str, Any]], dict[str, Any]]] = {}


def readable(payload_version: int, plaintext: bytes) -> CaseSubmission:
    """The submission a payload holds, upgraded to the current shape; ``ValueError`` names only paths."""
    if payload_version > PAYLOAD_VERSION:
        raise ValueError(f"payload version {payload_version} is newer than this kiosk ({PAYLOAD_VERSION})")
    try:
        data = json.loads(plaintext)
        for version in range(payload_version, PAYLOAD_VERSION):
            data = _UPGRADES[version](data)
        return CaseSubmission.model_validate(data)
    except ValidationError as err:
        paths = sorted({".".join(str(part) for part in error["loc"]) or "(body)" for error in err.errors()})
        raise ValueError(f"payload does not validate at {', '.join(paths)}") from None
    except (ValueError, KeyError, TypeError) as err:
        raise ValueError(f"payload is not a case ({type(err).__name__})") from None
