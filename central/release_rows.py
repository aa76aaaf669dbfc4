"""The update tables (migration 0005): the releases the centre holds and their rollouts.

- ``releases``: one signed bundle per version; the bytes live in the release folder
  (``central.releases``), the row says what they are and who uploaded them.
- ``rollouts``: a release offered to some kiosks: named ones (a pilot), a site, or all;
  ``active``, ``paused`` (offered to no one for now) or ``stopped`` (for good).
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import BigInteger, CheckConstraint, DateTime, ForeignKey, Index, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from central.db import Base, BigId

When = DateTime(timezone=True)
SCOPES = ("kiosks", "site", "all")
ROLLOUT_STATUSES = ("active", "paused", "stopped")


class ReleaseRow(Base):
    """A signed bundle the centre holds, checked against the release keys when uploaded."""

    __tablename__ = "releases"

    version: Mapped[str] = mapped_column(String(32), primary_key=True)
    sha256: Mapped[str] = mapped_column(String(64))
    size: Mapped[int] = mapped_column(BigInteger)
    uploaded_at: Mapped[datetime] = mapped_column(When)
    uploaded_by: Mapped[str] = mapped_column(String(64))


class RolloutRow(Base):
    """A release offered to named kiosks, a site or every kiosk."""

    __tablename__ = "rollouts"

    id: Mapped[int] = mapped_column(BigId, primary_key=True, autoincrement=True)
    version: Mapped[str] = mapped_column(String(32), ForeignKey("releases.version"))
    scope: Mapped[str] = mapped_column(String(16))
    targets: Mapped[str] = mapped_column(Text, default="")  # kiosks: ids, one per line; site: its id
    status: Mapped[str] = mapped_column(String(16))
    started_at: Mapped[datetime] = mapped_column(When)
    started_by: Mapped[str] = mapped_column(String(64))
    changed_at: Mapped[datetime] = mapped_column(When)
    changed_by: Mapped[str] = mapped_column(String(64))

    __table_args__ = (
        CheckConstraint(f"scope IN {SCOPES}", name="ck_rollouts_scope"),
        CheckConstraint(f"status IN {ROLLOUT_STATUSES}", name="ck_rollouts_status"),
        Index("ix_rollouts_status", "status"),
    )
