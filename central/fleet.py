"""The fleet: each kiosk's last heartbeat, and how the back office sees it (green/yellow/red).

A beat overwrites the kiosk's one row (an upsert), so the table stays as small as the fleet.
Beats are buffered in memory and written in batches (``BeatBuffer``): at 20,000 kiosks
beating every 30 s that is one transaction a second instead of 667. The same transaction
writes the history that changed (``central.beat_history``: sampled beats, device changes)
and the usage counters that changed (``central.daily_counters``). Heartbeats carry no
personal data.

Colour: red when silent longer than ``ONLINE_WITHIN_S``; yellow when ``problems`` finds
something (out of service, a device failing or faulted, paper low or out, unsent cases older
than ``STUCK_AFTER_S``, the disk nearly full: ``disk_low``), stored as ``kiosks.degraded`` at
each write so that pages can filter by colour in SQL; green otherwise.
"""

from __future__ import annotations

import json
import logging
import threading
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import Engine, select
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.orm import Session

from central import beat_history, daily_counters
from central.db import KioskRow, as_utc, utcnow
from central.periodic import Periodic
from contract.fleet import DailyCounters
from contract.machine_health import MachineHealth
from contract.wire import (
    ONLINE_WITHIN_S,
    DeviceStatus,
    Heartbeat,
    KioskColour,
    KioskStatusView,
    PaperLevel,
)

log = logging.getLogger(__name__)

STUCK_AFTER_S = 3600.0  # unsent cases older than this make a kiosk yellow
DISK_LOW_FRACTION = 0.05  # less free than this share of the disk, or
DISK_LOW_BYTES = 500 * 1024 * 1024  # less than this, makes a kiosk yellow
MACHINE_FIELDS = tuple(MachineHealth.model_fields)  # one ``kiosks`` column each
COUNTERS_REMEMBERED = 100_000  # (kiosk, day) pairs whose stored counters the buffer knows


DEVICE_LABELS = {"printer": "打印机", "idcard": "身份证读卡器", "id_card": "身份证读卡器",
                 "qr": "扫码器", "camera": "摄像头"}
STATUS_LABELS = {DeviceStatus.OFFLINE: "离线", DeviceStatus.HARDWARE_ERROR: "硬件故障"}


def problems(*, paper: PaperLevel, devices: Mapping[str, DeviceStatus],
             faults: Mapping[str, Mapping[str, str]], oldest_unsent_age_s: float | None,
             outbox_depth: int, in_service: bool, service_reason: str = "",
             paper_left_estimate: int | None = None, disk_free_bytes: int | None = None,
             disk_total_bytes: int | None = None) -> list[str]:
    """Why a beating kiosk is degraded (yellow), in a technician's words; empty: all well.

    The same list, led by "失联 14 分钟" when the kiosk stopped beating (``reasons_of``), is
    what the fleet page prints on the kiosk's row, so a colour and its reason never disagree."""
    found: list[str] = []
    if not in_service:
        found.append(f"暂停服务：{service_reason}" if service_reason else "暂停服务")
    for name in sorted(set(devices) | set(faults)):
        status = devices.get(name)
        fault = faults.get(name)
        label = DEVICE_LABELS.get(name, name)
        if fault is not None:
            found.append(f"{label}：{fault.get('message') or fault.get('code', '')}")
        elif status is not None and status not in (DeviceStatus.ONLINE, DeviceStatus.BUSY):
            found.append(f"{label}：{STATUS_LABELS.get(status, status.value)}")
    if "printer" in faults:
        pass  # the printer's fault already says what is wrong with the paper
    elif paper is PaperLevel.OUT:
        found.append("缺纸")
    elif paper is PaperLevel.LOW:
        left = f"（约剩 {paper_left_estimate} 张）" if paper_left_estimate is not None else ""
        found.append(f"纸将用完{left}")
    if (oldest_unsent_age_s or 0) > STUCK_AFTER_S:
        found.append(f"{outbox_depth} 件未上传，最早已 {duration(oldest_unsent_age_s or 0)}")
    if disk_low(disk_free_bytes, disk_total_bytes):
        found.append(f"磁盘空间不足：剩 {size(disk_free_bytes or 0)}（共 {size(disk_total_bytes or 0)}）")
    return found


def disk_low(free: int | None, total: int | None) -> bool:
    """Less than ``DISK_LOW_BYTES`` or ``DISK_LOW_FRACTION`` of the disk free (unknown: not low)."""
    if free is None:
        return False
    return free < DISK_LOW_BYTES or (bool(total) and free < DISK_LOW_FRACTION * (total or 0))


def size(n: int) -> str:
    """"320 MB", "1.5 GB": a size read at a glance."""
    if n >= 1024**3:
        return f"{n / 1024**3:.1f} GB"
    return f"{n // 1024**2} MB"


def duration(seconds: float) -> str:
    """"45 秒", "14 分钟", "2 小时 5 分", "3 天 4 小时": an age read at a glance."""
    s = int(seconds)
    if s < 60:
        return f"{s} 秒"
    if s < 3600:
        return f"{s // 60} 分钟"
    if s < 86400:
        return f"{s // 3600} 小时 {s % 3600 // 60} 分"
    return f"{s // 86400} 天 {s % 86400 // 3600} 小时"


def _faults(beat: Heartbeat) -> dict[str, dict[str, str]]:
    return {name: {"code": f.code, "message": f.message, "since": f.since.isoformat()}
            for name, f in beat.faults.items()}


def _row(beat: Heartbeat, received_at: datetime) -> dict[str, Any]:
    faults = _faults(beat)
    machine = beat.machine or MachineHealth()
    return {
        **machine.model_dump(),
        "terminal_id": beat.terminal_id,
        "site_id": beat.site_id,
        "received_at": received_at,
        "software_version": beat.software_version,
        "catalog_version": beat.catalog_version,
        "outbox_depth": beat.outbox_depth,
        "oldest_unsent_age_s": beat.oldest_unsent_age_s,
        "paper": beat.paper.value,
        "devices": json.dumps({k: v.value for k, v in beat.devices.items()}, sort_keys=True),
        "faults": json.dumps(faults, sort_keys=True, ensure_ascii=False),
        "in_service": beat.service.in_service,
        "service_reason": beat.service.reason,
        "paper_left_estimate": beat.paper_left_estimate,
        "degraded": bool(problems(
            paper=beat.paper, devices=beat.devices, faults=faults,
            oldest_unsent_age_s=beat.oldest_unsent_age_s, outbox_depth=beat.outbox_depth,
            in_service=beat.service.in_service, disk_free_bytes=machine.disk_free_bytes,
            disk_total_bytes=machine.disk_total_bytes)),
    }


@dataclass(frozen=True)
class PendingBeat:
    """A beat waiting in the buffer: the kiosk's row, and its usage counters."""

    row: dict[str, Any]
    counters: tuple[DailyCounters, ...] = ()


def store_beats(engine: Engine, rows: list[dict[str, Any]],
                counters: Sequence[tuple[str, str, DailyCounters]] = ()) -> None:
    """Upsert kiosks' beats in one transaction, with their history (``central.beat_history``)
    and ``counters`` (terminal, site, day's counters); an older beat never overwrites a newer."""
    if not rows and not counters:
        return
    with Session(engine) as session, session.begin():
        if rows:
            beat_history.record(session, rows)
            insert = pg_insert if engine.dialect.name == "postgresql" else sqlite_insert
            statement = insert(KioskRow)
            statement = statement.on_conflict_do_update(
                index_elements=[KioskRow.terminal_id],
                set_={k: statement.excluded[k] for k in rows[0] if k != "terminal_id"},
                where=KioskRow.received_at <= statement.excluded.received_at,
            )
            session.execute(statement, rows)
        if counters:
            daily_counters.store(session, counters, at=max(
                (r["received_at"] for r in rows), default=utcnow()))


class BeatBuffer:
    """Heartbeats are soft state: keep each kiosk's newest beat in memory and write them all
    in one transaction every ``flush_every_s``, instead of one fsynced write per beat.

    A crash loses at most that much of the fleet view, which the next beats (every 30 s)
    restore; cases never pass through here. Each service process has its own buffer.
    """

    def __init__(self, engine: Engine, flush_every_s: float = 1.0) -> None:
        self.engine = engine
        self.flush_every_s = flush_every_s
        self._pending: dict[str, PendingBeat] = {}
        self._counters_sent: dict[tuple[str, str], DailyCounters] = {}  # what is stored
        self._lock = threading.Lock()
        self._flush_lock = threading.Lock()
        self._rounds = Periodic("beat-flusher", flush_every_s, self.flush)

    def add(self, beat: Heartbeat) -> datetime:
        """Take a beat; return when it was received."""
        now = utcnow()
        pending = PendingBeat(_row(beat, now), tuple(beat.counters))
        with self._lock:
            self._pending[beat.terminal_id] = pending
        return now

    def flush(self) -> int:
        """Write the pending beats now; return how many."""
        with self._flush_lock:
            with self._lock:
                beats, self._pending = list(self._pending.values()), {}
            counters = [(b.row["terminal_id"], b.row["site_id"], c) for b in beats
                        for c in b.counters
                        if self._counters_sent.get((b.row["terminal_id"], c.day)) != c]
            try:
                store_beats(self.engine, [b.row for b in beats], counters)
            except Exception:
                with self._lock:  # put them back unless newer beats came meanwhile
                    for pending in beats:
                        self._pending.setdefault(pending.row["terminal_id"], pending)
                raise
            for terminal, _site, day in counters:
                self._counters_sent[(terminal, day.day)] = day
            if len(self._counters_sent) > COUNTERS_REMEMBERED:
                self._counters_sent.clear()  # stored again once: harmless
            return len(beats)

    def start(self) -> None:
        self._rounds.start()

    def stop(self) -> None:
        """Stop the flusher and write what is pending."""
        self._rounds.stop()
        self.flush()


def fleet(engine: Engine, *, now: datetime | None = None) -> list[KioskStatusView]:
    """Every kiosk that ever beat, with its colour, by terminal id."""
    now = now or utcnow()
    with Session(engine.execution_options(readonly=True)) as session:
        rows = session.scalars(select(KioskRow).order_by(KioskRow.terminal_id)).all()
        return [_view(row, now) for row in rows]


def colour_of(row: KioskRow, now: datetime) -> KioskColour:
    """Red when silent longer than ``ONLINE_WITHIN_S``, else yellow when degraded, else green."""
    if now - as_utc(row.received_at) > timedelta(seconds=ONLINE_WITHIN_S):
        return KioskColour.RED
    return KioskColour.YELLOW if row.degraded else KioskColour.GREEN


def reasons_of(row: KioskRow, now: datetime) -> list[str]:
    """Why ``row``'s kiosk has its colour, most urgent first (empty when green)."""
    silent = (now - as_utc(row.received_at)).total_seconds()
    found = [f"失联 {duration(silent)}"] if silent > ONLINE_WITHIN_S else []
    return found + problems(
        paper=PaperLevel(row.paper), devices=_devices(row), faults=json.loads(row.faults or "{}"),
        oldest_unsent_age_s=row.oldest_unsent_age_s, outbox_depth=row.outbox_depth,
        in_service=row.in_service, service_reason=row.service_reason,
        paper_left_estimate=row.paper_left_estimate, disk_free_bytes=row.disk_free_bytes,
        disk_total_bytes=row.disk_total_bytes)


def _devices(row: KioskRow) -> dict[str, DeviceStatus]:
    return {k: DeviceStatus(v) for k, v in json.loads(row.devices).items()}


def _view(row: KioskRow, now: datetime) -> KioskStatusView:
    last_seen = as_utc(row.received_at)
    online = now - last_seen <= timedelta(seconds=ONLINE_WITHIN_S)
    return KioskStatusView(
        terminal_id=row.terminal_id, site_id=row.site_id, last_seen=last_seen, online=online,
        colour=colour_of(row, now), software_version=row.software_version,
        catalog_version=row.catalog_version, outbox_depth=row.outbox_depth,
        oldest_unsent_age_s=row.oldest_unsent_age_s, paper=PaperLevel(row.paper),
        devices=_devices(row), machine=machine_of(row),
    )


def machine_of(row: KioskRow) -> MachineHealth | None:
    """The machine's health as the kiosk last reported it (None: its version does not)."""
    figures = {name: getattr(row, name) for name in MACHINE_FIELDS}
    return MachineHealth(**figures) if any(v is not None for v in figures.values()) else None
