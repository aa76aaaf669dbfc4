"""What a batch of beats adds to the history: sampled beats and device changes.

Written in the ``BeatBuffer``'s transaction, before the kiosks' rows are overwritten, by
comparing each new beat with the row it replaces (so several service processes, and a
restarted one, agree on what changed):

- a ``kiosk_beats`` sample when the state the fleet colours by changed (degraded, in service,
  paper, devices, cases waiting or not), when the kiosk comes back after being silent, and
  otherwise once every ``SAMPLE_EVERY_S``: 288 rows a kiosk a day, not 2,880;
- a ``kiosk_devices_events`` row for each device whose status or fault changed, appeared or
  went (``gone``).

``prune`` deletes samples and device events older than ``KEEP_DAYS``.
"""

from __future__ import annotations

import json
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import delete, insert, select
from sqlalchemy.orm import Session

from central.db import KioskRow, as_utc
from central.fleet_rows import DeviceEventRow, KioskBeatRow
from contract.wire import ONLINE_WITHIN_S

SAMPLE_EVERY_S = 300.0
KEEP_DAYS = 14
_CHUNK = 1000  # terminals per IN (...) list: well under every driver's parameter limit
_SAMPLED = ("degraded", "in_service", "paper", "devices")


def record(session: Session, rows: list[dict[str, Any]]) -> None:
    """Add the samples and device events ``rows`` (new kiosk rows) call for; set each row's
    ``sampled_at``."""
    previous: dict[str, Any] = {}
    ids = [row["terminal_id"] for row in rows]
    for start in range(0, len(ids), _CHUNK):
        found = session.execute(select(
            KioskRow.terminal_id, KioskRow.received_at, KioskRow.sampled_at, KioskRow.degraded,
            KioskRow.in_service, KioskRow.paper, KioskRow.devices, KioskRow.faults,
            KioskRow.outbox_depth,
        ).where(KioskRow.terminal_id.in_(ids[start:start + _CHUNK])))
        previous.update({old.terminal_id: old for old in found})
    samples: list[dict[str, Any]] = []
    events: list[dict[str, Any]] = []
    for row in rows:
        old = previous.get(row["terminal_id"])
        at: datetime = row["received_at"]
        if old is not None and as_utc(old.received_at) > at:
            row["sampled_at"] = old.sampled_at  # an older beat: it changes nothing
            continue
        events.extend(_device_events(old, row, at))
        if _sample_due(old, row, at):
            row["sampled_at"] = at
            samples.append({
                "terminal_id": row["terminal_id"], "at": at, "degraded": row["degraded"],
                "in_service": row["in_service"], "paper": row["paper"],
                "outbox_depth": row["outbox_depth"],
                "oldest_unsent_age_s": row["oldest_unsent_age_s"], "devices": row["devices"],
            })
        else:
            row["sampled_at"] = old.sampled_at if old is not None else None
    if samples:
        session.execute(insert(KioskBeatRow), samples)
    if events:
        session.execute(insert(DeviceEventRow), events)


def _sample_due(old: Any, row: dict[str, Any], at: datetime) -> bool:
    if old is None or old.sampled_at is None:
        return True
    if any(getattr(old, key) != row[key] for key in _SAMPLED):
        return True
    if (old.outbox_depth == 0) != (row["outbox_depth"] == 0):
        return True
    if at - as_utc(old.received_at) > timedelta(seconds=ONLINE_WITHIN_S):
        return True  # back after a silence: the gap shows in the history
    return at - as_utc(old.sampled_at) >= timedelta(seconds=SAMPLE_EVERY_S)


def _device_events(old: Any, row: dict[str, Any], at: datetime) -> list[dict[str, Any]]:
    was: dict[str, str] = json.loads(old.devices) if old is not None else {}
    was_faults: dict[str, dict[str, str]] = json.loads(old.faults or "{}") if old is not None else {}
    now: dict[str, str] = json.loads(row["devices"])
    faults: dict[str, dict[str, str]] = json.loads(row.get("faults", "{}"))
    events = []
    for device in sorted(set(was) | set(now) | set(was_faults) | set(faults)):
        status = now.get(device, "gone")
        fault = faults.get(device, {})
        if status == was.get(device, "gone") and \
                fault.get("code") == was_faults.get(device, {}).get("code"):
            continue
        events.append({"terminal_id": row["terminal_id"], "at": at, "device": device[:64],
                       "status": status, "fault_code": fault.get("code", ""),
                       "fault_message": fault.get("message", "")})
    return events


def prune(session: Session, now: datetime, keep_days: int = KEEP_DAYS) -> int:
    """Delete samples and device events older than ``keep_days``; return how many rows."""
    cutoff = now - timedelta(days=keep_days)
    deleted = 0
    for table in (KioskBeatRow, DeviceEventRow):
        result = session.execute(delete(table).where(table.at < cutoff))
        deleted += int(getattr(result, "rowcount", 0) or 0)
    return deleted
