"""What maintenance mode keeps in the kiosk's data folder, opened together when the terminal starts.

Opened on the terminal's start (its background thread), not at import or construction:
pydantic and argon2 stay off the path to the first frame.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from kiosk.config.settings import KioskConfig
from kiosk.maintenance.audit import AuditLog
from kiosk.maintenance.counters import UsageCounters
from kiosk.maintenance.faults import FaultBook
from kiosk.maintenance.paper_roll import PaperRoll
from kiosk.maintenance.pin import PinStore
from kiosk.maintenance.remote import RemoteCommands
from kiosk.maintenance.service import ServiceSwitch


@dataclass(frozen=True)
class MaintenanceRecords:
    pins: PinStore
    audit: AuditLog
    counters: UsageCounters
    paper_roll: PaperRoll
    service: ServiceSwitch
    remote: RemoteCommands
    faults: FaultBook


def open_records(config: KioskConfig, now: Callable[[], datetime]) -> MaintenanceRecords:
    """The PIN, audit log, counters, paper roll, service switch and remote commands of this kiosk."""
    data_dir = Path(config.data_dir)
    audit = AuditLog(data_dir, now)
    return MaintenanceRecords(
        pins=PinStore(data_dir),
        audit=audit,
        counters=UsageCounters(data_dir, lambda: now().date()),
        paper_roll=PaperRoll(data_dir, config.maintenance.receipts_per_roll, config.maintenance.paper_low_at, now),
        service=ServiceSwitch(data_dir),
        remote=RemoteCommands(data_dir, audit, now),
        faults=FaultBook(),
    )
