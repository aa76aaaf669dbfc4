"""Help call-backs (回电请求): a resident's sealed phone until staff have called and the
retention period passed (``central.callback_rows``).

Revision ID: 0012
Revises: 0011
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0012"
down_revision = "0011"
branch_labels = None
depends_on = None

BigId = sa.BigInteger().with_variant(sa.Integer(), "sqlite")
When = sa.DateTime(timezone=True)


def upgrade() -> None:
    op.create_table(
        "callbacks",
        sa.Column("id", BigId, primary_key=True, autoincrement=True),
        sa.Column("idempotency_key", sa.String(64), nullable=False, unique=True),
        sa.Column("site_id", sa.String(64), nullable=False),
        sa.Column("site_name", sa.String(100), nullable=False),
        sa.Column("terminal_id", sa.String(64), nullable=False),
        sa.Column("phone", sa.Text(), nullable=False),
        sa.Column("masked_phone", sa.String(16), nullable=False),
        sa.Column("status", sa.String(8), nullable=False),
        sa.Column("requested_at", When, nullable=False),
        sa.Column("received_at", When, nullable=False),
        sa.Column("done_at", When, nullable=True),
        sa.Column("done_by", sa.String(64), nullable=True),
        sa.CheckConstraint("status IN ('open', 'done')", name="ck_callbacks_status"),
    )
    op.create_index("ix_callbacks_status_received", "callbacks", ["status", "received_at"])


def downgrade() -> None:
    op.drop_index("ix_callbacks_status_received", table_name="callbacks")
    op.drop_table("callbacks")
