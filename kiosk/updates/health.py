"""A new version's health check: first frame drawn, devices opened, centre reached, in time.

The limit runs on the monotonic clock from the check's creation (the app's start), so a wall
clock that jumps does not shorten or stretch it; the trial's deadline in the state file is the
watchdog's backstop for a version that never gets this far.
"""

from __future__ import annotations

import enum
import time
from collections.abc import Callable

CHECKS = ("first frame drawn", "devices opened", "centre reached")


class Verdict(enum.Enum):
    WAITING = "waiting"
    PASSED = "passed"
    FAILED = "failed"


class HealthCheck:
    """Collects the three signs of health; passes when all are seen before ``limit_s`` is up."""

    def __init__(self, limit_s: float, clock: Callable[[], float] = time.monotonic) -> None:
        self.limit_s = limit_s
        self.clock = clock
        self.deadline = clock() + limit_s
        self.seen: set[str] = set()

    def see(self, *, first_frame: bool, devices_open: bool, centre_reached: bool) -> Verdict:
        """Note what holds now and say where the check stands."""
        for name, holds in zip(CHECKS, (first_frame, devices_open, centre_reached), strict=True):
            if holds:
                self.seen.add(name)
        if not self.missing:
            return Verdict.PASSED
        return Verdict.FAILED if self.clock() >= self.deadline else Verdict.WAITING

    @property
    def missing(self) -> list[str]:
        return [name for name in CHECKS if name not in self.seen]

    def failure(self) -> str:
        """Why it failed, in a technician's words."""
        return f"not healthy within {self.limit_s:g} s (missing: {', '.join(self.missing)})"
