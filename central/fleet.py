"""The fleet: each kiosk's last heartbeat, and how the back office sees it (green/yellow/red).

A beat overwrites the kiosk's one row (an upsert), so the table stays as small as the fleet
and a beat costs one short write whatever the history. Heartbeats carry no personal data.
"""

from __future__ import annotations

import json
from datetime import datetime, timedelta

from sqlalchemy import Engine, select
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.orm import Session

from central.db import KioskRow, as_utc, utcnow
from central.wire import (
    ONLINE_WITHIN_S,
    DeviceStatus,
    Heartbeat,
    KioskColour,
    KioskStatusView,
    PaperLevel,
)

STUCK_AFTER_S = 3600.0  # unsent cases older than this make a kiosk yellow


def record_beat(engine: Engine, beat: Heartbeat) -> datetime:
    """Store a kiosk's beat, replacing its previous one; return when it was received."""
    now = utcnow()
    values = {
        "terminal_id": beat.terminal_id,
        "site_id": beat.site_id,
        "received_at": now,
        "software_version": beat.software_version,
        "catalog_version": beat.catalog_version,
        "outbox_depth": beat.outbox_depth,
        "oldest_unsent_age_s": beat.oldest_unsent_age_s,
        "paper": beat.paper.value,
        "devices": json.dumps({k: v.value for k, v in beat.devices.items()}, sort_keys=True),
    }
    insert = pg_insert if engine.dialect.name == "postgresql" else sqlite_insert
    statement = insert(KioskRow).values(**values)
    statement = statement.on_conflict_do_update(
        index_elements=[KioskRow.terminal_id],
        set_={k: statement.excluded[k] for k in values if k != "terminal_id"},
    )
    with Session(engine) as session, session.begin():
        session.execute(statement)
    return now


def fleet(engine: Engine, *, now: datetime | None = None) -> list[KioskStatusView]:
    """Every kiosk that ever beat, with its colour, by terminal id."""
    now = now or utcnow()
    with Session(engine.execution_options(readonly=True)) as session:
        rows = session.scalars(select(KioskRow).order_by(KioskRow.terminal_id)).all()
        return [_view(row, now) for row in rows]


def _view(row: KioskRow, now: datetime) -> KioskStatusView:
    last_seen = as_utc(row.received_at)
    online = now - last_seen <= timedelta(seconds=ONLINE_WITHIN_S)
    devices = {k: DeviceStatus(v) for k, v in json.loads(row.devices).items()}
    paper = PaperLevel(row.paper)
    degraded = (
        paper in (PaperLevel.LOW, PaperLevel.OUT)
        or any(status is not DeviceStatus.ONLINE and status is not DeviceStatus.BUSY
               for status in devices.values())
        or (row.oldest_unsent_age_s or 0) > STUCK_AFTER_S
    )
    colour = KioskColour.RED if not online else (
        KioskColour.YELLOW if degraded else KioskColour.GREEN)
    return KioskStatusView(
        terminal_id=row.terminal_id, site_id=row.site_id, last_seen=last_seen, online=online,
        colour=colour, software_version=row.software_version,
        catalog_version=row.catalog_version, outbox_depth=row.outbox_depth,
        oldest_unsent_age_s=row.oldest_unsent_age_s, paper=paper, devices=devices,
    )
