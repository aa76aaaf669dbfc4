"""The fleet: each kiosk's last heartbeat, and how the back office sees it (green/yellow/red).

A beat overwrites the kiosk's one row (an upsert), so the table stays as small as the fleet.
Beats are buffered in memory and written in batches (``BeatBuffer``): at 20,000 kiosks
beating every 30 s that is one transaction a second instead of 667. Heartbeats carry no
personal data.
"""

from __future__ import annotations

import json
import logging
import threading
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import Engine, select
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.orm import Session

from central.db import KioskRow, as_utc, utcnow
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


def _row(beat: Heartbeat, received_at: datetime) -> dict[str, Any]:
    return {
        "terminal_id": beat.terminal_id,
        "site_id": beat.site_id,
        "received_at": received_at,
        "software_version": beat.software_version,
        "catalog_version": beat.catalog_version,
        "outbox_depth": beat.outbox_depth,
        "oldest_unsent_age_s": beat.oldest_unsent_age_s,
        "paper": beat.paper.value,
        "devices": json.dumps({k: v.value for k, v in beat.devices.items()}, sort_keys=True),
    }


def store_beats(engine: Engine, rows: list[dict[str, Any]]) -> None:
    """Upsert kiosks' beats in one transaction; an older beat never overwrites a newer one."""
    if not rows:
        return
    insert = pg_insert if engine.dialect.name == "postgresql" else sqlite_insert
    statement = insert(KioskRow)
    statement = statement.on_conflict_do_update(
        index_elements=[KioskRow.terminal_id],
        set_={k: statement.excluded[k] for k in rows[0] if k != "terminal_id"},
        where=KioskRow.received_at <= statement.excluded.received_at,
    )
    with Session(engine) as session, session.begin():
        session.execute(statement, rows)


class BeatBuffer:
    """Heartbeats are soft state: keep each kiosk's newest beat in memory and write them all
    in one transaction every ``flush_every_s``, instead of one fsynced write per beat.

    A crash loses at most that much of the fleet view, which the next beats (every 30 s)
    restore; cases never pass through here. Each service process has its own buffer.
    """

    def __init__(self, engine: Engine, flush_every_s: float = 1.0) -> None:
        self.engine = engine
        self.flush_every_s = flush_every_s
        self._pending: dict[str, dict[str, Any]] = {}
        self._lock = threading.Lock()
        self._flush_lock = threading.Lock()
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None

    def add(self, beat: Heartbeat) -> datetime:
        """Take a beat; return when it was received."""
        now = utcnow()
        with self._lock:
            self._pending[beat.terminal_id] = _row(beat, now)
        return now

    def flush(self) -> int:
        """Write the pending beats now; return how many."""
        with self._flush_lock:
            with self._lock:
                rows, self._pending = list(self._pending.values()), {}
            try:
                store_beats(self.engine, rows)
            except Exception:
                with self._lock:  # put them back unless newer beats came meanwhile
                    for row in rows:
                        self._pending.setdefault(row["terminal_id"], row)
                raise
            return len(rows)

    def start(self) -> None:
        if self._thread is None:
            self._thread = threading.Thread(target=self._run, name="beat-flusher", daemon=True)
            self._thread.start()

    def stop(self) -> None:
        """Stop the flusher and write what is pending."""
        self._stop.set()
        if self._thread is not None:
            self._thread.join(30)
            self._thread = None
        self.flush()

    def _run(self) -> None:
        while not self._stop.wait(self.flush_every_s):
            try:
                self.flush()
            except Exception:
                log.exception("heartbeats: flush failed; retrying")


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
