"""The DLE EOT status-bit table, ASB frames, reply splitting and the mapping to DeviceStatus."""

from __future__ import annotations

import pytest

from drivers.device import DeviceState, PaperStatus
from drivers.printer.status import (
    AsbFrame,
    Junk,
    PrinterState,
    QueuedReply,
    RealtimeReply,
    ReplySplitter,
    asb_for,
    device_fields,
    parse_asb,
    parse_replies,
    query,
    replies_for,
)

OK = 0x12


def test_queries_are_dle_eot_n() -> None:
    assert [query(n) for n in (1, 2, 3, 4)] == [b"\x10\x04\x01", b"\x10\x04\x02", b"\x10\x04\x03", b"\x10\x04\x04"]
    with pytest.raises(ValueError):
        query(5)


def test_idle_printer_reports_nothing() -> None:
    assert parse_replies(OK, OK, OK, OK) == PrinterState()


# (which reply, bits set, the flag they mean) -- hardware.md §2.4
TABLE = [
    (1, 0x08, "offline"),
    (2, 0x04, "cover_open"),
    (2, 0x08, "paper_fed_by_button"),
    (2, 0x20, "stopped_by_paper_end"),
    (2, 0x40, "error"),
    (3, 0x04, "recoverable_error"),
    (3, 0x08, "cutter_error"),
    (3, 0x20, "unrecoverable_error"),
    (3, 0x40, "auto_recoverable_error"),
    (4, 0x0C, "paper_near_end"),
    (4, 0x60, "paper_end"),
]


@pytest.mark.parametrize(("n", "bits", "flag"), TABLE)
def test_status_bit_table(n: int, bits: int, flag: str) -> None:
    replies = [OK, OK, OK, OK]
    replies[n - 1] |= bits
    state = parse_replies(*replies)
    assert state.faults() == [flag.replace("_", " ")]
    assert replies_for(state)[n - 1] == OK | bits  # the simulator answers the same table


def test_reply_without_the_fixed_bits_is_rejected() -> None:
    with pytest.raises(ValueError):
        parse_replies(0x00, OK, OK, OK)


def test_asb_frame_round_trip() -> None:
    state = PrinterState(offline=True, cover_open=True, paper_near_end=True)
    frame = asb_for(state)
    assert frame == bytes([0x18 | 0x20, 0x00, 0x03, 0x00])
    assert parse_asb(frame) == state
    paper_out = parse_asb(bytes([0x18, 0x00, 0x0C, 0x00]))
    assert paper_out.paper_end and paper_out.offline
    cutter = parse_asb(bytes([0x18, 0x08, 0x00, 0x00]))
    assert cutter.cutter_error and cutter.error
    with pytest.raises(ValueError):
        parse_asb(b"\x12\x00\x00\x00")


def test_splitter_separates_asb_frames_from_replies() -> None:
    splitter = ReplySplitter()
    stream = asb_for(PrinterState(offline=True, paper_end=True)) + b"\x12\x1a" + b"\x00"
    first, second = stream[:2], stream[2:]
    out = splitter.feed(first) + splitter.feed(second)  # a frame split across reads
    assert out == [AsbFrame(b"\x18\x00\x0c\x00"), RealtimeReply(0x12), RealtimeReply(0x1A), QueuedReply(0)]
    assert splitter.feed(b"\x10\x12") == [Junk(0x10), RealtimeReply(0x12)]  # a cut-short frame
    assert splitter.feed(b"\xff") == [Junk(0xFF)]


@pytest.mark.parametrize(
    ("state", "device", "paper"),
    [
        (PrinterState(), DeviceState.ONLINE, PaperStatus.FULL),
        (PrinterState(paper_near_end=True), DeviceState.ONLINE, PaperStatus.LOW),
        (PrinterState(offline=True, paper_end=True, paper_near_end=True), DeviceState.ONLINE, PaperStatus.OUT),
        (PrinterState(offline=True, cover_open=True), DeviceState.USER_ERROR, PaperStatus.FULL),
        (PrinterState(offline=True, error=True, cutter_error=True), DeviceState.HARDWARE_ERROR, PaperStatus.FULL),
        (PrinterState(offline=True, unrecoverable_error=True), DeviceState.HARDWARE_ERROR, PaperStatus.FULL),
        (PrinterState(offline=True), DeviceState.OFFLINE, PaperStatus.FULL),
    ],
)
def test_mapping_into_the_common_model(state: PrinterState, device: DeviceState, paper: PaperStatus) -> None:
    mapped_device, mapped_paper, detail = device_fields(state)
    assert (mapped_device, mapped_paper) == (device, paper)
    assert detail == ", ".join(state.faults())


def test_error_events_carry_the_fault_type(make_wire_printer) -> None:  # type: ignore[no-untyped-def]
    from printer_support import wait_for

    from drivers.device import DeviceErrorEvent
    from drivers.errors import DeviceNotFound, DeviceTimeout, PaperOut

    printer, events = make_wire_printer(link="tcp", poll=0.05)
    printer.set_paper(0)
    wait_for(lambda: any(isinstance(e, DeviceErrorEvent) and e.error is PaperOut for e in events), timeout=3)
    printer.set_paper(50)
    printer.unplug()  # a closed port
    wait_for(
        lambda: any(isinstance(e, DeviceErrorEvent) and e.error in (DeviceNotFound, DeviceTimeout) for e in events),
        timeout=3,
    )
