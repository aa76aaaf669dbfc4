"""Network faults between kiosk and centre: afterwards every case is there exactly once.

The real kiosk side (outbox + sender + centre client) delivers through ``FaultProxy`` to the
real centre: first the centre is down (connections refused), then every fault in turn and at
random (503 and 500 answers, 10-second answers, resets before forwarding, mid-request and
mid-answer), then the faults stop. The client's read timeout is cut to 1.5 s so a
10-second answer costs 1.5 s of test time; the 500-after-storing, slow and mid-answer faults
are the ones where the centre has stored the case but the kiosk never hears so.
``KIOSK_SOAK=1`` sends 600 cases instead of 60.
"""

from __future__ import annotations

import os
import random
import time
from collections.abc import Callable
from pathlib import Path

import pytest
from centre_support import KIOSK_TOKEN, build_app
from fault_proxy import Fault, FaultProxy
from sqlalchemy import select

from central.cases import body_digest
from central.db import CaseEventRow, CaseRow, make_engine
from central.samples import sample_submission
from central.server import serve_in_thread
from kiosk.delivery.centre_client import CentreClient
from kiosk.delivery.outbox import Outbox
from kiosk.delivery.sender import Backoff, Sender
from tests.support import wait_for

KEY = bytes(range(32))
CASES = 600 if os.environ.get("KIOSK_SOAK") == "1" else 60  # the soak: ten times as many
FIRST_FAULTS = [fault for fault in Fault if fault is not Fault.PASS] * 2
WEIGHTS = {Fault.PASS: 8, Fault.ANSWER_503: 2, Fault.ANSWER_500_AFTER: 2, Fault.SLOW: 1,
           Fault.RESET_AT_ONCE: 1, Fault.RESET_IN_REQUEST: 1, Fault.RESET_IN_ANSWER: 2}


def scheduled_faults(seed: int) -> Callable[[int], Fault]:
    rng = random.Random(seed)
    faults, weights = list(WEIGHTS), list(WEIGHTS.values())

    def choose(n: int) -> Fault:
        if n < len(FIRST_FAULTS):
            return FIRST_FAULTS[n]
        return rng.choices(faults, weights)[0]

    return choose


def centre_cases(database_url: str) -> tuple[dict[str, str], int]:
    engine = make_engine(database_url)
    try:
        with engine.connect() as conn:
            cases = dict(conn.execute(select(CaseRow.case_number, CaseRow.body_sha256)).all())
            events = len(conn.execute(select(CaseEventRow.id)).all())
    finally:
        engine.dispose()
    return cases, events


@pytest.mark.timeout(1200 if CASES > 60 else 120)
def test_every_case_arrives_exactly_once_through_network_faults(
    database_url: str, tmp_path: Path
) -> None:
    centre = serve_in_thread(build_app(database_url))
    proxy = FaultProxy(int(centre.base_url.rsplit(":", 1)[1]), scheduled_faults(6))
    outbox = Outbox(tmp_path / "outbox.db", KEY, min_free_bytes=0)
    client = CentreClient(proxy.base_url, KIOSK_TOKEN, connect_timeout=1, read_timeout=1.5)
    sender = Sender(outbox, client, backoff=Backoff(base_s=0.02, cap_s=0.25), idle_poll_s=0.2)
    submissions = [sample_submission(n) for n in range(1, CASES + 1)]
    try:
        proxy.down()  # the centre is off
        sender.start()
        for submission in submissions[:20]:
            outbox.enqueue(submission)
            sender.wake()
        time.sleep(1.0)
        assert outbox.stats().sent == 0 and outbox.stats().failed == 0
        assert isinstance(sender.last_error, Exception)

        proxy.up()  # back, but faulty
        for submission in submissions[20:]:
            outbox.enqueue(submission)
            sender.wake()
            time.sleep(0.01)
        wait_for(lambda: sum(proxy.counts.values()) >= len(FIRST_FAULTS) + CASES - 20,
                 timeout=90 * CASES / 60, step=0.02, describe="every first fault and the rest to reach the proxy")
        assert all(proxy.counts[fault] >= 2 for fault in Fault if fault is not Fault.PASS)

        proxy.choose = lambda n: Fault.PASS  # the network heals
        sender.wake()
        wait_for(lambda: outbox.stats().unsent == 0, timeout=CASES, step=0.02)
    finally:
        sender.stop()
        proxy.stop()
        centre.stop()
    stats = outbox.stats()
    assert (stats.sent, stats.failed) == (CASES, 0)
    cases, events = centre_cases(database_url)
    assert cases == {s.case_number: body_digest(s) for s in submissions}
    assert events == CASES  # one "received" per case: nothing stored twice
