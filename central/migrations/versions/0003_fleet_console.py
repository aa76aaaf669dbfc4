"""The fleet console: heartbeat and device history, the kiosks' audit logs, remote commands,
alerts and uploads.

Revision ID: 0003
Revises: 0002
"""

from __future__ import annotations

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    pass  # the tables are added with the fleet console


def downgrade() -> None:
    pass
