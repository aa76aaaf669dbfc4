"""A case's bundle (一件事): its catalogue id and the case numbers submitted with it, so the
console shows a bundle's cases linked.

Revision ID: 0008
Revises: 0007
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0008"
down_revision = "0007"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("cases") as batch:
        batch.add_column(sa.Column("bundle_id", sa.String(64), nullable=True))
        batch.add_column(sa.Column("bundle_cases", sa.Text(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("cases") as batch:
        batch.drop_column("bundle_cases")
        batch.drop_column("bundle_id")
