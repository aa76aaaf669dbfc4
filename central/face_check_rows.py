"""The face checks' table (migration 0010): one row per case that came with a face capture.

The two images are kept sealed (``central.crypto``, bound to the case and to which picture
it is) only while the check is pending; a CHECK constraint makes a decided row without them,
so no retention beyond the check is possible even by mistake. What stays is who (or which
verifier) decided what, and when.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import CheckConstraint, DateTime, ForeignKey, Index, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from central.db import Base, BigId

When = DateTime(timezone=True)
VERDICTS = ("pending", "match", "no_match")


class FaceCheckRow(Base):
    __tablename__ = "face_checks"

    id: Mapped[int] = mapped_column(BigId, primary_key=True, autoincrement=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("cases.id"), unique=True)
    terminal_id: Mapped[str] = mapped_column(String(64))
    verdict: Mapped[str] = mapped_column(String(16))
    verifier: Mapped[str] = mapped_column(String(32))
    capture: Mapped[str | None] = mapped_column(Text, nullable=True)  # sealed base64 JPEG
    card_photo: Mapped[str | None] = mapped_column(Text, nullable=True)  # sealed base64 image
    received_at: Mapped[datetime] = mapped_column(When)
    decided_at: Mapped[datetime | None] = mapped_column(When, nullable=True)
    decided_by: Mapped[str | None] = mapped_column(String(64), nullable=True)

    __table_args__ = (
        CheckConstraint("verdict IN ('pending', 'match', 'no_match')", name="ck_face_checks_verdict"),
        CheckConstraint("verdict = 'pending' OR (capture IS NULL AND card_photo IS NULL)",
                        name="ck_face_checks_erased_once_decided"),
        Index("ix_face_checks_verdict_received", "verdict", "received_at"),
    )
