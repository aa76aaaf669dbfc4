"""The kiosk machine's health from its heartbeat (``contract.machine_health``): disk, memory,
load and temperature on ``kiosks``, None until a kiosk of this version beats.

Revision ID: 0009
Revises: 0008
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0009"
down_revision = "0008"
branch_labels = None
depends_on = None

BYTES = ("disk_free_bytes", "disk_total_bytes", "rss_bytes", "memory_available_bytes",
         "memory_total_bytes")
FIGURES = ("load_1m", "load_5m", "load_15m", "temperature_c")


def upgrade() -> None:
    with op.batch_alter_table("kiosks") as batch:
        for name in BYTES:
            batch.add_column(sa.Column(name, sa.BigInteger(), nullable=True))
        for name in FIGURES:
            batch.add_column(sa.Column(name, sa.Float(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("kiosks") as batch:
        for name in reversed(BYTES + FIGURES):
            batch.drop_column(name)
