"""The fleet console's tables (migration 0003): what the centre keeps about its kiosks beyond
their last beat (``central.db.KioskRow``). None of it is about a resident.

- ``kiosk_beats``: a sampled heartbeat history (a row when the state that matters changes,
  else one every ``central.beat_history.SAMPLE_EVERY_S``), pruned after some days.
- ``kiosk_device_events``: a row whenever a device's status or fault changes.
- ``kiosk_counters``: each kiosk's usage per day (业务量统计), the newest beat's figures.
- ``kiosk_audit``: the kiosks' own audit logs, each ``(terminal, seq)`` once.
- ``remote_commands``: a technician's command and what became of it (state diagram in
  ``central.remote_commands``); ``kiosk_uploads``: a screenshot or logs answering one.
- ``fleet_alerts``: a kiosk turned red, or a case unsent too long; open until cleared.
- ``console_audit``: what people did in the console (the centre's own audit).
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import (
    BigInteger,
    Boolean,
    CheckConstraint,
    DateTime,
    Float,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    String,
    Text,
    UniqueConstraint,
    text,
)
from sqlalchemy.orm import Mapped, mapped_column

from central.db import Base, BigId

When = DateTime(timezone=True)
COMMAND_STATUSES = ("pending", "sent", "done", "failed", "refused")
ALERT_KINDS = ("kiosk_red", "case_unsent")


class KioskBeatRow(Base):
    """One sampled beat: the state the fleet view colours by, at one moment."""

    __tablename__ = "kiosk_beats"

    id: Mapped[int] = mapped_column(BigId, primary_key=True, autoincrement=True)
    terminal_id: Mapped[str] = mapped_column(String(64))
    at: Mapped[datetime] = mapped_column(When)
    degraded: Mapped[bool] = mapped_column(Boolean)
    in_service: Mapped[bool] = mapped_column(Boolean)
    paper: Mapped[str] = mapped_column(String(16))
    outbox_depth: Mapped[int] = mapped_column(Integer)
    oldest_unsent_age_s: Mapped[float | None] = mapped_column(Float, nullable=True)
    devices: Mapped[str] = mapped_column(Text)  # JSON object: device name -> status

    __table_args__ = (Index("ix_kiosk_beats_terminal_at", "terminal_id", "at"),
                      Index("ix_kiosk_beats_at", "at"))


class DeviceEventRow(Base):
    """A device's status or fault changed (or was first seen)."""

    __tablename__ = "kiosk_device_events"

    id: Mapped[int] = mapped_column(BigId, primary_key=True, autoincrement=True)
    terminal_id: Mapped[str] = mapped_column(String(64))
    at: Mapped[datetime] = mapped_column(When)
    device: Mapped[str] = mapped_column(String(64))
    status: Mapped[str] = mapped_column(String(16))  # contract DeviceStatus, or "gone"
    fault_code: Mapped[str] = mapped_column(String(64), default="")
    fault_message: Mapped[str] = mapped_column(String(200), default="")

    __table_args__ = (Index("ix_kiosk_device_events_terminal_at", "terminal_id", "at"),)


class DailyCountersRow(Base):
    """One kiosk's usage on one of its days, as its newest beat reported it."""

    __tablename__ = "kiosk_counters"

    terminal_id: Mapped[str] = mapped_column(String(64), primary_key=True)
    day: Mapped[str] = mapped_column(String(8), primary_key=True)  # YYYYMMDD, kiosk-local
    site_id: Mapped[str] = mapped_column(String(64))
    sessions_started: Mapped[int] = mapped_column(Integer)
    prints: Mapped[int] = mapped_column(Integer)
    read_failures: Mapped[int] = mapped_column(Integer)
    cases_by_item: Mapped[str] = mapped_column(Text)  # JSON object: item id -> count
    ratings: Mapped[str] = mapped_column(Text)  # JSON object: rating level -> count
    updated_at: Mapped[datetime] = mapped_column(When)

    __table_args__ = (Index("ix_kiosk_counters_day_site", "day", "site_id"),)


class KioskAuditRow(Base):
    """One line of a kiosk's audit log, as the kiosk sent it."""

    __tablename__ = "kiosk_audit"

    id: Mapped[int] = mapped_column(BigId, primary_key=True, autoincrement=True)
    terminal_id: Mapped[str] = mapped_column(String(64))
    seq: Mapped[int] = mapped_column(BigInteger)
    at: Mapped[datetime] = mapped_column(When)
    actor: Mapped[str] = mapped_column(String(64))
    action: Mapped[str] = mapped_column(String(64))
    outcome: Mapped[str] = mapped_column(String(32))
    detail: Mapped[str] = mapped_column(String(200), default="")
    received_at: Mapped[datetime] = mapped_column(When)

    __table_args__ = (UniqueConstraint("terminal_id", "seq", name="uq_kiosk_audit_terminal_seq"),)


class RemoteCommandRow(Base):
    """A technician's command for one kiosk and what became of it."""

    __tablename__ = "remote_commands"

    id: Mapped[int] = mapped_column(BigId, primary_key=True, autoincrement=True)
    terminal_id: Mapped[str] = mapped_column(String(64))
    kind: Mapped[str] = mapped_column(String(32))
    reason: Mapped[str] = mapped_column(String(200), default="")
    issued_at: Mapped[datetime] = mapped_column(When)
    issued_by: Mapped[str] = mapped_column(String(64))
    status: Mapped[str] = mapped_column(String(16))
    offered_at: Mapped[datetime | None] = mapped_column(When, nullable=True)
    detail: Mapped[str] = mapped_column(String(200), default="")
    finished_at: Mapped[datetime | None] = mapped_column(When, nullable=True)

    __table_args__ = (
        CheckConstraint(f"status IN {COMMAND_STATUSES!r}", name="ck_remote_commands_status"),
        Index("ix_remote_commands_terminal_id", "terminal_id", "id"),
        Index("ix_remote_commands_open", "status", postgresql_where=text(
            "status IN ('pending', 'sent')"), sqlite_where=text("status IN ('pending', 'sent')")),
    )


class UploadRow(Base):
    """A screenshot (PNG) or logs (gzip) a kiosk sent in answer to one command."""

    __tablename__ = "kiosk_uploads"

    command_id: Mapped[int] = mapped_column(ForeignKey("remote_commands.id"), primary_key=True)
    terminal_id: Mapped[str] = mapped_column(String(64))
    media_type: Mapped[str] = mapped_column(String(64))
    size: Mapped[int] = mapped_column(Integer)
    body: Mapped[bytes] = mapped_column(LargeBinary)
    received_at: Mapped[datetime] = mapped_column(When)

    __table_args__ = (Index("ix_kiosk_uploads_terminal_received", "terminal_id", "received_at"),)


class AlertRow(Base):
    """Something a technician must know: open from ``opened_at`` until ``cleared_at``."""

    __tablename__ = "fleet_alerts"

    id: Mapped[int] = mapped_column(BigId, primary_key=True, autoincrement=True)
    kind: Mapped[str] = mapped_column(String(32))
    terminal_id: Mapped[str] = mapped_column(String(64))
    site_id: Mapped[str] = mapped_column(String(64))
    detail: Mapped[str] = mapped_column(String(200), default="")
    opened_at: Mapped[datetime] = mapped_column(When)
    cleared_at: Mapped[datetime | None] = mapped_column(When, nullable=True)
    notified_at: Mapped[datetime | None] = mapped_column(When, nullable=True)
    notify_attempts: Mapped[int] = mapped_column(Integer, default=0)
    notify_error: Mapped[str] = mapped_column(String(200), default="")

    __table_args__ = (
        CheckConstraint(f"kind IN {ALERT_KINDS!r}", name="ck_fleet_alerts_kind"),
        # At most one open alert of a kind per kiosk, however many processes evaluate.
        Index("uq_fleet_alerts_open", "kind", "terminal_id", unique=True,
              postgresql_where=text("cleared_at IS NULL"), sqlite_where=text("cleared_at IS NULL")),
        Index("ix_fleet_alerts_opened_at", "opened_at"),
    )


class ConsoleAuditRow(Base):
    """What someone did in the console: who, in which role, what, to which kiosk."""

    __tablename__ = "console_audit"

    id: Mapped[int] = mapped_column(BigId, primary_key=True, autoincrement=True)
    at: Mapped[datetime] = mapped_column(When)
    actor: Mapped[str] = mapped_column(String(64))
    role: Mapped[str] = mapped_column(String(16))
    action: Mapped[str] = mapped_column(String(64))
    terminal_id: Mapped[str] = mapped_column(String(64), default="")
    detail: Mapped[str] = mapped_column(String(200), default="")

    __table_args__ = (Index("ix_console_audit_terminal_at", "terminal_id", "at"),)
