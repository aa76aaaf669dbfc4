"""Certificates printed at kiosks (即时打印), for their verification page
(``central.certificate_rows``).

Revision ID: 0007
Revises: 0006
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "certificates",
        sa.Column("code", sa.String(32), primary_key=True),
        sa.Column("item_id", sa.String(64), nullable=False),
        sa.Column("case_number", sa.String(32), nullable=False),
        sa.Column("issued_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("valid_until", sa.Date(), nullable=False),
        sa.Column("pdf_sha256", sa.String(64), nullable=False),
        sa.Column("masked_name", sa.String(64), nullable=False),
    )
    op.create_index("ix_certificates_case_number", "certificates", ["case_number"])


def downgrade() -> None:
    op.drop_index("ix_certificates_case_number", "certificates")
    op.drop_table("certificates")
