"""Case pages: the document camera's pages of a case (高拍仪, ``central.case_page_rows``).

Revision ID: 0014
Revises: 0013
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0014"
down_revision = "0013"
branch_labels = None
depends_on = None

BigId = sa.BigInteger().with_variant(sa.Integer(), "sqlite")
When = sa.DateTime(timezone=True)


def upgrade() -> None:
    op.create_table(
        "case_pages",
        sa.Column("id", BigId, primary_key=True, autoincrement=True),
        sa.Column("case_id", BigId, sa.ForeignKey("cases.id", ondelete="CASCADE"), nullable=False),
        sa.Column("number", sa.Integer(), nullable=False),
        sa.Column("material", sa.String(64), nullable=False),
        sa.Column("size", sa.Integer(), nullable=False),
        sa.Column("body_sha256", sa.String(64), nullable=False),
        sa.Column("jpeg", sa.Text(), nullable=False),
        sa.Column("received_at", When, nullable=False),
        sa.UniqueConstraint("case_id", "number", name="uq_case_pages_case_number"),
        sa.CheckConstraint("number >= 1", name="ck_case_pages_number"),
    )


def downgrade() -> None:
    op.drop_table("case_pages")
