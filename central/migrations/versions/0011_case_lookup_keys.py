"""Keyed hashes to find a resident's cases by ID card or by case number and phone digits
(``central.case_keys``); null on cases stored before, which stay found by receipt QR only.

Revision ID: 0011
Revises: 0010
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0011"
down_revision = "0010"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("cases") as batch:
        batch.add_column(sa.Column("applicant_key", sa.String(64), nullable=True))
        batch.add_column(sa.Column("phone_tail_key", sa.String(64), nullable=True))
        batch.create_index("ix_cases_applicant_key_received", ["applicant_key", "received_at"])


def downgrade() -> None:
    with op.batch_alter_table("cases") as batch:
        batch.drop_index("ix_cases_applicant_key_received")
        batch.drop_column("phone_tail_key")
        batch.drop_column("applicant_key")
