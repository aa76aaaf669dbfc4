"""Remote commands: a technician asks in the console, the kiosk's next beat reply carries it.

::

    issue ──▶ pending ──offered in a beat reply──▶ sent ──the kiosk reports──▶ done
                                                    │ ▲                        failed
                                                    └─┘ offered again            refused
                                                    every beat until a result
    pending / sent for longer than EXPIRE_AFTER ──▶ failed ("the kiosk did not answer")

Each issue is recorded in the centre's own audit (``console_audit``) in the same
transaction. ``OpenCommands`` keeps, in memory, which kiosks have a command waiting
(refreshed from the database every second), so a beat from any other kiosk answers without
touching the database, however many service processes share it.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import Engine, select, update
from sqlalchemy.orm import Session

from central import console_audit
from central.auth import Clerk
from central.db import as_utc, utcnow
from central.fleet_rows import RemoteCommandRow
from central.periodic import Periodic
from contract.fleet import CommandResult, RemoteCommand, RemoteCommandKind

OPEN = ("pending", "sent")
EXPIRE_AFTER = timedelta(hours=24)
KIND_LABELS = {
    RemoteCommandKind.SEND_NOW: "立即上传待发办件",
    RemoteCommandKind.OUT_OF_SERVICE: "暂停服务",
    RemoteCommandKind.BACK_IN_SERVICE: "恢复服务",
    RemoteCommandKind.RESTART_APP: "重启应用",
    RemoteCommandKind.UPLOAD_LOGS: "上传日志",
    RemoteCommandKind.SCREENSHOT: "截屏",
}
STATUS_LABELS = {"pending": "等待终端心跳", "sent": "已下发，等待结果", "done": "已完成",
                 "failed": "失败", "refused": "终端拒绝"}


class CommandRefused(ValueError):
    """A command that cannot be issued as asked; the message says why, in plain words."""


@dataclass(frozen=True)
class CommandView:
    """A command as the kiosk page lists it."""

    id: int
    kind: RemoteCommandKind
    reason: str
    issued_at: datetime
    issued_by: str
    status: str
    detail: str
    finished_at: datetime | None

    @property
    def kind_label(self) -> str:
        return KIND_LABELS[self.kind]

    @property
    def status_label(self) -> str:
        return STATUS_LABELS[self.status]


def issue(engine: Engine, terminal_id: str, kind: RemoteCommandKind, *, by: Clerk,
          reason: str = "", now: datetime | None = None) -> int:
    """Queue ``kind`` for ``terminal_id`` on ``by``'s behalf and record it; return its id."""
    reason = reason.strip()
    if kind is RemoteCommandKind.OUT_OF_SERVICE and not reason:
        raise CommandRefused("暂停服务需要填写原因（终端屏幕会显示）。")
    if len(reason) > 200:
        raise CommandRefused("原因最多 200 个字。")
    if kind is not RemoteCommandKind.OUT_OF_SERVICE:
        reason = ""
    now = now or utcnow()
    with Session(engine) as session, session.begin():
        row = RemoteCommandRow(terminal_id=terminal_id, kind=kind.value, reason=reason,
                               issued_at=now, issued_by=by.name, status="pending", detail="")
        session.add(row)
        session.flush()
        console_audit.record(session, by, f"command.{kind.value}", terminal_id=terminal_id,
                             detail=f"#{row.id} {reason}".strip(), at=now)
        return row.id


def exchange(engine: Engine, terminal_id: str, results: Sequence[CommandResult],
             now: datetime) -> list[RemoteCommand]:
    """Record what the kiosk reports of its commands, then offer it those still open (oldest
    first), marking them sent. A result for another kiosk's command, or for a finished one,
    changes nothing."""
    with Session(engine) as session, session.begin():
        for result in results:
            session.execute(update(RemoteCommandRow).where(
                RemoteCommandRow.id == result.command_id,
                RemoteCommandRow.terminal_id == terminal_id,
                RemoteCommandRow.status.in_(OPEN),
            ).values(status=result.outcome.value, detail=result.detail[:200],
                     finished_at=result.finished_at))
        rows = session.scalars(select(RemoteCommandRow).where(
            RemoteCommandRow.terminal_id == terminal_id, RemoteCommandRow.status.in_(OPEN),
        ).order_by(RemoteCommandRow.id)).all()
        for row in rows:
            if row.status == "pending":
                row.status, row.offered_at = "sent", now
        return [RemoteCommand(id=row.id, kind=RemoteCommandKind(row.kind), reason=row.reason,
                              issued_at=as_utc(row.issued_at), issued_by=row.issued_by)
                for row in rows]


def for_kiosk(engine: Engine, terminal_id: str, limit: int = 20) -> list[CommandView]:
    """The kiosk's newest commands, newest first."""
    with Session(engine.execution_options(readonly=True)) as session:
        rows = session.scalars(select(RemoteCommandRow).where(
            RemoteCommandRow.terminal_id == terminal_id,
        ).order_by(RemoteCommandRow.id.desc()).limit(limit)).all()
        return [CommandView(row.id, RemoteCommandKind(row.kind), row.reason,
                            as_utc(row.issued_at), row.issued_by, row.status, row.detail,
                            as_utc(row.finished_at) if row.finished_at else None)
                for row in rows]


def expire(session: Session, now: datetime) -> int:
    """Fail the commands no kiosk answered within ``EXPIRE_AFTER``; return how many."""
    result = session.execute(update(RemoteCommandRow).where(
        RemoteCommandRow.status.in_(OPEN), RemoteCommandRow.issued_at < now - EXPIRE_AFTER,
    ).values(status="failed", detail="终端 24 小时内未回应", finished_at=now))
    return int(getattr(result, "rowcount", 0) or 0)


def open_terminals(engine: Engine) -> set[str]:
    """The kiosks with a command waiting or unanswered."""
    with Session(engine.execution_options(readonly=True)) as session:
        return set(session.scalars(select(RemoteCommandRow.terminal_id).where(
            RemoteCommandRow.status.in_(OPEN)).distinct()))


class OpenCommands:
    """Which kiosks have open commands, refreshed from the database every ``every_s``."""

    def __init__(self, engine: Engine, every_s: float = 1.0) -> None:
        self.engine = engine
        self.every_s = every_s
        self._terminals: frozenset[str] = frozenset()
        self._rounds = Periodic("open-commands", every_s, self.refresh)

    def __contains__(self, terminal_id: object) -> bool:
        return terminal_id in self._terminals

    def add(self, terminal_id: str) -> None:
        """A command was just issued here: answer it from the next beat on, not a second later."""
        self._terminals = self._terminals | {terminal_id}

    def refresh(self) -> None:
        self._terminals = frozenset(open_terminals(self.engine))

    def start(self) -> None:
        self._rounds.start()

    def stop(self) -> None:
        self._rounds.stop(10)

