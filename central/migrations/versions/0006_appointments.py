"""Counter appointments: booked slots, day numbering and bookings (``central.appointment_rows``).

Revision ID: 0006
Revises: 0005
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None

BigId = sa.BigInteger().with_variant(sa.Integer(), "sqlite")
When = sa.DateTime(timezone=True)


def upgrade() -> None:
    op.create_table(
        "appointment_slots",
        sa.Column("site_id", sa.String(64), primary_key=True),
        sa.Column("slot_start", When, primary_key=True),
        sa.Column("booked", sa.Integer(), nullable=False),
    )
    op.create_table(
        "appointment_days",
        sa.Column("site_id", sa.String(64), primary_key=True),
        sa.Column("day", sa.String(8), primary_key=True),
        sa.Column("last_number", sa.Integer(), nullable=False),
    )
    op.create_table(
        "appointments",
        sa.Column("id", BigId, primary_key=True, autoincrement=True),
        sa.Column("appointment_number", sa.String(16), nullable=False),
        sa.Column("idempotency_key", sa.String(64), nullable=False, unique=True),
        sa.Column("body_sha256", sa.String(64), nullable=False),
        sa.Column("site_id", sa.String(64), nullable=False),
        sa.Column("terminal_id", sa.String(64), nullable=False),
        sa.Column("item_id", sa.String(64), nullable=False),
        sa.Column("slot_start", When, nullable=False),
        sa.Column("slot_end", When, nullable=False),
        sa.Column("place", sa.String(100), nullable=False),
        sa.Column("masked_name", sa.String(64), nullable=False),
        sa.Column("applicant", sa.Text(), nullable=False),
        sa.Column("booked_at", When, nullable=False),
        sa.UniqueConstraint("site_id", "appointment_number", name="uq_appointments_site_number"),
    )
    op.create_index("ix_appointments_site_slot", "appointments", ["site_id", "slot_start"])


def downgrade() -> None:
    op.drop_index("ix_appointments_site_slot", "appointments")
    op.drop_table("appointments")
    op.drop_table("appointment_days")
    op.drop_table("appointment_slots")
