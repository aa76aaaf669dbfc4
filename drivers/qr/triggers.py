"""Trigger commands of the scanner families we support (hardware.md §3).

In command-trigger mode the scanner reads only after the host sends a start command, and
stops on a good read or on the stop command. Families:

- ``honeywell``: start ``SYN T CR`` (16 54 0D), stop ``SYN U CR`` (16 55 0D), in manual /
  serial trigger mode. No acknowledgement.
- ``newland``: binary command frames ``7E 00 | type | len | addr(2) | data | CRC16``, the CRC
  being CRC-16/XMODEM over type..data (which reproduces the frames in hardware.md: enter
  command-trigger mode ``7E 00 08 01 00 00 D5 EF 41``, start ``… 00 02 01 02 DA``, stop
  ``… 00 02 02 32 B9``). The scanner acknowledges with ``02 00 00 01 00 33 31``
  **[UNVERIFIED for Newland; the same protocol's documented reply on compatible modules]**;
  the driver drops that sequence wherever it starts a frame.
- ``zkteco``: start ``T`` (0x54), stop ``P`` (0x50); a failed read answers ``%%NoRead``,
  which the driver drops.
"""

from __future__ import annotations

import binascii
from dataclasses import dataclass


def newland_command(kind: int, address: int, data: bytes) -> bytes:
    """Build a Newland binary command frame (``7E 00`` header, CRC-16/XMODEM trailer)."""
    if not 0 <= address <= 0xFFFF or len(data) > 0xFF:
        raise ValueError("address must fit 16 bits and data 255 bytes")
    body = bytes([kind, len(data)]) + address.to_bytes(2, "big") + data
    return b"\x7e\x00" + body + binascii.crc_hqx(body, 0).to_bytes(2, "big")


@dataclass(frozen=True)
class TriggerFamily:
    """What to send to start and stop a read, and what the scanner may send that is no code."""

    name: str
    start: bytes
    stop: bytes
    enter_trigger_mode: bytes = b""
    noise: tuple[bytes, ...] = ()  # acknowledgements and no-read answers, dropped from frames


HONEYWELL = TriggerFamily("honeywell", start=b"\x16T\r", stop=b"\x16U\r")
NEWLAND_ACK = b"\x02\x00\x00\x01\x00\x33\x31"
NEWLAND = TriggerFamily(
    "newland",
    start=newland_command(0x08, 0x0002, b"\x01"),
    stop=newland_command(0x08, 0x0002, b"\x02"),
    enter_trigger_mode=newland_command(0x08, 0x0000, b"\xd5"),
    noise=(NEWLAND_ACK,),
)
ZKTECO_NO_READ = b"%%NoRead"
ZKTECO = TriggerFamily("zkteco", start=b"T", stop=b"P", noise=(ZKTECO_NO_READ,))

FAMILIES = {f.name: f for f in (HONEYWELL, NEWLAND, ZKTECO)}
