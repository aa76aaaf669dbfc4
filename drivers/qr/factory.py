"""Open the QR scanner a URL names; an unknown scheme fails loudly.

- ``sim://``: in-process simulator whose codes come from ``scan(text)``.
- a device path or a pyserial URL (``serial://``, ``hwgrep://``, ``socket://``, ``spy://``,
  ``loop://``, ``rfc2217://``, ``alt://``): ``drivers.qr.serial_scanner``.
- ``simwire://``: the serial driver on a pty simulator (``drivers.qr.wire_simulator``).
- ``camera://``: ``drivers.qr.camera``.
"""

from __future__ import annotations

from drivers.errors import UnsupportedBackend
from drivers.qr.scanner import QrScanner
from drivers.url import parse_device_url

SCHEMES = ("sim", "simwire", "camera", "serial", "hwgrep", "socket", "spy", "loop", "rfc2217", "alt")


def make_qr_scanner(url: str, name: str = "qr") -> QrScanner:
    """Build (not open) the scanner for ``url``."""
    parsed = parse_device_url(url)
    if parsed.scheme == "sim":
        from drivers.qr.sim import SimQrScanner

        return SimQrScanner(name)
    if parsed.scheme == "camera":
        from drivers.qr.camera import camera_from_url

        return camera_from_url(parsed, name)
    if parsed.scheme == "simwire":
        from drivers.qr.serial_scanner import settings_from_url
        from drivers.qr.wire_simulator import make_simwire_scanner

        return make_simwire_scanner(name, settings_from_url(parsed, port="simwire"))
    from drivers.qr.serial_scanner import PYSERIAL_SCHEMES, SerialQrScanner, settings_from_url

    if parsed.scheme in PYSERIAL_SCHEMES:
        return SerialQrScanner(name, settings_from_url(parsed))
    raise UnsupportedBackend(f"QR scanner URL {url!r}: scheme must be one of {', '.join(SCHEMES)}")
