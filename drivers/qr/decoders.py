"""QR decoders behind one interface: zbar (through pyzbar's ctypes binding) and zxing-cpp.

Both take an 8-bit grayscale ``numpy`` image and return ``Decoded`` codes.

zbar, asked for text, guesses the character set of a byte segment that has no ECI marker and
often picks Shift-JIS for UTF-8 Chinese (``营保回`` comes out as ``闖･菫晏屓``). ``ZbarDecoder``
therefore switches zbar to binary output (``ZBAR_CFG_BINARY``, zbar ≥ 0.23) and decodes the
raw bytes itself with ``bytes_to_text``: UTF-8 first, then GB 18030 (what Chinese issuers use
when they do not use UTF-8). zxing-cpp honours ECI and recognises UTF-8 without it, but reads
GB 18030 bytes without ECI as Latin-1 or Shift-JIS; so when a code's bytes are not UTF-8 and
are valid GB 18030, ``ZxingDecoder`` takes the GB 18030 reading, and both decoders agree.
(A Latin-1 or Shift-JIS code that is also valid GB 18030 would be misread; on a Chinese
government kiosk that trade is the right one.)

A decoder object keeps native state and is not thread-safe: one per thread.
"""

from __future__ import annotations

import ctypes
from dataclasses import dataclass
from typing import Protocol

import numpy as np

MAX_CODE_BYTES = 8192  # bigger than any QR symbol (version 40 holds 2953 bytes)


@dataclass(frozen=True)
class Decoded:
    """One code found in an image: its text and the bytes it carried."""

    text: str
    raw: bytes


class Decoder(Protocol):
    name: str

    def decode(self, gray: np.ndarray) -> list[Decoded]:
        """Return every QR code found in the 8-bit grayscale image."""
        ...


def bytes_to_text(raw: bytes) -> str:
    """Decode a code's bytes: UTF-8, else GB 18030, else Latin-1 (which never fails)."""
    for encoding in ("utf-8", "gb18030"):
        try:
            return raw.decode(encoding)
        except UnicodeDecodeError:
            continue
    return raw.decode("latin-1")


class ZbarDecoder:
    """zbar, QR only, binary output, text decoded by ``bytes_to_text``."""

    name = "zbar"
    _CFG_BINARY = 4  # zbar_config_e ZBAR_CFG_BINARY in zbar 0.23 (pyzbar 0.1.9 predates it)
    _Y800 = 0x30303859  # fourcc 'Y800': 8-bit gray

    def __init__(self, *, binary: bool = True) -> None:
        from pyzbar import wrapper as zbar

        self._zbar = zbar
        scanner = zbar.zbar_image_scanner_create()
        if not scanner:
            raise RuntimeError("zbar could not create an image scanner")
        self._scanner = scanner
        configure = zbar.zbar_image_scanner_set_config
        enable = zbar.ZBarConfig.CFG_ENABLE
        configure(scanner, zbar.ZBarSymbol.NONE, enable, 0)  # NONE (0) means every symbology
        qr = zbar.ZBarSymbol.QRCODE
        configure(scanner, qr, enable, 1)
        self.binary = binary and configure(scanner, qr, self._CFG_BINARY, 1) == 0

    def __del__(self) -> None:
        scanner = getattr(self, "_scanner", None)
        if scanner:
            self._zbar.zbar_image_scanner_destroy(scanner)
            self._scanner = None

    def decode(self, gray: np.ndarray) -> list[Decoded]:
        zbar = self._zbar
        pixels = np.ascontiguousarray(gray, dtype=np.uint8)
        height, width = pixels.shape[:2]
        buffer = pixels.tobytes()
        image = zbar.zbar_image_create()
        if not image:
            raise RuntimeError("zbar could not create an image")
        try:
            zbar.zbar_image_set_format(image, self._Y800)
            zbar.zbar_image_set_size(image, width, height)
            data = ctypes.cast(ctypes.c_char_p(buffer), ctypes.c_void_p)
            zbar.zbar_image_set_data(image, data, len(buffer), None)
            if zbar.zbar_scan_image(self._scanner, image) <= 0:
                return []
            found: list[Decoded] = []
            symbol = zbar.zbar_image_first_symbol(image)
            while symbol:
                length = min(zbar.zbar_symbol_get_data_length(symbol), MAX_CODE_BYTES)
                raw = ctypes.string_at(zbar.zbar_symbol_get_data(symbol), length)
                text = bytes_to_text(raw) if self.binary else raw.decode("utf-8", "replace")
                found.append(Decoded(text, raw))
                symbol = zbar.zbar_symbol_next(symbol)
            return found
        finally:
            zbar.zbar_image_destroy(image)


class ZxingDecoder:
    """zxing-cpp, QR only; ``try_harder`` adds rotation, downscaling and inverted codes."""

    name = "zxing-cpp"

    def __init__(self, *, try_harder: bool = True) -> None:
        import zxingcpp

        self._zxing = zxingcpp
        self._try_harder = try_harder

    def decode(self, gray: np.ndarray) -> list[Decoded]:
        return self.decode_and_locate(gray)[0]

    def decode_and_locate(self, gray: np.ndarray) -> tuple[list[Decoded], list[np.ndarray]]:
        """Return the codes read, and the corners (4×2, float32) of symbols found but not read."""
        results = self._zxing.read_barcodes(
            np.ascontiguousarray(gray),
            formats=self._zxing.BarcodeFormats(self._zxing.BarcodeFormat.QRCode),
            try_rotate=self._try_harder,
            try_downscale=self._try_harder,
            try_invert=False,  # phones show dark modules on light; saves a pass
            return_errors=True,
        )
        found: list[Decoded] = []
        unread: list[np.ndarray] = []
        for result in results:
            if result.valid:
                raw = bytes(result.bytes[:MAX_CODE_BYTES])
                found.append(Decoded(_zxing_text(result.text, raw), raw))
            else:
                p = result.position
                corners = (p.top_left, p.top_right, p.bottom_right, p.bottom_left)
                unread.append(np.array([[c.x, c.y] for c in corners], dtype=np.float32))
        return found, unread


def _zxing_text(text: str, raw: bytes) -> str:
    """Keep zxing-cpp's text for UTF-8 bytes; otherwise prefer a strict GB 18030 reading."""
    try:
        raw.decode("utf-8")
        return text
    except UnicodeDecodeError:
        pass
    try:
        return raw.decode("gb18030")
    except UnicodeDecodeError:
        return text


def make_decoder(name: str) -> Decoder:
    """Build a decoder by name: ``zbar`` or ``zxing-cpp``."""
    if name == "zbar":
        return ZbarDecoder()
    if name in ("zxing", "zxing-cpp"):
        return ZxingDecoder()
    raise ValueError(f"unknown QR decoder {name!r}: zbar or zxing-cpp")
