"""The interface every QR scanner driver implements.

Once opened, a scanner reports each code it reads as a ``CodeScanned`` event, or (the camera)
as an ``UndecodableCode`` when its bytes are not text it can decode with confidence.
``read_code(timeout)`` waits for the next one; ``trigger()`` tells a scanner in command-trigger
mode to read (the others always read).
"""

from __future__ import annotations

import queue
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Protocol, runtime_checkable

from drivers.device import CodeScanned, Device, DeviceEvent


class QrScanner(Device):
    """A QR/barcode scanner (serial, USB-serial or camera)."""

    def trigger(self) -> None:
        """Ask the scanner to read now; scanners that always read ignore this."""

    def read_code(self, timeout: float) -> str | None:
        """Return the text of the next code read within ``timeout`` seconds, or None."""
        return self._wait_for_code(timeout, before=self.trigger)

    def _wait_for_code(
        self,
        timeout: float,
        *,
        before: Callable[[], None] | None = None,
        after: Callable[[], None] | None = None,
    ) -> str | None:
        codes: queue.Queue[str] = queue.Queue(maxsize=8)

        def listener(event: DeviceEvent) -> None:
            if isinstance(event, CodeScanned):
                try:
                    codes.put_nowait(event.text)
                except queue.Full:
                    pass

        unsubscribe = self.subscribe(listener)
        try:
            if before is not None:
                before()
            try:
                return codes.get(timeout=timeout)
            except queue.Empty:
                return None
        finally:
            unsubscribe()
            if after is not None:
                after()



@dataclass(frozen=True)
class UndecodableCode(DeviceEvent):
    """A code was read but its bytes are not text we can decode with confidence.

    Emitted instead of a ``CodeScanned`` with garbled text (``drivers.qr.text``); a kiosk may
    tell the resident the code cannot be used here. ``raw`` is the code's bytes.
    """

    raw: bytes = field(default=b"", repr=False)


@runtime_checkable
class FrameCamera(Protocol):
    """A scanner that is a camera and can show what it sees (a technician's self-test)."""

    def snapshot_png(self) -> bytes | None:
        """The newest frame as a PNG, or None when the camera has given none yet."""
