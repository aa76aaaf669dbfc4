"""SIGKILL the kiosk at random points of submission, 200 times: no case lost or duplicated.

A fork server (``bench.outbox_crash``, run in a fresh process) forks kiosk after kiosk; each
enqueues cases and delivers them through the real sender and client to a real embedded
centre, and dies by SIGKILL after a random 0-80 ms. ``KIOSK_SOAK=1`` runs 2,000 kills.
"""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import func, select

from bench.outbox_crash import KEY, case_for, enqueued, recovered
from central.cases import body_digest
from central.db import CaseEventRow, CaseRow, make_engine
from central.server import EmbeddedCentre, start_embedded
from kiosk.delivery.centre_client import CentreClient
from kiosk.delivery.outbox import Outbox
from kiosk.delivery.sender import Sender

ROOT = Path(__file__).resolve().parents[2]
KILLS = 2000 if os.environ.get("KIOSK_SOAK") == "1" else 200


@pytest.fixture
def centre_database(tmp_path: Path) -> str:
    return f"sqlite:///{tmp_path / 'central.db'}"


@pytest.fixture
def centre(centre_database: str) -> Iterator[EmbeddedCentre]:
    running = start_embedded(centre_database, terminal_id="T001", terminal_number=1)
    yield running
    running.stop()


@pytest.mark.timeout(600)
def test_no_case_is_lost_or_duplicated_across_sigkills(centre: EmbeddedCentre, centre_database: str,
                                                        tmp_path: Path) -> None:
    outbox_path, progress = tmp_path / "outbox.db", tmp_path / "progress"
    run = subprocess.run(
        [sys.executable, "-m", "bench.outbox_crash", "--child", "--kills", str(KILLS),
         "--outbox", str(outbox_path), "--progress", str(progress),
         # "--token=T": a random token may begin with "-", which argparse takes for an option
         f"--base-url={centre.base_url}", f"--token={centre.token}", "--seed", "11"],
        cwd=ROOT, capture_output=True, text=True, timeout=540,
    )
    assert run.returncode == 0, run.stderr
    assert run.stdout.strip() == f"killed {KILLS}"

    # The kiosk starts once more and delivers what is left.
    outbox = Outbox(outbox_path, KEY, min_free_bytes=0)
    sender = Sender(outbox, CentreClient(centre.base_url, centre.token))
    for _ in range(100):
        if not outbox.stats().unsent:
            break
        sender.run_once()
    stats = outbox.stats()
    assert stats.unsent == 0 and stats.failed == 0

    promised = {case_for(n).case_number: case_for(n) for n in set(enqueued(progress))}
    in_outbox = {entry.case_number for entry in outbox.entries(limit=1_000_000)}
    engine = make_engine(centre_database)  # the database the centre serves from
    try:
        with engine.connect() as conn:
            rows = conn.execute(select(CaseRow.case_number, CaseRow.body_sha256)).all()
            at_centre = {number: digest for number, digest in rows}
            events = conn.scalar(select(func.count()).select_from(CaseEventRow))
    finally:
        engine.dispose()
    assert len(promised) > KILLS  # the kills really landed among submissions...
    assert recovered(progress) > 0  # ...and some while cases were in flight
    assert set(promised) <= set(at_centre), "a promised case is lost"
    assert set(at_centre) == in_outbox  # the centre holds what the kiosk stored, no more
    assert events == len(at_centre)  # each received once
    for case_number, submission in promised.items():
        assert at_centre[case_number] == body_digest(submission)
