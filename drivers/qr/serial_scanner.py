"""Serial and USB-serial QR scanners (Honeywell, Newland, ZKTeco and compatible).

URL: any pyserial URL or a device path, plus our options::

    /dev/ttyACM0?suffix=crlf&baudrate=115200
    serial:///dev/ttyUSB0?suffix=cr&mode=trigger&family=honeywell
    hwgrep://1eab:0d10?suffix=cr                  (Newland by VID:PID; survives re-plugging)
    spy:///dev/ttyUSB0?file=scan.log&suffix=none  (other query options go to pyserial)

Options: ``baudrate`` (9600), ``suffix`` (``cr``, ``crlf``, ``lf``, ``none``; default ``cr``),
``idle_ms`` (80: frame after this much silence, the fallback for ``suffix=none``),
``max_len`` (4096 bytes per code), ``mode`` (``continuous`` or ``trigger``), ``family``
(``honeywell``, ``newland``, ``zkteco``; required for trigger mode), ``encoding`` (``auto``:
UTF-8, else GB 18030, the two code pages Chinese scanners are set to; or a codec name),
``reconnect_ms`` (1000).

Protocol (hardware.md §3): 8N1, no flow control; the scanner sends each code followed by its
suffix. In continuous mode it reads whatever is presented; in trigger mode it reads only
between the family's start and stop commands (``drivers.qr.triggers``). Frames that are not
text (binary garbage, control bytes) or too long are dropped and reported as
``DeviceErrorEvent``; acknowledgements and no-read answers are dropped silently.

One thread owns the port. When the port disappears (unplugged) the status goes to
``NO_DEVICE`` and the thread reopens it every ``reconnect_ms`` until it comes back.
"""

from __future__ import annotations

import enum
import logging
import threading
import time
from dataclasses import dataclass
from typing import Any

import serial

from drivers.device import Capabilities, CodeScanned, DeviceErrorEvent, DeviceState, ThreadedDevice
from drivers.errors import DeviceNotFound, ProtocolError, UnsupportedBackend
from drivers.qr.framing import Frame, Framer, Suffix
from drivers.qr.scanner import QrScanner
from drivers.qr.triggers import FAMILIES, TriggerFamily
from drivers.serial_url import serial_target
from drivers.url import DeviceUrl

log = logging.getLogger(__name__)

# ours, dropped before the URL goes to pyserial (``baudrate`` is a line setting it takes)
DRIVER_OPTIONS = ("suffix", "idle_ms", "max_len", "mode", "family", "encoding", "reconnect_ms")
_ALLOWED_CONTROLS = frozenset("\t\r\n\x04\x1d\x1e")  # line breaks inside a code, ISO 15434 / GS1
_READ_CHUNK = 4096


class ScanMode(enum.StrEnum):
    CONTINUOUS = "continuous"
    TRIGGER = "trigger"


@dataclass(frozen=True)
class SerialScannerSettings:
    port: str  # a pyserial URL or a device path
    baudrate: int = 9600
    suffix: Suffix = Suffix.CR
    idle_timeout: float = 0.08
    max_frame: int = 4096
    mode: ScanMode = ScanMode.CONTINUOUS
    family: TriggerFamily | None = None
    encoding: str = "auto"
    reconnect_interval: float = 1.0

    def __post_init__(self) -> None:
        if self.mode is ScanMode.TRIGGER and self.family is None:
            raise UnsupportedBackend("trigger mode needs a scanner family (honeywell, newland, zkteco)")


def settings_from_url(url: DeviceUrl, port: str | None = None) -> SerialScannerSettings:
    """Read our options from a device URL; the rest of the query goes to pyserial
    (``drivers.serial_url``).

    ``port`` replaces the URL's own port (the ``simwire://`` simulator supplies its pty).
    """
    if port is not None:
        rest = set(url.options) - set(DRIVER_OPTIONS) - {"baudrate"}
        if rest:
            raise UnsupportedBackend(f"{url.raw}: unknown option(s) {', '.join(sorted(rest))}")
        baudrate = url.option_int("baudrate", 9600)
    else:
        target = serial_target(url, DRIVER_OPTIONS, default_baudrate=9600)
        port, baudrate = target.url, target.baudrate
    try:
        suffix = Suffix(url.options.get("suffix", "cr").lower())
        mode = ScanMode(url.options.get("mode", "continuous").lower())
    except ValueError as err:
        raise UnsupportedBackend(f"{url.raw}: {err}") from None
    family_name = url.options.get("family")
    if family_name is not None and family_name.lower() not in FAMILIES:
        raise UnsupportedBackend(f"{url.raw}: family must be one of {', '.join(FAMILIES)}")
    encoding = url.options.get("encoding", "auto")
    if encoding != "auto":
        try:
            b"".decode(encoding)
        except LookupError:
            raise UnsupportedBackend(f"{url.raw}: unknown encoding {encoding!r}") from None
    return SerialScannerSettings(
        port=port,
        baudrate=baudrate,
        suffix=suffix,
        idle_timeout=max(url.option_int("idle_ms", 80), 5) / 1000,
        max_frame=min(max(url.option_int("max_len", 4096), 16), 1 << 16),
        mode=mode,
        family=FAMILIES[family_name.lower()] if family_name else None,
        encoding=encoding,
        reconnect_interval=max(url.option_int("reconnect_ms", 1000), 10) / 1000,
    )


def frame_text(raw: bytes, encoding: str = "auto") -> str | None:
    """Return the code's text, or None if the bytes are not text (garbage, control bytes)."""
    text: str | None = None
    for codec in ("utf-8", "gb18030") if encoding == "auto" else (encoding,):
        try:
            text = raw.decode(codec)
            break
        except UnicodeDecodeError:
            continue
    if text is None or "\ufffd" in text:
        return None
    if any((ch < " " and ch not in _ALLOWED_CONTROLS) or ch == "\x7f" for ch in text):
        return None
    return text


class SerialQrScanner(ThreadedDevice, QrScanner):
    """A scanner on a serial line; codes arrive as ``CodeScanned`` events."""

    thread_label = "qr-serial"

    def __init__(self, name: str, settings: SerialScannerSettings) -> None:
        features = {"qr", "serial"} | ({"trigger"} if settings.family else set())
        super().__init__(name, Capabilities(model="serial QR scanner", features=frozenset(features)))
        self.settings = settings
        self._port: Any = None
        self._port_lock = threading.Lock()

    # --- lifecycle ---------------------------------------------------------------------


    # --- commands ----------------------------------------------------------------------

    def start_reading(self) -> None:
        """Trigger mode: tell the scanner to read (it stops after one code)."""
        self._write(self._family().start)

    def stop_reading(self) -> None:
        """Trigger mode: tell the scanner to stop reading."""
        self._write(self._family().stop)

    def trigger(self) -> None:
        """In trigger mode, tell the scanner to read; in continuous mode do nothing."""
        if self.settings.mode is ScanMode.TRIGGER:
            self.start_reading()

    def read_code(self, timeout: float) -> str | None:
        """Wait up to ``timeout`` s for the next code (triggering a read in trigger mode)."""
        if self.settings.mode is not ScanMode.TRIGGER:
            return super().read_code(timeout)
        return self._wait_for_code(timeout, before=self.start_reading, after=self._stop_quietly)

    def _stop_quietly(self) -> None:
        try:
            self.stop_reading()
        except DeviceNotFound:
            pass

    def _family(self) -> TriggerFamily:
        if self.settings.family is None:
            raise UnsupportedBackend(f"{self.name}: no scanner family configured for triggering")
        return self.settings.family

    def _write(self, data: bytes) -> None:
        with self._port_lock:
            port = self._port
            if port is None:
                raise DeviceNotFound(f"{self.name}: scanner not connected")
            try:
                port.write(data)
                port.flush()
            except (serial.SerialException, OSError) as err:
                raise DeviceNotFound(f"{self.name}: write failed: {err}") from err

    # --- the port's thread -------------------------------------------------------------

    def _run(self) -> None:
        while not self._stop.is_set():
            port = self._connect()
            if port is None:
                self._stop.wait(self.settings.reconnect_interval)
                continue
            try:
                self._pump(port)
            except (serial.SerialException, OSError) as err:
                if not self._stop.is_set():
                    log.info("%s: port lost: %s", self.name, err)
                    self._set_status(state=DeviceState.NO_DEVICE, detail=f"lost: {err}")
            except Exception as err:  # a bug must not leave a dead thread behind an ONLINE status
                log.exception("%s: scanner thread failed", self.name)
                self._set_status(state=DeviceState.HARDWARE_ERROR, detail=f"driver error: {err}")
                self._stop.wait(self.settings.reconnect_interval)
            finally:
                with self._port_lock:
                    self._port = None
                try:
                    port.close()
                except (serial.SerialException, OSError):
                    pass

    def _connect(self) -> Any:
        poll = min(0.02, self.settings.idle_timeout / 4)
        try:
            port = serial.serial_for_url(
                self.settings.port, baudrate=self.settings.baudrate, timeout=poll, write_timeout=1
            )
        except (serial.SerialException, OSError, ValueError) as err:
            self._set_status(state=DeviceState.NO_DEVICE, detail=f"cannot open: {err}")
            return None
        with self._port_lock:
            self._port = port
        family = self.settings.family
        if self.settings.mode is ScanMode.TRIGGER and family and family.enter_trigger_mode:
            try:
                self._write(family.enter_trigger_mode)
            except DeviceNotFound as err:
                log.info("%s: %s", self.name, err)
        self._set_status(state=DeviceState.ONLINE, detail="")
        return port

    def _pump(self, port: Any) -> None:
        s = self.settings
        noise = s.family.noise if s.family else ()
        framer = Framer(s.suffix, idle_timeout=s.idle_timeout, max_frame=s.max_frame, ignore=noise)
        while not self._stop.is_set():
            data = port.read(1)
            if data:
                waiting = port.in_waiting
                if waiting:
                    data += port.read(min(waiting, _READ_CHUNK))
            for frame in framer.feed(data, time.monotonic()):
                self._deliver(frame, noise)

    def _deliver(self, frame: Frame, noise: tuple[bytes, ...]) -> None:
        if frame.overflow:
            message = f"input longer than {self.settings.max_frame} bytes discarded"
            self._emit(DeviceErrorEvent(self.name, message, error=ProtocolError))
            return
        if frame.data in noise:
            return
        text = frame_text(frame.data, self.settings.encoding)
        if text is None:
            self._emit(DeviceErrorEvent(self.name, f"unreadable input ({len(frame.data)} bytes)", error=ProtocolError))
            return
        self._emit(CodeScanned(self.name, text, frame.data))
