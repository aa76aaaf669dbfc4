"""Open the QR scanner a URL names; an unknown scheme fails loudly."""

from __future__ import annotations

from drivers.errors import UnsupportedBackend
from drivers.qr.scanner import QrScanner
from drivers.url import parse_device_url

SCHEMES = ("sim",)


def make_qr_scanner(url: str, name: str = "qr") -> QrScanner:
    """Build (not open) the scanner for ``url``."""
    parsed = parse_device_url(url)
    if parsed.scheme == "sim":
        from drivers.qr.sim import SimQrScanner

        return SimQrScanner(name)
    raise UnsupportedBackend(f"QR scanner URL {url!r}: scheme must be one of {', '.join(SCHEMES)}")
