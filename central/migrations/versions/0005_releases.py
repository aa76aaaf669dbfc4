"""Signed update releases and their staged rollouts (``central.release_rows``).

Revision ID: 0005
Revises: 0004
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None

BigId = sa.BigInteger().with_variant(sa.Integer(), "sqlite")
When = sa.DateTime(timezone=True)


def upgrade() -> None:
    op.create_table(
        "releases",
        sa.Column("version", sa.String(32), primary_key=True),
        sa.Column("sha256", sa.String(64), nullable=False),
        sa.Column("size", sa.BigInteger(), nullable=False),
        sa.Column("uploaded_at", When, nullable=False),
        sa.Column("uploaded_by", sa.String(64), nullable=False),
    )
    op.create_table(
        "rollouts",
        sa.Column("id", BigId, primary_key=True, autoincrement=True),
        sa.Column("version", sa.String(32), sa.ForeignKey("releases.version"), nullable=False),
        sa.Column("scope", sa.String(16), nullable=False),
        sa.Column("targets", sa.Text(), nullable=False),
        sa.Column("status", sa.String(16), nullable=False),
        sa.Column("started_at", When, nullable=False),
        sa.Column("started_by", sa.String(64), nullable=False),
        sa.Column("changed_at", When, nullable=False),
        sa.Column("changed_by", sa.String(64), nullable=False),
        sa.CheckConstraint("scope IN ('kiosks', 'site', 'all')", name="ck_rollouts_scope"),
        sa.CheckConstraint("status IN ('active', 'paused', 'stopped')", name="ck_rollouts_status"),
    )
    op.create_index("ix_rollouts_status", "rollouts", ["status"])


def downgrade() -> None:
    op.drop_index("ix_rollouts_status", "rollouts")
    op.drop_table("rollouts")
    op.drop_table("releases")
