"""Split an ESC/POS byte stream into commands, as a printer's receive buffer does.

Used by the wire simulator. ``split_command(buf)`` looks at the start of ``buf`` and
returns ``(name, argument, length)`` or None when the command is not complete yet. Names:
``b"text"`` (printable bytes), ``b"\\n"``, a command's own bytes (``b"\\x1ba"``,
``b"\\x1d(k"``), ``b"unknown"`` (skipped by its declared or tabled length; the argument is
the whole command) and ``b"ignored"`` (a stray control byte).
"""

from __future__ import annotations

# commands the simulator runs, with their parameter byte counts
KNOWN = {
    b"\x1b@": 0, b"\x1ba": 1, b"\x1bE": 1, b"\x1bd": 1, b"\x1bJ": 1,
    b"\x1d!": 1, b"\x1da": 1, b"\x1dr": 1,
    b"\x1c&": 0, b"\x1c.": 0,
    b"\x10\x04": 1, b"\x10\x05": 1,
}  # fmt: skip
# commands it skips, with their parameter byte counts
SKIPPED = {
    b"\x1b!": 1, b"\x1b-": 1, b"\x1b2": 0, b"\x1b3": 1, b"\x1bt": 1, b"\x1bM": 1, b"\x1bG": 1,
    b"\x1bV": 1, b"\x1b{": 1, b"\x1bR": 1, b"\x1b ": 1, b"\x1b$": 2, b"\x1b\\": 2, b"\x1b=": 1,
    b"\x1b%": 1, b"\x1bp": 3, b"\x1bc": 2, b"\x1bU": 1, b"\x1br": 1,
    b"\x1dL": 2, b"\x1dW": 2, b"\x1dH": 1, b"\x1df": 1, b"\x1dh": 1, b"\x1dw": 1, b"\x1dB": 1,
    b"\x1d/": 1, b"\x1dI": 1, b"\x1dP": 2, b"\x1d$": 2, b"\x1d\\": 2, b"\x1d^": 3, b"\x1db": 1,
    b"\x1c!": 1, b"\x1c-": 1, b"\x1cC": 1, b"\x1cS": 2, b"\x1cW": 1, b"\x1cp": 2,
}  # fmt: skip
_PREFIXES = (0x1B, 0x1D, 0x1C, 0x10)

Parsed = tuple[bytes, bytes, int]


def split_command(buf: bytes | bytearray) -> Parsed | None:
    """The command at the start of ``buf``, or None if more bytes are needed."""
    if not buf:
        return None
    first = buf[0]
    if first >= 0x20:
        end = 1
        while end < len(buf) and buf[end] >= 0x20:
            end += 1
        return b"text", bytes(buf[:end]), end
    if first == 0x0A:
        return b"\n", b"", 1
    if first not in _PREFIXES:
        return b"ignored", bytes(buf[:1]), 1
    if len(buf) < 2:
        return None
    command = bytes(buf[:2])
    if command in KNOWN:
        return _fixed(buf, command, command, KNOWN[command])
    if command == b"\x1dV":  # GS V m, or GS V m n for m = 65, 66
        return None if len(buf) < 3 else _fixed(buf, command, command, 2 if buf[2] in (65, 66) else 1)
    if command == b"\x1dv":  # GS v 0 m xL xH yL yH d1..dk
        if len(buf) < 8:
            return None
        length = 8 + (buf[4] + 256 * buf[5]) * (buf[6] + 256 * buf[7])
        return None if len(buf) < length else (command, bytes(buf[3:length]), length)
    if command == b"\x10\x14":  # DLE DC4 fn ...
        if len(buf) < 3:
            return None
        return _fixed(buf, command, command, {1: 3, 2: 3, 8: 8}.get(buf[2], 1))
    if command[1:] == b"(" and first != 0x10:  # ESC/GS/FS ( fn pL pH d1..dk: declared length
        if len(buf) < 5:
            return None
        length = 5 + buf[3] + 256 * buf[4]
        if len(buf) < length:
            return None
        if command == b"\x1d(" and buf[2] == ord("k"):
            return b"\x1d(k", bytes(buf[5:length]), length
        return b"unknown", bytes(buf[:length]), length
    if command == b"\x1d8":  # GS 8 L p1..p4 ...: four-byte declared length
        if len(buf) < 7:
            return None
        length = 7 + int.from_bytes(buf[3:7], "little")
        return None if len(buf) < length else (b"unknown", bytes(buf[:length]), length)
    if command in SKIPPED:
        return _fixed(buf, b"unknown", command, SKIPPED[command])
    return b"unknown", command, 2  # nothing declares its length: skip the command bytes


def _fixed(buf: bytes | bytearray, name: bytes, command: bytes, count: int) -> Parsed | None:
    end = len(command) + count
    if len(buf) < end:
        return None
    argument = bytes(buf[:end]) if name == b"unknown" else bytes(buf[len(command) : end])
    return name, argument, end
