"""Fixtures for printer tests: the CJK font and a driver connected to the wire simulator.

The hardware option (``--hw-printer=URL``) and its fixture are in the root ``tests/conftest.py``.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from printer_support import FONT

from drivers.device import DeviceEvent
from drivers.printer.profile import PROFILES
from drivers.printer.simwire import SimWirePrinter


@pytest.fixture
def font() -> Path | None:
    return FONT if FONT.exists() else None


@pytest.fixture
def make_wire_printer(
    tmp_path: Path, font: Path | None
) -> Iterator[Callable[..., tuple[SimWirePrinter, list[DeviceEvent]]]]:
    """Open the real driver against the wire simulator; closed after the test."""
    opened: list[SimWirePrinter] = []

    def make(
        profile: str = "80mm",
        link: str = "pty",
        paper: int = 50,
        poll: float = 0.1,
        clone: bool = False,
        powered: bool = True,
    ) -> tuple[SimWirePrinter, list[DeviceEvent]]:
        printer = SimWirePrinter(
            PROFILES[profile],
            tmp_path / "prints",
            font,
            paper_receipts=paper,
            link=link,
            poll_interval=poll,
            clone=clone,
        )
        if not powered:
            printer.simulator.power_off()  # the port opens; nothing ever answers
        events: list[DeviceEvent] = []
        printer.subscribe(events.append)
        printer.open()
        opened.append(printer)
        return printer, events

    yield make
    for printer in opened:
        printer.close()
