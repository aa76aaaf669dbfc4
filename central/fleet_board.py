"""What the console's fleet pages show: one page of kiosks (filtered by site and colour,
problems first), the count per colour, and one kiosk with its history.

Colour is decided as ``central.fleet`` decides it, here in SQL so that filtering and paging
20,000 kiosks touch only the rows shown: red when ``received_at`` is older than
``ONLINE_WITHIN_S``, else yellow when ``degraded``, else green. Each row carries its reasons
(``fleet.reasons_of``: "失联 14 分钟", "打印机：打印机缺纸：请更换纸卷"), so why a kiosk is
red or yellow is read on the fleet page itself.
"""

from __future__ import annotations

import json
import math
from collections.abc import Collection
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from sqlalchemy import Engine, and_, func, select
from sqlalchemy.orm import Session
from sqlalchemy.sql import ColumnElement

from central import fleet
from central.db import KioskRow, as_utc
from central.fleet_rows import DeviceEventRow, KioskBeatRow
from contract.machine_health import MachineHealth
from contract.wire import ONLINE_WITHIN_S, KioskColour

PAGE_SIZE = 50
COLOUR_LABELS = {KioskColour.RED: "离线", KioskColour.YELLOW: "需处理", KioskColour.GREEN: "正常"}
PAPER_LABELS = {"ok": "充足", "low": "将用完", "out": "缺纸", "unknown": "未知"}
DEVICE_STATUS_LABELS = {"online": "正常", "busy": "忙", "offline": "离线",
                        "hardware_error": "硬件故障", "gone": "已移除"}


@dataclass(frozen=True)
class Tile:
    """One kiosk as the fleet page shows it."""

    terminal_id: str
    site_id: str
    colour: KioskColour
    reasons: list[str]
    last_seen: datetime
    silent_s: float
    paper: str
    paper_left_estimate: int | None
    outbox_depth: int
    oldest_unsent_age_s: float | None
    software_version: str
    catalog_version: str
    in_service: bool
    service_reason: str
    devices: dict[str, str]
    faults: dict[str, dict[str, str]]
    machine: MachineHealth | None = None  # disk, memory, load, temperature; None from older kiosks

    @property
    def disk_low(self) -> bool:
        return self.machine is not None and fleet.disk_low(self.machine.disk_free_bytes,
                                                           self.machine.disk_total_bytes)

    @property
    def disk_text(self) -> str:
        """"剩 12.3 GB / 共 30.0 GB" (empty when the kiosk did not say)."""
        m = self.machine
        if m is None or m.disk_free_bytes is None:
            return ""
        total = f" / 共 {fleet.size(m.disk_total_bytes)}" if m.disk_total_bytes is not None else ""
        return f"剩 {fleet.size(m.disk_free_bytes)}{total}"

    @property
    def machine_facts(self) -> list[tuple[str, str]]:
        """(label, text) of each figure the kiosk reported: "磁盘" "剩 12.3 GB / 共 30.0 GB"."""
        m = self.machine
        if m is None:
            return []
        facts = [("磁盘", self.disk_text)] if self.disk_text else []
        if m.memory_available_bytes is not None:
            total = f" / 共 {fleet.size(m.memory_total_bytes)}" if m.memory_total_bytes is not None else ""
            facts.append(("内存", f"可用 {fleet.size(m.memory_available_bytes)}{total}"))
        if m.rss_bytes is not None:
            facts.append(("程序占用内存", fleet.size(m.rss_bytes)))
        if m.load_1m is not None:
            facts.append(("负载", " / ".join(f"{x:.2f}" for x in (m.load_1m, m.load_5m, m.load_15m)
                                            if x is not None)))
        facts.append(("温度", f"{m.temperature_c:.1f} °C" if m.temperature_c is not None else "主板未报告"))
        return facts

    @property
    def colour_label(self) -> str:
        return COLOUR_LABELS[self.colour]

    @property
    def paper_label(self) -> str:
        return PAPER_LABELS.get(self.paper, self.paper)


@dataclass(frozen=True)
class FleetPage:
    tiles: list[Tile]
    total: int  # kiosks matching the filter
    page: int
    pages: int
    counts: dict[KioskColour, int]  # at the chosen sites, whatever the colour filter
    sites: list[str]  # every site the viewer may filter by


@dataclass(frozen=True)
class Sample:
    at: datetime
    degraded: bool
    in_service: bool
    paper: str
    outbox_depth: int
    devices: dict[str, str]


@dataclass(frozen=True)
class DeviceChange:
    at: datetime
    device: str
    status: str
    fault_code: str
    fault_message: str

    @property
    def status_label(self) -> str:
        return DEVICE_STATUS_LABELS.get(self.status, self.status)


@dataclass(frozen=True)
class KioskHistory:
    samples: list[Sample] = field(default_factory=list)
    device_changes: list[DeviceChange] = field(default_factory=list)


def _where(sites: Collection[str], site: str | None) -> list[ColumnElement[bool]]:
    found: list[ColumnElement[bool]] = []
    if sites:
        found.append(KioskRow.site_id.in_(sorted(sites)))
    if site:
        found.append(KioskRow.site_id == site)
    return found


ORDER = (KioskColour.RED, KioskColour.YELLOW, KioskColour.GREEN)  # problems first


def fleet_page(engine: Engine, now: datetime, *, sites: Collection[str] = (),
               site: str | None = None, colour: KioskColour | None = None, page: int = 1,
               page_size: int = PAGE_SIZE) -> FleetPage:
    """One page of kiosks (``sites`` empty: every site), red first, then yellow, then green,
    each by terminal id.

    Counted and paged colour by colour (``_segments``): each colour is an index range (red:
    ``received_at`` before the cut; yellow: the partial index of degraded kiosks), so a
    page reads the ids it shows, not a sort of the whole fleet."""
    where = _where(sites, site)
    segments = _segments(now)
    with Session(engine.execution_options(readonly=True)) as session:
        total_all = session.scalar(select(func.count()).select_from(KioskRow).where(*where)) or 0
        red = session.scalar(select(func.count()).select_from(KioskRow).where(
            *where, segments[KioskColour.RED])) or 0
        yellow = session.scalar(select(func.count()).select_from(KioskRow).where(
            *where, segments[KioskColour.YELLOW])) or 0
        counts = {KioskColour.RED: red, KioskColour.YELLOW: yellow,
                  KioskColour.GREEN: total_all - red - yellow}
        total = counts[colour] if colour else total_all
        pages = max(1, math.ceil(total / page_size))
        page = min(max(1, page), pages)
        skip, wanted = (page - 1) * page_size, page_size
        ids: list[str] = []
        for shade in ([colour] if colour else ORDER):
            if wanted == 0:
                break
            if skip >= counts[shade]:
                skip -= counts[shade]
                continue
            found = session.scalars(select(KioskRow.terminal_id).where(*where, segments[shade])
                                    .order_by(KioskRow.terminal_id).offset(skip).limit(wanted)).all()
            ids.extend(found)
            skip, wanted = 0, wanted - len(found)
        rows = {row.terminal_id: row for row in session.scalars(
            select(KioskRow).where(KioskRow.terminal_id.in_(ids)))}
        tiles = [tile(rows[terminal], now) for terminal in ids if terminal in rows]
        known = session.scalars(select(KioskRow.site_id).where(*_where(sites, None))
                                .distinct().order_by(KioskRow.site_id)).all()
    return FleetPage(tiles, total, page, pages, counts, list(known))


def _segments(now: datetime) -> dict[KioskColour, ColumnElement[bool]]:
    """Each colour as a condition on the kiosks' rows (``fleet.colour_of`` in SQL)."""
    cut = now - timedelta(seconds=ONLINE_WITHIN_S)
    return {KioskColour.RED: KioskRow.received_at < cut,
            KioskColour.YELLOW: and_(KioskRow.degraded.is_(True), KioskRow.received_at >= cut),
            KioskColour.GREEN: and_(KioskRow.degraded.is_(False), KioskRow.received_at >= cut)}


def tile(row: KioskRow, now: datetime) -> Tile:
    last_seen = as_utc(row.received_at)
    return Tile(
        terminal_id=row.terminal_id, site_id=row.site_id, colour=fleet.colour_of(row, now),
        reasons=fleet.reasons_of(row, now), last_seen=last_seen,
        silent_s=(now - last_seen).total_seconds(), paper=row.paper,
        paper_left_estimate=row.paper_left_estimate, outbox_depth=row.outbox_depth,
        oldest_unsent_age_s=row.oldest_unsent_age_s, software_version=row.software_version,
        catalog_version=row.catalog_version, in_service=row.in_service,
        service_reason=row.service_reason, devices=json.loads(row.devices),
        faults=json.loads(row.faults or "{}"), machine=fleet.machine_of(row),
    )


def kiosk(engine: Engine, terminal_id: str, now: datetime, sites: Collection[str] = ()
          ) -> Tile | None:
    """One kiosk (None if unknown, or not at ``sites`` when given)."""
    with Session(engine.execution_options(readonly=True)) as session:
        row = session.get(KioskRow, terminal_id)
        if row is None or (sites and row.site_id not in sites):
            return None
        return tile(row, now)


def history(engine: Engine, terminal_id: str, limit: int = 50) -> KioskHistory:
    """The kiosk's newest samples (with the silences between them) and device changes."""
    with Session(engine.execution_options(readonly=True)) as session:
        beats = session.scalars(select(KioskBeatRow).where(
            KioskBeatRow.terminal_id == terminal_id,
        ).order_by(KioskBeatRow.at.desc()).limit(limit)).all()
        changes = session.scalars(select(DeviceEventRow).where(
            DeviceEventRow.terminal_id == terminal_id,
        ).order_by(DeviceEventRow.at.desc(), DeviceEventRow.id.desc()).limit(limit)).all()
    return KioskHistory([
        Sample(as_utc(b.at), b.degraded, b.in_service, b.paper, b.outbox_depth,
               json.loads(b.devices)) for b in beats], [
        DeviceChange(as_utc(c.at), c.device, c.status, c.fault_code, c.fault_message)
        for c in changes])

