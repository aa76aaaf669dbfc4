"""The call-back table (migration 0012): residents who asked to be called back (``central.callbacks``).

One row per request, unique on the kiosk's idempotency key. The phone is sealed like a case's
payload (``central.crypto``), bound to the row's key; only its masked form (138****5678) is kept
readable for the list. ``status`` is ``open`` until a member of staff marks it ``done``; a done
row is deleted once the retention period has passed (``central.callbacks.purge``).
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import CheckConstraint, DateTime, Index, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from central.db import Base, BigId

When = DateTime(timezone=True)


class CallbackRow(Base):
    """One call-back request; ``phone`` is sealed (``enc1:...``)."""

    __tablename__ = "callbacks"

    id: Mapped[int] = mapped_column(BigId, primary_key=True, autoincrement=True)
    idempotency_key: Mapped[str] = mapped_column(String(64), unique=True)
    site_id: Mapped[str] = mapped_column(String(64))
    site_name: Mapped[str] = mapped_column(String(100))
    terminal_id: Mapped[str] = mapped_column(String(64))
    phone: Mapped[str] = mapped_column(Text)
    masked_phone: Mapped[str] = mapped_column(String(16))
    status: Mapped[str] = mapped_column(String(8), default="open")
    requested_at: Mapped[datetime] = mapped_column(When)  # by the kiosk's clock
    received_at: Mapped[datetime] = mapped_column(When)
    done_at: Mapped[datetime | None] = mapped_column(When, nullable=True)
    done_by: Mapped[str | None] = mapped_column(String(64), nullable=True)

    __table_args__ = (
        CheckConstraint("status IN ('open', 'done')", name="ck_callbacks_status"),
        Index("ix_callbacks_status_received", "status", "received_at"),
    )
