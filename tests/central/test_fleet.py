"""Buffered heartbeats: newest wins, batches written once, colours from age and state."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import Engine

from central.db import make_engine, migrate
from central.fleet import BeatBuffer, fleet, store_beats
from contract.wire import Heartbeat, KioskColour

NOW = datetime(2026, 11, 23, 9, 0, tzinfo=UTC)


@pytest.fixture
def engine(database_url: str) -> Iterator[Engine]:
    engine = make_engine(database_url)
    migrate(engine)
    yield engine
    engine.dispose()


def beat(terminal: str = "T001", **changes: object) -> Heartbeat:
    data: dict[str, object] = {
        "terminal_id": terminal, "site_id": "s", "sent_at": NOW, "software_version": "1",
        "devices": {"printer": "online"}, "paper": "ok", "outbox_depth": 0,
    }
    data.update(changes)
    return Heartbeat.model_validate(data)


def test_the_newest_beat_per_kiosk_is_written_in_one_batch(engine: Engine) -> None:
    buffer = BeatBuffer(engine)
    buffer.add(beat(outbox_depth=1))
    buffer.add(beat(outbox_depth=2))
    buffer.add(beat("T002"))
    assert buffer.flush() == 2
    assert buffer.flush() == 0
    views = {v.terminal_id: v for v in fleet(engine)}
    assert views["T001"].outbox_depth == 2 and set(views) == {"T001", "T002"}


def test_an_older_beat_from_another_process_never_overwrites_a_newer(engine: Engine) -> None:
    buffer = BeatBuffer(engine)
    buffer.add(beat(outbox_depth=5))
    buffer.flush()
    [newer] = fleet(engine)
    stale = {"terminal_id": "T001", "site_id": "s", "software_version": "1",
             "catalog_version": "", "outbox_depth": 9, "oldest_unsent_age_s": None,
             "paper": "ok", "devices": "{}", "faults": "{}", "in_service": True,
             "service_reason": "", "paper_left_estimate": None, "degraded": False,
             "received_at": newer.last_seen - timedelta(seconds=1)}
    store_beats(engine, [stale])
    assert fleet(engine)[0].outbox_depth == 5


def test_colours(engine: Engine) -> None:
    buffer = BeatBuffer(engine)
    buffer.add(beat("T001"))
    buffer.add(beat("T002", devices={"printer": "hardware_error"}))
    buffer.add(beat("T003", oldest_unsent_age_s=7200.0, outbox_depth=4))
    buffer.stop()  # stop writes what is pending
    seen = {v.terminal_id: v.colour for v in fleet(engine)}
    assert seen == {"T001": KioskColour.GREEN, "T002": KioskColour.YELLOW,
                    "T003": KioskColour.YELLOW}
    later = datetime.now(UTC) + timedelta(minutes=3)
    assert {v.colour for v in fleet(engine, now=later)} == {KioskColour.RED}
