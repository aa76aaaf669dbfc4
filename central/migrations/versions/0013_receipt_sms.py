"""Receipts by SMS (短信回执): kiosks' requests to text a receipt they could not print
(``central.receipt_sms_rows``).

Revision ID: 0013
Revises: 0012
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0013"
down_revision = "0012"
branch_labels = None
depends_on = None

BigId = sa.BigInteger().with_variant(sa.Integer(), "sqlite")
When = sa.DateTime(timezone=True)
STATUSES = ("waiting", "sending", "sent", "failed", "gave_up", "no_phone", "refused")


def upgrade() -> None:
    op.create_table(
        "receipt_sms",
        sa.Column("id", BigId, primary_key=True, autoincrement=True),
        sa.Column("case_number", sa.String(32), nullable=False, unique=True),
        sa.Column("terminal_id", sa.String(64), nullable=False),
        sa.Column("phone_field", sa.String(64), nullable=False),
        sa.Column("item_name", sa.String(64), nullable=False),
        sa.Column("lookup_link", sa.Text(), nullable=False),
        sa.Column("status", sa.String(16), nullable=False),
        sa.Column("masked_phone", sa.String(16), nullable=True),
        sa.Column("attempts", sa.Integer(), nullable=False),
        sa.Column("last_error", sa.String(120), nullable=True),
        sa.Column("requested_at", When, nullable=False),
        sa.Column("received_at", When, nullable=False),
        sa.Column("attempted_at", When, nullable=True),
        sa.Column("next_attempt_at", When, nullable=True),
        sa.Column("settled_at", When, nullable=True),
        sa.CheckConstraint(f"status IN ({', '.join(repr(s) for s in STATUSES)})", name="ck_receipt_sms_status"),
    )
    op.create_index("ix_receipt_sms_status_next", "receipt_sms", ["status", "next_attempt_at"])


def downgrade() -> None:
    op.drop_index("ix_receipt_sms_status_next", table_name="receipt_sms")
    op.drop_table("receipt_sms")
