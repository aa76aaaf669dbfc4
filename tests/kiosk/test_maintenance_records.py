"""Audit log, usage counters, paper roll and service switch: on disk, across restarts, no personal data."""

from __future__ import annotations

import json
import stat
from datetime import date, datetime, timedelta, timezone
from pathlib import Path

from contract.fleet import AuditAck, AuditBatch
from kiosk.errors import CentreUnreachable
from kiosk.maintenance.audit import BATCH_MAX, AuditLog, AuditShipper
from kiosk.maintenance.counters import UsageCounters
from kiosk.maintenance.paper_roll import PaperRoll
from kiosk.maintenance.service import ServiceSwitch

CST = timezone(timedelta(hours=8))


def at() -> datetime:
    return datetime(2026, 12, 2, 9, 30, tzinfo=CST)


class CentreThatKeeps:
    """Stands in for the centre's audit endpoint: keeps each seq once, answers how far it holds."""

    def __init__(self, down: bool = False) -> None:
        self.held: dict[int, str] = {}
        self.batches: list[int] = []
        self.down = down

    def send_audit(self, batch: AuditBatch) -> AuditAck:
        if self.down:
            raise CentreUnreachable(detail="refused")
        self.batches.append(len(batch.entries))
        for entry in batch.entries:
            self.held.setdefault(entry.seq, entry.action)
        return AuditAck(stored_through=max(self.held))


def test_audit_entries_are_appended_synced_private_and_numbered_across_restarts(tmp_path: Path) -> None:
    log = AuditLog(tmp_path, at)
    first = log.append("pin", "maintenance.enter")
    second = log.append("pin", "selftest.print", "failed", "paper_out")
    assert (first.seq, second.seq) == (1, 2)
    assert stat.S_IMODE(log.path.stat().st_mode) == 0o600
    before = log.path.read_text()
    restarted = AuditLog(tmp_path, at)
    third = restarted.append("code:T-7", "maintenance.leave", detail="idle")
    assert third.seq == 3
    assert restarted.path.read_text().startswith(before)  # old lines are never rewritten
    assert [e.action for e in restarted.entries()] == ["maintenance.enter", "selftest.print", "maintenance.leave"]


def test_audit_detail_is_redacted(tmp_path: Path) -> None:
    log = AuditLog(tmp_path, at)
    log.append("pin", "service.out", detail="客户 张三 身份证号：11010519491231002X 电话 13812345678")
    text = log.path.read_text()
    assert "11010519491231002X" not in text and "13812345678" not in text


def test_audit_is_shipped_in_batches_of_500_and_remembered(tmp_path: Path) -> None:
    log = AuditLog(tmp_path, at)
    for _ in range(BATCH_MAX + 20):
        log.append("pin", "selftest.qr")
    down = CentreThatKeeps(down=True)
    assert AuditShipper(log, down, "JB-PZ-001").send_pending() == 0
    assert log.stored_through == 0
    centre = CentreThatKeeps()
    assert AuditShipper(log, centre, "JB-PZ-001").send_pending() == BATCH_MAX + 20
    assert centre.batches == [BATCH_MAX, 20]
    assert AuditLog(tmp_path, at).stored_through == BATCH_MAX + 20  # kept across restarts
    log.append("pin", "maintenance.leave")
    assert AuditShipper(log, centre, "JB-PZ-001").send_pending() == 1
    assert centre.batches[-1] == 1


def test_seq_never_repeats_even_if_the_log_file_is_lost(tmp_path: Path) -> None:
    log = AuditLog(tmp_path, at)
    for _ in range(3):
        log.append("pin", "selftest.card")
    AuditShipper(log, CentreThatKeeps(), "JB-PZ-001").send_pending()
    log.path.unlink()
    assert AuditLog(tmp_path, at).append("pin", "maintenance.enter").seq == 4


def test_counters_count_per_day_and_survive_a_restart(tmp_path: Path) -> None:
    today = [date(2026, 12, 1)]
    counters = UsageCounters(tmp_path, lambda: today[0])
    counters.session_started()
    counters.case_submitted("residence-permit")
    counters.printed()
    today[0] = date(2026, 12, 2)
    restarted = UsageCounters(tmp_path, lambda: today[0])
    restarted.session_started()
    restarted.session_started()
    restarted.case_submitted("residence-permit")
    restarted.case_submitted("senior-citizen-card")
    restarted.case_submitted("residence-permit")
    restarted.read_failed()
    restarted.rated(1)
    restarted.rated(5)
    again = UsageCounters(tmp_path, lambda: today[0])
    latest, earlier = again.recent(2)
    assert latest.day == "20261202" and earlier.day == "20261201"
    assert latest.sessions_started == 2 and latest.read_failures == 1 and latest.prints == 0
    assert latest.cases_by_item == {"residence-permit": 2, "senior-citizen-card": 1}
    assert latest.ratings == {"very_satisfied": 1, "very_dissatisfied": 1}
    assert earlier.sessions_started == 1 and earlier.prints == 1
    assert json.loads(again.path.read_text())  # a plain JSON file
    assert stat.S_IMODE(again.path.stat().st_mode) == 0o600


def test_paper_estimate_counts_down_goes_low_and_starts_over_when_replaced(tmp_path: Path) -> None:
    roll = PaperRoll(tmp_path, receipts_per_roll=40, low_at=10, now=at)
    for _ in range(29):
        roll.printed()
    report = PaperRoll(tmp_path, 40, 10, at).report()  # after a restart
    assert (report.printed_since_replaced, report.estimated_left, report.low) == (29, 11, False)
    roll.printed()
    roll.printed()
    assert roll.report().low and roll.estimated_left() == 9
    replaced = roll.replaced()
    assert (replaced.printed_since_replaced, replaced.estimated_left, replaced.low) == (0, 40, False)
    assert replaced.replaced_at == "2026-12-02 09:30"
    unknown = PaperRoll(tmp_path, None, 10, at)
    assert unknown.estimated_left() is None and not unknown.report().low


def test_out_of_service_is_kept_across_restarts(tmp_path: Path) -> None:
    switch = ServiceSwitch(tmp_path)
    assert switch.in_service
    switch.take_out("更换打印机")
    state = ServiceSwitch(tmp_path).state
    assert not state.in_service and state.reason == "更换打印机"
    ServiceSwitch(tmp_path).put_back()
    assert ServiceSwitch(tmp_path).in_service
