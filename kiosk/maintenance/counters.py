"""业务量统计: what the kiosk did per local day, kept across restarts, sent in the heartbeat.

Per day: sessions started (a resident identified), cases by item, receipts printed, card
reads that failed, and ratings by level (``contract.wire.RatingLevel`` values). Counts only:
never who. Held in ``usage-counters.json`` (written whole after each change, mode 0600), the
last ``KEEP_DAYS`` days.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from datetime import date, timedelta
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from contract.fleet import DailyCounters
from contract.wire import RatingLevel
from kiosk.maintenance.state_file import read_state, write_state

COUNTERS_FILE = "usage-counters.json"
KEEP_DAYS = 62
USAGE_DAYS = 30  # how far back "most used here" looks (the choose screen's order)
LEVELS = tuple(RatingLevel)


def day_key(day: date) -> str:
    return day.strftime("%Y%m%d")


class UsageCounters:
    """The day-by-day counts. Safe to share between threads."""

    def __init__(self, data_dir: Path, today: Callable[[], date]) -> None:
        self.path = Path(data_dir) / COUNTERS_FILE
        self.today = today
        self._lock = threading.Lock()
        self._days: dict[str, DailyCounters] | None = None

    def session_started(self) -> None:
        self._bump(lambda day: {"sessions_started": day.sessions_started + 1})

    def case_submitted(self, item_id: str) -> None:
        self._bump(lambda day: {"cases_by_item": _plus(day.cases_by_item, item_id)})

    def printed(self) -> None:
        self._bump(lambda day: {"prints": day.prints + 1})

    def read_failed(self) -> None:
        self._bump(lambda day: {"read_failures": day.read_failures + 1})

    def rated(self, level: int) -> None:
        """A rating, 1 (非常满意) … 5 (非常不满意) as the session numbers them."""
        name = LEVELS[level - 1].value
        self._bump(lambda day: {"ratings": _plus(day.ratings, name)})

    def recent(self, days: int = 2) -> list[DailyCounters]:
        """The last ``days`` local days, newest first (a day with nothing counted is all zeros)."""
        today = self.today()
        with self._lock:
            held = self._load()
            wanted = [day_key(today - timedelta(days=back)) for back in range(days)]
            return [held.get(key) or DailyCounters(day=key) for key in wanted]

    def cases_by_item(self, days: int = USAGE_DAYS) -> dict[str, int]:
        """Cases per item over the last ``days`` local days (what "most used here" orders by)."""
        usage: dict[str, int] = {}
        for day in self.recent(days):
            for item_id, count in day.cases_by_item.items():
                usage[item_id] = usage.get(item_id, 0) + count
        return usage

    def _bump(self, change: Callable[[DailyCounters], dict[str, Any]]) -> None:
        key = day_key(self.today())
        with self._lock:
            held = self._load()
            current = held.get(key) or DailyCounters(day=key)
            held[key] = current.model_copy(update=change(current))
            for old in sorted(held)[:-KEEP_DAYS]:
                del held[old]
            write_state(self.path, {key: day.model_dump(exclude={"day"}) for key, day in held.items()})

    def _load(self) -> dict[str, DailyCounters]:
        if self._days is None:
            days: dict[str, DailyCounters] = {}
            for key, value in (read_state(self.path) or {}).items():
                try:
                    days[key] = DailyCounters.model_validate({**value, "day": key})
                except (ValidationError, TypeError):
                    continue  # one bad day never loses the others
            self._days = days
        return self._days


def _plus(counts: dict[str, int], key: str) -> dict[str, int]:
    return {**counts, key: counts.get(key, 0) + 1}
