"""The receipt paper roll: what was printed since it was replaced, and how much is left.

The printer's own sensor says only full / low / out, and late; the kiosk counts each
receipt and test page since the technician last pressed "paper replaced" and estimates the
receipts left from the roll's size (``[maintenance] receipts_per_roll``). The estimate is
"low" under ``[maintenance] paper_low_at`` receipts, so a technician comes before it runs out.
Kept in ``paper-roll.json`` across restarts.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from kiosk.maintenance.state_file import read_state, write_state

PAPER_FILE = "paper-roll.json"


@dataclass(frozen=True)
class RollState:
    printed_since_replaced: int
    estimated_left: int | None  # receipts; None when the roll's size is not configured
    low: bool
    replaced_at: str  # "YYYY-MM-DD HH:MM", "" when never recorded


class PaperRoll:
    """Receipts printed since the roll was replaced. Safe to share between threads."""

    def __init__(
        self, data_dir: Path, receipts_per_roll: int | None, low_at: int, now: Callable[[], datetime]
    ) -> None:
        self.path = Path(data_dir) / PAPER_FILE
        self.receipts_per_roll = receipts_per_roll
        self.low_at = low_at
        self.now = now
        self._lock = threading.Lock()

    def printed(self, pages: int = 1) -> None:
        with self._lock:
            state = self._state()
            printed = state.get("printed", 0)
            state["printed"] = (printed if isinstance(printed, int) else 0) + pages
            write_state(self.path, state)

    def replaced(self) -> RollState:
        """A new roll is in: start counting from zero."""
        with self._lock:
            write_state(self.path, {"printed": 0, "replaced_at": self.now().strftime("%Y-%m-%d %H:%M")})
        return self.report()

    def estimated_left(self) -> int | None:
        """Receipts left on the roll, or None when the roll's size is not configured."""
        if self.receipts_per_roll is None:
            return None
        return max(0, self.receipts_per_roll - self.printed_since_replaced())

    def printed_since_replaced(self) -> int:
        with self._lock:
            value = self._state().get("printed", 0)
        return value if isinstance(value, int) and value >= 0 else 0

    def report(self) -> RollState:
        left = self.estimated_left()
        with self._lock:
            replaced_at = self._state().get("replaced_at", "")
        return RollState(
            printed_since_replaced=self.printed_since_replaced(),
            estimated_left=left,
            low=left is not None and left < self.low_at,
            replaced_at=replaced_at if isinstance(replaced_at, str) else "",
        )

    def _state(self) -> dict[str, object]:
        return read_state(self.path) or {"printed": 0, "replaced_at": ""}
