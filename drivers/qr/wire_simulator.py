"""A serial QR scanner simulated on a pseudo-terminal: the far end of ``SerialQrScanner``.

URL (through ``make_qr_scanner``)::

    simwire://?suffix=crlf&mode=trigger&family=honeywell

starts ``WireScannerSimulator`` in-process and returns the real serial driver opened on it
(``SimWireQrScanner``), which keeps the developer methods ``scan``, ``unplug``, ``plug_in``.

The simulator speaks the wire protocol of hardware.md §3: it writes each code followed by
its suffix; in trigger mode it holds a presented code until the family's start command
arrives, then sends it once (a good read ends the trigger), and Newland-family simulators
answer every command with the acknowledgement. It keeps every byte the host sent in
``received`` and each recognised command in ``commands``.

The pty is a ``drivers.simlink.PtyLink``: the driver opens a symlink (``path``) that points
at the current pty; ``unplug`` closes the pty and removes the link (the driver's reads fail,
as with a USB cable pulled) and ``plug_in`` makes a new pty behind the same link. Faults for
tests: ``scan(text, suffix=b"")`` (no suffix), ``write(bytes)`` (noise, binary garbage, very
long input) and ``write_split`` (a code split across writes with pauses).
"""

from __future__ import annotations

import tempfile
import threading
import time
from dataclasses import replace
from pathlib import Path

from drivers.qr.framing import Suffix
from drivers.qr.serial_scanner import ScanMode, SerialQrScanner, SerialScannerSettings
from drivers.qr.triggers import NEWLAND_ACK, TriggerFamily
from drivers.simlink import PtyLink

_MAX_RECEIVED = 1 << 16


class WireScannerSimulator:
    """A scanner's far end on a pty. ``start`` it, point the driver at ``path``."""

    def __init__(
        self,
        *,
        suffix: Suffix = Suffix.CR,
        mode: ScanMode = ScanMode.CONTINUOUS,
        family: TriggerFamily | None = None,
        directory: str | None = None,
    ) -> None:
        self.suffix = suffix
        self.mode = mode
        self.family = family
        self._dir = Path(directory or tempfile.mkdtemp(prefix="qr-sim-"))
        self._own_dir = directory is None
        self.path = str(self._dir / "scanner")
        self.received = bytearray()
        self.commands: list[str] = []
        self._pending: bytes | None = None
        self._armed = False
        self._unparsed = b""  # the tail of the host's input that may begin a command
        self._lock = threading.RLock()
        self._pty = PtyLink(self._on_receive, link=self.path, on_connect=self._on_connect, name="qr-sim")

    @property
    def plugged_in(self) -> bool:
        return self._pty.plugged

    def start(self) -> None:
        """Plug the simulated scanner in."""
        self.plug_in()

    def plug_in(self) -> None:
        with self._lock:
            if self.plugged_in:
                return
            self._dir.mkdir(parents=True, exist_ok=True)  # again, after close() removed it
            self._pty.start()

    def unplug(self) -> None:
        self._pty.unplug()
        with self._lock:
            self._armed = False

    def close(self) -> None:
        self.unplug()
        if self._own_dir:
            try:
                self._dir.rmdir()
            except OSError:
                pass

    # --- what the scanner sends ---------------------------------------------------------

    def scan(self, text: str, *, suffix: bytes | None = None, encoding: str = "utf-8") -> None:
        """Present a code: sent now in continuous mode, on the next start in trigger mode."""
        data = text.encode(encoding) + (self.suffix.bytes if suffix is None else suffix)
        with self._lock:
            if self.mode is ScanMode.TRIGGER and not self._armed:
                self._pending = data
                return
            self._armed = False
        self.write(data)

    def write(self, data: bytes, *, timeout: float = 5.0) -> None:
        """Send raw bytes to the host, all of them (blocks while the host does not read)."""
        self._pty.send(data, timeout=timeout)  # DeviceNotFound while unplugged

    def write_split(self, data: bytes, pieces: int, gap: float) -> None:
        """Send ``data`` in ``pieces`` writes with ``gap`` seconds between them."""
        step = max(1, -(-len(data) // pieces))
        for start in range(0, len(data), step):
            if start:
                time.sleep(gap)
            self.write(data[start : start + step])

    # --- what the host sends -------------------------------------------------------------

    def _on_connect(self) -> None:
        self._unparsed = b""

    def _on_receive(self, data: bytes) -> None:
        if len(self.received) < _MAX_RECEIVED:
            self.received += data
        self._unparsed = self._handle_commands(self._unparsed + data)

    def _handle_commands(self, buffer: bytes) -> bytes:
        family = self.family
        if family is None:
            return b""
        names = {"start": family.start, "stop": family.stop, "enter": family.enter_trigger_mode}
        while True:
            hits = [(buffer.find(cmd), name, cmd) for name, cmd in names.items() if cmd]
            hits = [h for h in hits if h[0] >= 0]
            if not hits:
                longest = max(len(c) for c in names.values())
                return buffer[-(longest - 1) :] if longest > 1 else b""
            index, name, cmd = min(hits)
            buffer = buffer[index + len(cmd) :]
            self.commands.append(name)
            if family.name == "newland":
                self.write(NEWLAND_ACK)
            self._on_command(name)

    def _on_command(self, name: str) -> None:
        with self._lock:
            if name == "start":
                data, self._pending = self._pending, None
                self._armed = data is None
            else:
                data = None
                if name == "stop":
                    self._armed = False
        if data is not None:
            self.write(data)


class SimWireQrScanner(SerialQrScanner):
    """The real serial driver on a ``WireScannerSimulator``, with the sim's developer methods."""

    def __init__(self, name: str, settings: SerialScannerSettings, simulator: WireScannerSimulator):
        super().__init__(name, settings)
        self.simulator = simulator

    def open(self) -> None:
        self.simulator.start()
        super().open()

    def close(self) -> None:
        super().close()
        self.simulator.close()

    def scan(self, text: str) -> None:
        """Present a code to the simulated scanner."""
        self.simulator.scan(text)

    def unplug(self) -> None:
        self.simulator.unplug()

    def plug_in(self) -> None:
        self.simulator.plug_in()


def make_simwire_scanner(name: str, settings: SerialScannerSettings) -> SimWireQrScanner:
    """Build a simulator with ``settings``' framing and mode, and the driver pointed at it."""
    simulator = WireScannerSimulator(
        suffix=settings.suffix, mode=settings.mode, family=settings.family
    )
    return SimWireQrScanner(name, replace(settings, port=simulator.path), simulator)
