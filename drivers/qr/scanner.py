"""The interface every QR scanner driver implements.

Once opened, a scanner reports each code it reads as a ``CodeScanned`` event.
``read_code(timeout)`` waits for the next one; ``trigger()`` tells a scanner in command-trigger
mode to read (the others always read).
"""

from __future__ import annotations

import queue
import threading
from collections.abc import Callable

from drivers.device import Capabilities, CodeScanned, Device, DeviceEvent, DeviceState


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


class ThreadedQrScanner(QrScanner):
    """A scanner whose one background thread owns the device: ``open`` starts it, ``close``
    stops it. Subclasses write ``_run``, looping until ``self._stop`` is set."""

    thread_label = "qr"

    def __init__(self, name: str, capabilities: Capabilities) -> None:
        super().__init__(name, capabilities)
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None

    def open(self) -> None:
        """Start the thread that owns the device; an absent device only sets ``NO_DEVICE``."""
        if self._thread is not None:
            return
        self._stop.clear()
        self._thread = threading.Thread(target=self._run, name=f"{self.thread_label}-{self.name}", daemon=True)
        self._thread.start()

    def close(self) -> None:
        self._stop.set()
        thread, self._thread = self._thread, None
        if thread is not None:
            thread.join(timeout=5)
        self._set_status(state=DeviceState.OFFLINE, detail="")

    def _run(self) -> None:
        raise NotImplementedError
