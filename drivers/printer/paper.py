"""Draw what an ESC/POS thermal printer puts on paper: the one receipt renderer.

Both printer simulators draw through ``ThermalPaper``: the wire simulator
(``wire_simulator``) runs the commands it receives on the wire, and the in-process
simulator (``sim``) runs the commands ``EscposEncoder`` makes of a ``Document``
(``render_document``). So a receipt is laid out identically by both: the encoder wraps it,
and this module draws every line in 12×24 (ASCII) and 24×24 (CJK) cells with the CJK font
and its fallbacks for rare characters (``drivers.fonts.FontChain``), QR codes at the
encoder's module size, raster images dot for dot, and a dashed mark at each cut.

Drawing commands handled (as ``wire_parser.split_command`` names them): text, ``LF``,
``ESC @``, ``ESC a``, ``ESC E``, ``GS !``, ``FS &``, ``FS .``, ``ESC d``, ``ESC J``,
``GS v 0``, ``GS ( k`` (QR store, size, print) and ``GS V`` (cut). Status, real-time and
paper-supply commands are the wire simulator's business.
"""

from __future__ import annotations

import codecs
from collections.abc import Callable, Sequence
from pathlib import Path

import segno
from PIL import Image, ImageDraw, ImageFont

from drivers.fonts import FontChain
from drivers.printer.document import Document
from drivers.printer.profile import Profile
from drivers.printer.wire_parser import split_command

LINE_SPACING = 30  # ESC 2 default: 30 dots between baselines at size 1
Font = ImageFont.FreeTypeFont | ImageFont.ImageFont


class ThermalPaper:
    """The print head and the paper it draws on; ``execute`` one command at a time.

    ``on_strip`` sees every strip of paper before it is kept (the wire simulator counts
    its roll there and crops a strip the roll ends in).
    """

    def __init__(
        self,
        profile: Profile,
        font_path: Path | None = None,
        fallback_fonts: Sequence[Path] = (),
        encoding: str | None = None,
        on_strip: Callable[[Image.Image], Image.Image] = lambda strip: strip,
    ) -> None:
        self.profile = profile
        self.width = profile.width_dots
        self.encoding = encoding or profile.encoding
        self.on_strip = on_strip
        self.overflows = 0  # lines the printer had to wrap itself
        self.pieces: list[Image.Image] = []  # cut pieces not yet taken
        self.lines: list[str] = []  # every text line printed, for tests
        self._strips: list[Image.Image] = []
        self._chain = FontChain(font_path, fallback_fonts) if font_path is not None else None
        self._fonts: dict[tuple[Path | None, int], Font] = {}
        self._qr_data = b""
        self._qr_module = 3
        self.reset()

    def reset(self) -> None:
        """``ESC @``: default modes; what is on paper stays."""
        self._align = 0
        self._bold = False
        self._scale = (1, 1)
        self._kanji = False
        self._decoder = codecs.getincrementaldecoder(self.encoding)(errors="replace")
        self._line: list[tuple[str, int, bool, tuple[int, int]]] = []
        self._line_align = 0

    def execute(self, command: bytes, argument: bytes) -> None:
        """Run one drawing command (others are ignored)."""
        if command == b"text":
            self._text(argument)
        elif command == b"\n":
            self.print_line()
        elif command == b"\x1b@":
            self.flush_partial_line()
            self.reset()
        elif command == b"\x1ba":
            self._align = argument[0] % 48 if argument[0] >= 48 else argument[0]
        elif command == b"\x1bE":
            self._bold = bool(argument[0] & 1)
        elif command == b"\x1d!":
            self._scale = ((argument[0] >> 4) + 1, (argument[0] & 0x0F) + 1)
        elif command == b"\x1c&":
            self._kanji = True
        elif command == b"\x1c.":
            self._text(b"")
            self._kanji = False
        elif command == b"\x1bd":
            self.flush_partial_line()
            self._feed_rows(argument[0] * LINE_SPACING)
        elif command == b"\x1bJ":
            self._feed_rows(argument[0])
        elif command == b"\x1dV":
            self.cut()
        elif command == b"\x1dv":
            self._raster(argument)
        elif command == b"\x1d(k":
            self._qr(argument)

    def take_pages(self) -> list[Image.Image]:
        """The pieces cut since the last call, plus what hangs uncut from the printer."""
        pages, self.pieces = self.pieces, []
        if self._strips:
            pages.append(stack(self._strips, self.width))
            self._strips = []
        return pages

    def cut(self) -> None:
        self.flush_partial_line()
        self.pieces.append(stack(self._strips + [cut_mark(self.width)], self.width))
        self._strips = []

    # --- text -----------------------------------------------------------------------------

    def font(self, px: int, char: str) -> Font:
        """The font at ``px`` that draws ``char`` (a fallback for rare characters)."""
        path = self._chain.font_for(char) if self._chain is not None else None
        if (path, px) not in self._fonts:
            if path is not None and path.exists():
                self._fonts[path, px] = ImageFont.truetype(str(path), px)
            else:
                self._fonts[path, px] = ImageFont.load_default(px)
        return self._fonts[path, px]

    def glyph(self, char: str, cells: int, heavy: bool) -> Image.Image:
        """One character in its cells (1: 12×24, 2: 24×24) at size 1."""
        cell = Image.new("L", (cells * 12, 24), 255)
        draw = ImageDraw.Draw(cell)
        font = self.font(24 if cells == 2 else 20, char)
        left = (cells * 12 - font.getlength(char)) / 2
        draw.text((left, 0 if cells == 2 else 2), char, font=font, fill=0)
        if heavy:
            draw.text((left + 1, 0 if cells == 2 else 2), char, font=font, fill=0)
        return cell

    def _text(self, data: bytes) -> None:
        if self._kanji:
            chars = self._decoder.decode(data, final=not data)
        else:
            chars = data.decode("cp437", errors="replace")
        for char in chars:
            cells = 1 if ord(char) < 0x80 else 2
            width = cells * self.profile.font_a_width * self._scale[0]
            if self._line_width() + width > self.width:
                self.overflows += 1
                self.print_line()
            if not self._line:
                self._line_align = self._align
            self._line.append((char, cells, self._bold, self._scale))

    def _line_width(self) -> int:
        return sum(cells * self.profile.font_a_width * scale[0] for _, cells, _, scale in self._line)

    def flush_partial_line(self) -> None:
        if self._line:
            self.print_line()

    def print_line(self) -> None:
        height = max([24 * scale[1] for _, _, _, scale in self._line] + [24])
        strip = Image.new("L", (self.width, max(LINE_SPACING, height + 6)), 255)
        x = [0, (self.width - self._line_width()) // 2, self.width - self._line_width()][min(self._line_align, 2)]
        for char, cells, heavy, (sw, sh) in self._line:
            glyph = self.glyph(char, cells, heavy).resize((cells * 12 * sw, 24 * sh))
            strip.paste(glyph, (x, height - 24 * sh))
            x += cells * self.profile.font_a_width * sw
        self.lines.append("".join(char for char, *_ in self._line))
        self._line = []
        self._add_strip(strip)

    # --- paper, pictures, codes -----------------------------------------------------------

    def _feed_rows(self, rows: int) -> None:
        if rows > 0:
            self._add_strip(Image.new("L", (self.width, rows), 255))

    def _add_strip(self, strip: Image.Image) -> None:
        self._strips.append(self.on_strip(strip))

    def _place(self, picture: Image.Image) -> None:
        strip = Image.new("L", (self.width, picture.height), 255)
        left = [0, (self.width - picture.width) // 2, self.width - picture.width][min(self._align, 2)]
        strip.paste(picture, (max(0, left), 0))
        self._add_strip(strip)

    def _raster(self, argument: bytes) -> None:
        mode, xl, xh, yl, yh = argument[:5]
        row_bytes, rows = xl + 256 * xh, yl + 256 * yh
        bits = argument[5:]
        picture = Image.frombytes("1", (row_bytes * 8, rows), bytes(bits)).convert("L").point(lambda v: 255 - v)
        if mode & 1:
            picture = picture.resize((picture.width * 2, picture.height))
        if mode & 2:
            picture = picture.resize((picture.width, picture.height * 2))
        self._place(picture)

    def _qr(self, argument: bytes) -> None:
        fn, data = argument[1], argument[2:]
        if fn == 67:
            self._qr_module = data[0]
        elif fn == 80:
            self._qr_data = data[1:]
        elif fn == 81 and self._qr_data:
            symbol = segno.make(self._qr_data.decode("utf-8"), error="m", micro=False, encoding="utf-8")
            rows = [list(row) for row in symbol.matrix_iter(scale=self._qr_module, border=0)]
            picture = Image.new("L", (len(rows[0]), len(rows)), 255)
            pixels = picture.load()
            assert pixels is not None
            for y, row in enumerate(rows):
                for x, dark in enumerate(row):
                    if dark:
                        pixels[x, y] = 0
            self._place(picture)


def render_document(
    document: Document,
    profile: Profile,
    font_path: Path | None = None,
    fallback_fonts: Sequence[Path] = (),
) -> Image.Image:
    """Draw ``document`` as a ``profile`` printer would print it, cut pieces one under another."""
    from drivers.printer.encoder import EscposEncoder

    paper = ThermalPaper(profile, font_path, fallback_fonts)
    data = bytearray(EscposEncoder(profile, font_path).encode(document))
    while data:
        parsed = split_command(data)
        if parsed is None:
            break  # the encoder never ends a job mid-command
        command, argument, length = parsed
        del data[:length]
        paper.execute(command, argument)
    return stack(paper.take_pages(), profile.width_dots)


def stack(strips: Sequence[Image.Image], width: int) -> Image.Image:
    """Paste strips (or pages) one under another on paper ``width`` dots wide."""
    page = Image.new("L", (width, sum(s.height for s in strips) or 1), 255)
    y = 0
    for strip in strips:
        page.paste(strip, (0, y))
        y += strip.height
    return page


def cut_mark(width: int) -> Image.Image:
    mark = Image.new("L", (width, 9), 255)
    draw = ImageDraw.Draw(mark)
    for x in range(0, width, 12):
        draw.line((x, 4, x + 6, 4), fill=160)
    return mark
