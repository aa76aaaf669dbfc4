"""The kiosk's log file and its export: rotated files oldest first, every line redacted."""

from __future__ import annotations

import gzip
import io
import json
import logging
from datetime import UTC, datetime
from pathlib import Path

from kiosk.maintenance.audit import AuditLog
from kiosk.maintenance.logs import export_bytes, install_file_log, log_files, write_export


def test_the_log_file_is_written_and_exported_redacted(tmp_path: Path) -> None:
    logs = tmp_path / "logs"
    handler = install_file_log(logs)
    try:
        logging.getLogger("kiosk.test").warning("card read for %s, id %s", "name='张三丰'", "320111194503120010")
    finally:
        logging.getLogger().removeHandler(handler)
        handler.close()
    (logs / "kiosk.log.2").write_text("oldest\n", encoding="utf-8")
    (logs / "kiosk.log.1").write_text("older\n", encoding="utf-8")
    assert [p.name for p in log_files(logs)] == ["kiosk.log.2", "kiosk.log.1", "kiosk.log"]
    audit = AuditLog(tmp_path, lambda: datetime.now(UTC))
    audit.append("pin", "logs.export")
    out = io.BytesIO()
    assert write_export(out, logs, audit) == 4
    text = gzip.decompress(out.getvalue()).decode("utf-8")
    records = [json.loads(line) for line in text.splitlines()]
    assert [r.get("line", "")[-6:] for r in records[:2]] == ["oldest", "older"]
    assert "card read" in records[2]["line"] and records[3]["source"] == "audit"
    assert "张三丰" not in text and "320111194503120010" not in text


def test_an_upload_drops_older_lines_to_fit(tmp_path: Path) -> None:
    logs = tmp_path / "logs"
    logs.mkdir()
    (logs / "kiosk.log").write_text("".join(f"line {i} {i * 7919 % 1000003}\n" for i in range(20000)),
                                    encoding="utf-8")
    audit = AuditLog(tmp_path, lambda: datetime.now(UTC))
    whole, lines = export_bytes(logs, audit, max_bytes=10_000_000)
    assert lines == 20000
    body, kept = export_bytes(logs, audit, max_bytes=len(whole) // 3)
    assert len(body) <= len(whole) // 3 and 0 < kept < 20000
    last = json.loads(gzip.decompress(body).splitlines()[-1])
    assert last["line"].startswith("line 19999 ")  # the newest lines are the ones kept
