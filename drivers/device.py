"""The common device model shared by every driver.

Learned from XFS4IoT (CWA 17852): one status shape for every device class — a
``DeviceState`` plus media/supply fields — and events delivered to listeners when the
status changes or input arrives. Drivers call ``_set_status`` and ``_emit``; listeners are
called on the driver's own thread, so an application that needs one thread (a UI) must
hand events over to it itself.

Status and events never carry personal data in their text fields; a card record travels
only inside ``CardRead``.
"""

from __future__ import annotations

import dataclasses
import enum
import logging
import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from drivers.errors import DriverError

log = logging.getLogger(__name__)


class DeviceState(enum.StrEnum):
    """What the device can do right now (XFS4IoT ``Common.device``)."""

    ONLINE = "online"
    OFFLINE = "offline"
    NO_DEVICE = "noDevice"
    BUSY = "busy"
    HARDWARE_ERROR = "hardwareError"
    USER_ERROR = "userError"


class MediaStatus(enum.StrEnum):
    """Whether a medium (an ID card on the reader) is in place."""

    NOT_SUPPORTED = "notSupported"
    UNKNOWN = "unknown"
    PRESENT = "present"
    NOT_PRESENT = "notPresent"


class PaperStatus(enum.StrEnum):
    """Paper supply of a printer (XFS4IoT ``Printer.paper``)."""

    NOT_SUPPORTED = "notSupported"
    UNKNOWN = "unknown"
    FULL = "full"
    LOW = "low"
    OUT = "out"
    JAMMED = "jammed"


@dataclass(frozen=True)
class DeviceStatus:
    """A snapshot of one device's status. ``detail`` is for technicians, never personal."""

    state: DeviceState = DeviceState.OFFLINE
    media: MediaStatus = MediaStatus.NOT_SUPPORTED
    paper: PaperStatus = PaperStatus.NOT_SUPPORTED
    detail: str = ""

    @property
    def usable(self) -> bool:
        """True when the device can take a command now (online or merely busy)."""
        return self.state in (DeviceState.ONLINE, DeviceState.BUSY)


@dataclass(frozen=True)
class Capabilities:
    """What a device can do: model and a set of feature names such as ``"cutter"``."""

    model: str
    features: frozenset[str] = frozenset()

    def supports(self, feature: str) -> bool:
        return feature in self.features


class ErrorAction(enum.StrEnum):
    """What should follow an error (XFS4IoT ``ErrorEvent.action``)."""

    RESET = "reset"
    CLEAR = "clear"
    MAINTENANCE = "maintenance"
    SUSPEND = "suspend"


# --- events -----------------------------------------------------------------------------


@dataclass(frozen=True)
class DeviceEvent:
    """Base of every event; ``device`` is the name the device was opened with."""

    device: str


@dataclass(frozen=True)
class StatusChanged(DeviceEvent):
    old: DeviceStatus
    new: DeviceStatus

    @property
    def changed(self) -> frozenset[str]:
        """Names of the status fields that differ between ``old`` and ``new``."""
        return frozenset(
            f.name
            for f in dataclasses.fields(DeviceStatus)
            if getattr(self.old, f.name) != getattr(self.new, f.name)
        )


@dataclass(frozen=True)
class DeviceErrorEvent(DeviceEvent):
    """A fault that did not come back as a command's result (e.g. a polling read failed).

    ``error`` is the fault's type (``DeviceNotFound``, ``SamFault``, ``NoCard`` ...), so the
    application can tell an unplugged reader from a card laid badly; ``message`` is for
    technicians and never carries personal data.
    """

    message: str
    action: ErrorAction = ErrorAction.CLEAR
    error: type[DriverError] = DriverError


@dataclass(frozen=True)
class CardRead(DeviceEvent):
    """A card was read. ``record`` is a ``drivers.idcard.record.IdCardRecord``."""

    record: Any = field(repr=False)


@dataclass(frozen=True)
class CardRemoved(DeviceEvent):
    """The card left the reader's field."""


@dataclass(frozen=True)
class CodeScanned(DeviceEvent):
    """A QR or barcode was read; ``text`` is decoded, ``raw`` as received."""

    text: str = field(repr=False)
    raw: bytes = field(default=b"", repr=False)


Listener = Callable[[DeviceEvent], None]


class Device:
    """Base of every driver: name, status, capabilities, listeners.

    Subclasses implement ``open`` and ``close`` and report through ``_set_status`` and
    ``_emit``. ``open`` must not raise when the device is merely absent: it sets the state
    to ``NO_DEVICE`` and keeps trying where the driver supports reconnection.
    """

    def __init__(self, name: str, capabilities: Capabilities) -> None:
        self.name = name
        self.capabilities = capabilities
        self._status = DeviceStatus()
        self._listeners: list[Listener] = []
        self._lock = threading.Lock()

    def open(self) -> None:
        raise NotImplementedError

    def close(self) -> None:
        raise NotImplementedError

    @property
    def status(self) -> DeviceStatus:
        return self._status

    def subscribe(self, listener: Listener) -> Callable[[], None]:
        """Call ``listener`` with every event; return a function that unsubscribes."""
        with self._lock:
            self._listeners.append(listener)

        def unsubscribe() -> None:
            with self._lock:
                if listener in self._listeners:
                    self._listeners.remove(listener)

        return unsubscribe

    def _set_status(self, **changes: Any) -> None:
        """Replace status fields and emit ``StatusChanged`` if anything changed."""
        with self._lock:
            old = self._status
            new = dataclasses.replace(old, **changes)
            if new == old:
                return
            self._status = new
        self._emit(StatusChanged(self.name, old, new))

    def _emit(self, event: DeviceEvent) -> None:
        with self._lock:
            listeners = list(self._listeners)
        for listener in listeners:
            try:
                listener(event)
            except Exception:  # a listener's bug must not kill the driver's thread
                log.exception("listener failed on %s event from %s", type(event).__name__, self.name)


class ThreadedDevice(Device):
    """A device whose one background thread owns its port: ``open`` starts ``_run``, which
    loops until ``self._stop`` is set; ``close`` sets it and waits. Opening never raises for
    an absent device: ``_run`` reports ``NO_DEVICE`` and keeps trying."""

    thread_label = "device"

    def __init__(self, name: str, capabilities: Capabilities) -> None:
        super().__init__(name, capabilities)
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None

    def open(self) -> None:
        if self._thread is not None:
            return
        self._stop.clear()
        self._thread = threading.Thread(target=self._run, name=f"{self.thread_label}-{self.name}", daemon=True)
        self._thread.start()

    def close(self) -> None:
        self._stop.set()
        thread, self._thread = self._thread, None
        if thread is not None:
            thread.join(timeout=self._join_timeout())
        self._set_status(**self._closed_status())

    def _run(self) -> None:
        raise NotImplementedError

    def _join_timeout(self) -> float:
        """How long ``close`` waits for the thread (longer than its longest single wait)."""
        return 5.0

    def _closed_status(self) -> dict[str, Any]:
        return {"state": DeviceState.OFFLINE, "detail": ""}
