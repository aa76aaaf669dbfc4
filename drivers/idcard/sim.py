"""In-process simulated ID-card reader, selected by ``sim://``.

No wire protocol: a developer (the panel, a test, the demo) calls ``place_card`` and
``remove_card``; the reader emits the same events a real one does. The wire-level
simulator of the SAM protocol lives beside the serial driver.
"""

from __future__ import annotations

from drivers.device import (
    Capabilities,
    CardRead,
    CardRemoved,
    DeviceErrorEvent,
    DeviceState,
    MediaStatus,
)
from drivers.errors import CardReadFailed
from drivers.idcard.reader import IdCardReader
from drivers.idcard.record import IdCardRecord


class SimIdCardReader(IdCardReader):
    """A reader whose card is placed and removed by calls."""

    def __init__(self, name: str = "idcard") -> None:
        super().__init__(name, Capabilities(model="simulated reader", features=frozenset()))
        self._card: IdCardRecord | None = None

    def open(self) -> None:
        self._set_status(state=DeviceState.ONLINE, media=MediaStatus.NOT_PRESENT)

    def close(self) -> None:
        self._set_status(state=DeviceState.OFFLINE, media=MediaStatus.UNKNOWN)

    def place_card(self, record: IdCardRecord) -> None:
        """Put a card on the reader; it is read at once."""
        if not self.status.usable:
            return
        self._card = record
        self._set_status(media=MediaStatus.PRESENT)
        self._emit(CardRead(self.name, record))

    def fail_read(self, message: str = "读卡失败") -> None:
        """Simulate a card that is present but cannot be read."""
        self._set_status(media=MediaStatus.PRESENT)
        self._emit(DeviceErrorEvent(self.name, message, error=CardReadFailed))

    def remove_card(self) -> None:
        """Take the card away."""
        if self.status.media is not MediaStatus.PRESENT:
            return
        self._card = None
        self._set_status(media=MediaStatus.NOT_PRESENT)
        self._emit(CardRemoved(self.name))

    def unplug(self) -> None:
        """Simulate a pulled cable."""
        self._card = None
        self._set_status(state=DeviceState.NO_DEVICE, media=MediaStatus.UNKNOWN)

    def plug_in(self) -> None:
        self._set_status(state=DeviceState.ONLINE, media=MediaStatus.NOT_PRESENT)
