"""The sender delivers the outbox: acks mark sent, failures back off, refusals fail a row."""

from __future__ import annotations

import random
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest

from central.samples import sample_submission
from central.server import EmbeddedCentre, start_embedded
from contract.wire import CaseAck, CaseState, CaseSubmission
from kiosk.delivery.centre_client import CentreClient
from kiosk.delivery.outbox import Outbox
from kiosk.delivery.sender import Backoff, OverdueAlert, Sender
from kiosk.errors import CentreError, CentreRejected, CentreUnavailable, CentreUnreachable
from tests.support import wait_for

KEY = bytes(range(32))


class FakeCentre:
    """Answers each submit from a script of errors, then acknowledges."""

    def __init__(self, *failures: CentreError) -> None:
        self.failures = list(failures)
        self.received: list[str] = []

    def submit(self, submission: CaseSubmission) -> CaseAck:
        if self.failures:
            raise self.failures.pop(0)
        self.received.append(submission.case_number)
        return CaseAck(case_number=submission.case_number, status=CaseState.RECEIVED,
                       received_at=submission.submitted_at)


@pytest.fixture
def outbox(tmp_path: Path) -> Outbox:
    return Outbox(tmp_path / "outbox.db", KEY, min_free_bytes=0)


@pytest.fixture
def centre(tmp_path: Path) -> Iterator[EmbeddedCentre]:
    running = start_embedded(f"sqlite:///{tmp_path / 'central.db'}", terminal_id="T001",
                             terminal_number=1)
    yield running
    running.stop()


def test_delivers_everything_to_a_real_centre(outbox: Outbox, centre: EmbeddedCentre) -> None:
    changes = threading.Semaphore(0)
    sender = Sender(outbox, CentreClient(centre.base_url, centre.token),
                    on_change=changes.release)
    sender.start()
    try:
        for n in range(1, 31):
            outbox.enqueue(sample_submission(n))
            sender.wake()
        wait_for(lambda: outbox.stats().sent == 30)
    finally:
        sender.stop()
    assert changes.acquire(timeout=0)
    stats = outbox.stats()
    assert stats.pending == stats.in_flight == stats.failed == 0
    client = CentreClient(centre.base_url, centre.token)
    assert client.case_status("202611230010030").status is CaseState.RECEIVED


def test_a_retryable_failure_backs_off_then_delivers(outbox: Outbox) -> None:
    fake = FakeCentre(CentreUnavailable(detail="HTTP 503"), CentreUnreachable())
    sender = Sender(outbox, fake, backoff=Backoff(base_s=0.05, cap_s=0.2))
    outbox.enqueue(sample_submission(1))
    assert sender.run_once() > 0  # first failure: paused
    assert outbox.state_of("202611230010001") == "pending"
    sender.start()
    try:
        sender.wake()
        wait_for(lambda: outbox.state_of("202611230010001") == "sent")
    finally:
        sender.stop()
    assert fake.received == ["202611230010001"]
    assert outbox.entries()[0].attempts == 2


def test_a_failure_stops_the_batch_and_returns_the_rest(outbox: Outbox) -> None:
    fake = FakeCentre(CentreUnreachable())
    sender = Sender(outbox, fake, backoff=Backoff(base_s=60, cap_s=60))
    for n in range(1, 6):
        outbox.enqueue(sample_submission(n))
    pause = sender.run_once()
    assert 30 <= pause <= 60
    stats = outbox.stats()
    assert stats.pending == 5 and stats.in_flight == 0
    assert fake.received == []
    attempts = {e.case_number: e.attempts for e in outbox.entries()}
    assert sorted(attempts.values()) == [0, 0, 0, 0, 1]


def test_wake_ends_a_pause(outbox: Outbox) -> None:
    fake = FakeCentre(CentreUnreachable())
    sender = Sender(outbox, fake, backoff=Backoff(base_s=60, cap_s=60))
    outbox.enqueue(sample_submission(1))
    sender.run_once()
    outbox.enqueue(sample_submission(2))
    sender.wake()
    sender.run_once()
    assert fake.received == ["202611230010002"]


def test_a_refused_case_is_failed_and_the_rest_go_on(outbox: Outbox) -> None:
    fake = FakeCentre(CentreRejected(detail="HTTP 422", status_code=422))
    sender = Sender(outbox, fake)
    outbox.enqueue(sample_submission(1))
    outbox.enqueue(sample_submission(2))
    sender.run_once()
    assert outbox.state_of("202611230010001") == "failed"
    assert outbox.state_of("202611230010002") == "sent"
    assert outbox.entries()[0].last_error == "HTTP 422"


def test_backoff_doubles_with_jitter_up_to_the_cap() -> None:
    backoff = Backoff(base_s=2, cap_s=60)
    rng = random.Random(7)
    for attempts, ceiling in [(0, 2), (1, 4), (2, 8), (4, 32), (5, 60), (50, 60)]:
        delays = [backoff.delay(attempts, rng) for _ in range(200)]
        assert ceiling / 2 <= min(delays) and max(delays) <= ceiling
        assert max(delays) - min(delays) > ceiling / 4  # really jittered


def test_old_unsent_cases_raise_one_alert_per_period(tmp_path: Path) -> None:
    now = [1_800_000_000.0]
    box = Outbox(tmp_path / "o.db", KEY, lambda: now[0], min_free_bytes=0)
    alerts: list[OverdueAlert] = []
    fake = FakeCentre(*[CentreUnreachable() for _ in range(10)])
    sender = Sender(box, fake, alert_after_s=3600, alert_every_s=900, on_alert=alerts.append)
    box.enqueue(sample_submission(1))
    sender.run_once()
    assert alerts == []
    now[0] += 3601
    sender.wake()
    sender.run_once()
    sender.wake()
    sender.run_once()
    assert len(alerts) == 1
    assert alerts[0].count == 1 and alerts[0].oldest_age_s == pytest.approx(3601)
    assert alerts[0].cases[0].case_number == "202611230010001"


def test_an_unexpected_error_returns_rows_to_pending(outbox: Outbox,
                                                    caplog: pytest.LogCaptureFixture) -> None:
    class Exploding(FakeCentre):
        def submit(self, submission: CaseSubmission) -> CaseAck:
            raise RuntimeError("a bug, not a network fault")

    sender = Sender(outbox, Exploding(), idle_poll_s=0.05)
    outbox.enqueue(sample_submission(1))
    sender.start()
    try:
        wait_for(lambda: "unexpected error" in caplog.text)
    finally:
        sender.stop()
    assert outbox.state_of("202611230010001") == "pending"
