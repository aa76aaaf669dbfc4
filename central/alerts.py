"""Fleet alerts: a kiosk turned red (silent longer than ``ONLINE_WITHIN_S``), or a kiosk holds
a case unsent longer than ``unsent_after_s``. An alert opens once, stays open while the
condition holds, and clears by itself when it ends; each opened alert is sent once through
the ``Notifier`` (``central.notifiers``), retried on the next rounds if that fails.

``evaluate`` works from the kiosks' rows alone, a few indexed queries however large the
fleet; several service processes may evaluate at once (a unique index keeps one open alert
per kind and kiosk, and a message is claimed before it is sent). ``AlertWatch`` runs
``evaluate`` and ``notify`` every ``every_s`` in the background, expires unanswered remote
commands and prunes old history once an hour; the fleet page evaluates on load too.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import Engine, func, select, update
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.orm import Session

from central import beat_history, face_checks, remote_commands, uploads
from central.db import KioskRow, as_utc, utcnow
from central.fleet import STUCK_AFTER_S, duration
from central.fleet_rows import AlertRow
from central.notifiers import AlertMessage, Notifier, NotifyFailed
from central.periodic import Periodic
from contract.wire import ONLINE_WITHIN_S

log = logging.getLogger(__name__)

KIOSK_RED = "kiosk_red"
CASE_UNSENT = "case_unsent"
KIND_LABELS = {KIOSK_RED: "终端失联", CASE_UNSENT: "办件长时间未上传"}
MAX_ATTEMPTS = 10
PAGE_EVALUATES_EVERY_S = 2.0  # a page load evaluates unless this process did this recently


@dataclass(frozen=True)
class Changes:
    opened: int
    cleared: int


@dataclass(frozen=True)
class Alert:
    id: int
    kind: str
    terminal_id: str
    site_id: str
    detail: str
    opened_at: datetime
    notified: bool

    @property
    def kind_label(self) -> str:
        return KIND_LABELS[self.kind]


def evaluate(engine: Engine, now: datetime | None = None,
             unsent_after_s: float = STUCK_AFTER_S) -> Changes:
    """Open the alerts whose condition now holds, clear those whose condition ended."""
    now = now or utcnow()
    silent_since = now - timedelta(seconds=ONLINE_WITHIN_S)
    opened = cleared = 0
    with Session(engine) as session, session.begin():
        red = {r.terminal_id: r for r in session.execute(select(
            KioskRow.terminal_id, KioskRow.site_id, KioskRow.received_at,
        ).where(KioskRow.received_at < silent_since))}
        stuck = {r.terminal_id: r for r in session.execute(select(
            KioskRow.terminal_id, KioskRow.site_id, KioskRow.outbox_depth,
            KioskRow.oldest_unsent_age_s,
        ).where(KioskRow.oldest_unsent_age_s > unsent_after_s))}
        holding = {(a.kind, a.terminal_id): a.id for a in session.execute(select(
            AlertRow.id, AlertRow.kind, AlertRow.terminal_id).where(AlertRow.cleared_at.is_(None)))}
        new: list[dict[str, object]] = []
        for terminal, silent in red.items():
            if (KIOSK_RED, terminal) not in holding:
                quiet = (now - as_utc(silent.received_at)).total_seconds()
                new.append(_alert(KIOSK_RED, terminal, silent.site_id, now,
                                  f"已 {duration(quiet)} 没有心跳"))
        for terminal, held in stuck.items():
            if (CASE_UNSENT, terminal) not in holding:
                new.append(_alert(CASE_UNSENT, terminal, held.site_id, now,
                                  f"{held.outbox_depth} 件未上传，最早已 "
                                  f"{duration(held.oldest_unsent_age_s or 0)}"))
        if new:
            insert = pg_insert if engine.dialect.name == "postgresql" else sqlite_insert
            session.execute(insert(AlertRow).on_conflict_do_nothing(), new)
            opened = len(new)
        ended = [alert_id for (kind, terminal), alert_id in holding.items()
                 if terminal not in (red if kind == KIOSK_RED else stuck)]
        for start in range(0, len(ended), 1000):
            session.execute(update(AlertRow).where(AlertRow.id.in_(ended[start:start + 1000]))
                            .values(cleared_at=now))
        cleared = len(ended)
    return Changes(opened, cleared)


def _alert(kind: str, terminal: str, site: str, now: datetime, detail: str) -> dict[str, object]:
    return {"kind": kind, "terminal_id": terminal, "site_id": site, "detail": detail[:200],
            "opened_at": now, "notify_attempts": 0, "notify_error": ""}


def active(engine: Engine, sites: Iterable[str] = (), limit: int = 100) -> list[Alert]:
    """The open alerts (at ``sites``; empty: everywhere), newest first."""
    query = select(AlertRow).where(AlertRow.cleared_at.is_(None))
    sites = list(sites)
    if sites:
        query = query.where(AlertRow.site_id.in_(sites))
    with Session(engine.execution_options(readonly=True)) as session:
        rows = session.scalars(query.order_by(AlertRow.opened_at.desc(), AlertRow.id.desc())
                               .limit(limit))
        return [Alert(r.id, r.kind, r.terminal_id, r.site_id, r.detail, as_utc(r.opened_at),
                      r.notified_at is not None) for r in rows]


def count_active(engine: Engine, sites: Iterable[str] = ()) -> int:
    """How many alerts are open (at ``sites``; empty: everywhere)."""
    query = select(func.count()).select_from(AlertRow).where(AlertRow.cleared_at.is_(None))
    sites = list(sites)
    if sites:
        query = query.where(AlertRow.site_id.in_(sites))
    with Session(engine.execution_options(readonly=True)) as session:
        return int(session.scalar(query) or 0)


def notify(engine: Engine, notifier: Notifier, now: datetime | None = None) -> int:
    """Send each open alert not yet sent; return how many were delivered."""
    now = now or utcnow()
    with Session(engine.execution_options(readonly=True)) as session:
        waiting = session.scalars(select(AlertRow).where(
            AlertRow.notified_at.is_(None), AlertRow.cleared_at.is_(None),
            AlertRow.notify_attempts < MAX_ATTEMPTS).order_by(AlertRow.id).limit(500)).all()
        messages = [AlertMessage(r.id, r.kind, "open", r.terminal_id, r.site_id, r.detail,
                                 as_utc(r.opened_at).isoformat()) for r in waiting]
    delivered = 0
    for message in messages:
        with Session(engine) as session, session.begin():  # claim it: one sender only
            claimed = session.execute(update(AlertRow).where(
                AlertRow.id == message.alert_id, AlertRow.notified_at.is_(None),
            ).values(notified_at=now))
            if not getattr(claimed, "rowcount", 0):
                continue
        try:
            notifier.send(message)
            delivered += 1
        except NotifyFailed as err:
            log.warning("alert %s not delivered: %s", message.alert_id, err)
            with Session(engine) as session, session.begin():
                session.execute(update(AlertRow).where(AlertRow.id == message.alert_id).values(
                    notified_at=None, notify_attempts=AlertRow.notify_attempts + 1,
                    notify_error=str(err)[:200]))
    return delivered


class AlertWatch:
    """Evaluate and send alerts every ``every_s``; once an hour, tidy the history."""

    def __init__(self, engine: Engine, notifier: Notifier, every_s: float = 15.0) -> None:
        self.engine, self.notifier, self.every_s = engine, notifier, every_s
        self._rounds = Periodic("alert-watch", every_s, self.round)
        self._tidied: datetime | None = None
        self._evaluated: datetime | None = None

    def evaluate_if_stale(self, now: datetime, max_age_s: float = PAGE_EVALUATES_EVERY_S) -> None:
        """Evaluate now unless this process did within ``max_age_s`` (a page load)."""
        if self._evaluated is None or (now - self._evaluated).total_seconds() > max_age_s:
            evaluate(self.engine, now)
            self._evaluated = now

    def round(self, now: datetime | None = None) -> None:
        """One round: evaluate, notify, and tidy when an hour has passed."""
        now = now or utcnow()
        evaluate(self.engine, now)
        self._evaluated = now
        notify(self.engine, self.notifier, now)
        if self._tidied is None or now - self._tidied > timedelta(hours=1):
            with Session(self.engine) as session, session.begin():
                remote_commands.expire(session, now)
                beat_history.prune(session, now)
                uploads.prune(session, now)
                face_checks.prune(session, now)  # pictures nobody decided: no retention beyond the check
            self._tidied = now

    def start(self) -> None:
        self._rounds.start()

    def stop(self) -> None:
        self._rounds.stop()
