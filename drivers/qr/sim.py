"""In-process simulated QR scanner, selected by ``sim://``: codes are 'scanned' by calls."""

from __future__ import annotations

from drivers.device import Capabilities, CodeScanned, DeviceState
from drivers.qr.scanner import QrScanner


class SimQrScanner(QrScanner):
    """A scanner whose codes come from ``scan``."""

    def __init__(self, name: str = "qr") -> None:
        super().__init__(name, Capabilities(model="simulated scanner", features=frozenset({"qr"})))

    def open(self) -> None:
        self._set_status(state=DeviceState.ONLINE)

    def close(self) -> None:
        self._set_status(state=DeviceState.OFFLINE)

    def scan(self, text: str) -> None:
        """Present a code to the scanner."""
        if self.status.usable:
            self._emit(CodeScanned(self.name, text, text.encode("utf-8")))

    def unplug(self) -> None:
        self._set_status(state=DeviceState.NO_DEVICE)

    def plug_in(self) -> None:
        self._set_status(state=DeviceState.ONLINE)
