"""Cutting a serial scanner's byte stream into one frame per code.

A scanner sends each code followed by a configurable suffix (hardware.md §3: CR, CR LF, or
nothing at all). ``Framer`` ends a frame on the configured suffix, and also when the line has
been idle for ``idle_timeout`` seconds with bytes pending: that is the only way to frame a
scanner set to no suffix, and it rescues a code whose suffix was lost. Line-end bytes at the
start of a frame are dropped, so a scanner sending CR LF to a port set to CR still works.

Memory is bounded: a frame longer than ``max_frame`` bytes is discarded up to its end
(suffix or idle gap) and reported once as an overflow, never buffered whole.

Byte sequences in ``ignore`` (a scanner's command acknowledgements, e.g. Newland's
``02 00 00 01 00 33 31``) are removed from the start of a frame.
"""

from __future__ import annotations

import enum
from collections.abc import Sequence
from dataclasses import dataclass


class Suffix(enum.StrEnum):
    """The terminator a scanner appends to every code."""

    CR = "cr"
    CRLF = "crlf"
    LF = "lf"
    NONE = "none"

    @property
    def bytes(self) -> bytes:
        return {"cr": b"\r", "crlf": b"\r\n", "lf": b"\n", "none": b""}[self.value]


# Frames end on the suffix's last byte and lose their line-end bytes, so a CR LF split across
# two reads needs no special case.
_SEPARATOR = {Suffix.CR: b"\r", Suffix.CRLF: b"\n", Suffix.LF: b"\n", Suffix.NONE: b""}


@dataclass(frozen=True)
class Frame:
    """One framed code, or (``overflow``) the report that one was too long and dropped."""

    data: bytes
    overflow: bool = False
    by_idle: bool = False  # ended by the idle timeout rather than by the suffix


class Framer:
    """Feed bytes with the time they arrived; collect frames. Not thread-safe."""

    def __init__(
        self,
        suffix: Suffix = Suffix.CR,
        *,
        idle_timeout: float = 0.08,
        max_frame: int = 4096,
        ignore: Sequence[bytes] = (),
    ) -> None:
        if idle_timeout <= 0 or max_frame <= 0:
            raise ValueError("idle_timeout and max_frame must be positive")
        self.suffix = suffix
        self.idle_timeout = idle_timeout
        self.max_frame = max_frame
        self._ignore = tuple(i for i in ignore if i)
        self._buffer = bytearray()
        self._discarding = False  # inside a frame that overflowed
        self._last = 0.0

    @property
    def pending(self) -> bool:
        return bool(self._buffer) or self._discarding

    def deadline(self) -> float | None:
        """The time at which pending bytes will be framed by the idle timeout, if any."""
        return self._last + self.idle_timeout if self.pending else None

    def feed(self, data: bytes, now: float) -> list[Frame]:
        """Add bytes received at ``now`` (monotonic seconds); return the frames completed."""
        frames = self.poll(now)
        if not data:
            return frames
        self._last = now
        separator = _SEPARATOR[self.suffix]
        start = 0
        while start < len(data):
            end = data.find(separator, start) if separator else -1
            if end < 0:
                self._append(data[start:])
                break
            self._append(data[start:end])
            frames.extend(self._finish(by_idle=False))
            start = end + 1
        return frames

    def poll(self, now: float) -> list[Frame]:
        """Return the pending frame if the line has been idle long enough."""
        if self.pending and now - self._last >= self.idle_timeout:
            return self._finish(by_idle=True)
        return []

    def _append(self, chunk: bytes) -> None:
        if self._discarding:
            return
        if not self._buffer:
            chunk = chunk.lstrip(b"\r\n")
        if len(self._buffer) + len(chunk) > self.max_frame:
            self._buffer.clear()
            self._discarding = True
            return
        self._buffer += chunk

    def _finish(self, *, by_idle: bool) -> list[Frame]:
        if self._discarding:
            self._discarding = False
            self._buffer.clear()
            return [Frame(b"", overflow=True, by_idle=by_idle)]
        data = bytes(self._buffer)
        self._buffer.clear()
        stripped = True
        while stripped:
            stripped = False
            for ack in self._ignore:
                if data.startswith(ack):
                    data = data[len(ack) :]
                    stripped = True
        data = data.strip(b"\r\n")
        return [Frame(data, by_idle=by_idle)] if data else []
