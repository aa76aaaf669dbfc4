"""The kiosk's log files, for a technician: kept on disk, exported without personal data.

``install_file_log`` adds a file (``kiosk.log``) under the log folder (``[maintenance]
log_dir``, default ``data_dir/logs``) in structured JSON lines (``{"at", "level", "logger",
"message"}``, plus ``"error"`` with a traceback), rotated when it passes ``MAX_BYTES`` or a new
local day begins, ``BACKUPS`` files kept and none older than ``MAX_AGE_DAYS``. Records are
redacted before they get there (``contract.redaction.install_log_redaction``), and each
message once more as it is written. ``write_export`` writes every log line
(redacted once more, in case a line came from elsewhere) and the audit log as gzip'd JSON
lines: ``{"source": "kiosk.log", "line": "..."}`` and ``{"source": "audit", "entry": {...}}``.
"""

from __future__ import annotations

import gzip
import io
import json
import logging
import logging.handlers
import time
from collections.abc import Callable, Iterator
from datetime import date, datetime
from pathlib import Path
from typing import IO, TYPE_CHECKING

from contract.redaction import redact

if TYPE_CHECKING:
    from kiosk.maintenance.audit import AuditLog

LOG_FILE = "kiosk.log"
MAX_LINE_CHARS = 4000
MAX_BYTES = 5 * 1024 * 1024
BACKUPS = 14  # at most 15 files of MAX_BYTES: 75 MB
MAX_AGE_DAYS = 30


class JsonLines(logging.Formatter):
    """One JSON object a line: what a machine can filter and a technician can still read."""

    def format(self, record: logging.LogRecord) -> str:
        line: dict[str, str] = {
            "at": datetime.fromtimestamp(record.created).astimezone().isoformat(timespec="milliseconds"),
            "level": record.levelname,
            "logger": record.name,
            "message": redact(record.getMessage())[:MAX_LINE_CHARS],
        }
        if record.exc_info:
            line["error"] = redact(self.formatException(record.exc_info))[:MAX_LINE_CHARS]
        return json.dumps(line, ensure_ascii=False)


class DailyOrSizeRotation(logging.handlers.RotatingFileHandler):
    """Rotates when the file passes ``maxBytes`` or the local day changes; after each rotation,
    deletes rotated files older than ``max_age_days``."""

    def __init__(self, path: Path, *, max_bytes: int = MAX_BYTES, backups: int = BACKUPS,
                 max_age_days: float = MAX_AGE_DAYS, today: Callable[[], date] = date.today) -> None:
        super().__init__(path, maxBytes=max_bytes, backupCount=backups, encoding="utf-8")
        self.max_age_s = max_age_days * 86400
        self.today = today
        self._day = self._file_day(path)
        self.prune()

    def _file_day(self, path: Path) -> date:
        """The day the file holds: today for an empty one, else the day it was last written."""
        try:
            stat = path.stat()
        except OSError:
            return self.today()
        return datetime.fromtimestamp(stat.st_mtime).date() if stat.st_size else self.today()

    def shouldRollover(self, record: logging.LogRecord) -> int:  # noqa: N802 - logging's name
        if self.today() != self._day and self.stream is not None and self.stream.tell() > 0:
            return 1
        return super().shouldRollover(record)

    def doRollover(self) -> None:  # noqa: N802 - logging's name
        super().doRollover()
        self._day = self.today()
        self.prune()

    def prune(self, now: float | None = None) -> int:
        """Delete rotated files older than the age limit; return how many."""
        now = time.time() if now is None else now
        removed = 0
        for path in Path(self.baseFilename).parent.glob(Path(self.baseFilename).name + ".*"):
            try:
                if now - path.stat().st_mtime > self.max_age_s:
                    path.unlink()
                    removed += 1
            except OSError:
                continue
        return removed


def install_file_log(log_dir: Path) -> logging.Handler:
    """Log the process's records (INFO and up) to ``log_dir/kiosk.log`` as JSON lines, rotated."""
    log_dir.mkdir(mode=0o700, parents=True, exist_ok=True)
    handler = DailyOrSizeRotation(log_dir / LOG_FILE)
    handler.setLevel(logging.INFO)
    handler.setFormatter(JsonLines())
    root = logging.getLogger()
    root.addHandler(handler)
    if root.level > logging.INFO or root.level == logging.NOTSET:
        root.setLevel(logging.INFO)
    return handler


def log_files(log_dir: Path) -> list[Path]:
    """The log files in ``log_dir``, oldest first (``kiosk.log.5`` … ``kiosk.log``)."""
    if not log_dir.is_dir():
        return []
    files = [p for p in log_dir.iterdir() if p.is_file() and ".log" in p.name]
    return sorted(files, key=lambda p: (-_rotation(p), p.name))


def _rotation(path: Path) -> int:
    suffix = path.name.rsplit(".", 1)[-1]
    return int(suffix) if suffix.isdigit() else 0


def log_lines(log_dir: Path) -> Iterator[tuple[str, str]]:
    """(file name, redacted line) for every line of every log file."""
    for path in log_files(log_dir):
        opener = gzip.open if path.suffix == ".gz" else open
        try:
            with opener(path, "rt", encoding="utf-8", errors="replace") as handle:
                for line in handle:
                    yield path.name, redact(line.rstrip("\n")[:MAX_LINE_CHARS])
        except OSError:
            yield path.name, "(unreadable)"


def write_export(out: IO[bytes], log_dir: Path, audit: AuditLog, keep_last: int | None = None) -> int:
    """Write the logs and the audit log to ``out`` as gzip'd JSON lines; return the lines written.

    ``keep_last`` keeps only that many of the newest log lines (the audit log goes whole)."""
    lines = list(log_lines(log_dir))
    if keep_last is not None:
        lines = lines[-keep_last:] if keep_last > 0 else []
    written = 0
    with gzip.GzipFile(fileobj=out, mode="wb") as archive:
        for source, line in lines:
            archive.write((json.dumps({"source": source, "line": line}, ensure_ascii=False) + "\n").encode("utf-8"))
            written += 1
        for entry in audit.entries():
            record = {"source": "audit", "entry": json.loads(entry.model_dump_json())}
            archive.write((json.dumps(record, ensure_ascii=False) + "\n").encode("utf-8"))
            written += 1
    return written


def export_bytes(log_dir: Path, audit: AuditLog, max_bytes: int) -> tuple[bytes, int]:
    """The export in memory, at most ``max_bytes`` (older log lines are dropped to fit)."""
    keep: int | None = None
    while True:
        buffer = io.BytesIO()
        lines = write_export(buffer, log_dir, audit, keep)
        body = buffer.getvalue()
        if len(body) <= max_bytes or keep == 0:
            return body, lines
        total = keep if keep is not None else sum(1 for _ in log_lines(log_dir))
        keep = total // 2
