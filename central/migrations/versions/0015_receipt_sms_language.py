"""The language a receipt SMS is written in: the one the resident used the kiosk in
(``contract.receipt_sms.ReceiptSmsRequest.language``); requests kept before it are in zh-Hans.

Revision ID: 0015
Revises: 0014
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0015"
down_revision = "0014"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column("receipt_sms", sa.Column("language", sa.String(8), nullable=False, server_default="zh-Hans"))


def downgrade() -> None:
    with op.batch_alter_table("receipt_sms") as batch:  # SQLite drops a column by copying the table
        batch.drop_column("language")
