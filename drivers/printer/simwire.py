"""The real ESC/POS driver wired to the wire simulator, selected by ``simwire://``.

URL: ``simwire://?profile=80mm&paper=200&link=pty`` (``link=tcp`` for a socket instead of a
pseudo-terminal; ``paper`` in receipts; ``clone=1`` for a clone printer that never answers
the ``GS r`` job fence, so the driver ends its jobs by ``DLE EOT`` status; ``pace=1`` to take
the host's bytes only as fast as the 115,200-baud serial line would carry them, for the bench).
The returned printer is an ``EscposPrinter`` talking to a ``WireSimulator`` over the link (a
``drivers.simlink.PtyLink`` the driver opens as a serial port, or a ``TcpLink`` it reaches as a
network printer's port 9100), so the demo and tests run the real driver. It also offers the
developer controls of ``SimPrinter`` (``set_paper``, ``set_cover_open``, ``unplug``,
``plug_in``) and saves what each job put on paper as one PNG in ``output_dir``.
"""

from __future__ import annotations

import itertools
from collections.abc import Sequence
from pathlib import Path

from drivers.printer.document import Document
from drivers.printer.escpos_printer import EscposPrinter
from drivers.printer.paper import stack
from drivers.printer.profile import Profile
from drivers.printer.transport import SerialTransport, TcpTransport, Transport
from drivers.printer.wire_simulator import WireSimulator
from drivers.simlink import PacedReceiver, PtyLink, TcpLink

BAUD = 115200  # the simulated serial line (a pty has no baud rate of its own)
RECEIPT_ROWS = 1200  # dot rows of paper counted as one receipt (150 mm)
LOW_PAPER_RECEIPTS = 5  # the near-end sensor trips with this much paper left


class SimWirePrinter(EscposPrinter):
    """An ``EscposPrinter`` whose far end is a simulator it owns."""

    def __init__(
        self,
        profile: Profile,
        output_dir: Path,
        font_path: Path | None = None,
        name: str = "printer",
        paper_receipts: int = 200,
        link: str = "pty",
        poll_interval: float = 0.25,
        fallback_fonts: Sequence[Path] = (),
        clone: bool = False,
        job_fence: bool | None = None,
        pace: bool = False,
    ) -> None:
        self.simulator = WireSimulator(
            profile,
            font_path,
            paper_rows=paper_receipts * RECEIPT_ROWS,
            near_end_rows=LOW_PAPER_RECEIPTS * RECEIPT_ROWS,
            fallback_fonts=fallback_fonts,
            clone=clone,
        )
        self.link: PtyLink | TcpLink
        transport: Transport
        receive = PacedReceiver(self.simulator.feed, BAUD, lambda s: self.link.wait(s)) if pace else self.simulator.feed
        if link == "tcp":
            self.link = TcpLink(receive, name="printer-sim-tcp").open()
            transport = TcpTransport(self.link.host, self.link.port)
        else:
            self.link = PtyLink(receive, name="printer-sim-pty").open()
            transport = SerialTransport(self.link.port, baudrate=BAUD)
        self.simulator.send = self.link.try_send  # replies to a host that is gone are lost
        super().__init__(transport, profile, name, font_path, poll_interval=poll_interval, job_fence=job_fence)
        self.output_dir = output_dir
        self.printed: list[Path] = []
        self.failed: list[Path] = []
        self._counter = itertools.count(1)

    def open(self) -> None:
        self.simulator.start()
        self.link.start()
        super().open()

    def close(self) -> None:
        super().close()
        self.link.stop()
        self.simulator.stop()

    def print_document(self, document: Document) -> None:
        try:
            super().print_document(document)
        except Exception:
            self._save(document.kind, self.failed, "-failed")
            raise
        self._save(document.kind, self.printed, "")

    def _save(self, kind: str, into: list[Path], suffix: str) -> None:
        pages = self.simulator.take_pages()
        if not pages:
            return
        paper = stack(pages, pages[0].width)
        self.output_dir.mkdir(parents=True, exist_ok=True)
        path = self.output_dir / f"{next(self._counter):04d}-{kind}{suffix}.png"
        while path.exists():  # never overwrite an earlier run's paper
            path = self.output_dir / f"{next(self._counter):04d}-{kind}{suffix}.png"
        paper.save(path)
        into.append(path)

    # --- developer controls, as on SimPrinter ---------------------------------------------

    def set_paper(self, receipts: int) -> None:
        """Load paper for ``receipts`` more receipts (0 empties it)."""
        self.simulator.set_paper(receipts * RECEIPT_ROWS)

    def set_paper_rows(self, rows: int) -> None:
        """Load exactly ``rows`` dot rows of paper (to run out in the middle of a job)."""
        self.simulator.set_paper(rows)

    def set_cover_open(self, is_open: bool) -> None:
        self.simulator.set_cover_open(is_open)

    def inject_cutter_error(self) -> None:
        self.simulator.inject_cutter_error()

    def unplug(self) -> None:
        """Cut the power: the printer goes silent; on TCP the connection drops and stays refused."""
        self.simulator.power_off()
        if isinstance(self.link, TcpLink):
            self.link.unplug()

    def plug_in(self) -> None:
        self.simulator.power_on()
        if isinstance(self.link, TcpLink):
            self.link.plug_in()
