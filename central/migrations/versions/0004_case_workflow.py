"""The case workflow's details (what is missing, a rejection's reason, the delivery) and the
follow-ups of low ratings (好差评整改回访).

Revision ID: 0004
Revises: 0003
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None

BigId = sa.BigInteger().with_variant(sa.Integer(), "sqlite")
When = sa.DateTime(timezone=True)


def upgrade() -> None:
    with op.batch_alter_table("case_events") as batch:
        batch.add_column(sa.Column("details", sa.Text(), nullable=True))
    op.create_table(
        "rating_followups",
        sa.Column("id", BigId, primary_key=True, autoincrement=True),
        sa.Column("case_id", BigId, sa.ForeignKey("cases.id"), nullable=False, unique=True),
        sa.Column("level", sa.String(32), nullable=False),
        sa.Column("opened_at", When, nullable=False),
        sa.Column("due_on", sa.Date(), nullable=False),
        sa.Column("status", sa.String(16), nullable=False),
        sa.Column("rectification", sa.Text(), nullable=False),
        sa.Column("rectified_by", sa.String(64), nullable=True),
        sa.Column("rectified_at", When, nullable=True),
        sa.Column("called_back_at", When, nullable=True),
        sa.Column("callback_outcome", sa.Text(), nullable=False),
        sa.Column("resident_satisfied", sa.Boolean(), nullable=True),
        sa.Column("called_back_by", sa.String(64), nullable=True),
        sa.Column("closed_at", When, nullable=True),
        sa.Column("closed_by", sa.String(64), nullable=True),
        sa.CheckConstraint("status IN ('open', 'closed')", name="ck_rating_followups_status"),
    )
    op.create_index("ix_rating_followups_status_due_on", "rating_followups",
                    ["status", "due_on"])


def downgrade() -> None:
    op.drop_index("ix_rating_followups_status_due_on", "rating_followups")
    op.drop_table("rating_followups")
    with op.batch_alter_table("case_events") as batch:
        batch.drop_column("details")
