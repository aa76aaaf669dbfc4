"""The centre's own audit: what staff did in the console (a remote command, a kiosk page's
action), who, in which role, when. Never a resident's data; rows are only ever added."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import Engine, select
from sqlalchemy.orm import Session

from central.auth import Clerk
from central.db import as_utc, utcnow
from central.fleet_rows import ConsoleAuditRow


@dataclass(frozen=True)
class ConsoleAction:
    at: datetime
    actor: str
    role: str
    action: str
    terminal_id: str
    detail: str


def record(session: Session, who: Clerk, action: str, *, terminal_id: str = "",
           detail: str = "", at: datetime | None = None) -> None:
    """Add one line in ``session``'s transaction (with the change it records)."""
    session.add(ConsoleAuditRow(at=at or utcnow(), actor=who.name[:64], role=who.role.value,
                                action=action[:64], terminal_id=terminal_id[:64],
                                detail=detail[:200]))


def for_kiosk(engine: Engine, terminal_id: str, limit: int = 50) -> list[ConsoleAction]:
    """What staff did to ``terminal_id``, newest first."""
    with Session(engine.execution_options(readonly=True)) as session:
        rows = session.scalars(select(ConsoleAuditRow).where(
            ConsoleAuditRow.terminal_id == terminal_id,
        ).order_by(ConsoleAuditRow.id.desc()).limit(limit))
        return [ConsoleAction(as_utc(r.at), r.actor, r.role, r.action, r.terminal_id, r.detail)
                for r in rows]
