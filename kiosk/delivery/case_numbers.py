"""Case numbers (受理编号) a terminal gives out: ``YYYYMMDD`` + terminal (3) + sequence (4).

The sequence is kept in a small file, replaced atomically and synced before a number is
handed out, so a number is never given twice even if the power fails. A crash between
taking a number and storing the case only leaves a gap.

The file is not the only record: when the link to the centre opens, ``raise_to`` lifts the
sequence to the highest number the outbox holds for the day and to the centre's answer
(``GET /terminals/self/last-case-number``), so a kiosk whose data folder was wiped or restored
from an old copy goes on after the numbers it already gave out instead of repeating them.

A clock that jumps back (set wrong, a flat RTC battery, an NTP correction) never takes the
numbering back with it: the file holds the last day used, and a ``today`` before it numbers on
under that day until the clock reaches it again. So a number's day is the numbering's day, never
earlier than any number before it; the case's own ``submitted_at`` keeps the clock's time. (The
file keeps one day only, so numbering an earlier day again could not know which numbers it gave;
staying on the last day needs nothing more.) A clock wrongly days *ahead* keeps numbering under
that day, 9999 a day at most, until the clock catches up; the technician is told of a wrong
clock at the next heartbeat (``kiosk.maintenance.clock_check``).
"""

from __future__ import annotations

import os
import threading
from datetime import date
from pathlib import Path

from kiosk.errors import KioskError, OutboxError
from kiosk.messages import MessageId


class CaseNumbers:
    """Hands out unique case numbers for one terminal."""

    def __init__(self, path: Path, terminal_number: int) -> None:
        self.path = path
        self.terminal_number = terminal_number
        self._lock = threading.Lock()

    def next(self, today: date) -> str:
        """The next number: under ``today``, or under the last day used if ``today`` lies before it."""
        with self._lock:
            last_day, last = self._read()
            day = max(today.strftime("%Y%m%d"), last_day)  # the clock went back: stay on the last day
            sequence = last + 1 if last_day == day else 1
            if sequence > 9999:
                raise KioskError(MessageId.DAILY_LIMIT_REACHED, detail="9999 cases today")
            try:
                self._write(day, sequence)
            except OSError as err:  # a full or failing disk: no number is handed out
                raise OutboxError(MessageId.OUTBOX_FAULT, detail=f"{self.path}: {err.strerror}") from err
        return f"{day}{self.terminal_number:03d}{sequence:04d}"

    def prefix(self, today: date) -> str:
        """The first 11 digits of this terminal's numbers on ``today``."""
        return f"{today.strftime('%Y%m%d')}{self.terminal_number:03d}"

    def raise_to(self, case_number: str) -> None:
        """Never hand out ``case_number`` or any earlier number of its day again.

        A number of another terminal, or of a day before the one the file holds, changes
        nothing."""
        day, terminal, sequence = case_number[:8], case_number[8:11], case_number[11:]
        if len(case_number) != 15 or not case_number.isdigit() \
                or terminal != f"{self.terminal_number:03d}":
            return
        with self._lock:
            last_day, last = self._read()
            if (day, int(sequence)) <= (last_day, last):
                return
            try:
                self._write(day, int(sequence))
            except OSError as err:
                raise OutboxError(MessageId.OUTBOX_FAULT, detail=f"{self.path}: {err.strerror}") from err

    def _read(self) -> tuple[str, int]:
        try:
            day, number = self.path.read_text().split()
            return day, int(number)
        except FileNotFoundError:
            return "", 0
        except OSError as err:
            raise OutboxError(MessageId.OUTBOX_FAULT, detail=f"{self.path}: {err.strerror}") from err
        except ValueError:
            # Never guess: a guessed sequence could hand out a number twice.
            raise KioskError(MessageId.NUMBERING_BROKEN, detail=f"{self.path}: unreadable") from None

    def _write(self, day: str, sequence: int) -> None:
        self.path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
        tmp = self.path.with_suffix(".tmp")
        with os.fdopen(os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600), "w") as handle:
            os.fchmod(handle.fileno(), 0o600)
            handle.write(f"{day} {sequence}\n")
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(tmp, self.path)
        dir_fd = os.open(self.path.parent, os.O_RDONLY)
        try:
            os.fsync(dir_fd)
        finally:
            os.close(dir_fd)
