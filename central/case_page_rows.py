"""The case pages' table (migration 0014): the document camera's pages (高拍仪) of a case.

One row per page of a case, its number counting from 1 (``contract.captured_pages``). The
JPEG is sealed like a case's payload (``central.crypto``, bound to the case and to the page's
number), and ``body_sha256`` (of the material's name and the picture, as ``cases.body_sha256``
is of the submission) tells a page sent again from another picture under the same number
without opening it. A page belongs to its case's data: deleting the case row deletes its
pages (``ON DELETE CASCADE``).
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import CheckConstraint, DateTime, ForeignKey, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from central.db import Base, BigId

When = DateTime(timezone=True)


class CasePageRow(Base):
    __tablename__ = "case_pages"

    id: Mapped[int] = mapped_column(BigId, primary_key=True, autoincrement=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("cases.id", ondelete="CASCADE"))
    number: Mapped[int] = mapped_column(Integer)
    material: Mapped[str] = mapped_column(String(64))  # the guide's name of the material
    size: Mapped[int] = mapped_column(Integer)  # bytes of the JPEG
    body_sha256: Mapped[str] = mapped_column(String(64))
    jpeg: Mapped[str] = mapped_column(Text)  # sealed base64 JPEG
    received_at: Mapped[datetime] = mapped_column(When)

    __table_args__ = (
        UniqueConstraint("case_id", "number", name="uq_case_pages_case_number"),
        CheckConstraint("number >= 1", name="ck_case_pages_number"),
    )
