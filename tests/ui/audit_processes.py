"""The screen audits' subprocesses (one Kivy app each), at most ``RUNNING`` at a time.

Each audit draws every screen of a set in one orientation (``tests.ui.layout_audit``); Kivy
sizes its window once and allows one app per process. Started all at once on a 2-core machine
they starved each other past the waits inside them, so they start in order as earlier ones end;
a test asks for its own audit's output and waits only as long as that takes.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
RUNNING = 2


class AuditProcesses:
    """``python -m tests.ui.layout_audit OUT ARGS...`` for each key, in the order given."""

    def __init__(self, audits: dict[tuple[str, ...], Path]) -> None:
        self._waiting = list(audits.items())  # (key, out folder) not started yet
        self._started: dict[tuple[str, ...], subprocess.Popen[str]] = {}
        self._stderr: dict[tuple[str, ...], str] = {}
        self._start_more()

    def finish(self, key: tuple[str, ...], timeout: float = 400) -> str:
        """Wait for ``key``'s audit to end (starting the next ones as others end); its stderr."""
        while key not in self._started:
            self._wait_one(next(k for k in self._started if k not in self._stderr), timeout)
        return self._wait_one(key, timeout)

    def close(self) -> None:
        for process in self._started.values():
            process.kill()
            process.communicate()

    def _wait_one(self, key: tuple[str, ...], timeout: float) -> str:
        if key not in self._stderr:
            self._stderr[key] = self._started[key].communicate(timeout=timeout)[1]
            self._start_more()
        return self._stderr[key]

    def _start_more(self) -> None:
        while self._waiting and sum(1 for k in self._started if k not in self._stderr) < RUNNING:
            key, out = self._waiting.pop(0)
            self._started[key] = subprocess.Popen(
                [sys.executable, "-m", "tests.ui.layout_audit", str(out), *key],
                stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True, cwd=REPO,
            )
