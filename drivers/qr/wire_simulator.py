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

The driver opens a symlink (``path``) that points at the current pty; ``unplug`` closes the
pty and removes the link (the driver's reads fail, as with a USB cable pulled) and
``plug_in`` makes a new pty behind the same link. Faults for tests: ``scan(text,
suffix=b"")`` (no suffix), ``write(bytes)`` (noise, binary garbage, very long input) and
``write_split`` (a code split across writes with pauses).
"""

from __future__ import annotations

import os
import select
import tempfile
import threading
import time
import tty
from dataclasses import replace
from pathlib import Path

from drivers.errors import DeviceNotFound
from drivers.qr.framing import Suffix
from drivers.qr.serial_scanner import ScanMode, SerialQrScanner, SerialScannerSettings
from drivers.qr.triggers import NEWLAND_ACK, TriggerFamily

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
        self._master = -1
        self._slave = -1
        self._lock = threading.RLock()
        self._write_lock = threading.Lock()
        self._stop = threading.Event()
        self._reader: threading.Thread | None = None

    @property
    def plugged_in(self) -> bool:
        return self._master >= 0

    def start(self) -> None:
        """Plug the simulated scanner in."""
        self.plug_in()

    def plug_in(self) -> None:
        with self._lock:
            if self.plugged_in:
                return
            self._dir.mkdir(parents=True, exist_ok=True)  # again, after close() removed it
            master, slave = os.openpty()
            tty.setraw(slave)
            self._master, self._slave = master, slave
            link = Path(self.path)
            link.unlink(missing_ok=True)
            link.symlink_to(os.ttyname(slave))
            self._stop.clear()
            self._reader = threading.Thread(target=self._read_loop, name="qr-sim", daemon=True)
            self._reader.start()

    def unplug(self) -> None:
        with self._lock:
            if not self.plugged_in:
                return
            self._stop.set()
            reader = self._reader
        if reader is not None and reader is not threading.current_thread():
            reader.join(timeout=2)
        with self._lock:
            Path(self.path).unlink(missing_ok=True)
            for fd in (self._master, self._slave):
                try:
                    os.close(fd)
                except OSError:
                    pass
            self._master = self._slave = -1
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
        deadline = time.monotonic() + timeout
        with self._write_lock:
            view = memoryview(data)
            while view:
                master = self._master
                if master < 0:
                    raise DeviceNotFound("simulated scanner is unplugged")
                _, ready, _ = select.select([], [master], [], 0.05)
                if ready:
                    try:
                        view = view[os.write(master, view) :]
                    except BlockingIOError:
                        continue
                    except OSError as err:  # unplugged while writing
                        raise DeviceNotFound("simulated scanner is unplugged") from err
                if time.monotonic() > deadline:
                    raise TimeoutError("the host did not read the simulated scanner's output")

    def write_split(self, data: bytes, pieces: int, gap: float) -> None:
        """Send ``data`` in ``pieces`` writes with ``gap`` seconds between them."""
        step = max(1, -(-len(data) // pieces))
        for start in range(0, len(data), step):
            if start:
                time.sleep(gap)
            self.write(data[start : start + step])

    # --- what the host sends -------------------------------------------------------------

    def _read_loop(self) -> None:
        master = self._master
        pending = b""
        while not self._stop.is_set():
            ready, _, _ = select.select([master], [], [], 0.05)
            if not ready:
                continue
            try:
                data = os.read(master, 1024)
            except OSError:  # nobody has the slave open
                time.sleep(0.02)
                continue
            if len(self.received) < _MAX_RECEIVED:
                self.received += data
            pending = self._handle_commands(pending + data)

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
