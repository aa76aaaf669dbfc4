"""A wrong clock is measured at each heartbeat and told to the technician: the decision alone,
then a started terminal whose clock is hours off beating to a real embedded centre."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from contract.clock import CLOCK_TOLERANCE
from drivers.idcard import samples
from kiosk.cli.embedded_centre import centre_connector
from kiosk.config.settings import KioskConfig
from kiosk.maintenance.clock_check import check_clock, read_clock
from kiosk.maintenance.faults import FaultBook
from kiosk.session.identification import Identification
from kiosk.session.session import Session, Step
from kiosk.terminal import Terminal
from tests.kiosk.kiosk_support import FakeClock, MakeConfig
from tests.support import wait_for

CENTRE_NOW = datetime(2026, 12, 2, 12, 0, tzinfo=UTC)
SECOND = timedelta(seconds=1)


def beat(offset: timedelta, round_trip: timedelta = SECOND) -> tuple[datetime, datetime, datetime]:
    """(sent, received, answered) for a kiosk clock ``offset`` from the centre's; received mid-way."""
    sent = CENTRE_NOW + offset - round_trip / 2
    return sent, CENTRE_NOW, sent + round_trip


def test_a_right_clock_reads_right_and_a_slow_link_never_makes_it_wrong() -> None:
    reading = read_clock(*beat(timedelta(0)))
    assert reading.offset == timedelta(0) and not reading.wrong
    assert not read_clock(*beat(CLOCK_TOLERANCE)).wrong  # at the tolerance: still right
    # Ten minutes off but a 30-minute round trip: it might be right, so no fault.
    assert not read_clock(*beat(timedelta(minutes=10), round_trip=timedelta(minutes=30))).wrong
    assert read_clock(*beat(timedelta(minutes=10), round_trip=timedelta(minutes=2))).wrong


def test_the_offset_is_said_in_hours_and_minutes_fast_or_slow() -> None:
    ahead = read_clock(*beat(timedelta(hours=3, minutes=7)))
    assert ahead.wrong and ahead.words().startswith("本机时钟比中心快 3 小时 7 分")
    behind = read_clock(*beat(-timedelta(minutes=42)))
    assert behind.wrong and behind.words().startswith("本机时钟比中心慢 42 分钟")
    assert "校准时钟" in behind.words()


def test_a_clock_set_back_mid_beat_counts_no_round_trip() -> None:
    sent, received, _ = beat(timedelta(hours=2))
    reading = read_clock(sent, received, sent - timedelta(hours=2))  # answered "before" it was sent
    assert reading.uncertainty == timedelta(0) and reading.wrong


def test_a_kiosk_clock_without_a_zone_is_read_as_local_time() -> None:
    sent, received, answered = beat(timedelta(hours=1))
    local = [moment.astimezone().replace(tzinfo=None) for moment in (sent, answered)]
    assert read_clock(local[0], received, local[1]) == read_clock(sent, received, answered)


def test_the_fault_stands_while_the_clock_is_wrong_and_clears_when_right() -> None:
    faults = FaultBook()
    check_clock(faults, *beat(timedelta(hours=5)))
    first = faults.standing_faults()["clock"]
    assert first.code == "clock_wrong" and "快 5 小时" in first.words
    check_clock(faults, *beat(timedelta(hours=6)))  # worse: new words, same start
    again = faults.standing_faults()["clock"]
    assert "快 6 小时" in again.words and again.at == first.at
    check_clock(faults, *beat(timedelta(seconds=3)))
    assert "clock" not in faults.standing_faults()


@pytest.mark.parametrize(("kiosk_time", "accepted"), [
    (datetime(2028, 1, 1, 23, 59), True),
    (datetime(2028, 1, 2, 0, 0) + CLOCK_TOLERANCE - SECOND, True),  # a fast clock, just past midnight
    (datetime(2028, 1, 2, 0, 0) + CLOCK_TOLERANCE, False),
])
def test_an_id_card_on_its_last_day_allows_the_tolerance(
        shipped_config: KioskConfig, kiosk_time: datetime, accepted: bool) -> None:
    session = Session(shipped_config.offer, shipped_config.timeouts, clock=FakeClock())
    identification = Identification(session, lambda: kiosk_time, post=lambda event: None)
    session.begin()
    identification.card_read(samples.HMT_RESIDENCE_PERMIT)  # valid to 2028-01-01
    assert (session.identity is not None) is accepted
    assert session.step is (Step.CHOOSE if accepted else Step.IDENTIFY)


class OffsetClock:
    """The kiosk's wall clock, ``offset`` from the real one (the centre keeps the real one)."""

    def __init__(self) -> None:
        self.offset = timedelta(0)

    def __call__(self) -> datetime:
        return datetime.now().astimezone() + self.offset


def beat_once(terminal: Terminal) -> None:
    """One heartbeat to the centre, its acknowledgement handled."""
    assert terminal.link is not None
    before = terminal.link.heartbeats.last_ack
    terminal.link.heartbeats.send_one()
    assert terminal.link.heartbeats.last_ack is not before, "the centre did not take the beat"


def test_a_kiosk_hours_off_tells_the_technician_and_clears_when_set_right(kiosk_config: MakeConfig) -> None:
    from kiosk.maintenance.desk import MaintenanceDesk

    clock = OffsetClock()
    config = kiosk_config()  # the embedded centre, on the real clock
    terminal = Terminal(config, now=clock, centre=centre_connector(config))
    terminal.start()
    try:
        link = terminal.link
        assert link is not None
        wait_for(lambda: link.heartbeats.last_ack is not None)
        link.heartbeats.stop()  # the start-up beat is handled; the ones below are sent by hand
        assert "clock" not in terminal.faults.standing_faults()

        clock.offset = timedelta(hours=3)
        beat_once(terminal)
        fault = terminal.faults.standing_faults()["clock"]
        assert fault.code == "clock_wrong" and fault.words.startswith("本机时钟比中心快 3 小时 0 分"), fault.words
        sent = link.heartbeats.make_beat()
        assert sent.faults["clock"].code == "clock_wrong" and "快 3 小时" in sent.faults["clock"].message
        line = next(line for line in MaintenanceDesk(terminal, "pin").devices() if line.name == "clock")
        assert line.label == "时钟" and not line.healthy and "校准时钟" in line.last_error

        clock.offset = -timedelta(hours=2, minutes=30)
        beat_once(terminal)
        assert terminal.faults.standing_faults()["clock"].words.startswith("本机时钟比中心慢 2 小时 30 分")

        clock.offset = CLOCK_TOLERANCE / 2  # within the tolerance: right enough
        beat_once(terminal)
        assert "clock" not in terminal.faults.standing_faults()
        assert "clock" not in link.heartbeats.make_beat().faults
    finally:
        terminal.stop()
