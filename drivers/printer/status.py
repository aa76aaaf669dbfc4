"""ESC/POS status: ``DLE EOT n`` replies, Automatic Status Back frames, the common model.

Protocol notes (hardware.md §2.4):

- ``DLE EOT n`` (10 04 n, n = 1..4) is real-time: the printer answers one byte at once, even
  while offline or mid-job. A reply has the bit pattern ``0xx1xx10`` (idle: 0x12).
- ``GS a n`` enables Automatic Status Back: on any change the printer pushes four bytes;
  the first has the pattern ``0xx1xx00``, the other three ``0xx0xxxx``.
- ``GS r 1`` is queued: its one-byte reply (``0xx0xxxx``) comes only once everything sent
  before it has been processed; the driver uses it to learn that a job is on paper.

``ReplySplitter`` tells these apart in the byte stream; ``PrinterState`` holds what they
say; ``device_fields`` maps it into the common ``DeviceStatus``.
"""

from __future__ import annotations

from dataclasses import dataclass, fields

from drivers.device import DeviceState, PaperStatus

DLE_EOT = b"\x10\x04"
ASB_ENABLE = b"\x1da\x0e"  # GS a: report online/offline, errors and paper sensors


def query(n: int) -> bytes:
    """``DLE EOT n``."""
    if n not in (1, 2, 3, 4):
        raise ValueError("DLE EOT n is 1..4")
    return DLE_EOT + bytes([n])


def is_realtime_reply(byte: int) -> bool:
    return byte & 0x93 == 0x12


def is_asb_header(byte: int) -> bool:
    return byte & 0x93 == 0x10


@dataclass(frozen=True)
class PrinterState:
    """What the printer reported; every flag False is a healthy idle printer."""

    offline: bool = False
    cover_open: bool = False
    paper_fed_by_button: bool = False
    stopped_by_paper_end: bool = False
    error: bool = False
    recoverable_error: bool = False
    cutter_error: bool = False
    unrecoverable_error: bool = False
    auto_recoverable_error: bool = False
    paper_near_end: bool = False
    paper_end: bool = False

    def faults(self) -> list[str]:
        """Names of the set flags, for technicians."""
        return [f.name.replace("_", " ") for f in fields(self) if getattr(self, f.name)]


def parse_replies(r1: int, r2: int, r3: int, r4: int) -> PrinterState:
    """Combine the replies to ``DLE EOT`` 1, 2, 3 and 4."""
    for n, byte in enumerate((r1, r2, r3, r4), start=1):
        if not is_realtime_reply(byte):
            raise ValueError(f"DLE EOT {n} reply {byte:#04x} lacks the 0xx1xx10 pattern")
    return PrinterState(
        offline=bool(r1 & 0x08),
        cover_open=bool(r2 & 0x04),
        paper_fed_by_button=bool(r2 & 0x08),
        stopped_by_paper_end=bool(r2 & 0x20),
        error=bool(r2 & 0x40),
        recoverable_error=bool(r3 & 0x04),
        cutter_error=bool(r3 & 0x08),
        unrecoverable_error=bool(r3 & 0x20),
        auto_recoverable_error=bool(r3 & 0x40),
        paper_near_end=bool(r4 & 0x0C),
        paper_end=bool(r4 & 0x60),
    )


def replies_for(state: PrinterState) -> bytes:
    """The four ``DLE EOT`` replies a printer in ``state`` sends (used by the simulator)."""
    r1 = 0x12 | (0x08 if state.offline else 0)
    r2 = 0x12 | (0x04 if state.cover_open else 0) | (0x08 if state.paper_fed_by_button else 0)
    r2 |= (0x20 if state.stopped_by_paper_end else 0) | (0x40 if state.error else 0)
    r3 = 0x12 | (0x04 if state.recoverable_error else 0) | (0x08 if state.cutter_error else 0)
    r3 |= (0x20 if state.unrecoverable_error else 0) | (0x40 if state.auto_recoverable_error else 0)
    r4 = 0x12 | (0x0C if state.paper_near_end else 0) | (0x60 if state.paper_end else 0)
    return bytes([r1, r2, r3, r4])


def parse_asb(frame: bytes) -> PrinterState:
    """Parse a four-byte Automatic Status Back frame."""
    if len(frame) != 4 or not is_asb_header(frame[0]):
        raise ValueError(f"not an ASB frame: {frame.hex(' ')}")
    b1, b2, b3, _ = frame
    return PrinterState(
        offline=bool(b1 & 0x08),
        cover_open=bool(b1 & 0x20),
        paper_fed_by_button=bool(b1 & 0x40),
        error=bool(b2 & 0x6C),
        recoverable_error=bool(b2 & 0x04),
        cutter_error=bool(b2 & 0x08),
        unrecoverable_error=bool(b2 & 0x20),
        auto_recoverable_error=bool(b2 & 0x40),
        paper_near_end=bool(b3 & 0x03),
        paper_end=bool(b3 & 0x0C),
        stopped_by_paper_end=bool(b3 & 0x0C),
    )


def asb_for(state: PrinterState) -> bytes:
    """The ASB frame a printer in ``state`` pushes (used by the simulator)."""
    b1 = 0x10 | (0x08 if state.offline else 0) | (0x20 if state.cover_open else 0)
    b1 |= 0x40 if state.paper_fed_by_button else 0
    b2 = (0x04 if state.recoverable_error else 0) | (0x08 if state.cutter_error else 0)
    b2 |= (0x20 if state.unrecoverable_error else 0) | (0x40 if state.auto_recoverable_error else 0)
    b3 = (0x03 if state.paper_near_end else 0) | (0x0C if state.paper_end else 0)
    return bytes([b1, b2, b3, 0x00])


@dataclass(frozen=True)
class RealtimeReply:
    byte: int


@dataclass(frozen=True)
class AsbFrame:
    frame: bytes


@dataclass(frozen=True)
class QueuedReply:
    byte: int


@dataclass(frozen=True)
class Junk:
    byte: int


Reply = RealtimeReply | AsbFrame | QueuedReply | Junk


class ReplySplitter:
    """Split the bytes a printer sends into real-time replies, ASB frames and queued replies."""

    def __init__(self) -> None:
        self._frame = bytearray()

    def feed(self, data: bytes) -> list[Reply]:
        out: list[Reply] = []
        for byte in data:
            if self._frame:
                if byte & 0x90:  # not a continuation byte: the frame was cut short
                    out.append(Junk(self._frame[0]))
                    self._frame.clear()
                else:
                    self._frame.append(byte)
                    if len(self._frame) == 4:
                        out.append(AsbFrame(bytes(self._frame)))
                        self._frame.clear()
                    continue
            if is_asb_header(byte):
                self._frame.append(byte)
            elif is_realtime_reply(byte):
                out.append(RealtimeReply(byte))
            elif byte & 0x90 == 0:
                out.append(QueuedReply(byte))
            else:
                out.append(Junk(byte))
        return out


def device_fields(state: PrinterState) -> tuple[DeviceState, PaperStatus, str]:
    """Map a printer state to the common model: (state, paper, detail for technicians)."""
    paper = PaperStatus.OUT if state.paper_end else PaperStatus.LOW if state.paper_near_end else PaperStatus.FULL
    if state.unrecoverable_error or state.cutter_error or state.auto_recoverable_error or state.recoverable_error:
        device = DeviceState.HARDWARE_ERROR
    elif state.cover_open:
        device = DeviceState.USER_ERROR
    elif state.offline and not state.paper_end:
        device = DeviceState.OFFLINE
    else:
        device = DeviceState.ONLINE  # paper out is reported in ``paper``, as SimPrinter does
    return device, paper, ", ".join(state.faults())
