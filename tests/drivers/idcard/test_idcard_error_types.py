"""Error events carry the fault's type, so the kiosk can word each one for the resident."""

from __future__ import annotations

import queue
import time
from collections.abc import Iterator

import pytest
from idcard_timing import FAST

from drivers.device import DeviceErrorEvent, DeviceEvent, DeviceState
from drivers.errors import CardReadFailed, DeviceNotFound, SamFault
from drivers.idcard.sim import SimIdCardReader
from drivers.idcard.simwire import SimWireIdCardReader
from drivers.idcard.wire_simulator import Fault, FaultKind


def next_error(events: queue.Queue[DeviceEvent], timeout: float = 3.0) -> DeviceErrorEvent:
    deadline = time.monotonic() + timeout
    while (remaining := deadline - time.monotonic()) > 0:
        try:
            event = events.get(timeout=remaining)
        except queue.Empty:
            break
        if isinstance(event, DeviceErrorEvent):
            return event
    raise AssertionError(f"no DeviceErrorEvent within {timeout} s")


@pytest.fixture
def wired() -> Iterator[tuple[SimWireIdCardReader, queue.Queue[DeviceEvent]]]:
    reader = SimWireIdCardReader("idcard", pace=False, timing=FAST)
    events: queue.Queue[DeviceEvent] = queue.Queue()
    reader.subscribe(events.put)
    reader.open()
    deadline = time.monotonic() + 3
    while reader.status.state is not DeviceState.ONLINE:
        assert time.monotonic() < deadline
        time.sleep(0.01)
    yield reader, events
    reader.close()


def test_an_unplugged_reader_reports_device_not_found(
    wired: tuple[SimWireIdCardReader, queue.Queue[DeviceEvent]],
) -> None:
    reader, events = wired
    reader.unplug()
    error = next_error(events)
    assert error.error is DeviceNotFound


def test_a_sam_fault_reports_sam_fault(wired: tuple[SimWireIdCardReader, queue.Queue[DeviceEvent]]) -> None:
    reader, events = wired
    reader.model.inject(Fault(FaultKind.SAM_FAILURE, "sam_status", times=0, sw3=0x60))
    error = next_error(events)
    assert error.error is SamFault


def test_an_unreadable_card_reports_a_failed_read(wired: tuple[SimWireIdCardReader, queue.Queue[DeviceEvent]]) -> None:
    reader, events = wired
    reader.fail_read()
    assert issubclass(next_error(events).error, CardReadFailed)
    sim = SimIdCardReader()
    sim_events: queue.Queue[DeviceEvent] = queue.Queue()
    sim.subscribe(sim_events.put)
    sim.open()
    sim.fail_read()
    assert next_error(sim_events).error is CardReadFailed
