"""Who may do what: a case's department and claim deadline, the lookup token's hash, and the
record of every read of a case's personal data.

Revision ID: 0002
Revises: 0001
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None

BigId = sa.BigInteger().with_variant(sa.Integer(), "sqlite")
When = sa.DateTime(timezone=True)


def upgrade() -> None:
    with op.batch_alter_table("cases") as batch:
        batch.add_column(sa.Column("lookup_token_sha256", sa.String(64), nullable=True))
        batch.add_column(sa.Column("department", sa.String(64), nullable=True))
        batch.add_column(sa.Column("claim_expires_at", When, nullable=True))
    op.create_index("ix_cases_department_status_id", "cases", ["department", "status", "id"])
    op.create_table(
        "case_reads",
        sa.Column("id", BigId, primary_key=True, autoincrement=True),
        sa.Column("case_id", BigId, sa.ForeignKey("cases.id"), nullable=False),
        sa.Column("reader", sa.String(64), nullable=False),
        sa.Column("role", sa.String(16), nullable=False),
        sa.Column("at", When, nullable=False),
        sa.Column("what", sa.String(32), nullable=False),
    )
    op.create_index("ix_case_reads_case_id", "case_reads", ["case_id"])


def downgrade() -> None:
    op.drop_index("ix_case_reads_case_id", "case_reads")
    op.drop_table("case_reads")
    op.drop_index("ix_cases_department_status_id", "cases")
    with op.batch_alter_table("cases") as batch:
        batch.drop_column("claim_expires_at")
        batch.drop_column("department")
        batch.drop_column("lookup_token_sha256")
