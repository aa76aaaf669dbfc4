"""The interface every QR scanner driver implements.

Once opened, a scanner reports each code it reads as a ``CodeScanned`` event.
"""

from __future__ import annotations

from drivers.device import Device


class QrScanner(Device):
    """A QR/barcode scanner (serial, USB-serial or camera)."""
