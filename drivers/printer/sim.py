"""In-process simulated receipt printer, selected by ``sim://``.

URL: ``sim://?profile=80mm&paper=200`` (any printer profile and its overrides, e.g.
``sim://?width=384`` for 58 mm paper; ``paper`` in receipts). No wire: each document is laid
out by the ESC/POS encoder and drawn by ``drivers.printer.paper``, the renderer the wire
simulator (``simwire://``) draws with, so both save the same PNG in ``output_dir``. A
developer can empty or refill the paper and open the cover.
"""

from __future__ import annotations

import dataclasses
import itertools
import threading
from collections.abc import Sequence
from pathlib import Path

from drivers.device import Capabilities, DeviceState, PaperStatus
from drivers.errors import CoverOpen, DeviceNotFound, PaperOut
from drivers.printer.document import Document
from drivers.printer.paper import render_document
from drivers.printer.printer import ReceiptPrinter
from drivers.printer.profile import PROFILES, Profile

LOW_PAPER_RECEIPTS = 5  # paper reports 'low' when this many receipts or fewer are left


class SimPrinter(ReceiptPrinter):
    """A printer that renders to PNG files and counts its paper in receipts."""

    def __init__(
        self,
        name: str = "printer",
        output_dir: Path = Path("var/prints"),
        width_dots: int = 576,
        font_path: Path | None = None,
        paper_receipts: int = 200,
        profile: Profile | None = None,
        fallback_fonts: Sequence[Path] = (),
    ) -> None:
        features = frozenset({"cutter", "qr"})
        super().__init__(name, Capabilities(model="simulated thermal printer", features=features))
        self.output_dir = output_dir
        self.profile = profile or dataclasses.replace(PROFILES["80mm"], width_dots=width_dots)
        self.width_dots = self.profile.width_dots
        self.font_path = font_path
        self.fallback_fonts = tuple(fallback_fonts)
        self._paper_left = paper_receipts
        self._cover_open = False
        self._counter = itertools.count(1)
        self._job_lock = threading.Lock()
        self.printed: list[Path] = []

    def open(self) -> None:
        self._set_status(state=DeviceState.ONLINE, paper=self._paper_status())

    def close(self) -> None:
        self._set_status(state=DeviceState.OFFLINE)

    def print_document(self, document: Document) -> None:
        with self._job_lock:
            if self.status.state is DeviceState.NO_DEVICE:
                raise DeviceNotFound("printer is not connected")
            if self._cover_open:
                raise CoverOpen("printer cover is open")
            if self._paper_left <= 0:
                raise PaperOut("printer is out of paper")
            self._set_status(state=DeviceState.BUSY)
            try:
                image = render_document(document, self.profile, self.font_path, self.fallback_fonts)
                self.output_dir.mkdir(parents=True, exist_ok=True)
                path = self.output_dir / f"{next(self._counter):04d}-{document.kind}.png"
                image.save(path)
                self.printed.append(path)
                self._paper_left -= 1
            finally:
                self._set_status(state=DeviceState.ONLINE, paper=self._paper_status())

    def _paper_status(self) -> PaperStatus:
        if self._paper_left <= 0:
            return PaperStatus.OUT
        if self._paper_left <= LOW_PAPER_RECEIPTS:
            return PaperStatus.LOW
        return PaperStatus.FULL

    # --- developer controls -------------------------------------------------------------

    def set_paper(self, receipts: int) -> None:
        """Load paper for ``receipts`` more receipts (0 empties it)."""
        self._paper_left = receipts
        self._set_status(paper=self._paper_status())

    def set_cover_open(self, is_open: bool) -> None:
        self._cover_open = is_open
        self._set_status(state=DeviceState.USER_ERROR if is_open else DeviceState.ONLINE)

    def unplug(self) -> None:
        self._set_status(state=DeviceState.NO_DEVICE, paper=PaperStatus.UNKNOWN)

    def plug_in(self) -> None:
        self._set_status(state=DeviceState.ONLINE, paper=self._paper_status())
