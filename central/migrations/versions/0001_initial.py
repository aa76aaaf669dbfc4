"""Cases, their history, ratings and the kiosks' last heartbeats.

Revision ID: 0001
Revises:
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None

BigId = sa.BigInteger().with_variant(sa.Integer(), "sqlite")
When = sa.DateTime(timezone=True)


def upgrade() -> None:
    op.create_table(
        "cases",
        sa.Column("id", BigId, primary_key=True, autoincrement=True),
        sa.Column("case_number", sa.String(32), nullable=False, unique=True),
        sa.Column("idempotency_key", sa.String(64), nullable=False, unique=True),
        sa.Column("body_sha256", sa.String(64), nullable=False),
        sa.Column("kiosk_id", sa.String(64), nullable=False),
        sa.Column("site_id", sa.String(64), nullable=False),
        sa.Column("terminal_id", sa.String(64), nullable=False),
        sa.Column("item_id", sa.String(64), nullable=False),
        sa.Column("payload", sa.Text(), nullable=False),
        sa.Column("status", sa.String(32), nullable=False),
        sa.Column("note", sa.Text(), nullable=False),
        sa.Column("claimed_by", sa.String(64), nullable=True),
        sa.Column("received_at", When, nullable=False),
        sa.Column("updated_at", When, nullable=False),
    )
    op.create_index("ix_cases_status_id", "cases", ["status", "id"])
    op.create_table(
        "case_events",
        sa.Column("id", BigId, primary_key=True, autoincrement=True),
        sa.Column("case_id", BigId, sa.ForeignKey("cases.id"), nullable=False),
        sa.Column("at", When, nullable=False),
        sa.Column("status", sa.String(32), nullable=False),
        sa.Column("actor", sa.String(64), nullable=False),
        sa.Column("note", sa.Text(), nullable=False),
    )
    op.create_index("ix_case_events_case_id", "case_events", ["case_id"])
    op.create_table(
        "ratings",
        sa.Column("case_id", BigId, sa.ForeignKey("cases.id"), primary_key=True),
        sa.Column("level", sa.String(32), nullable=False),
        sa.Column("reasons", sa.Text(), nullable=False),
        sa.Column("comment", sa.Text(), nullable=False),
        sa.Column("kiosk_id", sa.String(64), nullable=False),
        sa.Column("rated_at", When, nullable=False),
    )
    op.create_table(
        "kiosks",
        sa.Column("terminal_id", sa.String(64), primary_key=True),
        sa.Column("site_id", sa.String(64), nullable=False),
        sa.Column("received_at", When, nullable=False),
        sa.Column("software_version", sa.String(64), nullable=False),
        sa.Column("catalog_version", sa.String(64), nullable=False),
        sa.Column("outbox_depth", sa.Integer(), nullable=False),
        sa.Column("oldest_unsent_age_s", sa.Float(), nullable=True),
        sa.Column("paper", sa.String(16), nullable=False),
        sa.Column("devices", sa.Text(), nullable=False),
    )


def downgrade() -> None:
    op.drop_table("kiosks")
    op.drop_table("ratings")
    op.drop_index("ix_case_events_case_id", "case_events")
    op.drop_table("case_events")
    op.drop_index("ix_cases_status_id", "cases")
    op.drop_table("cases")
