"""A card reader's fault is told to the resident by its type, through the real driver on the wire."""

from __future__ import annotations

import queue
import time
from collections.abc import Iterator
from datetime import datetime

import pytest

from drivers.device import DeviceErrorEvent, DeviceEvent, DeviceState
from drivers.errors import CardDataInvalid, CardReadFailed, DeviceNotFound, DeviceTimeout, DriverError, NoCard, SamFault
from drivers.idcard.sam_link import Timing
from drivers.idcard.simwire import SimWireIdCardReader
from drivers.idcard.wire_simulator import Fault, FaultKind
from kiosk.config.settings import KioskConfig
from kiosk.messages import MessageId
from kiosk.session.identification import Identification, reader_fault_message
from kiosk.session.session import Session, Step
from tests.support import wait_for

# Short driver waits so faults surface quickly; still far above a pty's latency.
FAST = Timing(poll_interval=0.02, command_timeout=0.3, read_timeout=0.5, sam_check_interval=0.2, retries=2,
              max_failures=3, backoff_initial=0.05, backoff_max=0.2)


@pytest.mark.parametrize(
    ("error", "expected"),
    [
        (DeviceNotFound, MessageId.CARD_READER_UNAVAILABLE),
        (SamFault, MessageId.CARD_READER_FAULT),
        (DeviceTimeout, MessageId.CARD_READER_FAULT),
        (CardDataInvalid, MessageId.CARD_DATA_INVALID),
        (NoCard, MessageId.CARD_READ_FAILED),
        (CardReadFailed, MessageId.CARD_READ_FAILED),
    ],
)
def test_each_reader_fault_has_its_own_words(error: type, expected: MessageId) -> None:
    assert reader_fault_message(error) is expected


@pytest.fixture
def wired() -> Iterator[tuple[SimWireIdCardReader, queue.Queue[DeviceEvent]]]:
    reader = SimWireIdCardReader("idcard", pace=False, timing=FAST)
    events: queue.Queue[DeviceEvent] = queue.Queue()
    reader.subscribe(events.put)
    reader.open()
    wait_for(lambda: reader.status.state is DeviceState.ONLINE, timeout=3, describe="the simulated reader online")
    yield reader, events
    reader.close()


def feed_until_error(events: queue.Queue[DeviceEvent], identification: Identification) -> DeviceErrorEvent:
    """Hand the reader's events to identification, as the terminal does, until a fault arrives."""
    deadline = time.monotonic() + 5
    while (remaining := deadline - time.monotonic()) > 0:
        try:
            event = events.get(timeout=remaining)
        except queue.Empty:
            break
        if isinstance(event, DeviceErrorEvent):
            identification.reader_failed(event.error)
            return event
    raise AssertionError("the reader reported no fault")


@pytest.fixture
def identifying(shipped_config: KioskConfig) -> tuple[Session, Identification]:
    """A session on the identify step, with the identification that feeds it."""
    config = shipped_config
    session = Session(config.offer, config.timeouts)
    identification = Identification(session, lambda: datetime.now().astimezone(), post=lambda _event: None)
    session.begin()
    return session, identification


def test_a_failed_security_module_is_not_called_a_badly_laid_card(
    wired: tuple[SimWireIdCardReader, queue.Queue[DeviceEvent]], identifying: tuple[Session, Identification]
) -> None:
    (reader, events), (session, identification) = wired, identifying
    reader.model.inject(Fault(FaultKind.SAM_FAILURE, "sam_status", times=0, sw3=0x60))
    feed_until_error(events, identification)
    assert session.step is Step.IDENTIFY
    assert session.error_message is not None and session.error_message.id is MessageId.CARD_READER_FAULT
    assert "平放" not in session.error


def test_an_unplugged_reader_says_to_use_the_app_or_staff(
    wired: tuple[SimWireIdCardReader, queue.Queue[DeviceEvent]], identifying: tuple[Session, Identification]
) -> None:
    (reader, events), (session, identification) = wired, identifying
    reader.unplug()
    feed_until_error(events, identification)
    assert session.error_message is not None and session.error_message.id is MessageId.CARD_READER_UNAVAILABLE
    assert "扫码" in session.error


@pytest.mark.parametrize("fault", ["unplug", "sam"])
def test_a_reader_failing_between_residents_leaves_the_attract_screen_alone(
    wired: tuple[SimWireIdCardReader, queue.Queue[DeviceEvent]], shipped_config: KioskConfig, fault: str
) -> None:
    """Nobody is there: the next resident must not find identify saying "lay your card flat"."""
    reader, events = wired
    session = Session(shipped_config.offer, shipped_config.timeouts)
    identification = Identification(session, lambda: datetime.now().astimezone(), post=lambda _event: None)
    if fault == "unplug":
        reader.unplug()
    else:
        reader.model.inject(Fault(FaultKind.SAM_FAILURE, "sam_status", times=0, sw3=0x60))
    feed_until_error(events, identification)
    assert session.step is Step.ATTRACT and session.error_message is None


def test_a_card_that_cannot_be_read_at_attract_opens_identify_with_how_to_place_it(shipped_config: KioskConfig) -> None:
    session = Session(shipped_config.offer, shipped_config.timeouts)
    identification = Identification(session, lambda: datetime.now().astimezone(), post=lambda _event: None)
    identification.reader_failed(DriverError)
    assert session.step is Step.IDENTIFY
    assert session.error_message is not None and session.error_message.id is MessageId.CARD_READ_FAILED
