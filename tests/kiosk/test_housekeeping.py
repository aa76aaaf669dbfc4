"""Nightly housekeeping: old acknowledged cases are forgotten and the outbox file shrinks;
nothing unsent is ever touched, and the round runs once a night in the quiet hours."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

from central.samples import sample_submission
from kiosk.delivery.housekeeping import Housekeeping
from kiosk.delivery.outbox import Outbox

KEY = bytes(range(32))
DAY = 86400.0


class Clock:
    def __init__(self, now: float = 1_800_000_000.0) -> None:
        self.now = now

    def __call__(self) -> float:
        return self.now


def _sent(outbox: Outbox, sequence: int) -> str:
    submission = sample_submission(sequence)
    outbox.enqueue(submission)
    claimed = outbox.claim_due(limit=100)
    outbox.mark_sent(submission.case_number)
    for other in claimed:
        if other.case_number != submission.case_number:
            outbox.release(other.case_number)
    return submission.case_number


def test_tidy_forgets_only_old_acknowledged_cases_and_truncates_the_log(tmp_path: Path) -> None:
    clock = Clock()
    outbox = Outbox(tmp_path / "outbox.db", KEY, clock, min_free_bytes=0)
    old = [_sent(outbox, n) for n in range(1, 40)]
    outbox.enqueue(sample_submission(40))  # unsent, and as old as the rest
    clock.now += 31 * DAY
    recent = _sent(outbox, 41)
    assert outbox.tidy(keep_sent_s=30 * DAY) == len(old)
    assert all(outbox.state_of(n) is None for n in old)
    assert outbox.state_of(recent) == "sent"
    assert outbox.state_of(sample_submission(40).case_number) == "pending"  # never touched
    assert (tmp_path / "outbox.db-wal").stat().st_size == 0  # checkpointed into the file
    assert outbox.tidy(keep_sent_s=30 * DAY) == 0  # a second round finds nothing


def test_the_round_runs_once_a_night_in_the_quiet_hours(tmp_path: Path) -> None:
    outbox = Outbox(tmp_path / "outbox.db", KEY, Clock(), min_free_bytes=0)
    hour = [23]
    ticks = [0.0]
    rounds = Housekeeping(outbox, now=lambda: datetime(2026, 12, 2, hour[0], 30).astimezone(),
                          clock=lambda: ticks[0])
    assert rounds.run_if_due() is None  # 23:30: sites may still be open
    hour[0] = 3
    assert rounds.run_if_due() == 0  # 03:30: the night's round
    ticks[0] += 3600
    assert rounds.run_if_due() is None  # once a night
    ticks[0] += 23 * 3600
    assert rounds.run_if_due() == 0  # the next night
