"""The table of rating follow-ups (好差评整改回访): one per low rating.

A rating of 不满意 or 非常不满意 opens a follow-up (``central.followups``) due within 15
working days; a supervisor records the 整改 (what was done about it) and the 回访 (the call
back to the resident: when, what came of it, whether they are now satisfied), then closes it.
No personal data: the resident is reached through the case, never named here.
"""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import Boolean, CheckConstraint, Date, DateTime, ForeignKey, Index, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from central.db import Base, BigId

OPEN = "open"
CLOSED = "closed"


class FollowUpRow(Base):
    """One low rating's follow-up: its deadline, the rectification, the call-back, its state."""

    __tablename__ = "rating_followups"

    id: Mapped[int] = mapped_column(BigId, primary_key=True, autoincrement=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("cases.id"), unique=True)
    level: Mapped[str] = mapped_column(String(32))  # the rating that opened it
    opened_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    due_on: Mapped[date] = mapped_column(Date)  # the last working day to close it on
    status: Mapped[str] = mapped_column(String(16))
    rectification: Mapped[str] = mapped_column(Text, default="")  # 整改: what was done
    rectified_by: Mapped[str | None] = mapped_column(String(64), nullable=True)
    rectified_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True), nullable=True)
    called_back_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True), nullable=True)
    callback_outcome: Mapped[str] = mapped_column(Text, default="")  # 回访: what came of it
    resident_satisfied: Mapped[bool | None] = mapped_column(Boolean, nullable=True)
    called_back_by: Mapped[str | None] = mapped_column(String(64), nullable=True)
    closed_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True), nullable=True)
    closed_by: Mapped[str | None] = mapped_column(String(64), nullable=True)

    __table_args__ = (
        CheckConstraint(f"status IN ('{OPEN}', '{CLOSED}')", name="ck_rating_followups_status"),
        Index("ix_rating_followups_status_due_on", "status", "due_on"),
    )
