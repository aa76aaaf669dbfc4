"""The kiosk's log file and its export: rotated files oldest first, every line redacted."""

from __future__ import annotations

import gzip
import io
import json
import logging
import os
import time
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

from kiosk.maintenance.audit import AuditLog
from kiosk.maintenance.logs import (
    DailyOrSizeRotation,
    JsonLines,
    export_bytes,
    install_file_log,
    log_files,
    write_export,
)


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


def _handler(logs: Path, **options: Any) -> tuple[logging.Logger, DailyOrSizeRotation]:
    logs.mkdir(exist_ok=True)
    handler = DailyOrSizeRotation(logs / "kiosk.log", **options)
    handler.setFormatter(JsonLines())
    logger = logging.getLogger(f"kiosk.test.rotation.{id(handler)}")
    logger.propagate = False
    logger.setLevel(logging.INFO)
    logger.addHandler(handler)
    return logger, handler


def test_each_line_is_a_json_object_with_its_error_and_nothing_personal(tmp_path: Path) -> None:
    logger, handler = _handler(tmp_path / "logs")
    try:
        logger.info("receipt printed for phone %s", "13812345678")
        try:
            raise ValueError("id 320111194503120010 unreadable")
        except ValueError:
            logger.exception("card read failed")
    finally:
        handler.close()
    lines = [json.loads(line) for line in (tmp_path / "logs" / "kiosk.log").read_text("utf-8").splitlines()]
    assert [line["level"] for line in lines] == ["INFO", "ERROR"]
    assert set(lines[0]) == {"at", "level", "logger", "message"}
    assert datetime.fromisoformat(lines[0]["at"]).tzinfo is not None
    assert "ValueError" in lines[1]["error"]
    text = json.dumps(lines, ensure_ascii=False)
    assert "13812345678" not in text and "320111194503120010" not in text


def test_a_new_day_starts_a_new_file(tmp_path: Path) -> None:
    days = iter([date(2026, 12, 1)] * 3 + [date(2026, 12, 2)] * 10)
    logger, handler = _handler(tmp_path / "logs", today=lambda: next(days))
    try:
        logger.info("monday")
        logger.info("still monday")
        logger.info("tuesday")
    finally:
        handler.close()
    logs = tmp_path / "logs"
    assert "tuesday" in (logs / "kiosk.log").read_text("utf-8")
    assert "monday" not in (logs / "kiosk.log").read_text("utf-8")
    assert (logs / "kiosk.log.1").read_text("utf-8").count("monday") == 2


def test_size_rotation_keeps_a_bounded_number_of_files(tmp_path: Path) -> None:
    logger, handler = _handler(tmp_path / "logs", max_bytes=2000, backups=3)
    try:
        for i in range(200):
            logger.info("line %d %s", i, "x" * 50)
    finally:
        handler.close()
    names = sorted(p.name for p in (tmp_path / "logs").iterdir())
    assert names == ["kiosk.log", "kiosk.log.1", "kiosk.log.2", "kiosk.log.3"]
    assert all(p.stat().st_size <= 2000 for p in (tmp_path / "logs").iterdir())


def test_rotated_files_older_than_the_limit_are_deleted(tmp_path: Path) -> None:
    logs = tmp_path / "logs"
    logs.mkdir()
    old, recent = logs / "kiosk.log.4", logs / "kiosk.log.1"
    for path in (old, recent):
        path.write_text("{}\n", encoding="utf-8")
    forty_days_ago = time.time() - 40 * 86400
    os.utime(old, (forty_days_ago, forty_days_ago))
    _logger, handler = _handler(logs, max_age_days=30)  # pruned when the handler opens
    handler.close()
    assert not old.exists() and recent.exists()
