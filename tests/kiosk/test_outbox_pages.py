"""The outbox keeps a case's document pages: encrypted at rest, stored in the case's own
transaction, due only once the case is sent, erased once the centre has them; a version-2 file
gains the pages' table and keeps every row, and a version-3 file is refused by version-2 code."""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import sqlite3
from pathlib import Path

import pytest
from cryptography.hazmat.primitives.ciphers.aead import AESGCM

import kiosk.delivery.outbox as outbox_module
from central.samples import sample_submission
from contract.captured_pages import CapturedPage
from kiosk.delivery.outbox import Outbox
from kiosk.delivery.outbox_format import SCHEMA_VERSION
from kiosk.errors import OutboxError, OutboxFull
from tests.support.document_pages import captured, page_jpeg, slices

KEY = bytes(range(32))
FIRST, SECOND = sample_submission(1), sample_submission(2)
HOUSEHOLD, ID_CARD = captured("户口簿本人页", 1), captured("残疾人证", 2)


def raw_files(folder: Path) -> bytes:
    """The outbox's file and its write-ahead log, as bytes on the disk."""
    return b"".join(p.read_bytes() for p in sorted(folder.iterdir()) if p.name.startswith("outbox"))


@pytest.fixture
def outbox(tmp_path: Path) -> Outbox:
    return Outbox(tmp_path / "outbox.db", KEY, min_free_bytes=0)


def send_case(box: Outbox, case_number: str) -> None:
    [claimed] = [c for c in box.claim_due() if c.case_number == case_number]
    box.mark_sent(claimed.case_number)


def test_pages_are_encrypted_at_rest_and_come_back_whole(tmp_path: Path, outbox: Outbox) -> None:
    outbox.enqueue_all([FIRST], {FIRST.case_number: [HOUSEHOLD, ID_CARD]})
    outbox.close()
    raw = raw_files(tmp_path)
    for page in (HOUSEHOLD, ID_CARD):
        assert not [piece for piece in slices(page.jpeg) if piece in raw]  # no run of the JPEG
        assert page.material.encode() not in raw  # what the resident brought is secret too
    assert FIRST.case_number.encode() in raw  # the case number stays readable

    again = Outbox(tmp_path / "outbox.db", KEY, min_free_bytes=0)
    assert again.pages.states_of(FIRST.case_number) == ["pending", "pending"]
    assert again.stats().pages_waiting == 2
    assert again.pages.due() is None  # not before the case is at the centre
    send_case(again, FIRST.case_number)
    first = again.pages.due()
    assert first is not None and (first.case_number, first.number, first.page) == (FIRST.case_number, 1, HOUSEHOLD)


def test_a_blob_moved_to_another_place_does_not_open(tmp_path: Path, outbox: Outbox) -> None:
    """The associated data binds each blob to its case and number: swapped, both are set aside."""
    outbox.enqueue_all([FIRST], {FIRST.case_number: [HOUSEHOLD, ID_CARD]})
    send_case(outbox, FIRST.case_number)
    db = sqlite3.connect(tmp_path / "outbox.db", isolation_level=None)
    one, two = (row[0] for row in db.execute("SELECT payload FROM outbox_pages ORDER BY number"))
    db.execute("UPDATE outbox_pages SET payload = CASE number WHEN 1 THEN ? ELSE ? END", (two, one))
    db.close()
    assert outbox.pages.due() is None
    assert outbox.pages.states_of(FIRST.case_number) == ["failed", "failed"]
    assert outbox.stats().pages_failed == 2


def test_a_case_and_its_pages_are_stored_together_or_not_at_all(tmp_path: Path, outbox: Outbox) -> None:
    outbox.enqueue(SECOND)
    db = outbox._db  # the file may grow by a few pages: room for a case, not for its pictures
    db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    db.execute(f"PRAGMA max_page_count = {db.execute('PRAGMA page_count').fetchone()[0] + 4}")
    with pytest.raises(OutboxFull):  # the case row went in first; the pictures found no room
        outbox.enqueue_all([FIRST], {FIRST.case_number: [HOUSEHOLD, ID_CARD]})
    assert outbox.state_of(FIRST.case_number) is None
    assert outbox.pages.states_of(FIRST.case_number) == []

    outbox.enqueue(FIRST)  # the case alone fits in the same room: it was taken back, not refused
    assert outbox.state_of(FIRST.case_number) == "pending"


def test_a_refused_case_in_the_batch_takes_the_pages_before_it_back(outbox: Outbox) -> None:
    outbox.enqueue(SECOND)
    taken = sample_submission(2).model_copy(update={"idempotency_key": "f" * 32})  # its number, another case
    with pytest.raises(OutboxError):
        outbox.enqueue_all([FIRST, taken], {FIRST.case_number: [HOUSEHOLD]})
    assert outbox.state_of(FIRST.case_number) is None
    assert outbox.pages.states_of(FIRST.case_number) == []
    with pytest.raises(ValueError):  # pages of a case not being stored: the caller's mistake
        outbox.enqueue_all([FIRST], {SECOND.case_number: [HOUSEHOLD]})
    assert outbox.state_of(FIRST.case_number) is None


def test_the_disk_check_counts_the_pages(tmp_path: Path, outbox: Outbox) -> None:
    """The disk is the real one, shared with other work: the margins are wide (800 KB)."""
    large = [CapturedPage(material="户口簿本人页", jpeg=page_jpeg(n, 1200, 900)) for n in (1, 2)]  # ~360 KB each
    outbox.min_free_bytes = shutil.disk_usage(tmp_path).free - 800_000  # a case fits; its pictures do not
    with pytest.raises(OutboxFull):
        outbox.enqueue_all([FIRST], {FIRST.case_number: large})
    assert outbox.state_of(FIRST.case_number) is None
    outbox.enqueue_all([FIRST])
    assert outbox.state_of(FIRST.case_number) == "pending"


def test_an_acknowledged_page_is_erased_from_the_file(tmp_path: Path, outbox: Outbox) -> None:
    outbox.enqueue_all([FIRST], {FIRST.case_number: [HOUSEHOLD, ID_CARD]})
    db = sqlite3.connect(tmp_path / "outbox.db")
    blob = db.execute("SELECT payload FROM outbox_pages WHERE number = 1").fetchone()[0]
    db.close()
    send_case(outbox, FIRST.case_number)
    outbox.pages.mark_sent(FIRST.case_number, 1)
    assert outbox.pages.states_of(FIRST.case_number) == ["sent", "pending"]
    assert (outbox.stats().pages_waiting, outbox.stats().pages_failed) == (1, 0)
    outbox.close()  # the last connection folds the write-ahead log into the file

    raw = raw_files(tmp_path)
    assert not [piece for piece in slices(blob) if piece in raw]  # secure_delete: not even freed pages
    db = sqlite3.connect(tmp_path / "outbox.db")
    assert db.execute("SELECT number, payload IS NULL, sent_at IS NOT NULL FROM outbox_pages").fetchall() == [
        (1, 1, 1), (2, 0, 0)]
    with pytest.raises(sqlite3.IntegrityError):  # the schema refuses a sent page that keeps its picture
        db.execute("UPDATE outbox_pages SET state = 'sent' WHERE number = 2")
    db.close()


def test_tidy_forgets_old_acknowledged_pages_only(outbox: Outbox) -> None:
    outbox.enqueue_all([FIRST], {FIRST.case_number: [HOUSEHOLD, ID_CARD]})
    send_case(outbox, FIRST.case_number)
    outbox.pages.mark_sent(FIRST.case_number, 1)
    outbox.pages.mark_failed(FIRST.case_number, 2, "HTTP 413")
    outbox.tidy(keep_sent_s=-1)  # everything sent is old enough
    assert outbox.pages.states_of(FIRST.case_number) == ["failed"]
    assert outbox.retry_failed() == 1  # the technician's "send again" takes pages too
    assert outbox.pages.states_of(FIRST.case_number) == ["pending"]


# A version-2 file as version-2 kiosks wrote it (kiosk/delivery/outbox_format.py at schema 2).
V2_SCHEMA = """
CREATE TABLE outbox (
    case_number TEXT PRIMARY KEY, idempotency_key TEXT NOT NULL UNIQUE,
    state TEXT NOT NULL CHECK (state IN ('pending', 'in_flight', 'sent', 'failed', 'quarantined')),
    payload BLOB, payload_version INTEGER NOT NULL DEFAULT 1, attempts INTEGER NOT NULL DEFAULT 0,
    created_at REAL NOT NULL, next_attempt_at REAL NOT NULL, updated_at REAL NOT NULL, sent_at REAL,
    last_error TEXT NOT NULL DEFAULT '');
CREATE INDEX outbox_due ON outbox (state, next_attempt_at);
PRAGMA user_version = 2;
"""


def sealed(case_number: str, idempotency_key: str, plaintext: bytes) -> bytes:
    nonce = os.urandom(12)
    return nonce + AESGCM(KEY).encrypt(nonce, plaintext, f"{case_number}\x00{idempotency_key}".encode())


def test_a_version_2_file_gains_the_pages_and_keeps_every_row(tmp_path: Path) -> None:
    path = tmp_path / "outbox.db"
    db = sqlite3.connect(path)
    db.executescript(V2_SCHEMA)
    rows = [(sample_submission(n), state) for n, state in ((1, "pending"), (2, "sent"), (3, "failed"))]
    with db:
        for submission, state in rows:
            payload = None if state == "sent" else sealed(
                submission.case_number, submission.idempotency_key, submission.model_dump_json().encode())
            db.execute("INSERT INTO outbox (case_number, idempotency_key, state, payload, attempts, created_at,"
                       " next_attempt_at, updated_at, sent_at, last_error) VALUES (?, ?, ?, ?, 2, 10, 10, 10, ?, ?)",
                       (submission.case_number, submission.idempotency_key, state, payload,
                        20 if state == "sent" else None, "HTTP 400" if state == "failed" else ""))
    db.close()

    migrated = Outbox(path, KEY, min_free_bytes=0)
    assert sorted((e.case_number, e.state.value, e.attempts, e.last_error) for e in migrated.entries()) == [
        (s.case_number, state, 2, "HTTP 400" if state == "failed" else "") for s, state in rows]
    assert [c.submission for c in migrated.claim_due()] == [rows[0][0]]
    assert migrated.retry_failed() == 1
    assert [c.submission for c in migrated.claim_due()] == [rows[2][0]]
    migrated.enqueue_all([sample_submission(4)], {sample_submission(4).case_number: [HOUSEHOLD]})
    assert migrated.stats().pages_waiting == 1
    migrated.close()
    assert sqlite3.connect(path).execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION == 3


def test_version_2_code_refuses_a_version_3_file_and_leaves_it_as_it_was(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Version 2 refused any file newer than 2 with the same check, before touching it."""
    path = tmp_path / "outbox.db"
    box = Outbox(path, KEY, min_free_bytes=0)
    box.enqueue_all([FIRST], {FIRST.case_number: [HOUSEHOLD]})
    box.close()
    before = hashlib.sha256(path.read_bytes()).hexdigest()

    monkeypatch.setattr(outbox_module, "SCHEMA_VERSION", 2)  # the version-2 kiosk's own number
    with pytest.raises(OutboxError) as refused:
        Outbox(path, KEY, min_free_bytes=0)
    assert refused.value.detail == f"{path}: outbox schema 3 is newer than this kiosk's 2"
    assert hashlib.sha256(path.read_bytes()).hexdigest() == before
    monkeypatch.undo()
    assert Outbox(path, KEY, min_free_bytes=0).pages.states_of(FIRST.case_number) == ["pending"]


def test_stats_say_nothing_of_what_a_page_shows(outbox: Outbox) -> None:
    outbox.enqueue_all([FIRST], {FIRST.case_number: [HOUSEHOLD]})
    shown = json.dumps(outbox.stats().__dict__, ensure_ascii=False) + repr(outbox.entries())
    assert HOUSEHOLD.material not in shown
