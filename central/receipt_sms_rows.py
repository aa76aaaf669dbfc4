"""The receipt-SMS table (migration 0013): kiosks' requests to text a receipt they could not
print (``central.receipt_sms``).

One row per case number, whoever asks and however often. ``lookup_link`` (the receipt QR's
text, with its lookup token) is sealed like a case's payload (``central.crypto``) and emptied
once the request is settled; the phone is never stored, only its masked form (138****5678),
read from the case when the SMS goes out. ``status`` is a ``contract.receipt_sms.ReceiptSmsStatus``.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import CheckConstraint, DateTime, Index, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from central.db import Base, BigId

When = DateTime(timezone=True)
STATUSES = ("waiting", "sending", "sent", "failed", "gave_up", "no_phone", "refused")


class ReceiptSmsRow(Base):
    """One receipt-SMS request; ``lookup_link`` is sealed (``enc1:...``), or "" once settled."""

    __tablename__ = "receipt_sms"

    id: Mapped[int] = mapped_column(BigId, primary_key=True, autoincrement=True)
    case_number: Mapped[str] = mapped_column(String(32), unique=True)
    terminal_id: Mapped[str] = mapped_column(String(64))  # the kiosk that asked
    phone_field: Mapped[str] = mapped_column(String(64))
    item_name: Mapped[str] = mapped_column(String(64))  # in the SMS's language
    language: Mapped[str] = mapped_column(String(8), server_default="zh-Hans")  # migration 0015
    lookup_link: Mapped[str] = mapped_column(Text)
    status: Mapped[str] = mapped_column(String(16))
    masked_phone: Mapped[str | None] = mapped_column(String(16), nullable=True)
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    last_error: Mapped[str | None] = mapped_column(String(120), nullable=True)
    requested_at: Mapped[datetime] = mapped_column(When)  # by the kiosk's clock
    received_at: Mapped[datetime] = mapped_column(When)
    attempted_at: Mapped[datetime | None] = mapped_column(When, nullable=True)  # the last try began
    next_attempt_at: Mapped[datetime | None] = mapped_column(When, nullable=True)  # a failed one's retry
    settled_at: Mapped[datetime | None] = mapped_column(When, nullable=True)  # sent, or given up on

    __table_args__ = (
        CheckConstraint(f"status IN ({', '.join(repr(s) for s in STATUSES)})", name="ck_receipt_sms_status"),
        Index("ix_receipt_sms_status_next", "status", "next_attempt_at"),
    )
