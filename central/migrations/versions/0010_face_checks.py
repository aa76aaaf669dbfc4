"""Face checks (人证比对): a case's face capture and card photo, kept only until decided
(``central.face_check_rows``).

Revision ID: 0010
Revises: 0009
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0010"
down_revision = "0009"
branch_labels = None
depends_on = None

BigId = sa.BigInteger().with_variant(sa.Integer(), "sqlite")
When = sa.DateTime(timezone=True)


def upgrade() -> None:
    op.create_table(
        "face_checks",
        sa.Column("id", BigId, primary_key=True, autoincrement=True),
        sa.Column("case_id", BigId, sa.ForeignKey("cases.id"), nullable=False, unique=True),
        sa.Column("terminal_id", sa.String(64), nullable=False),
        sa.Column("verdict", sa.String(16), nullable=False),
        sa.Column("verifier", sa.String(32), nullable=False),
        sa.Column("capture", sa.Text(), nullable=True),
        sa.Column("card_photo", sa.Text(), nullable=True),
        sa.Column("received_at", When, nullable=False),
        sa.Column("decided_at", When, nullable=True),
        sa.Column("decided_by", sa.String(64), nullable=True),
        sa.CheckConstraint("verdict IN ('pending', 'match', 'no_match')", name="ck_face_checks_verdict"),
        sa.CheckConstraint("verdict = 'pending' OR (capture IS NULL AND card_photo IS NULL)",
                           name="ck_face_checks_erased_once_decided"),
    )
    op.create_index("ix_face_checks_verdict_received", "face_checks", ["verdict", "received_at"])


def downgrade() -> None:
    op.drop_index("ix_face_checks_verdict_received", table_name="face_checks")
    op.drop_table("face_checks")
