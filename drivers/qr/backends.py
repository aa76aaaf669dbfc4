"""The QR scanner's backends, by URL scheme (see ``drivers.backends``).

- ``sim://``: in-process simulator whose codes come from ``scan(text)`` (``drivers.qr.sim``).
- ``simwire://?suffix=crlf``: the serial driver on a pty simulator (``drivers.qr.wire_simulator``).
- ``camera://``: a camera or video file, decoded on the host (``drivers.qr.camera``).
- a device path, ``COM3`` or a pyserial URL (``serial://``, ``hwgrep://``, ``socket://``,
  ``spy://``, ``loop://``, ``rfc2217://``, ``alt://``): ``drivers.qr.serial_scanner``.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from drivers.backends import Backend, BackendTable
from drivers.serial_url import PYSERIAL_SCHEMES
from drivers.url import DeviceUrl

if TYPE_CHECKING:
    from drivers.qr.scanner import QrScanner


def _sim(url: DeviceUrl, name: str, **_: Any) -> QrScanner:
    from drivers.qr.sim import SimQrScanner

    return SimQrScanner(name)


def _simwire(url: DeviceUrl, name: str, **_: Any) -> QrScanner:
    from drivers.qr.serial_scanner import settings_from_url
    from drivers.qr.wire_simulator import make_simwire_scanner

    return make_simwire_scanner(name, settings_from_url(url, port="simwire"))


def _camera(url: DeviceUrl, name: str, **_: Any) -> QrScanner:
    from drivers.qr.camera import camera_from_url

    return camera_from_url(url, name)


def _serial(url: DeviceUrl, name: str, **_: Any) -> QrScanner:
    from drivers.qr.serial_scanner import SerialQrScanner, settings_from_url

    return SerialQrScanner(name, settings_from_url(url))


BACKENDS: BackendTable[QrScanner] = BackendTable(
    "QR scanner",
    (
        Backend(("sim",), _sim, "in-process simulator"),
        Backend(("simwire",), _simwire, "serial driver on the wire simulator"),
        Backend(("camera",), _camera, "camera decoded on the host"),
        Backend(PYSERIAL_SCHEMES, _serial, "serial scanner"),
    ),
)
