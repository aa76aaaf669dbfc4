"""Byte transports for ESC/POS printers: serial, TCP 9100, USB, file.

URL formats (the ``profile`` and other printer options are stripped before opening)::

    serial:///dev/ttyUSB0?baudrate=9600       pyserial, via serial.serial_for_url
    /dev/ttyUSB0, COM3                        same (bare path); see drivers.serial_url
    spy:///dev/ttyUSB0?file=printer.log       any other pyserial URL: hwgrep://, rfc2217://,
                                              loop://, socket://, alt://
    tcp://10.0.0.5:9100                       raw TCP ("JetDirect"), port 9100 by default
    usb://0x0416:0x5011?out_ep=0x01&in_ep=0x82  pyusb, the optional ``usb`` extra
    file:///tmp/out.bin                       write-only; no status can be read

A transport only moves bytes: ``write`` sends all of them, ``read`` returns what has
arrived (possibly nothing) within ``timeout`` seconds. Errors come out as ``DeviceNotFound``
(cannot open, link lost) or ``DeviceTimeout`` (a write stalled), never as OS exceptions.
"""

from __future__ import annotations

import socket
import threading
from pathlib import Path
from typing import Any, Protocol

import serial

from drivers.errors import DeviceNotFound, DeviceTimeout, UnsupportedBackend
from drivers.serial_url import is_serial_url, serial_target
from drivers.url import DeviceUrl

# the printer's own options (profile overrides, simulator settings), never pyserial's
PRINTER_OPTIONS = ("profile", "encoding", "qr", "cutter", "asb", "width", "poll", "paper", "link")


class Transport(Protocol):
    """A bidirectional (or write-only) byte link to a printer."""

    name: str
    bidirectional: bool

    def open(self) -> None: ...
    def close(self) -> None: ...
    def write(self, data: bytes) -> None: ...
    def read(self, timeout: float) -> bytes: ...


class SerialTransport:
    """Any port pyserial can open by URL; a plain path is a local serial port."""

    bidirectional = True

    def __init__(self, url: str, baudrate: int = 9600, rtscts: bool = False, dsrdtr: bool = False) -> None:
        self.name = url
        self._url = url
        self._settings = {"baudrate": baudrate, "rtscts": rtscts, "dsrdtr": dsrdtr}
        self._port: Any = None
        self._write_lock = threading.Lock()

    @property
    def baudrate(self) -> int:
        return int(self._settings["baudrate"])

    def open(self) -> None:
        try:
            self._port = serial.serial_for_url(self._url, timeout=0.05, write_timeout=10, **self._settings)
        except (serial.SerialException, OSError, ValueError) as err:
            raise DeviceNotFound(f"cannot open printer port {self._url}: {err}") from err

    def close(self) -> None:
        port, self._port = self._port, None
        if port is not None:
            try:
                port.close()
            except (serial.SerialException, OSError):
                pass

    def write(self, data: bytes) -> None:
        port = self._require()
        with self._write_lock:
            try:
                port.write(data)
                port.flush()
            except serial.SerialTimeoutException as err:
                raise DeviceTimeout(f"printer on {self._url} stopped taking data") from err
            except (serial.SerialException, OSError) as err:
                raise DeviceNotFound(f"printer port {self._url} lost: {err}") from err

    def read(self, timeout: float) -> bytes:
        port = self._require()
        try:
            if port.timeout != timeout:  # pyserial reconfigures the port on every change
                port.timeout = timeout
            first = port.read(1)
            if not first:
                return b""
            return bytes(first) + bytes(port.read(port.in_waiting or 0))
        except (serial.SerialException, OSError, TypeError) as err:
            raise DeviceNotFound(f"printer port {self._url} lost: {err}") from err

    def _require(self) -> Any:
        if self._port is None:
            raise DeviceNotFound(f"printer port {self._url} is not open")
        return self._port


class TcpTransport:
    """A network printer's raw port (9100)."""

    bidirectional = True

    def __init__(self, host: str, port: int = 9100, connect_timeout: float = 3.0) -> None:
        self.name = f"tcp://{host}:{port}"
        self.host, self.port = host, port
        self.connect_timeout = connect_timeout
        self._sock: socket.socket | None = None
        self._write_lock = threading.Lock()

    def open(self) -> None:
        try:
            self._sock = socket.create_connection((self.host, self.port), timeout=self.connect_timeout)
            self._sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        except OSError as err:
            raise DeviceNotFound(f"cannot reach printer at {self.name}: {err}") from err

    def close(self) -> None:
        sock, self._sock = self._sock, None
        if sock is not None:
            try:
                sock.shutdown(socket.SHUT_RDWR)
            except OSError:
                pass
            sock.close()

    def write(self, data: bytes) -> None:
        sock = self._require()
        with self._write_lock:
            try:
                sock.settimeout(10)
                sock.sendall(data)
            except TimeoutError as err:
                raise DeviceTimeout(f"printer at {self.name} stopped taking data") from err
            except OSError as err:
                raise DeviceNotFound(f"printer at {self.name} lost: {err}") from err

    def read(self, timeout: float) -> bytes:
        sock = self._require()
        try:
            sock.settimeout(timeout)
            data = sock.recv(256)
        except TimeoutError:
            return b""
        except OSError as err:
            raise DeviceNotFound(f"printer at {self.name} lost: {err}") from err
        if not data:
            raise DeviceNotFound(f"printer at {self.name} closed the connection")
        return data

    def _require(self) -> socket.socket:
        if self._sock is None:
            raise DeviceNotFound(f"printer at {self.name} is not connected")
        return self._sock


class UsbTransport:
    """A USB printer-class device by vendor and product id (needs pyusb: ``pip install .[usb]``)."""

    bidirectional = True

    def __init__(self, vendor: int, product: int, out_ep: int = 0x01, in_ep: int = 0x82) -> None:
        self.name = f"usb://{vendor:#06x}:{product:#06x}"
        self.vendor, self.product, self.out_ep, self.in_ep = vendor, product, out_ep, in_ep
        self._dev: Any = None

    def open(self) -> None:
        try:
            import usb.core
        except ImportError as err:
            raise DeviceNotFound("USB printers need pyusb: pip install 'gov-kiosk[usb]'") from err
        try:
            dev = usb.core.find(idVendor=self.vendor, idProduct=self.product)
            if dev is None:
                raise DeviceNotFound(f"no USB printer {self.name}")
            try:
                if dev.is_kernel_driver_active(0):
                    dev.detach_kernel_driver(0)
            except (NotImplementedError, usb.core.USBError):
                pass
            dev.set_configuration()
        except usb.core.USBError as err:
            raise DeviceNotFound(f"cannot open USB printer {self.name}: {err}") from err
        self._dev = dev

    def close(self) -> None:
        dev, self._dev = self._dev, None
        if dev is not None:
            import usb.util

            usb.util.dispose_resources(dev)

    def write(self, data: bytes) -> None:
        import usb.core

        try:
            self._require().write(self.out_ep, data, timeout=10000)
        except usb.core.USBTimeoutError as err:
            raise DeviceTimeout(f"USB printer {self.name} stopped taking data") from err
        except usb.core.USBError as err:
            raise DeviceNotFound(f"USB printer {self.name} lost: {err}") from err

    def read(self, timeout: float) -> bytes:
        import usb.core

        try:
            return bytes(self._require().read(self.in_ep, 64, timeout=max(1, int(timeout * 1000))))
        except usb.core.USBTimeoutError:
            return b""
        except usb.core.USBError as err:
            raise DeviceNotFound(f"USB printer {self.name} lost: {err}") from err

    def _require(self) -> Any:
        if self._dev is None:
            raise DeviceNotFound(f"USB printer {self.name} is not open")
        return self._dev


class FileTransport:
    """Append the job bytes to a file (or a write-only device node such as /dev/usb/lp0)."""

    bidirectional = False

    def __init__(self, path: Path) -> None:
        self.name = f"file://{path}"
        self.path = path
        self._file: Any = None

    def open(self) -> None:
        try:
            self._file = open(self.path, "ab", buffering=0)  # held open until close()
        except OSError as err:
            raise DeviceNotFound(f"cannot open {self.path} for printing: {err}") from err

    def close(self) -> None:
        file, self._file = self._file, None
        if file is not None:
            file.close()

    def write(self, data: bytes) -> None:
        if self._file is None:
            raise DeviceNotFound(f"{self.path} is not open")
        try:
            self._file.write(data)
        except OSError as err:
            raise DeviceNotFound(f"cannot write {self.path}: {err}") from err

    def read(self, timeout: float) -> bytes:
        return b""


def transport_for(url: DeviceUrl) -> Transport:
    """Build (not open) the transport a printer URL names."""
    options = {k: v for k, v in url.options.items() if k not in PRINTER_OPTIONS}
    if is_serial_url(url):
        target = serial_target(url, PRINTER_OPTIONS)
        return SerialTransport(target.url, baudrate=target.baudrate, rtscts=target.rtscts, dsrdtr=target.dsrdtr)
    if url.scheme == "tcp":
        host, _, port = url.location.rstrip("/").partition(":")
        if not host:
            raise UnsupportedBackend(f"{url.raw}: no host")
        try:
            return TcpTransport(host, int(port) if port else 9100)
        except ValueError:
            raise UnsupportedBackend(f"{url.raw}: port must be a number") from None
    if url.scheme == "usb":
        try:
            vendor, product = (int(part, 16) for part in url.location.rstrip("/").split(":"))
            return UsbTransport(
                vendor,
                product,
                int(options.get("out_ep", "0x01"), 16),
                int(options.get("in_ep", "0x82"), 16),
            )
        except ValueError:
            raise UnsupportedBackend(f"{url.raw}: expected usb://VID:PID in hex, e.g. usb://0x0416:0x5011") from None
    if url.scheme == "file":
        return FileTransport(Path(url.location))
    raise UnsupportedBackend(f"printer URL {url.raw!r}: no transport for scheme {url.scheme!r}")
