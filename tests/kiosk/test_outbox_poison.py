"""One unreadable row never stops the cases behind it, and never leaks who it was for."""

from __future__ import annotations

import json
import logging
import os
import sqlite3
from pathlib import Path

import pytest
from cryptography.hazmat.primitives.ciphers.aead import AESGCM

from central.samples import sample_submission
from kiosk.delivery.outbox import Outbox, OutboxState
from kiosk.delivery.outbox_format import SCHEMA_VERSION
from kiosk.errors import OutboxError

KEY = bytes(range(32))
POISON = "202611230010004"


def sealed(case_number: str, idempotency_key: str, data: dict[str, object]) -> bytes:
    """A payload as the outbox stores it: nonce, then AES-GCM bound to the row's number and key."""
    nonce = os.urandom(12)
    aad = f"{case_number}\x00{idempotency_key}".encode()
    return nonce + AESGCM(KEY).encrypt(nonce, json.dumps(data).encode(), aad)


def poison(path: Path, case_number: str) -> None:
    """Rewrite a stored case as a schema change would leave it: it decrypts, but no longer validates."""
    db = sqlite3.connect(path)
    key = db.execute("SELECT idempotency_key FROM outbox WHERE case_number = ?", (case_number,)).fetchone()[0]
    data = json.loads(sample_submission(4).model_dump_json())
    data["applicant"]["id_type"] = "passport-of-atlantis"  # a value this kiosk's schema refuses
    blob = sealed(case_number, key, data)
    with db:
        db.execute("UPDATE outbox SET payload = ? WHERE case_number = ?", (blob, case_number))
    db.close()


def test_five_good_rows_are_delivered_and_the_poison_row_quarantined_silently(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    path = tmp_path / "outbox.db"
    outbox = Outbox(path, KEY, min_free_bytes=0)
    for n in range(1, 7):
        outbox.enqueue(sample_submission(n))
    poison(path, POISON)

    claimed = outbox.claim_due(limit=10)
    for case in claimed:
        outbox.mark_sent(case.case_number)

    assert sorted(case.case_number[-1] for case in claimed) == ["1", "2", "3", "5", "6"]
    assert outbox.state_of(POISON) == OutboxState.QUARANTINED
    stats = outbox.stats()
    assert (stats.sent, stats.quarantined, stats.unsent) == (5, 1, 1)
    entry = next(e for e in outbox.entries() if e.case_number == POISON)
    assert "applicant.id_type" in entry.last_error and "atlantis" not in entry.last_error
    stored = sqlite3.connect(path).execute("SELECT payload FROM outbox WHERE case_number = ?", (POISON,)).fetchone()
    assert stored[0] is not None  # kept, encrypted, for a technician
    applicant = sample_submission(4).applicant
    logged = "\n".join(record.getMessage() for record in caplog.records)
    assert applicant.name not in logged and applicant.id_number not in logged and "atlantis" not in logged
    assert POISON in logged  # the case number, for the technician


def test_an_old_outbox_file_is_migrated_and_a_newer_one_refused(tmp_path: Path) -> None:
    path = tmp_path / "outbox.db"
    db = sqlite3.connect(path)
    db.executescript(
        "CREATE TABLE outbox (case_number TEXT PRIMARY KEY, idempotency_key TEXT NOT NULL UNIQUE,"
        " state TEXT NOT NULL CHECK (state IN ('pending', 'in_flight', 'sent', 'failed')), payload BLOB,"
        " attempts INTEGER NOT NULL DEFAULT 0, created_at REAL NOT NULL, next_attempt_at REAL NOT NULL,"
        " updated_at REAL NOT NULL, sent_at REAL, last_error TEXT NOT NULL DEFAULT '');"
    )
    old = sample_submission(1)  # a case a version-1 kiosk stored and had not sent yet
    with db:
        db.execute(
            "INSERT INTO outbox (case_number, idempotency_key, state, payload, created_at, next_attempt_at,"
            " updated_at) VALUES (?, ?, 'pending', ?, 0, 0, 0)",
            (old.case_number, old.idempotency_key,
             sealed(old.case_number, old.idempotency_key, json.loads(old.model_dump_json()))),
        )
    db.close()
    migrated = Outbox(path, KEY, min_free_bytes=0)
    migrated.enqueue(sample_submission(2))
    assert [case.submission for case in migrated.claim_due()] == [old, sample_submission(2)]
    migrated.close()
    assert sqlite3.connect(path).execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION

    db = sqlite3.connect(path)
    db.execute(f"PRAGMA user_version = {SCHEMA_VERSION + 1}")
    db.close()
    with pytest.raises(OutboxError) as refused:
        Outbox(path, KEY, min_free_bytes=0)
    assert "newer" in refused.value.detail
