"""The printer's side of an ESC/POS wire, for tests, the demo and the bench.

Device: a simulated 58/80 mm Chinese-firmware thermal printer. ``drivers.printer.simwire``
serves it over a ``drivers.simlink`` link: a pseudo-terminal (the driver opens ``link.port``
like a serial port) or a TCP socket (like a network printer's port 9100). The link hands
the host's bytes to ``feed``; the simulator answers through ``send``.

Protocol notes: incoming bytes are split into commands by their declared lengths (unknown
``ESC``/``GS``/``FS`` commands with a ``pL pH`` length are skipped by it, others by a table
of parameter counts). Real-time commands (``DLE EOT``, ``DLE ENQ``, ``DLE DC4``) run as
they arrive; everything else waits in a buffer that runs while the printer is online. Once
``start``ed, the buffer runs on the simulator's own print thread, so real-time status is
answered while a long job (or a slow first glyph) is still printing, as real firmware does;
without ``start`` it runs inside ``feed`` (tests that feed bytes and look at once). What goes
on paper is drawn by ``drivers.printer.paper`` (the renderer ``sim://`` uses too); the
paper is rendered to images ``width_dots`` wide, one piece per cut. Faults: paper near end
or out (also mid-job), cover open, cutter error, power off.

``clone=True`` behaves like the many clone printers that never answer the queued ``GS r``
status query (they still answer ``DLE EOT`` and, if the profile has it, push ASB): the
command is taken off the buffer and ignored, so a driver waiting for it waits forever.
"""

from __future__ import annotations

import threading
import time
from collections import deque
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from pathlib import Path

from PIL import Image

from drivers.printer.paper import LINE_SPACING, ThermalPaper
from drivers.printer.profile import Profile
from drivers.printer.status import PrinterState, asb_for, replies_for
from drivers.printer.wire_parser import split_command

__all__ = ["LINE_SPACING", "Paper", "WireSimulator"]


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
        clone: bool = False,
    ) -> None:
        self.profile = profile
        self.clone = clone  # never answers GS r
        self.width = profile.width_dots
        self.encoding = encoding or profile.encoding
        self.send: Callable[[bytes], object] = lambda data: None  # set by the link serving it
        self.paper = Paper(paper_rows, near_end_rows)
        self.state = PrinterState()
        self.powered = True
        self.cutter_fault = False  # the next cut fails
        self._queries_to_answer = 0  # status queries answered before the lost ones (``lose_status_replies``)
        self._queries_to_lose = 0
        self._answer_query = True  # the status query in progress is answered
        self._queries_to_delay = 0  # status queries answered late (``delay_status_replies``)
        self._reply_delay = 0.0
        self._delay_query = False  # the status query in progress is answered late
        self.unknown_commands: list[bytes] = []
        self.paper_out_at: float | None = None  # monotonic time the roll ran out
        self.received = 0  # bytes taken from the host so far
        # (monotonic time, bytes received by then) of each cut, for the bench.
        self.cut_trace: deque[tuple[float, int]] = deque(maxlen=256)
        self._lock = threading.RLock()  # state, supplies and the receive buffer
        self._print_lock = threading.Lock()  # one runner of the buffer at a time
        self._inbox = bytearray()
        self._pending: deque[tuple[bytes, bytes]] = deque()  # (command, argument) waiting to run
        self._asb = False
        self._head = ThermalPaper(profile, font_path, fallback_fonts, self.encoding, self._use_paper)
        self._wake = threading.Event()
        self._stop = threading.Event()
        self._engine: threading.Thread | None = None
        self._update()

    # --- the print thread -----------------------------------------------------------------

    def start(self) -> None:
        """Run the buffer on a print thread of its own (real-time replies never wait for it)."""
        if self._engine is None:
            self._stop.clear()
            self._engine = threading.Thread(target=self._engine_loop, name="printer-sim-engine", daemon=True)
            self._engine.start()

    def stop(self) -> None:
        self._stop.set()
        self._wake.set()
        engine, self._engine = self._engine, None
        if engine is not None and engine is not threading.current_thread():
            engine.join(2)

    def _engine_loop(self) -> None:
        while not self._stop.is_set():
            self._wake.wait(0.05)
            self._wake.clear()
            self._run()

    def _kick(self) -> None:
        """Run what the buffer holds: on the print thread if started, else now."""
        if self._engine is not None:
            self._wake.set()
        else:
            self._run()

    # --- what is on paper (the renderer's) -----------------------------------------------

    @property
    def lines(self) -> list[str]:
        """Every text line printed, for tests."""
        return self._head.lines

    @property
    def overflows(self) -> int:
        """Lines the printer had to wrap itself."""
        return self._head.overflows

    @property
    def pieces(self) -> list[Image.Image]:
        """Cut pieces not yet taken."""
        return self._head.pieces

    def _glyph(self, char: str, cells: int, heavy: bool) -> Image.Image:
        return self._head.glyph(char, cells, heavy)

    # --- the wire -------------------------------------------------------------------------

    def feed(self, data: bytes) -> None:
        """Take bytes from the host."""
        with self._lock:
            if not self.powered:
                return
            self.received += len(data)
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
        self._kick()

    def _realtime(self, command: bytes, argument: bytes) -> None:
        if command == b"\x10\x04" and argument and 1 <= argument[0] <= 4:
            if argument[0] == 1:  # a status query begins: answer it, or lose it whole
                self._answer_query = self._queries_to_answer > 0 or self._queries_to_lose == 0
                if self._queries_to_answer > 0:
                    self._queries_to_answer -= 1
                elif self._queries_to_lose > 0:
                    self._queries_to_lose -= 1
                self._delay_query = self._answer_query and self._queries_to_delay > 0
                if self._delay_query:
                    self._queries_to_delay -= 1
            if self._answer_query:
                reply = replies_for(self.state)[argument[0] - 1 : argument[0]]
                if self._delay_query:
                    threading.Timer(self._reply_delay, self.send, (reply,)).start()
                else:
                    self.send(reply)
        elif command == b"\x10\x14" and argument[:1] == b"\x08":  # clear buffers
            self._pending.clear()
        elif command == b"\x10\x05" and argument[:1] in (b"\x01", b"\x02"):  # recover from error
            if argument[:1] == b"\x02":
                self._pending.clear()
            self._update(cutter_error=False, recoverable_error=False, error=False)

    # --- faults and supplies (developer controls) ---------------------------------------

    def lose_status_replies(self, queries: int, after: int = 0) -> None:
        """Answer the next ``after`` status queries (``DLE EOT`` 1 to 4), then leave ``queries``
        unanswered: a reply late past the host's timeout, as on a host too busy to read it."""
        with self._lock:
            self._queries_to_answer, self._queries_to_lose = after, queries

    def delay_status_replies(self, queries: int, seconds: float) -> None:
        """Answer the next ``queries`` status queries ``seconds`` late: a host too busy to read
        its replies in time, with the printer still there."""
        with self._lock:
            self._queries_to_delay, self._reply_delay = queries, seconds

    def set_paper(self, rows: int | None) -> None:
        """Load a roll with ``rows`` dot rows left (None: endless; 0: empty)."""
        with self._lock:
            self.paper.rows_left = rows
            self._update()
        self._kick()

    def set_cover_open(self, is_open: bool) -> None:
        with self._lock:
            self._update(cover_open=is_open)
        self._kick()

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
        with self._print_lock:
            self._head.reset()

    def take_pages(self) -> list[Image.Image]:
        """The pieces cut since the last call, plus what hangs uncut from the printer."""
        with self._print_lock:
            return self._head.take_pages()

    # --- state ----------------------------------------------------------------------------

    def _update(self, **changes: bool) -> None:
        with self._lock:
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

    # --- running commands -----------------------------------------------------------------

    def _next_command(self) -> tuple[bytes, bytes] | None:
        with self._lock:
            if not self._pending or self.state.offline:
                return None
            command, _ = self._pending[0]
            if self._uses_paper(command) and self.paper.rows_left is not None and self.paper.rows_left <= 0:
                self._update()
                return None
            return self._pending.popleft()

    def _run(self) -> None:
        with self._print_lock:
            while (next_command := self._next_command()) is not None:
                self._execute(*next_command)

    @staticmethod
    def _uses_paper(command: bytes) -> bool:
        return command in (b"\n", b"\x1bd", b"\x1bJ", b"\x1dv", b"\x1d(k")

    def _execute(self, command: bytes, argument: bytes) -> None:
        if command == b"\x1dV":
            self._cut()
        elif command == b"\x1da":
            with self._lock:
                self._asb = argument[0] != 0
                if self._asb:
                    self.send(asb_for(self.state))
        elif command == b"\x1dr":
            if self.clone:
                return  # clones swallow GS r without a word
            with self._lock:
                if argument[0] in (1, 49):
                    rows = self.paper.rows_left
                    near = rows is not None and rows <= self.paper.near_end_rows
                    self.send(bytes([(0x03 if near else 0) | (0x0C if self.state.paper_end else 0)]))
                else:
                    self.send(b"\x00")
        elif command == b"unknown":
            self.unknown_commands.append(argument)
        else:
            self._head.execute(command, argument)

    def _use_paper(self, strip: Image.Image) -> Image.Image:
        """Take a strip's rows off the roll (cropping the strip the roll ends in)."""
        with self._lock:
            rows = self.paper.rows_left
            if rows is not None:
                if strip.height > rows:  # the roll ends inside this strip
                    strip = strip.crop((0, 0, self.width, max(1, rows)))
                self.paper.rows_left = max(0, rows - strip.height)
            self._update()
        return strip

    def _cut(self) -> None:
        if self.cutter_fault:
            self._head.flush_partial_line()
            self.cutter_fault = False
            self._update(cutter_error=True, error=True)
            return
        self._head.cut()
        self.cut_trace.append((time.monotonic(), self.received))
