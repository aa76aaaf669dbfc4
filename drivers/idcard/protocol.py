"""Frames and commands of the second-generation ID-card reader (SAM protocol, GA 467).

Device: a 二代证 reader module with a security module (SAM) behind a UART or a USB-serial
bridge, 115200 8N1 by default (hardware.md §1.1).

Frame layout (hardware.md §1.2)::

    host → reader   AA AA AA 96 69 · Len1 Len2 · CMD  Para · Data… · CHK
    reader → host   AA AA AA 96 69 · Len1 Len2 · SW1 SW2 SW3 · Data… · CHK

``Len`` (big-endian) counts every byte after itself, CHK included. CHK is the XOR of every
byte after the preamble (Len1 and Len2 included) except CHK itself. A frame is 7 + Len bytes.
SW3 is the reader/SAM status (table in ``SW3_MEANINGS``, hardware.md §1.4); SW1 SW2 relay
the card's APDU status and are carried but not interpreted.

This module only turns bytes into values and back; it never touches a port. Every decoding
failure raises a ``ProtocolError`` subclass, and every SW3 failure maps onto a
``DeviceFault`` subclass through ``raise_for_sw3``.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

from drivers.errors import (
    CardReadFailed,
    DeviceFault,
    DriverError,
    FrameChecksumError,
    FrameLengthError,
    NoCard,
    ProtocolError,
    SamFault,
)

PREAMBLE = b"\xaa\xaa\xaa\x96\x69"
HEADER_SIZE = 7  # preamble + Len1 Len2
MIN_COMMAND_LEN = 3  # CMD Para CHK
MIN_RESPONSE_LEN = 4  # SW1 SW2 SW3 CHK
# The largest real response is text+photo+fingerprint: 3 + 6 + 256 + 1024 + 1024 + 1 = 2314.
# Anything beyond this is a corrupt length field, not a frame to wait for.
MAX_LEN = 4096

TEXT_SIZE = 256
PHOTO_SIZE = 1024


def xor_checksum(data: bytes) -> int:
    """Return the XOR of all bytes of ``data`` (0 for no bytes)."""
    # Fold the bytes as one big integer: O(log n) integer operations instead of n.
    n = len(data)
    if n == 0:
        return 0
    value = int.from_bytes(data, "big")
    while n > 1:
        low = (n + 1) // 2
        bits = low * 8
        value = (value >> bits) ^ (value & ((1 << bits) - 1))
        n = low
    return value


def encode_frame(payload: bytes) -> bytes:
    """Wrap ``payload`` (CMD Para Data, or SW1 SW2 SW3 Data) in preamble, length and CHK."""
    length = len(payload) + 1
    if length > 0xFFFF:
        raise ValueError(f"payload of {len(payload)} bytes does not fit a frame")
    body = length.to_bytes(2, "big") + payload
    return PREAMBLE + body + bytes([xor_checksum(body)])


# --- commands ---------------------------------------------------------------------------


@dataclass(frozen=True)
class Command:
    """One host → reader command: CMD, Para and optional data."""

    name: str
    cmd: int
    para: int
    data: bytes = b""
    frame: bytes = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "frame", encode_frame(bytes([self.cmd, self.para]) + self.data))

    @property
    def key(self) -> tuple[int, int]:
        return (self.cmd, self.para)


RESET = Command("reset", 0x10, 0xFF)
SAM_STATUS = Command("sam_status", 0x11, 0xFF)
SAM_ID = Command("sam_id", 0x12, 0xFF)
FIND_CARD = Command("find_card", 0x20, 0x01)
SELECT_CARD = Command("select_card", 0x20, 0x02)
READ_BASE = Command("read_base", 0x30, 0x01)
READ_APPENDED_ADDRESS = Command("read_appended_address", 0x30, 0x03)
READ_BASE_FINGERPRINT = Command("read_base_fingerprint", 0x30, 0x10)
SET_RF_MAX = Command("set_rf_max", 0x61, 0xFF, b"\x50")

COMMANDS = (
    RESET,
    SAM_STATUS,
    SAM_ID,
    FIND_CARD,
    SELECT_CARD,
    READ_BASE,
    READ_APPENDED_ADDRESS,
    READ_BASE_FINGERPRINT,
    SET_RF_MAX,
)
COMMAND_BY_KEY = {c.key: c for c in COMMANDS}

BAUD_RATES = (115200, 57600, 38400, 19200, 9600)


def set_baud_rate(baudrate: int) -> Command:
    """Return the command switching the reader's UART to ``baudrate`` (60 00…04)."""
    try:
        index = BAUD_RATES.index(baudrate)
    except ValueError:
        raise ValueError(f"baud rate must be one of {BAUD_RATES}") from None
    return Command(f"set_baud_{baudrate}", 0x60, index)


# --- SW3 status ---------------------------------------------------------------------------

SW3_SUCCESS = 0x90
SW3_FIND_OK = 0x9F
SW3_NO_CARD = 0x80
SW3_SELECT_FAILED = 0x81
SW3_NO_CONTENT = 0x91
SW3_HOST_CHECKSUM = 0x10
SW3_HOST_LENGTH = 0x11
SW3_BAD_COMMAND = 0x21
SW3_UNAUTHORISED_OP = 0x23
SW3_UNKNOWN_ERROR = 0x24
SW3_UNKNOWN_CARD = 0x40
SW3_READ_FAILED = 0x41
SW3_RANDOM_FAILED = 0x47
SW3_SAM_SELF_TEST = 0x60
SW3_SAM_UNAUTHORISED = 0x66
SW3_CARD_AUTH_SAM = 0x31
SW3_SAM_AUTH_CARD = 0x32
SW3_VERIFY_FAILED = 0x33

SW3_MEANINGS: dict[int, str] = {
    SW3_SUCCESS: "success",
    SW3_FIND_OK: "find card succeeded",
    SW3_NO_CARD: "find card failed (no card)",
    SW3_SELECT_FAILED: "select card failed",
    SW3_NO_CONTENT: "card has no content for this item",
    SW3_HOST_CHECKSUM: "checksum error in host frame",
    SW3_HOST_LENGTH: "length error in host frame",
    SW3_BAD_COMMAND: "command/parameter error",
    SW3_UNAUTHORISED_OP: "unauthorised operation",
    SW3_UNKNOWN_ERROR: "unrecognised error",
    SW3_UNKNOWN_CARD: "unrecognised card type",
    SW3_READ_FAILED: "read card failed",
    SW3_RANDOM_FAILED: "get-random failed",
    SW3_SAM_SELF_TEST: "SAM self-test failed",
    SW3_SAM_UNAUTHORISED: "SAM not authorised",
    SW3_CARD_AUTH_SAM: "card failed to authenticate the SAM",
    SW3_SAM_AUTH_CARD: "SAM failed to authenticate the card",
    SW3_VERIFY_FAILED: "information verification error",
}

# Which error each failing SW3 becomes. Host-frame errors are ours (or line noise): a
# ProtocolError, retried. SAM faults need a technician. The rest concern the card in hand.
_SW3_ERRORS: dict[int, type[DriverError]] = {
    SW3_NO_CARD: NoCard,
    SW3_SELECT_FAILED: CardReadFailed,
    SW3_NO_CONTENT: CardReadFailed,
    SW3_HOST_CHECKSUM: ProtocolError,
    SW3_HOST_LENGTH: ProtocolError,
    SW3_BAD_COMMAND: ProtocolError,
    SW3_UNAUTHORISED_OP: DeviceFault,
    SW3_UNKNOWN_ERROR: DeviceFault,
    SW3_UNKNOWN_CARD: CardReadFailed,
    SW3_READ_FAILED: CardReadFailed,
    SW3_RANDOM_FAILED: CardReadFailed,
    SW3_SAM_SELF_TEST: SamFault,
    SW3_SAM_UNAUTHORISED: SamFault,
    SW3_CARD_AUTH_SAM: CardReadFailed,
    SW3_SAM_AUTH_CARD: CardReadFailed,
    SW3_VERIFY_FAILED: CardReadFailed,
}


def describe_sw3(sw3: int) -> str:
    """Return the documented meaning of ``sw3`` (or say it is unknown)."""
    return SW3_MEANINGS.get(sw3, f"unknown status 0x{sw3:02X}")


def error_for_sw3(sw3: int, command: str = "") -> DriverError:
    """Return the driver error a failing ``sw3`` stands for (an unknown code is a DeviceFault)."""
    kind = _SW3_ERRORS.get(sw3, DeviceFault)
    where = f"{command}: " if command else ""
    return kind(f"{where}SW3 0x{sw3:02X} {describe_sw3(sw3)}")


# --- responses ----------------------------------------------------------------------------


@dataclass(frozen=True)
class Response:
    """One reader → host frame, decoded."""

    sw1: int
    sw2: int
    sw3: int
    data: bytes = field(default=b"", repr=False)

    @classmethod
    def from_payload(cls, payload: bytes) -> Response:
        if len(payload) < MIN_RESPONSE_LEN - 1:
            raise FrameLengthError(f"response of {len(payload)} bytes has no SW1 SW2 SW3")
        return cls(payload[0], payload[1], payload[2], bytes(payload[3:]))

    def encode(self) -> bytes:
        return encode_frame(bytes([self.sw1, self.sw2, self.sw3]) + self.data)

    def raise_for_sw3(self, command: str = "", ok: Iterable[int] = (SW3_SUCCESS,)) -> Response:
        """Return self when SW3 is one of ``ok``; otherwise raise the matching driver error."""
        if self.sw3 in ok:
            return self
        raise error_for_sw3(self.sw3, command)


class FrameDecoder:
    """Split a byte stream into frame payloads, skipping noise between frames.

    ``feed`` adds bytes; ``next_payload`` returns the payload of the next complete frame
    (the bytes between Len and CHK), ``None`` when more bytes are needed, and raises
    ``FrameLengthError`` or ``FrameChecksumError`` for a bad frame, having dropped enough
    bytes that the next call resynchronises on the following preamble.
    """

    def __init__(self, min_len: int = MIN_COMMAND_LEN, max_len: int = MAX_LEN) -> None:
        self._buf = bytearray()
        self._min_len = min_len
        self._max_len = max_len
        self.skipped = 0  # noise bytes discarded before preambles

    def feed(self, data: bytes) -> None:
        self._buf += data

    def clear(self) -> None:
        self._buf.clear()

    @property
    def buffered(self) -> int:
        return len(self._buf)

    def needed(self) -> int:
        """Return how many more bytes the frame under way needs (at least 1)."""
        buf = self._buf
        start = buf.find(PREAMBLE)
        if start < 0 or len(buf) - start < HEADER_SIZE:
            return max(1, HEADER_SIZE - (len(buf) - max(start, 0)))
        length = (buf[start + 5] << 8) | buf[start + 6]
        if not self._min_len <= length <= self._max_len:
            return 1
        return max(1, start + HEADER_SIZE + length - len(buf))

    def next_payload(self) -> bytes | None:
        buf = self._buf
        start = buf.find(PREAMBLE)
        if start < 0:
            # Keep a tail that may be the beginning of a preamble split across reads.
            keep = _preamble_prefix_len(buf)
            self.skipped += len(buf) - keep
            del buf[: len(buf) - keep]
            return None
        if start:
            self.skipped += start
            del buf[:start]
        if len(buf) < HEADER_SIZE:
            return None
        length = (buf[5] << 8) | buf[6]
        if not self._min_len <= length <= self._max_len:
            del buf[:1]
            raise FrameLengthError(f"frame length {length} outside {self._min_len}..{self._max_len}")
        end = HEADER_SIZE + length
        if len(buf) < end:
            return None
        frame = bytes(buf[:end])
        del buf[:end]
        if xor_checksum(frame[5:-1]) != frame[-1]:
            raise FrameChecksumError(f"frame checksum 0x{frame[-1]:02X}, expected 0x{xor_checksum(frame[5:-1]):02X}")
        return frame[HEADER_SIZE:-1]


def _preamble_prefix_len(buf: bytearray) -> int:
    for size in range(min(len(buf), len(PREAMBLE) - 1), 0, -1):
        if buf.endswith(PREAMBLE[:size]):
            return size
    return 0


def decode_response(frame: bytes) -> Response:
    """Decode exactly one complete response frame; raise ``ProtocolError`` if it is not one."""
    if not frame.startswith(PREAMBLE):
        raise ProtocolError("frame does not start with the preamble AA AA AA 96 69")
    decoder = FrameDecoder(min_len=MIN_RESPONSE_LEN)
    decoder.feed(frame)
    payload = decoder.next_payload()
    if payload is None:
        raise FrameLengthError(f"frame of {len(frame)} bytes is shorter than its length field says")
    if decoder.buffered:
        raise FrameLengthError(f"{decoder.buffered} bytes after the end of the frame")
    return Response.from_payload(payload)


# --- base-info body (30 01 / 30 10) -------------------------------------------------------


@dataclass(frozen=True)
class BaseInfo:
    """The body of a read-base-info response: the text block, the WLT photo, a fingerprint."""

    text: bytes = field(repr=False)
    photo: bytes = field(repr=False)
    fingerprint: bytes = field(default=b"", repr=False)


def parse_base_info(data: bytes, with_fingerprint: bool = False) -> BaseInfo:
    """Split the data of a 30 01 (or, with ``with_fingerprint``, 30 10) response."""
    head = 6 if with_fingerprint else 4
    if len(data) < head:
        raise FrameLengthError(f"base-info body of {len(data)} bytes has no length fields")
    text_len = int.from_bytes(data[0:2], "big")
    photo_len = int.from_bytes(data[2:4], "big")
    finger_len = int.from_bytes(data[4:6], "big") if with_fingerprint else 0
    if text_len != TEXT_SIZE:
        raise FrameLengthError(f"text block of {text_len} bytes, expected {TEXT_SIZE}")
    if head + text_len + photo_len + finger_len != len(data):
        raise FrameLengthError(
            f"base-info lengths {text_len}+{photo_len}+{finger_len} disagree with a body of {len(data) - head}"
        )
    text_end = head + text_len
    photo_end = text_end + photo_len
    return BaseInfo(bytes(data[head:text_end]), bytes(data[text_end:photo_end]), bytes(data[photo_end:]))


def encode_base_info(info: BaseInfo, with_fingerprint: bool = False) -> bytes:
    """Build the data of a 30 01 / 30 10 response (the simulator's side)."""
    head = len(info.text).to_bytes(2, "big") + len(info.photo).to_bytes(2, "big")
    if with_fingerprint:
        head += len(info.fingerprint).to_bytes(2, "big")
        return head + info.text + info.photo + info.fingerprint
    return head + info.text + info.photo
