"""The audit log: who did what in maintenance mode (and what the centre asked), never about a resident.

One JSON line per ``contract.fleet.AuditEntry`` in ``audit.jsonl`` (mode 0600), appended and
synced before ``append`` returns; old lines are never rewritten. ``seq`` goes 1, 2, 3, … and
never repeats, across restarts: it follows the highest of the last line and what the centre
already holds. ``detail`` passes through ``contract.redaction`` (and is cut to the wire's
200 characters), so no name, ID number or phone lands here by accident.

The log is sent to the centre (``AuditShipper``, from the heartbeat thread after each beat)
in batches of at most 500; ``stored_through`` (the highest seq the centre holds) is kept in
``audit-state.json`` so each entry is sent until the centre has it, and not after.
"""

from __future__ import annotations

import logging
import os
import re
import threading
from collections.abc import Callable
from datetime import datetime
from pathlib import Path
from typing import Protocol

from pydantic import ValidationError

from contract.fleet import AuditAck, AuditBatch, AuditEntry
from contract.redaction import redact
from kiosk.errors import CentreError
from kiosk.maintenance.state_file import read_state, write_state

log = logging.getLogger(__name__)

AUDIT_FILE = "audit.jsonl"
STATE_FILE = "audit-state.json"
BATCH_MAX = 500
DETAIL_MAX = 200
ACTOR_MAX = 64
_ACTION = re.compile(r"^[a-z][a-z0-9_.]*$")


class SendsAudit(Protocol):
    def send_audit(self, batch: AuditBatch) -> AuditAck: ...


class AuditLog:
    """The kiosk's append-only audit log. Safe to share between threads."""

    def __init__(self, data_dir: Path, now: Callable[[], datetime]) -> None:
        self.path = Path(data_dir) / AUDIT_FILE
        self.state_path = Path(data_dir) / STATE_FILE
        self.now = now
        self._lock = threading.Lock()
        self._last_seq: int | None = None  # read from disk on first use

    @property
    def stored_through(self) -> int:
        """The highest seq the centre has acknowledged."""
        value = (read_state(self.state_path) or {}).get("stored_through", 0)
        return value if isinstance(value, int) else 0

    def append(self, actor: str, action: str, outcome: str = "ok", detail: str = "") -> AuditEntry:
        """Write one entry durably and return it."""
        if not _ACTION.fullmatch(action):
            raise ValueError(f"audit action {action!r} must match {_ACTION.pattern}")
        with self._lock:
            seq = self._next_seq()
            entry = AuditEntry(
                seq=seq,
                at=self.now(),
                actor=redact(actor)[:ACTOR_MAX],
                action=action[:64],
                outcome=outcome[:32],
                detail=redact(detail)[:DETAIL_MAX],
            )
            line = entry.model_dump_json() + "\n"
            self.path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
            fd = os.open(self.path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o600)
            try:
                os.write(fd, line.encode("utf-8"))
                os.fsync(fd)
            finally:
                os.close(fd)
            self._last_seq = seq
        log.info("audit %d: %s %s (%s)", seq, action, outcome, entry.actor)
        return entry

    def entries(self, after: int = 0, limit: int | None = None) -> list[AuditEntry]:
        """The entries with seq above ``after``, oldest first (unreadable lines are skipped)."""
        found: list[AuditEntry] = []
        for entry in self._read():
            if entry.seq > after:
                found.append(entry)
                if limit is not None and len(found) >= limit:
                    break
        return found

    def unsent(self, limit: int = BATCH_MAX) -> list[AuditEntry]:
        """The oldest entries the centre does not hold yet (at most ``limit``)."""
        stored = self.stored_through
        with self._lock:
            if self._known_last() <= stored:
                return []  # nothing new since the centre's last answer: no need to read the file
        return self.entries(after=stored, limit=limit)

    def mark_stored(self, stored_through: int) -> None:
        """The centre holds every entry up to ``stored_through``."""
        with self._lock:
            if stored_through > self.stored_through:
                write_state(self.state_path, {"stored_through": stored_through})

    def _next_seq(self) -> int:
        return self._known_last() + 1

    def _known_last(self) -> int:
        """The highest seq given out (read from disk once; the caller holds the lock)."""
        if self._last_seq is None:
            last = max((entry.seq for entry in self._read()), default=0)
            self._last_seq = max(last, self.stored_through)
        return self._last_seq

    def _read(self) -> list[AuditEntry]:
        try:
            lines = self.path.read_text(encoding="utf-8").splitlines()
        except FileNotFoundError:
            return []
        entries = []
        for number, line in enumerate(lines, 1):
            if not line.strip():
                continue
            try:
                entries.append(AuditEntry.model_validate_json(line))
            except ValidationError:
                log.warning("audit log line %d is unreadable; skipped", number)
        return entries


class AuditShipper:
    """Sends the audit log's unsent entries to the centre (call from a background thread)."""

    def __init__(self, audit: AuditLog, client: SendsAudit, terminal_id: str) -> None:
        self.audit = audit
        self.client = client
        self.terminal_id = terminal_id
        self._lock = threading.Lock()

    def send_pending(self, max_batches: int = 10) -> int:
        """Send what the centre lacks, a batch at a time; return how many entries it took."""
        sent = 0
        with self._lock:
            for _ in range(max_batches):
                entries = self.audit.unsent(BATCH_MAX)
                if not entries:
                    break
                try:
                    ack = self.client.send_audit(AuditBatch(terminal_id=self.terminal_id, entries=entries))
                except CentreError as err:
                    log.info("audit log not delivered: %s", err.detail or type(err).__name__)
                    break
                before = self.audit.stored_through
                self.audit.mark_stored(min(ack.stored_through, entries[-1].seq))
                if self.audit.stored_through <= before:
                    break  # the centre took nothing: try again after the next beat
                sent += self.audit.stored_through - before
        return sent
