"""The printer's side of an ESC/POS wire, for tests, the demo and the bench.

Device: a simulated 58/80 mm Chinese-firmware thermal printer. It listens on a
pseudo-terminal (``PtyLink``, the driver opens ``link.path`` like a serial port) or a TCP
socket (``TcpLink``, like a network printer's port 9100).

Protocol notes: incoming bytes are split into commands by their declared lengths (unknown
``ESC``/``GS``/``FS`` commands with a ``pL pH`` length are skipped by it, others by a table
of parameter counts). Real-time commands (``DLE EOT``, ``DLE ENQ``, ``DLE DC4``) run as
they arrive; everything else waits in a buffer that runs while the printer is online. Text
in Kanji mode (``FS &``) is decoded with the firmware's codec and drawn with a CJK font at
24×24 (ASCII 12×24) dots; the paper is rendered to images ``width_dots`` wide, one piece per
cut. Faults: paper near end or out (also mid-job), cover open, cutter error, power off.
"""

from __future__ import annotations

import codecs
import threading
import time
from collections import deque
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from pathlib import Path

import segno
from PIL import Image, ImageDraw, ImageFont

from drivers.fonts import FontChain
from drivers.printer.profile import Profile
from drivers.printer.status import PrinterState, asb_for, replies_for
from drivers.printer.wire_parser import split_command

LINE_SPACING = 30  # ESC 2 default: 30 dots between baselines at size 1


@dataclass
class Paper:
    rows_left: int | None  # None: an endless roll
    near_end_rows: int = 2000


class WireSimulator:
    """An ESC/POS printer: feed it bytes, it answers through ``send`` and draws paper."""

    def __init__(
        self,
        profile: Profile,
        font_path: Path | None = None,
        paper_rows: int | None = None,
        near_end_rows: int = 2000,
        encoding: str | None = None,
        fallback_fonts: Sequence[Path] = (),
    ) -> None:
        self.profile = profile
        self.width = profile.width_dots
        self.encoding = encoding or profile.encoding
        self.send: Callable[[bytes], None] = lambda data: None
        self.paper = Paper(paper_rows, near_end_rows)
        self.state = PrinterState()
        self.powered = True
        self.cutter_fault = False  # the next cut fails
        self.unknown_commands: list[bytes] = []
        self.overflows = 0  # lines the printer had to wrap itself
        self.pieces: list[Image.Image] = []  # cut pieces not yet taken
        self.lines: list[str] = []  # every text line printed, for tests
        self.paper_out_at: float | None = None  # monotonic time the roll ran out
        self._lock = threading.RLock()
        self._inbox = bytearray()
        self._pending: deque[tuple[bytes, bytes]] = deque()  # (command, argument) waiting to run
        self._strips: list[Image.Image] = []
        self._asb = False
        self._font_path = font_path
        self._chain = FontChain(font_path, fallback_fonts) if font_path is not None else None
        self._fonts: dict[tuple[Path | None, int], ImageFont.FreeTypeFont | ImageFont.ImageFont] = {}
        self._qr_data = b""
        self._qr_module = 3
        self._reset()
        self._update()

    # --- the wire -------------------------------------------------------------------------

    def feed(self, data: bytes) -> None:
        """Take bytes from the host."""
        with self._lock:
            if not self.powered:
                return
            self._inbox += data
            while True:
                parsed = split_command(self._inbox)
                if parsed is None:
                    break
                command, argument, length = parsed
                del self._inbox[:length]
                if command.startswith(b"\x10"):
                    self._realtime(command, argument)
                else:
                    self._pending.append((command, argument))
            self._run()

    def _realtime(self, command: bytes, argument: bytes) -> None:
        if command == b"\x10\x04" and argument and 1 <= argument[0] <= 4:
            self.send(replies_for(self.state)[argument[0] - 1 : argument[0]])
        elif command == b"\x10\x14" and argument[:1] == b"\x08":  # clear buffers
            self._pending.clear()
        elif command == b"\x10\x05" and argument[:1] in (b"\x01", b"\x02"):  # recover from error
            if argument[:1] == b"\x02":
                self._pending.clear()
            self._update(cutter_error=False, recoverable_error=False, error=False)

    # --- faults and supplies (developer controls) ---------------------------------------

    def set_paper(self, rows: int | None) -> None:
        """Load a roll with ``rows`` dot rows left (None: endless; 0: empty)."""
        with self._lock:
            self.paper.rows_left = rows
            self._update()
            self._run()

    def set_cover_open(self, is_open: bool) -> None:
        with self._lock:
            self._update(cover_open=is_open)
            self._run()

    def inject_cutter_error(self) -> None:
        """Make the next cut fail."""
        self.cutter_fault = True

    def power_off(self) -> None:
        """Go silent and forget the buffer, as an unplugged printer does."""
        with self._lock:
            self.powered = False
            self._pending.clear()
            self._inbox.clear()

    def power_on(self) -> None:
        with self._lock:
            self.powered = True
            self._asb = False
            self._update(cutter_error=False, error=False)
            self._reset()

    def take_pages(self) -> list[Image.Image]:
        """The pieces cut since the last call, plus what hangs uncut from the printer."""
        with self._lock:
            pages, self.pieces = self.pieces, []
            if self._strips:
                pages.append(_stack(self._strips, self.width))
                self._strips = []
            return pages

    # --- state ----------------------------------------------------------------------------

    def _update(self, **changes: bool) -> None:
        rows = self.paper.rows_left
        paper_end = rows is not None and rows <= 0
        near_end = rows is not None and rows <= self.paper.near_end_rows
        new = replace(self.state, paper_end=paper_end, paper_near_end=near_end, **changes)
        fault = new.cover_open or new.cutter_error or new.unrecoverable_error or paper_end
        new = replace(new, offline=fault, stopped_by_paper_end=paper_end and not new.cover_open)
        if paper_end and not self.state.paper_end:
            self.paper_out_at = time.monotonic()
        if new != self.state:
            self.state = new
            if self._asb:
                self.send(asb_for(new))

    def _reset(self) -> None:
        self._align = 0
        self._bold = False
        self._scale = (1, 1)
        self._kanji = False
        self._decoder = codecs.getincrementaldecoder(self.encoding)(errors="replace")
        self._line: list[tuple[str, int, bool, tuple[int, int]]] = []
        self._line_align = 0

    # --- running commands -----------------------------------------------------------------

    def _run(self) -> None:
        while self._pending and not self.state.offline:
            command, argument = self._pending[0]
            if self._uses_paper(command) and self.paper.rows_left is not None and self.paper.rows_left <= 0:
                self._update()
                return
            self._pending.popleft()
            self._execute(command, argument)

    @staticmethod
    def _uses_paper(command: bytes) -> bool:
        return command in (b"\n", b"\x1bd", b"\x1bJ", b"\x1dv", b"\x1d(k")

    def _execute(self, command: bytes, argument: bytes) -> None:
        if command == b"text":
            self._text(argument)
        elif command == b"\n":
            self._print_line()
        elif command == b"\x1b@":
            self._flush_partial_line()
            self._reset()
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
            self._flush_partial_line()
            self._feed_rows(argument[0] * LINE_SPACING)
        elif command == b"\x1bJ":
            self._feed_rows(argument[0])
        elif command == b"\x1dV":
            self._cut()
        elif command == b"\x1dv":
            self._raster(argument)
        elif command == b"\x1d(k":
            self._qr(argument)
        elif command == b"\x1da":
            self._asb = argument[0] != 0
            if self._asb:
                self.send(asb_for(self.state))
        elif command == b"\x1dr":
            if argument[0] in (1, 49):
                rows = self.paper.rows_left
                near = rows is not None and rows <= self.paper.near_end_rows
                self.send(bytes([(0x03 if near else 0) | (0x0C if self.state.paper_end else 0)]))
            else:
                self.send(b"\x00")
        elif command == b"unknown":
            self.unknown_commands.append(argument)

    # --- drawing --------------------------------------------------------------------------

    def _font(self, px: int, char: str) -> ImageFont.FreeTypeFont | ImageFont.ImageFont:
        """The font at ``px`` that draws ``char`` (a fallback for rare characters)."""
        path = self._chain.font_for(char) if self._chain is not None else None
        if (path, px) not in self._fonts:
            if path is not None and path.exists():
                self._fonts[path, px] = ImageFont.truetype(str(path), px)
            else:
                self._fonts[path, px] = ImageFont.load_default(px)
        return self._fonts[path, px]

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
                self._print_line()
            if not self._line:
                self._line_align = self._align
            self._line.append((char, cells, self._bold, self._scale))

    def _line_width(self) -> int:
        return sum(cells * self.profile.font_a_width * scale[0] for _, cells, _, scale in self._line)

    def _flush_partial_line(self) -> None:
        if self._line:
            self._print_line()

    def _print_line(self) -> None:
        height = max([24 * scale[1] for _, _, _, scale in self._line] + [24])
        strip = Image.new("L", (self.width, max(LINE_SPACING, height + 6)), 255)
        x = [0, (self.width - self._line_width()) // 2, self.width - self._line_width()][min(self._line_align, 2)]
        for char, cells, heavy, (sw, sh) in self._line:
            glyph = self._glyph(char, cells, heavy).resize((cells * 12 * sw, 24 * sh))
            strip.paste(glyph, (x, height - 24 * sh))
            x += cells * self.profile.font_a_width * sw
        self.lines.append("".join(char for char, *_ in self._line))
        self._line = []
        self._add_strip(strip)

    def _glyph(self, char: str, cells: int, heavy: bool) -> Image.Image:
        cell = Image.new("L", (cells * 12, 24), 255)
        draw = ImageDraw.Draw(cell)
        font = self._font(24 if cells == 2 else 20, char)
        left = (cells * 12 - font.getlength(char)) / 2
        draw.text((left, 0 if cells == 2 else 2), char, font=font, fill=0)
        if heavy:
            draw.text((left + 1, 0 if cells == 2 else 2), char, font=font, fill=0)
        return cell

    def _feed_rows(self, rows: int) -> None:
        if rows > 0:
            self._add_strip(Image.new("L", (self.width, rows), 255))

    def _add_strip(self, strip: Image.Image) -> None:
        rows = self.paper.rows_left
        if rows is not None:
            if strip.height > rows:  # the roll ends inside this strip
                strip = strip.crop((0, 0, self.width, max(1, rows)))
            self.paper.rows_left = max(0, rows - strip.height)
        self._strips.append(strip)
        self._update()

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

    def _cut(self) -> None:
        self._flush_partial_line()
        if self.cutter_fault:
            self.cutter_fault = False
            self._update(cutter_error=True, error=True)
            return
        strips = self._strips + [_cut_mark(self.width)]
        self.pieces.append(_stack(strips, self.width))
        self._strips = []


def _stack(strips: list[Image.Image], width: int) -> Image.Image:
    page = Image.new("L", (width, sum(s.height for s in strips) or 1), 255)
    y = 0
    for strip in strips:
        page.paste(strip, (0, y))
        y += strip.height
    return page


def _cut_mark(width: int) -> Image.Image:
    mark = Image.new("L", (width, 9), 255)
    draw = ImageDraw.Draw(mark)
    for x in range(0, width, 12):
        draw.line((x, 4, x + 6, 4), fill=160)
    return mark
