"""QR decoders behind one interface: zbar (through pyzbar's ctypes binding) and zxing-cpp.

Both take an 8-bit grayscale ``numpy`` image and return ``Decoded`` codes, whose text comes
from ``drivers.qr.text``, so both decoders give the same text for the same symbol:

- zxing-cpp is asked for the bytes with their ECI designators (``TextMode.HexECI``), and each
  block is decoded by the character set its ECI declares; bytes without one are guessed.
- zbar, asked for text, guesses even declared segments and often picks Shift-JIS for UTF-8
  Chinese (``营保回`` comes out as ``闖･菫晏屓``); ``ZbarDecoder`` therefore switches it to
  binary output (``ZBAR_CFG_BINARY``, zbar ≥ 0.23), which drops ECI designators, and guesses
  the raw bytes. zbar runs only after zxing-cpp found nothing.

A code whose text cannot be decoded with confidence is ``Decoded(readable=False)`` with
``text == ""``: the scanner reports it as undecodable, never as a misread.

A decoder object keeps native state and is not thread-safe: one per thread.
"""

from __future__ import annotations

import ctypes
from dataclasses import dataclass
from typing import Protocol

import numpy as np

from drivers.qr.text import decode_eci_stream, guess_text

MAX_CODE_BYTES = 8192  # bigger than any QR symbol (version 40 holds 2953 bytes)


@dataclass(frozen=True)
class Decoded:
    """One code found in an image: its text (``""`` if not ``readable``) and its bytes."""

    text: str
    raw: bytes
    readable: bool = True


def decoded(text: str | None, raw: bytes) -> Decoded:
    """Wrap a text that may be undecodable (None) with its bytes."""
    return Decoded(text, raw) if text is not None else Decoded("", raw, readable=False)


class Decoder(Protocol):
    name: str

    def decode(self, gray: np.ndarray) -> list[Decoded]:
        """Return every QR code found in the 8-bit grayscale image."""
        ...


class ZbarDecoder:
    """zbar, QR only, binary output, text guessed by ``drivers.qr.text.guess_text``."""

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
                if self.binary:
                    found.append(decoded(guess_text(raw), raw))
                else:
                    found.append(Decoded(raw.decode("utf-8", "replace"), raw))
                symbol = zbar.zbar_symbol_next(symbol)
            return found
        finally:
            zbar.zbar_image_destroy(image)


class ZxingDecoder:
    """zxing-cpp, QR only; ``try_harder`` adds rotation and downscaling, ``invert`` reads
    light-on-dark codes only (the pipeline passes inverted frames itself)."""

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
            try_invert=False,  # the pipeline inverts frames itself, when it needs to
            text_mode=self._zxing.TextMode.HexECI,
            return_errors=True,
        )
        found: list[Decoded] = []
        unread: list[np.ndarray] = []
        for result in results:
            if result.valid:
                raw = bytes(result.bytes[:MAX_CODE_BYTES])
                found.append(decoded(_zxing_text(result.text), raw))
            else:
                p = result.position
                corners = (p.top_left, p.top_right, p.bottom_right, p.bottom_left)
                unread.append(np.array([[c.x, c.y] for c in corners], dtype=np.float32))
        return found, unread


def _zxing_text(hex_eci: str) -> str | None:
    """Decode zxing-cpp's ``HexECI`` text (bytes with ECI designators) by ``decode_eci_stream``."""
    try:
        stream = bytes.fromhex(hex_eci)
    except ValueError:
        return None
    return decode_eci_stream(stream[: MAX_CODE_BYTES + 64])


def make_decoder(name: str) -> Decoder:
    """Build a decoder by name: ``zbar`` or ``zxing-cpp``."""
    if name == "zbar":
        return ZbarDecoder()
    if name in ("zxing", "zxing-cpp"):
        return ZxingDecoder()
    raise ValueError(f"unknown QR decoder {name!r}: zbar or zxing-cpp")
