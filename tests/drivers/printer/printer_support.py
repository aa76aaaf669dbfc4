"""Helpers for printer tests: feed the simulator, wait for a condition."""

from __future__ import annotations

import time
from collections.abc import Callable
from pathlib import Path

from drivers.printer.document import Document
from drivers.printer.encoder import EscposEncoder
from drivers.printer.profile import Profile
from drivers.printer.wire_simulator import WireSimulator

FONT = Path("/usr/share/fonts/truetype/wqy/wqy-microhei.ttc")


def run_through_simulator(document: Document, profile: Profile, font: Path | None, chunk: int = 7) -> WireSimulator:
    """Encode ``document`` and feed it to a simulator in small pieces, as a wire delivers it."""
    data = EscposEncoder(profile, font).encode(document)
    simulator = WireSimulator(profile, font)
    for start in range(0, len(data), chunk):
        simulator.feed(data[start : start + chunk])
    return simulator


def wait_for(condition: Callable[[], bool], timeout: float = 2.0) -> float:
    """Wait until ``condition()`` holds; return the seconds it took (fail after ``timeout``)."""
    start = time.monotonic()
    while not condition():
        if time.monotonic() - start > timeout:
            raise AssertionError(f"condition not met within {timeout} s")
        time.sleep(0.01)
    return time.monotonic() - start
