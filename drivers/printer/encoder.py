"""Turn a device-neutral ``Document`` into ESC/POS bytes for one printer ``Profile``.

Device: any ESC/POS thermal receipt printer (58/80 mm, Chinese firmware). Protocol notes
(hardware.md §2):

- Every job starts with ``ESC @``. Chinese is sent in runs wrapped in ``FS &`` … ``FS .``
  (Kanji mode on, off) and encoded with the profile's codec (GB18030, GBK or Big5);
  ASCII stays outside Kanji mode. A line holding a character the codec cannot encode (a
  rare name character on a GBK or Big5 printer) is printed as a raster image instead.
- Wrapping is by display width: an ASCII character takes one 12-dot cell, every other
  character two (the 24×24 Chinese font); a character is never split and closing
  punctuation never starts a line.
- Size ``GS ! n`` (width and height multipliers), bold ``ESC E``, alignment ``ESC a``.
- QR: ``GS ( k`` (model 2, module size, error correction M, store, print) or, for a
  profile without native QR, the same symbol drawn by segno as a ``GS v 0`` raster image.
- Cut: ``GS V 65 n`` (feed, full cut), ``GS V 66 n`` (feed, partial cut), or a feed only.

python-escpos is not used here: its CJK path skips ``FS &`` and the profile's encoding and
misses punctuation-only text, and it reads capability files at import time.
"""

from __future__ import annotations

from pathlib import Path

import segno

from drivers.printer.document import Align, Cut, Document, Feed, Image, QrCode, Rule, Text
from drivers.printer.profile import Cutter, Profile

ESC, GS, FS, DLE, LF = b"\x1b", b"\x1d", b"\x1c", b"\x10", b"\n"

INIT = ESC + b"@"
KANJI_ON = FS + b"&"
KANJI_OFF = FS + b"."
CLEAR_BUFFER = DLE + b"\x14\x08\x01\x03\x14\x01\x06\x02\x08"  # DLE DC4 8: drop unprinted data
JOB_FENCE = GS + b"r\x01"  # queued status query: answered only once everything before it printed
RASTER_BAND_ROWS = 256  # rows per GS v 0 command; small printers have small buffers

NO_LINE_START = set("，。、：；！？）》」』】〉”’…—,.;:!?)%")
_ALIGN_CODE = {Align.LEFT: 0, Align.CENTER: 1, Align.RIGHT: 2}


def align(value: Align) -> bytes:
    """``ESC a n``."""
    return ESC + b"a" + bytes([_ALIGN_CODE[value]])


def bold(on: bool) -> bytes:
    """``ESC E n``."""
    return ESC + b"E" + bytes([1 if on else 0])


def size(width: int, height: int) -> bytes:
    """``GS ! n``: high nibble width multiplier − 1, low nibble height multiplier − 1."""
    if not (1 <= width <= 8 and 1 <= height <= 8):
        raise ValueError("character size multipliers are 1..8")
    return GS + b"!" + bytes([(width - 1) << 4 | (height - 1)])


def feed(lines: int) -> bytes:
    """``ESC d n``: print and feed ``lines`` lines."""
    return ESC + b"d" + bytes([max(0, min(lines, 255))])


def _qr_function(fn: int, payload: bytes) -> bytes:
    length = len(payload) + 2
    return GS + b"(k" + bytes([length & 0xFF, length >> 8, 0x31, fn]) + payload


def qr_native(data: bytes, module: int, error: str = "M") -> bytes:
    """``GS ( k``: select model 2, module size, error level, store ``data``, print."""
    level = {"L": 48, "M": 49, "Q": 50, "H": 51}[error]
    if len(data) > 7089:
        raise ValueError("QR data too long for GS ( k")
    return (
        _qr_function(65, b"\x32\x00")
        + _qr_function(67, bytes([max(1, min(module, 16))]))
        + _qr_function(69, bytes([level]))
        + _qr_function(80, b"\x30" + data)
        + _qr_function(81, b"\x30")
    )


def raster(image: Image, double: bool = False) -> bytes:
    """``GS v 0``: a 1-bit image in bands of at most ``RASTER_BAND_ROWS`` rows; ``double``
    prints every dot as 2×2 (mode 3), a quarter of the bytes for a blocky image like a QR."""
    row_bytes = (image.width + 7) // 8
    mode = b"\x03" if double else b"\x00"
    out = bytearray()
    for top in range(0, image.height, RASTER_BAND_ROWS):
        rows = min(RASTER_BAND_ROWS, image.height - top)
        out += GS + b"v0" + mode + bytes([row_bytes & 0xFF, row_bytes >> 8, rows & 0xFF, rows >> 8])
        out += image.bits[top * row_bytes : (top + rows) * row_bytes]
    return bytes(out)


def cut(profile: Profile, partial: bool = False) -> bytes:
    """Feed past the blade and cut as the profile's cutter allows (``GS V 65/66 n``)."""
    if profile.cutter is Cutter.NONE:
        return feed(profile.cut_feed + 2)
    mode = 66 if partial or profile.cutter is Cutter.PARTIAL else 65
    return GS + b"V" + bytes([mode, profile.cut_feed])


def cell_width(char: str) -> int:
    """Cells a character takes on paper: 1 for ASCII, 2 for anything printed in Kanji mode."""
    return 1 if ord(char) < 0x80 else 2


def display_width(text: str) -> int:
    return sum(cell_width(c) for c in text)


def wrap(text: str, cells: int) -> list[str]:
    """Split ``text`` into lines of at most ``cells`` cells, never inside a character."""
    lines: list[str] = []
    for paragraph in text.split("\n"):
        line: list[str] = []
        used = 0
        for char in paragraph:
            width = cell_width(char)
            if used + width > cells and line:
                carried: list[str] = []
                if char in NO_LINE_START and len(line) > 1:
                    carried = line[-1:]  # take a character along so punctuation is not alone
                elif _in_word(char) and _in_word(line[-1]):
                    cut_at = _word_start(line)  # move a whole ASCII word or number to the next line
                    carried = line[cut_at:] if cut_at > 0 else []
                if carried and display_width("".join(carried)) + width <= cells:
                    line = line[: len(line) - len(carried)]
                else:
                    carried = []
                lines.append("".join(line).rstrip(" "))
                line = carried
                used = display_width("".join(line))
                if char == " " and not line:
                    continue
            line.append(char)
            used += width
        lines.append("".join(line))
    return lines


def _in_word(char: str) -> bool:
    """Part of an ASCII run that moves to the next line whole: a word, and a number with its
    marks (320102********123X, 025-58000001, 14:05); only spaces and CJK break a line."""
    return char.isascii() and not char.isspace()


def _word_start(line: list[str]) -> int:
    """Index where the ASCII word at the end of ``line`` starts (0: the line is one word)."""
    start = len(line)
    while start > 0 and _in_word(line[start - 1]):
        start -= 1
    return start


class EscposEncoder:
    """Encode documents for one profile. ``font_path`` draws lines the codec cannot encode."""

    def __init__(self, profile: Profile, font_path: Path | None = None) -> None:
        self.profile = profile
        self.font_path = font_path

    def encode(self, document: Document) -> bytes:
        """The whole job: ``ESC @`` then every block."""
        out = bytearray(INIT)
        for block in document.blocks:
            out += self.encode_block(block)
        return bytes(out)

    def encode_block(self, block: object) -> bytes:
        if isinstance(block, Text):
            return self.text(block)
        if isinstance(block, Rule):
            return align(Align.LEFT) + b"-" * self.profile.cells + LF
        if isinstance(block, QrCode):
            return self.qr(block)
        if isinstance(block, Image):
            if block.width > self.profile.width_dots:
                raise ValueError(f"image {block.width} dots wide; paper is {self.profile.width_dots}")
            return align(block.align) + raster(block) + align(Align.LEFT)
        if isinstance(block, Feed):
            return feed(block.lines)
        if isinstance(block, Cut):
            return cut(self.profile, block.partial)
        raise TypeError(f"cannot print {type(block).__name__}")

    def text(self, block: Text) -> bytes:
        width = block.size
        if block.one_line:
            while width > 1 and display_width(block.text) * width > self.profile.cells:
                width -= 1
        out = bytearray(align(block.align) + bold(block.bold) + size(width, block.size))
        for line in wrap(block.text, max(2, self.profile.cells // width)):
            out += self.line(line, block)
        out += size(1, 1) + bold(False) + align(Align.LEFT)
        return bytes(out)

    def line(self, line: str, block: Text) -> bytes:
        """One printed line with its LF; Chinese runs in Kanji mode."""
        try:
            return encode_runs(line, self.profile.encoding) + LF
        except UnicodeEncodeError:
            return raster(self.picture_of(line, block.size, block.bold))

    def qr(self, block: QrCode) -> bytes:
        symbol = segno.make(block.data, error="m", micro=False, encoding="utf-8")
        modules = symbol.symbol_size(scale=1, border=0)[0]
        module = max(1, min(block.module, self.profile.width_dots // (int(modules) + 8)))
        if self.profile.native_qr:
            body = qr_native(block.data.encode("utf-8"), module)
        else:
            half = module % 2 == 0
            body = raster(qr_picture(symbol, module // 2 if half else module), double=half)
        return align(block.align) + body + LF + align(Align.LEFT)

    def picture_of(self, line: str, scale: int, heavy: bool) -> Image:
        """Draw a text line as a raster image with the CJK font (fallback for rare characters)."""
        from PIL import Image as PilImage
        from PIL import ImageDraw, ImageFont

        height = 24 * scale
        font: ImageFont.FreeTypeFont | ImageFont.ImageFont
        if self.font_path is not None and self.font_path.exists():
            font = ImageFont.truetype(str(self.font_path), height)
        else:
            font = ImageFont.load_default(height)
        width = min(self.profile.width_dots, display_width(line) * self.profile.font_a_width * scale)
        picture = PilImage.new("L", (max(8, width), height + 6 * scale), 255)
        draw = ImageDraw.Draw(picture)
        draw.text((0, 0), line, font=font, fill=0)
        if heavy:
            draw.text((1, 0), line, font=font, fill=0)
        return Image.from_pil(picture, self.profile.width_dots, Align.LEFT)


def encode_runs(line: str, encoding: str) -> bytes:
    """ASCII as is; every non-ASCII run as ``FS &`` + bytes in ``encoding`` + ``FS .``."""
    out = bytearray()
    run: list[str] = []

    def flush() -> None:
        if run:
            out.extend(KANJI_ON + "".join(run).encode(encoding) + KANJI_OFF)
            run.clear()

    for char in line:
        if ord(char) < 0x80:
            flush()
            out.append(ord(char) if ord(char) >= 0x20 else 0x20)
        else:
            run.append(char)
    flush()
    return bytes(out)


def qr_picture(symbol: segno.QRCode, module: int) -> Image:
    """A QR symbol as a 1-bit image with a two-module quiet zone (the paper margin adds more)."""
    rows = [list(row) for row in symbol.matrix_iter(scale=module, border=2)]
    width = len(rows[0])
    row_bytes = (width + 7) // 8
    bits = bytearray()
    for row in rows:
        packed = bytearray(row_bytes)
        for x, dark in enumerate(row):
            if dark:
                packed[x // 8] |= 0x80 >> (x % 8)
        bits += packed
    return Image(width, len(rows), bytes(bits), Align.CENTER)
