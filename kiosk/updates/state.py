"""The update state file, ``<root>/update-state.json``: what is staged, the trial, reports.

::

    {"staged":  {"version": "0.2.0", "outbox_schema": 2, "migrations": [], "at": "..."},
     "trial":   {"version": "0.2.0", "previous": "0.1.0", "deadline": 1796200000.0,
                 "starts": 1, "failure": ""},
     "reports": [{"action": "update.rollback", "outcome": "failed", "detail": "..."}],
     "last":    {"at": "...", "what": "rolled back 0.2.0 -> 0.1.0: ..."}}

``reports`` wait there until the running kiosk writes them to its audit log (which the
heartbeat thread sends to the centre): the watchdog runs before the kiosk, and a technician's
command beside it, and the audit log has one writer, the kiosk. Every change is made under an
exclusive lock (``flock`` on ``.update.lock``) and written atomically (``state_file``).
"""

from __future__ import annotations

import fcntl
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

from kiosk.maintenance.state_file import read_state, write_state

STATE_FILE = "update-state.json"
LOCK_FILE = ".update.lock"
REPORTS_MAX = 50  # a kiosk that never starts must not grow the file forever


@dataclass
class Trial:
    """A new version on trial: it must pass its health check before ``deadline`` (epoch seconds)."""

    version: str
    previous: str
    deadline: float
    starts: int = 0  # how many times the service started it so far
    failure: str = ""  # why its own health check gave up, if it did

    @classmethod
    def from_dict(cls, raw: Any) -> Trial | None:
        if not isinstance(raw, dict):
            return None
        try:
            return cls(version=str(raw["version"]), previous=str(raw["previous"]), deadline=float(raw["deadline"]),
                       starts=int(raw.get("starts", 0)), failure=str(raw.get("failure", "")))
        except (KeyError, TypeError, ValueError):
            return None


@dataclass
class UpdateState:
    """The state file's contents, as read under the lock."""

    staged: dict[str, Any] | None
    trial: Trial | None
    reports: list[dict[str, str]]
    last: dict[str, str] | None

    def report(self, action: str, outcome: str, detail: str, at: str) -> None:
        """Keep an entry for the audit log, and as the last thing that happened."""
        self.reports = [*self.reports, {"action": action, "outcome": outcome, "detail": detail}][-REPORTS_MAX:]
        self.last = {"at": at, "what": detail}

    def to_dict(self) -> dict[str, Any]:
        return {"staged": self.staged, "trial": asdict(self.trial) if self.trial else None,
                "reports": self.reports, "last": self.last}


def read(root: Path) -> UpdateState:
    """The state as it is (no lock: for a look only)."""
    raw = read_state(Path(root) / STATE_FILE) or {}
    staged = raw.get("staged")
    reports = raw.get("reports")
    last = raw.get("last")
    return UpdateState(
        staged=staged if isinstance(staged, dict) else None,
        trial=Trial.from_dict(raw.get("trial")),
        reports=[r for r in reports if isinstance(r, dict)] if isinstance(reports, list) else [],
        last=last if isinstance(last, dict) else None,
    )


@contextmanager
def changing(root: Path) -> Iterator[UpdateState]:
    """Read the state under an exclusive lock, let the caller change it, write it back."""
    root = Path(root)
    root.mkdir(parents=True, exist_ok=True)
    with (root / LOCK_FILE).open("a") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        state = read(root)
        yield state
        save(root, state)


def save(root: Path, state: UpdateState) -> None:
    """Write ``state`` now (inside ``changing``, for a step that must be on disk before the next)."""
    write_state(Path(root) / STATE_FILE, state.to_dict())
