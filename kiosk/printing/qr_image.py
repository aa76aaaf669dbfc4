"""Our own QR codes (receipt lookup codes, codes on screen), made one way.

Byte mode, UTF-8, with an ECI designator (ECI 26), so every decoder reads Chinese right:
zbar guesses Shift-JIS for UTF-8 bytes without ECI and turns Chinese into mojibake. Error
correction level M, raised by segno when the symbol has room to spare.
"""

from __future__ import annotations

import segno

MAX_TEXT_BYTES = 1024


def make_qr(text: str) -> segno.QRCode:
    """Return the QR code for ``text`` in byte mode, UTF-8, with ECI."""
    if len(text.encode("utf-8")) > MAX_TEXT_BYTES:
        raise ValueError(f"QR text longer than {MAX_TEXT_BYTES} bytes")
    return segno.make_qr(text, mode="byte", encoding="utf-8", eci=True, error="m", boost_error=True)
