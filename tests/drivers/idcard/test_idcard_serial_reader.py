"""The polling driver end to end: events, status, faults, reconnection, privacy."""

from __future__ import annotations

import dataclasses
import logging
import queue
import threading
import time
from collections.abc import Iterator

import pytest
from idcard_timing import FAST

from drivers.device import (
    CardRead,
    CardRemoved,
    DeviceErrorEvent,
    DeviceEvent,
    DeviceState,
    ErrorAction,
    MediaStatus,
    StatusChanged,
)
from drivers.errors import CardDataInvalid, UnsupportedBackend
from drivers.idcard import samples
from drivers.idcard.factory import make_id_card_reader
from drivers.idcard.record import IdCardRecord
from drivers.idcard.sam_link import Timing
from drivers.idcard.serial_reader import SerialIdCardReader
from drivers.idcard.sim import SimIdCardReader
from drivers.idcard.simwire import SimWireIdCardReader
from drivers.idcard.wire_simulator import Fault, FaultKind


class Events:
    """Collects a reader's events; ``next`` waits (bounded) for one of a kind."""

    def __init__(self, reader: SerialIdCardReader) -> None:
        self.queue: queue.Queue[DeviceEvent] = queue.Queue()
        self.all: list[DeviceEvent] = []
        reader.subscribe(self._put)

    def _put(self, event: DeviceEvent) -> None:
        self.all.append(event)
        self.queue.put(event)

    def next(self, kind: type[DeviceEvent], timeout: float = 2.0) -> DeviceEvent:
        deadline = time.monotonic() + timeout
        while True:
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                raise AssertionError(f"no {kind.__name__} within {timeout} s; got {self.all}")
            try:
                event = self.queue.get(timeout=remaining)
            except queue.Empty:
                continue
            if isinstance(event, kind):
                return event


def wait_for_state(reader: SerialIdCardReader, state: DeviceState, timeout: float = 3.0) -> None:
    deadline = time.monotonic() + timeout
    while reader.status.state is not state:
        assert time.monotonic() < deadline, f"state {reader.status} is not {state}"
        time.sleep(0.01)


@pytest.fixture
def reader() -> Iterator[SimWireIdCardReader]:
    reader = SimWireIdCardReader("idcard", pace=False, timing=FAST)
    reader.open()
    wait_for_state(reader, DeviceState.ONLINE)
    yield reader
    reader.close()


def test_card_read_then_removed(reader: SimWireIdCardReader) -> None:
    events = Events(reader)
    reader.place_card(samples.RESIDENT)
    read = events.next(CardRead)
    assert isinstance(read, CardRead) and read.record.id_number == samples.RESIDENT.id_number
    assert reader.status.media is MediaStatus.PRESENT
    reader.remove_card()
    events.next(CardRemoved)
    assert reader.status.media is MediaStatus.NOT_PRESENT


def test_a_card_is_read_once_until_it_leaves(reader: SimWireIdCardReader) -> None:
    events = Events(reader)
    reader.place_card(samples.FOREIGN_PERMANENT_2017)
    events.next(CardRead)
    time.sleep(0.3)  # many polls with the card still there
    assert sum(isinstance(e, CardRead) for e in events.all) == 1
    reader.place_card(samples.FOREIGN_PERMANENT_2023)  # a swap: out, then another in
    events.next(CardRemoved)
    second = events.next(CardRead)
    assert isinstance(second, CardRead)
    assert second.record.card_type is samples.FOREIGN_PERMANENT_2023.card_type


def test_every_card_type_is_delivered(reader: SimWireIdCardReader) -> None:
    events = Events(reader)
    for sample in samples.ALL:
        reader.place_card(sample)
        event = events.next(CardRead)
        assert isinstance(event, CardRead) and event.record.card_type is sample.card_type
        reader.remove_card()
        events.next(CardRemoved)


def test_fail_read_reports_an_error_and_waits_for_removal(reader: SimWireIdCardReader) -> None:
    events = Events(reader)
    reader.fail_read()
    error = events.next(DeviceErrorEvent)
    assert isinstance(error, DeviceErrorEvent) and error.action is ErrorAction.CLEAR
    assert reader.status.media is MediaStatus.PRESENT
    reader.remove_card()
    events.next(CardRemoved)
    reader.place_card(samples.RESIDENT)  # a good card reads again
    events.next(CardRead)


def test_a_card_still_being_put_down_is_read_once_it_settles() -> None:
    """Fast polling finds a card while it slides on: reads that fail at first are retried after
    a pause, and the resident sees no error if the card has settled by then."""
    reader = SimWireIdCardReader("idcard", pace=False, timing=dataclasses.replace(FAST, retry_pause=0.3))
    reader.open()
    try:
        wait_for_state(reader, DeviceState.ONLINE)
        events = Events(reader)
        reader.model.inject(Fault(FaultKind.READ_FAILS, "read_base", times=0))
        reader.place_card(samples.RESIDENT)
        threading.Timer(0.15, reader.model.clear_faults).start()  # settled between the first and second try
        events.next(CardRead)
        assert not any(isinstance(e, DeviceErrorEvent) for e in events.all)
    finally:
        reader.close()


def test_invalid_number_is_an_error_not_a_read(reader: SimWireIdCardReader) -> None:
    events = Events(reader)
    reader.place_card(IdCardRecord(**{**samples.RESIDENT.__dict__, "id_number": "320111194503120019"}))
    error = events.next(DeviceErrorEvent)
    assert isinstance(error, DeviceErrorEvent) and "校验" in error.message
    assert isinstance(reader.last_error, CardDataInvalid)
    time.sleep(0.1)
    assert not any(isinstance(e, CardRead) for e in events.all)


def test_card_removed_between_select_and_read(reader: SimWireIdCardReader) -> None:
    events = Events(reader)
    reader.model.inject(Fault(FaultKind.REMOVE_AFTER_SELECT))
    reader.place_card(samples.RESIDENT)
    error = events.next(DeviceErrorEvent)
    assert isinstance(error, DeviceErrorEvent) and "移开" in error.message
    assert reader.status.media is MediaStatus.NOT_PRESENT
    reader.place_card(samples.RESIDENT)
    events.next(CardRead)


def test_sam_failure_is_a_hardware_error_until_it_clears(reader: SimWireIdCardReader) -> None:
    events = Events(reader)
    reader.model.inject(Fault(FaultKind.SAM_FAILURE, "sam_status", times=0, sw3=0x60))
    error = events.next(DeviceErrorEvent, timeout=3.0)
    assert isinstance(error, DeviceErrorEvent) and error.action is ErrorAction.MAINTENANCE
    assert reader.status.state is DeviceState.HARDWARE_ERROR
    reader.model.clear_faults()
    wait_for_state(reader, DeviceState.ONLINE)


@pytest.mark.parametrize(
    "fault",
    [FaultKind.BAD_CHECKSUM, FaultKind.WRONG_LENGTH, FaultKind.TRUNCATED, FaultKind.GARBAGE],
)
def test_occasional_line_faults_do_not_disturb_the_resident(reader: SimWireIdCardReader, fault: FaultKind) -> None:
    events = Events(reader)
    reader.model.inject(Fault(fault, "find_card", times=2))
    reader.model.inject(Fault(fault, "read_base", times=1))
    reader.place_card(samples.HMT_RESIDENCE_PERMIT)
    events.next(CardRead, timeout=4.0)
    assert not any(isinstance(e, DeviceErrorEvent) for e in events.all)


def test_slow_replies_within_the_deadline_still_read(reader: SimWireIdCardReader) -> None:
    events = Events(reader)
    reader.model.inject(Fault(FaultKind.SLOW, "read_base", delay=0.3))
    reader.place_card(samples.RESIDENT)
    events.next(CardRead)


def test_silence_takes_the_reader_offline_then_it_recovers(reader: SimWireIdCardReader) -> None:
    events = Events(reader)
    reader.model.inject(Fault(FaultKind.SILENCE, times=0))
    wait_for_state(reader, DeviceState.OFFLINE, timeout=5.0)
    error = events.next(DeviceErrorEvent)
    assert isinstance(error, DeviceErrorEvent) and error.action is ErrorAction.SUSPEND
    reader.model.clear_faults()
    wait_for_state(reader, DeviceState.ONLINE, timeout=5.0)
    reader.place_card(samples.RESIDENT)
    events.next(CardRead)


def test_unplug_and_plug_in(reader: SimWireIdCardReader) -> None:
    events = Events(reader)
    reader.unplug()
    wait_for_state(reader, DeviceState.NO_DEVICE)
    assert reader.status.media is MediaStatus.UNKNOWN
    time.sleep(0.5)  # several reconnection attempts with back-off, no crash
    reader.plug_in()
    wait_for_state(reader, DeviceState.ONLINE)
    reader.place_card(samples.RESIDENT)
    events.next(CardRead)
    changes = [e for e in events.all if isinstance(e, StatusChanged)]
    entered = [e for e in changes if e.new.state is DeviceState.NO_DEVICE]
    assert sum(e.old.state is not DeviceState.NO_DEVICE for e in entered) == 1
    assert len(entered) <= 2  # "port lost", then "cannot open": no event per retry


def test_open_without_a_reader_does_not_raise() -> None:
    reader = SerialIdCardReader("/dev/no-such-idcard-reader", timing=FAST)
    reader.open()
    try:
        wait_for_state(reader, DeviceState.NO_DEVICE)
    finally:
        reader.close()
    assert reader.status.state is DeviceState.OFFLINE


def test_close_is_prompt_even_in_a_long_wait() -> None:
    slow = SimWireIdCardReader("idcard", pace=False, timing=Timing(read_timeout=10.0))
    slow.open()
    try:
        wait_for_state(slow, DeviceState.ONLINE)
        slow.model.inject(Fault(FaultKind.SILENCE, "read_base", times=0))
        slow.place_card(samples.RESIDENT)
        deadline = time.monotonic() + 3
        while not any(name == "read_base" for _, name, _ in slow.model.trace):
            assert time.monotonic() < deadline
            time.sleep(0.01)
    finally:
        start = time.monotonic()
        slow.close()
    assert time.monotonic() - start < 0.5


def test_no_name_or_number_reaches_the_log(reader: SimWireIdCardReader, caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.DEBUG)
    events = Events(reader)
    reader.model.inject(Fault(FaultKind.BAD_CHECKSUM, "read_base"))
    for sample in samples.ALL:
        reader.place_card(sample)
        events.next(CardRead)
    reader.place_card(IdCardRecord(**{**samples.RESIDENT.__dict__, "id_number": "320111194503120019"}))
    events.next(DeviceErrorEvent)
    logging.getLogger("test").info("events: %s", events.all)  # events' reprs, too
    text = caplog.text + "".join(repr(e) for e in events.all)
    assert "ID card read" in caplog.text
    for sample in samples.ALL:
        for secret in (sample.name, sample.id_number, sample.address, sample.english_name):
            assert not secret or secret not in text
    assert "320111194503120019" not in text


# --- factory -------------------------------------------------------------------------------


def test_factory_schemes() -> None:
    assert isinstance(make_id_card_reader("sim://"), SimIdCardReader)
    wired = make_id_card_reader("simwire://?card=resident&poll=0.1")
    assert isinstance(wired, SimWireIdCardReader) and wired.timing.poll_interval == 0.1
    assert wired.model.card_present
    for url in (
        "/dev/ttyUSB0",
        "serial:///dev/ttyUSB0?baudrate=115200&poll=0.7",
        "loop://",
        "socket://127.0.0.1:9",
        "hwgrep://1eab:0d10",
        "spy:///dev/ttyUSB0?file=x.log",
        "rfc2217://127.0.0.1:9",
    ):
        reader = make_id_card_reader(url)
        assert type(reader) is SerialIdCardReader, url
        assert "poll" not in reader.url
    assert make_id_card_reader("serial:///dev/ttyUSB0?poll=0.7").timing.poll_interval == 0.7  # type: ignore[attr-defined]


@pytest.mark.parametrize("url", ["usb://1234", "simwire://?card=passport", "simwire://?poll=fast"])
def test_factory_refuses_loudly(url: str) -> None:
    with pytest.raises(UnsupportedBackend):
        make_id_card_reader(url)


def test_simwire_default_delivers_well_under_a_second() -> None:
    reader = make_id_card_reader("simwire://")
    assert isinstance(reader, SimWireIdCardReader)
    events = Events(reader)
    reader.open()
    try:
        wait_for_state(reader, DeviceState.ONLINE)
        start = time.monotonic()
        reader.place_card(samples.RESIDENT)
        events.next(CardRead)
        assert time.monotonic() - start < 0.8
    finally:
        reader.close()
