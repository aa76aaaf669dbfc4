"""The reader's side of the SAM protocol, for tests, the bench and the demo.

``ReaderModel`` answers command frames the way a reader with a SAM does (hardware.md §1.3):
find → select → read is enforced, a host frame with a bad checksum gets SW3 0x10 and one
with a bad length 0x11, an unknown command 0x21. Cards of all four types are placed and
removed by calls, and faults are injected per command (``Fault``): bad checksum, wrong
length, truncated frame, garbage around a frame, silence, a SAM failure code, the card
leaving between select and read, a read that fails, a slow reply.

The model is transport-free: ``handle_frame_payload`` returns a ``Reply`` (chunks of bytes,
each after a delay). ``drivers.idcard.sim_transport`` serves it on a pseudo-terminal or a
TCP socket. Behaviour not in our sources is marked: the data of a find (4 zero bytes) and
select (8 zero bytes) reply, the SAM id layout, and whether a read card answers find again
before leaving the field (``halt_after_read``; default: it does).
"""

from __future__ import annotations

import enum
import hashlib
import threading
import time
from collections import deque
from dataclasses import dataclass, field

from drivers.idcard import protocol as p
from drivers.idcard.record import IdCardRecord
from drivers.idcard.text_block import encode_text_block


class FaultKind(enum.StrEnum):
    BAD_CHECKSUM = "bad_checksum"  # the reply's CHK is wrong
    WRONG_LENGTH = "wrong_length"  # the reply's Len is one short
    TRUNCATED = "truncated"  # only the first half of the reply is sent
    GARBAGE = "garbage"  # noise (with false preamble starts) before and after the reply
    SILENCE = "silence"  # no reply at all
    SAM_FAILURE = "sam_failure"  # the reply carries ``sw3`` (e.g. 0x60, 0x66)
    REMOVE_AFTER_SELECT = "remove_after_select"  # select succeeds, then the card is gone
    READ_FAILS = "read_fails"  # read-base-info answers 0x41
    SLOW = "slow"  # the reply comes after ``delay`` seconds


@dataclass
class Fault:
    """A fault for the next ``times`` replies to ``command`` (a ``Command.name``; None: any).

    ``times=0`` keeps the fault until ``clear_faults`` (READ_FAILS also ends with the card's
    removal).
    """

    kind: FaultKind
    command: str | None = None
    times: int = 1
    sw3: int = p.SW3_SAM_SELF_TEST
    delay: float = 0.5


@dataclass(frozen=True)
class Reply:
    """Bytes to send, each chunk after its delay in seconds; no chunks means silence."""

    chunks: tuple[tuple[float, bytes], ...] = ()

    @property
    def data(self) -> bytes:
        return b"".join(chunk for _, chunk in self.chunks)


@dataclass(frozen=True)
class CardImage:
    """What a card holds, as bytes: the 256-byte text block, the WLT photo, a fingerprint."""

    text: bytes = field(repr=False)
    photo: bytes = field(repr=False)
    fingerprint: bytes = field(default=b"", repr=False)

    @classmethod
    def of(cls, record: IdCardRecord) -> CardImage:
        text = encode_text_block(record)
        photo = record.photo_wlt or _fake_wlt(text)
        return cls(text, photo, record.fingerprint)


def _fake_wlt(seed: bytes) -> bytes:
    # Stand-in photo bytes: deterministic, 1024 long, not an image in any format.
    return (hashlib.sha256(seed).digest() * 32)[: p.PHOTO_SIZE]


SAM_ID_DATA = bytes.fromhex("0000000005000000202611230000000100000001")  # [UNVERIFIED] layout
_FIND_DATA = bytes(4)
_SELECT_DATA = bytes(8)
_GARBAGE = b"\x00\xff\xaa\xaa\x13\xaa\xaa\xaa\x96\x37\x55\xaa\xaa"


class ReaderModel:
    """A reader with a SAM and at most one card in its field. Thread-safe."""

    def __init__(self, card: IdCardRecord | CardImage | None = None, *, halt_after_read: bool = False) -> None:
        self._lock = threading.Lock()
        self._card: CardImage | None = None
        self._selected = False
        self._halted = False
        self._gap = False
        self._faults: list[Fault] = []
        self.halt_after_read = halt_after_read
        # (monotonic time, command name, reply size) of recent commands, for the bench.
        self.trace: deque[tuple[float, str, int]] = deque(maxlen=4096)
        self.placed_at: float | None = None
        if card is not None:
            self.place(card)

    # --- the developer's hands ---------------------------------------------------------

    def place(self, card: IdCardRecord | CardImage) -> None:
        """Put a card in the field (replacing any card there)."""
        image = card if isinstance(card, CardImage) else CardImage.of(card)
        with self._lock:
            # Swapping cards takes one away first: the next find sees an empty field.
            self._gap = self._card is not None
            self._card = image
            self._selected = False
            self._halted = False
            self.placed_at = time.monotonic()

    def remove(self) -> None:
        """Take the card out of the field."""
        with self._lock:
            self._take_card()

    @property
    def card_present(self) -> bool:
        with self._lock:
            return self._card is not None

    def inject(self, fault: Fault) -> None:
        with self._lock:
            self._faults.append(fault)

    def clear_faults(self) -> None:
        with self._lock:
            self._faults.clear()

    def _take_card(self) -> None:
        self._card = None
        self._selected = False
        self._halted = False
        self._faults = [f for f in self._faults if f.kind is not FaultKind.READ_FAILS]

    # --- the wire -----------------------------------------------------------------------

    def handle_bad_frame(self, error: Exception) -> Reply:
        """Answer a host frame that failed to decode (checksum → 0x10, length → 0x11)."""
        sw3 = p.SW3_HOST_CHECKSUM if isinstance(error, p.FrameChecksumError) else p.SW3_HOST_LENGTH
        return Reply(((0.0, p.Response(0, 0, sw3).encode()),))

    def handle_frame_payload(self, payload: bytes) -> Reply:
        """Answer one decoded host frame (CMD Para Data)."""
        with self._lock:
            command = p.COMMAND_BY_KEY.get((payload[0], payload[1])) if len(payload) >= 2 else None
            name = command.name if command else ("set_baud" if len(payload) >= 2 and payload[0] == 0x60 else "unknown")
            fault = self._take_fault(name)
            if fault is not None and fault.kind is FaultKind.SILENCE:
                self.trace.append((time.monotonic(), name, 0))
                return Reply()
            if fault is not None and fault.kind is FaultKind.SAM_FAILURE:
                response = p.Response(0, 0, fault.sw3)
            else:
                response = self._respond(name, fault)
            frame = response.encode()
            self.trace.append((time.monotonic(), name, len(frame)))
        return _shape(frame, fault)

    def _take_fault(self, name: str) -> Fault | None:
        for fault in self._faults:
            if fault.command not in (None, name):
                continue
            if fault.kind is FaultKind.READ_FAILS and not name.startswith("read_base"):
                continue
            if fault.kind is FaultKind.REMOVE_AFTER_SELECT and name != "select_card":
                continue
            if fault.times > 0:
                fault.times -= 1
                if fault.times == 0:
                    self._faults.remove(fault)
            return fault
        return None

    def _respond(self, name: str, fault: Fault | None) -> p.Response:
        card = self._card
        live = card is not None and not self._halted
        if name in ("reset", "sam_status", "set_rf_max", "set_baud"):
            if name == "reset":
                self._selected = False
            return p.Response(0, 0, p.SW3_SUCCESS)
        if name == "sam_id":
            return p.Response(0, 0, p.SW3_SUCCESS, SAM_ID_DATA)
        if name == "find_card":
            if self._gap:
                self._gap = False
                return p.Response(0, 0, p.SW3_NO_CARD)
            return p.Response(0, 0, p.SW3_FIND_OK, _FIND_DATA) if live else p.Response(0, 0, p.SW3_NO_CARD)
        if name == "select_card":
            if not live:
                return p.Response(0, 0, p.SW3_SELECT_FAILED)
            self._selected = True
            if fault is not None and fault.kind is FaultKind.REMOVE_AFTER_SELECT:
                self._take_card()
            return p.Response(0, 0, p.SW3_SUCCESS, _SELECT_DATA)
        if name.startswith("read_base"):
            if card is None or not self._selected or (fault and fault.kind is FaultKind.READ_FAILS):
                self._selected = False
                return p.Response(0, 0, p.SW3_READ_FAILED)
            self._selected = False
            self._halted = self.halt_after_read
            with_fp = name == "read_base_fingerprint"
            info = p.BaseInfo(card.text, card.photo, card.fingerprint)
            return p.Response(0, 0, p.SW3_SUCCESS, p.encode_base_info(info, with_fp))
        if name == "read_appended_address":
            return p.Response(0, 0, p.SW3_NO_CONTENT)
        return p.Response(0, 0, p.SW3_BAD_COMMAND)


def _shape(frame: bytes, fault: Fault | None) -> Reply:
    """Apply a transport fault to a reply frame."""
    kind = fault.kind if fault else None
    if kind is FaultKind.BAD_CHECKSUM:
        return Reply(((0.0, frame[:-1] + bytes([frame[-1] ^ 0x5A])),))
    if kind is FaultKind.WRONG_LENGTH:
        length = int.from_bytes(frame[5:7], "big") - 1
        bad = frame[:5] + length.to_bytes(2, "big") + frame[7:]
        if p.xor_checksum(bad[5 : 7 + length - 1]) == bad[7 + length - 1]:
            bad = bad[:-1] + bytes([bad[-1] ^ 0x01])  # keep it detectably wrong
        return Reply(((0.0, bad),))
    if kind is FaultKind.TRUNCATED:
        return Reply(((0.0, frame[: max(1, len(frame) // 2)]),))
    if kind is FaultKind.GARBAGE:
        return Reply(((0.0, _GARBAGE + frame + _GARBAGE[:5]),))
    if kind is FaultKind.SLOW and fault is not None:
        return Reply(((fault.delay, frame),))
    return Reply(((0.0, frame),))
