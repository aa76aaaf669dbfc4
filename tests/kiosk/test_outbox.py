"""The outbox: durable, encrypted at rest, an explicit state machine, refuses a full disk."""

from __future__ import annotations

import sqlite3
import stat
from pathlib import Path

import pytest

from central.samples import sample_submission
from kiosk.delivery.outbox import Outbox
from kiosk.delivery.private_files import load_or_create_key
from kiosk.errors import KioskError, OutboxError, OutboxFull

KEY = bytes(range(32))


class Clock:
    def __init__(self, now: float = 1_800_000_000.0) -> None:
        self.now = now

    def __call__(self) -> float:
        return self.now


@pytest.fixture
def clock() -> Clock:
    return Clock()


@pytest.fixture
def outbox(tmp_path: Path, clock: Clock) -> Outbox:
    return Outbox(tmp_path / "outbox.db", KEY, clock, min_free_bytes=0)


def test_enqueued_case_is_pending_and_survives_reopening(tmp_path: Path, clock: Clock) -> None:
    box = Outbox(tmp_path / "o.db", KEY, clock, min_free_bytes=0)
    box.enqueue(sample_submission(1))
    box.close()
    again = Outbox(tmp_path / "o.db", KEY, clock, min_free_bytes=0)
    assert again.state_of("202611230010001") == "pending"
    [case] = again.claim_due()
    assert case.submission == sample_submission(1)


def test_the_payload_is_encrypted_at_rest(tmp_path: Path, outbox: Outbox) -> None:
    outbox.enqueue(sample_submission(1))
    outbox.close()
    raw = b"".join(p.read_bytes() for p in tmp_path.iterdir() if p.name.startswith("outbox"))
    assert "测试人".encode() not in raw
    assert b"110101190001011237" not in raw
    assert b"202611230010001" in raw  # the case number stays readable


def test_a_wrong_key_cannot_read_the_payload(tmp_path: Path, clock: Clock) -> None:
    Outbox(tmp_path / "o.db", KEY, clock, min_free_bytes=0).enqueue(sample_submission(1))
    other = Outbox(tmp_path / "o.db", bytes(32), clock, min_free_bytes=0)
    assert other.claim_due() == []
    assert other.state_of("202611230010001") == "failed"
    assert "decrypt" in other.entries()[0].last_error


def test_sent_erases_the_payload_but_keeps_number_state_and_times(
    tmp_path: Path, outbox: Outbox, clock: Clock
) -> None:
    outbox.enqueue(sample_submission(1))
    outbox.claim_due()
    assert outbox.state_of("202611230010001") == "in_flight"
    clock.now += 5
    outbox.mark_sent("202611230010001")
    db = sqlite3.connect(tmp_path / "outbox.db")
    payload, state, created, sent = db.execute(
        "SELECT payload, state, created_at, sent_at FROM outbox").fetchone()
    assert payload is None and state == "sent" and sent == created + 5


def test_in_flight_rows_return_to_pending_at_start_up(tmp_path: Path, clock: Clock) -> None:
    box = Outbox(tmp_path / "o.db", KEY, clock, min_free_bytes=0)
    box.enqueue(sample_submission(1))
    box.claim_due()
    box.close()  # the process "dies" with the row in flight
    again = Outbox(tmp_path / "o.db", KEY, clock, min_free_bytes=0)
    assert again.state_of("202611230010001") == "pending"
    assert len(again.claim_due()) == 1


def test_retry_waits_for_its_time(outbox: Outbox, clock: Clock) -> None:
    outbox.enqueue(sample_submission(1))
    outbox.claim_due()
    outbox.mark_retry("202611230010001", 10.0, "HTTP 503")
    assert outbox.claim_due() == []
    assert outbox.next_due_in() == pytest.approx(10.0)
    clock.now += 10
    [case] = outbox.claim_due()
    assert case.attempts == 1
    assert outbox.entries()[0].last_error == "HTTP 503"


def test_release_returns_a_row_without_counting_an_attempt(outbox: Outbox) -> None:
    outbox.enqueue(sample_submission(1))
    outbox.claim_due()
    outbox.release("202611230010001")
    [case] = outbox.claim_due()
    assert case.attempts == 0


def test_failed_rows_wait_for_the_technician(outbox: Outbox) -> None:
    outbox.enqueue(sample_submission(1))
    outbox.claim_due()
    outbox.mark_failed("202611230010001", "HTTP 422")
    assert outbox.claim_due() == []
    assert outbox.stats().failed == 1
    assert outbox.retry_failed() == 1
    assert len(outbox.claim_due()) == 1


def test_enqueueing_the_same_case_twice_is_harmless(outbox: Outbox) -> None:
    outbox.enqueue(sample_submission(1))
    outbox.enqueue(sample_submission(1))
    assert outbox.stats().pending == 1


def test_a_case_number_reused_under_another_key_is_refused(outbox: Outbox) -> None:
    outbox.enqueue(sample_submission(1))
    with pytest.raises(OutboxError):
        outbox.enqueue(sample_submission(1, salt="another key"))


def test_stats_count_states_and_age_the_oldest_unsent(outbox: Outbox, clock: Clock) -> None:
    assert outbox.stats().oldest_pending_age_s is None
    for n in range(1, 5):
        outbox.enqueue(sample_submission(n))
        clock.now += 10
    outbox.claim_due(limit=2)
    outbox.mark_sent("202611230010001")
    stats = outbox.stats()
    assert (stats.pending, stats.in_flight, stats.sent, stats.failed) == (2, 1, 1, 0)
    assert stats.oldest_pending_age_s == pytest.approx(30.0)
    assert stats.unsent == 3


def test_overdue_lists_unsent_cases_past_the_age(outbox: Outbox, clock: Clock) -> None:
    outbox.enqueue(sample_submission(1))
    clock.now += 100
    outbox.enqueue(sample_submission(2))
    clock.now += 100
    assert [e.case_number for e in outbox.overdue(150)] == ["202611230010001"]


def test_a_nearly_full_disk_refuses_new_cases_and_keeps_the_old(tmp_path: Path,
                                                               clock: Clock) -> None:
    box = Outbox(tmp_path / "o.db", KEY, clock, min_free_bytes=0)
    box.enqueue(sample_submission(1))
    box.min_free_bytes = 1 << 62  # more than any disk has
    with pytest.raises(OutboxFull) as caught:
        box.enqueue(sample_submission(2))
    assert isinstance(caught.value, KioskError)
    assert "存储空间不足" in str(caught.value)
    assert box.state_of("202611230010001") == "pending"
    assert box.state_of("202611230010002") is None


def test_a_really_full_database_is_outbox_full(outbox: Outbox) -> None:
    outbox.enqueue(sample_submission(1))
    pages = outbox._db.execute("PRAGMA page_count").fetchone()[0]
    outbox._db.execute(f"PRAGMA max_page_count = {pages}")  # the file may not grow any more
    with pytest.raises(OutboxFull):
        for n in range(2, 200):
            outbox.enqueue(sample_submission(n))
    assert outbox.state_of("202611230010001") == "pending"
    assert len(outbox.claim_due(limit=500)) >= 1


def test_the_key_file_is_made_once_private_and_reused(tmp_path: Path) -> None:
    path = tmp_path / "secret" / "outbox.key"
    key = load_or_create_key(path)
    assert len(key) == 32
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert load_or_create_key(path) == key


def test_a_damaged_key_file_is_an_error(tmp_path: Path) -> None:
    path = tmp_path / "outbox.key"
    path.write_bytes(b"short")
    with pytest.raises(OutboxError):
        load_or_create_key(path)
