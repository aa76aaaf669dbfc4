"""Open the QR scanner a URL names; an unknown scheme fails loudly.

The schemes and what each builds are in ``drivers.qr.backends``: ``sim://``, ``simwire://``,
``camera://``, and a device path, ``COM3`` or a serial URL for a serial scanner.
"""

from __future__ import annotations

from drivers.qr.backends import BACKENDS
from drivers.qr.scanner import QrScanner


def make_qr_scanner(url: str, name: str = "qr") -> QrScanner:
    """Build (not open) the scanner for ``url``."""
    return BACKENDS.build(url, name)
