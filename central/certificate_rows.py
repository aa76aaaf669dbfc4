"""The certificates table (migration 0007): one row per certificate the centre issued.

It holds what verification shows and nothing more: the code, the item, the case number, when
it was issued and until when it is valid, the SHA-256 of the PDF that was handed out, and the
holder's masked name (张*丰). Never an ID number or a full name.
"""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import Date, DateTime, Index, String
from sqlalchemy.orm import Mapped, mapped_column

from central.db import Base


class CertificateRow(Base):
    """One issued certificate, found by the code its QR carries."""

    __tablename__ = "certificates"

    code: Mapped[str] = mapped_column(String(32), primary_key=True)
    item_id: Mapped[str] = mapped_column(String(64))
    case_number: Mapped[str] = mapped_column(String(32))
    issued_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    valid_until: Mapped[date] = mapped_column(Date)
    pdf_sha256: Mapped[str] = mapped_column(String(64))
    masked_name: Mapped[str] = mapped_column(String(64))

    __table_args__ = (Index("ix_certificates_case_number", "case_number"),)
