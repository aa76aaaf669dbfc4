"""The card photo: 1024 bytes of vendor-encoded WLT, carried as bytes.

WLT is proprietary; only vendor libraries (``WltRS.dll`` ``GetBmp``, ZKTeco ``wlt2bmp``,
hardware.md §1.7) turn it into a 102 × 126, 24-bit image. Nothing here pretends to decode
it: a site that has a licensed library wraps it in a ``WltDecoder`` and registers it.
Without one, ``decode_photo`` raises ``PhotoDecoderMissing``.
"""

from __future__ import annotations

from typing import Protocol, runtime_checkable

from drivers.errors import DriverError

PHOTO_WIDTH = 102
PHOTO_HEIGHT = 126
WLT_SIZE = 1024


class PhotoDecoderMissing(DriverError):
    """No vendor WLT decoder is registered on this machine."""


@runtime_checkable
class WltDecoder(Protocol):
    """A vendor library wrapped to turn WLT bytes into an image file (BMP or PNG bytes)."""

    def decode(self, wlt: bytes) -> bytes: ...


_decoder: WltDecoder | None = None


def register_wlt_decoder(decoder: WltDecoder | None) -> None:
    """Use ``decoder`` for every later ``decode_photo`` (``None`` removes it)."""
    global _decoder
    _decoder = decoder


def decode_photo(wlt: bytes) -> bytes:
    """Return the image for ``wlt`` through the registered vendor decoder."""
    if _decoder is None:
        raise PhotoDecoderMissing("no WLT decoder registered; the photo is only available as WLT bytes")
    return _decoder.decode(wlt)
