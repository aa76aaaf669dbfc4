"""The kiosks' audit logs as the centre keeps them: each ``(terminal, seq)`` once, in order.

A kiosk sends its entries in batches (``contract.fleet.AuditBatch``) and may send one twice
(a lost answer): an entry already held is skipped, never changed, and the answer says the
highest sequence number held for that kiosk (``AuditAck.stored_through``).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import Engine, func, select
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.orm import Session

from central.db import as_utc, utcnow
from central.fleet_rows import KioskAuditRow
from contract.fleet import AuditAck, AuditEntry


@dataclass(frozen=True)
class AuditLine:
    seq: int
    at: datetime
    actor: str
    action: str
    outcome: str
    detail: str


def store(engine: Engine, terminal_id: str, entries: list[AuditEntry]) -> AuditAck:
    """Keep the entries not yet held; answer with the highest sequence number held."""
    now = utcnow()
    rows = [{"terminal_id": terminal_id, "seq": e.seq, "at": e.at, "actor": e.actor,
             "action": e.action, "outcome": e.outcome, "detail": e.detail, "received_at": now}
            for e in entries]
    insert = pg_insert if engine.dialect.name == "postgresql" else sqlite_insert
    with Session(engine) as session, session.begin():
        session.execute(insert(KioskAuditRow).on_conflict_do_nothing(
            index_elements=[KioskAuditRow.terminal_id, KioskAuditRow.seq]), rows)
        highest = session.scalar(select(func.max(KioskAuditRow.seq)).where(
            KioskAuditRow.terminal_id == terminal_id))
    return AuditAck(stored_through=int(highest or 0))


def for_kiosk(engine: Engine, terminal_id: str, limit: int = 50) -> list[AuditLine]:
    """The kiosk's newest audit lines, newest first."""
    with Session(engine.execution_options(readonly=True)) as session:
        rows = session.scalars(select(KioskAuditRow).where(
            KioskAuditRow.terminal_id == terminal_id,
        ).order_by(KioskAuditRow.seq.desc()).limit(limit))
        return [AuditLine(r.seq, as_utc(r.at), r.actor, r.action, r.outcome, r.detail)
                for r in rows]
