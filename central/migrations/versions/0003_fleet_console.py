"""The fleet console: heartbeat and device history, the kiosks' audit logs, remote commands,
alerts and uploads (``central.fleet_rows``), and the fleet view's new fields on ``kiosks``.

Revision ID: 0003
Revises: 0002
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None

BigId = sa.BigInteger().with_variant(sa.Integer(), "sqlite")
When = sa.DateTime(timezone=True)
OPEN_COMMANDS = sa.text("status IN ('pending', 'sent')")
OPEN_ALERTS = sa.text("cleared_at IS NULL")


def upgrade() -> None:
    with op.batch_alter_table("kiosks") as batch:
        batch.add_column(sa.Column("faults", sa.Text(), nullable=False, server_default="{}"))
        batch.add_column(sa.Column("in_service", sa.Boolean(), nullable=False,
                                   server_default=sa.true()))
        batch.add_column(sa.Column("service_reason", sa.String(200), nullable=False,
                                   server_default=""))
        batch.add_column(sa.Column("paper_left_estimate", sa.Integer(), nullable=True))
        batch.add_column(sa.Column("degraded", sa.Boolean(), nullable=False,
                                   server_default=sa.false()))
        batch.add_column(sa.Column("sampled_at", When, nullable=True))
    # The model has no server defaults: every write gives each value.
    with op.batch_alter_table("kiosks") as batch:
        for name in ("faults", "in_service", "service_reason", "degraded"):
            batch.alter_column(name, server_default=None)
    op.create_index("ix_kiosks_fleet", "kiosks",
                    ["site_id", "received_at", "degraded", "terminal_id"])
    op.create_index("ix_kiosks_received_at", "kiosks", ["received_at"])
    op.create_index("ix_kiosks_degraded", "kiosks", ["received_at"],
                    postgresql_where=sa.text("degraded"), sqlite_where=sa.text("degraded"))

    op.create_table(
        "kiosk_beats",
        sa.Column("id", BigId, primary_key=True, autoincrement=True),
        sa.Column("terminal_id", sa.String(64), nullable=False),
        sa.Column("at", When, nullable=False),
        sa.Column("degraded", sa.Boolean(), nullable=False),
        sa.Column("in_service", sa.Boolean(), nullable=False),
        sa.Column("paper", sa.String(16), nullable=False),
        sa.Column("outbox_depth", sa.Integer(), nullable=False),
        sa.Column("oldest_unsent_age_s", sa.Float(), nullable=True),
        sa.Column("devices", sa.Text(), nullable=False),
    )
    op.create_index("ix_kiosk_beats_terminal_at", "kiosk_beats", ["terminal_id", "at"])
    op.create_index("ix_kiosk_beats_at", "kiosk_beats", ["at"])

    op.create_table(
        "kiosk_device_events",
        sa.Column("id", BigId, primary_key=True, autoincrement=True),
        sa.Column("terminal_id", sa.String(64), nullable=False),
        sa.Column("at", When, nullable=False),
        sa.Column("device", sa.String(64), nullable=False),
        sa.Column("status", sa.String(16), nullable=False),
        sa.Column("fault_code", sa.String(64), nullable=False),
        sa.Column("fault_message", sa.String(200), nullable=False),
    )
    op.create_index("ix_kiosk_device_events_terminal_at", "kiosk_device_events",
                    ["terminal_id", "at"])

    op.create_table(
        "kiosk_counters",
        sa.Column("terminal_id", sa.String(64), primary_key=True),
        sa.Column("day", sa.String(8), primary_key=True),
        sa.Column("site_id", sa.String(64), nullable=False),
        sa.Column("sessions_started", sa.Integer(), nullable=False),
        sa.Column("prints", sa.Integer(), nullable=False),
        sa.Column("read_failures", sa.Integer(), nullable=False),
        sa.Column("cases_by_item", sa.Text(), nullable=False),
        sa.Column("ratings", sa.Text(), nullable=False),
        sa.Column("updated_at", When, nullable=False),
    )
    op.create_index("ix_kiosk_counters_day_site", "kiosk_counters", ["day", "site_id"])

    op.create_table(
        "kiosk_audit",
        sa.Column("id", BigId, primary_key=True, autoincrement=True),
        sa.Column("terminal_id", sa.String(64), nullable=False),
        sa.Column("seq", sa.BigInteger(), nullable=False),
        sa.Column("at", When, nullable=False),
        sa.Column("actor", sa.String(64), nullable=False),
        sa.Column("action", sa.String(64), nullable=False),
        sa.Column("outcome", sa.String(32), nullable=False),
        sa.Column("detail", sa.String(200), nullable=False),
        sa.Column("received_at", When, nullable=False),
        sa.UniqueConstraint("terminal_id", "seq", name="uq_kiosk_audit_terminal_seq"),
    )

    op.create_table(
        "remote_commands",
        sa.Column("id", BigId, primary_key=True, autoincrement=True),
        sa.Column("terminal_id", sa.String(64), nullable=False),
        sa.Column("kind", sa.String(32), nullable=False),
        sa.Column("reason", sa.String(200), nullable=False),
        sa.Column("issued_at", When, nullable=False),
        sa.Column("issued_by", sa.String(64), nullable=False),
        sa.Column("status", sa.String(16), nullable=False),
        sa.Column("offered_at", When, nullable=True),
        sa.Column("detail", sa.String(200), nullable=False),
        sa.Column("finished_at", When, nullable=True),
        sa.CheckConstraint("status IN ('pending', 'sent', 'done', 'failed', 'refused')",
                           name="ck_remote_commands_status"),
    )
    op.create_index("ix_remote_commands_terminal_id", "remote_commands", ["terminal_id", "id"])
    op.create_index("ix_remote_commands_open", "remote_commands", ["status"],
                    postgresql_where=OPEN_COMMANDS, sqlite_where=OPEN_COMMANDS)

    op.create_table(
        "kiosk_uploads",
        sa.Column("command_id", BigId, sa.ForeignKey("remote_commands.id"), primary_key=True),
        sa.Column("terminal_id", sa.String(64), nullable=False),
        sa.Column("media_type", sa.String(64), nullable=False),
        sa.Column("size", sa.Integer(), nullable=False),
        sa.Column("body", sa.LargeBinary(), nullable=False),
        sa.Column("received_at", When, nullable=False),
    )
    op.create_index("ix_kiosk_uploads_terminal_received", "kiosk_uploads",
                    ["terminal_id", "received_at"])

    op.create_table(
        "fleet_alerts",
        sa.Column("id", BigId, primary_key=True, autoincrement=True),
        sa.Column("kind", sa.String(32), nullable=False),
        sa.Column("terminal_id", sa.String(64), nullable=False),
        sa.Column("site_id", sa.String(64), nullable=False),
        sa.Column("detail", sa.String(200), nullable=False),
        sa.Column("opened_at", When, nullable=False),
        sa.Column("cleared_at", When, nullable=True),
        sa.Column("notified_at", When, nullable=True),
        sa.Column("notify_attempts", sa.Integer(), nullable=False),
        sa.Column("notify_error", sa.String(200), nullable=False),
        sa.CheckConstraint("kind IN ('kiosk_red', 'case_unsent')", name="ck_fleet_alerts_kind"),
    )
    op.create_index("uq_fleet_alerts_open", "fleet_alerts", ["kind", "terminal_id"], unique=True,
                    postgresql_where=OPEN_ALERTS, sqlite_where=OPEN_ALERTS)
    op.create_index("ix_fleet_alerts_opened_at", "fleet_alerts", ["opened_at"])

    op.create_table(
        "console_audit",
        sa.Column("id", BigId, primary_key=True, autoincrement=True),
        sa.Column("at", When, nullable=False),
        sa.Column("actor", sa.String(64), nullable=False),
        sa.Column("role", sa.String(16), nullable=False),
        sa.Column("action", sa.String(64), nullable=False),
        sa.Column("terminal_id", sa.String(64), nullable=False),
        sa.Column("detail", sa.String(200), nullable=False),
    )
    op.create_index("ix_console_audit_terminal_at", "console_audit", ["terminal_id", "at"])


def downgrade() -> None:
    op.drop_index("ix_console_audit_terminal_at", "console_audit")
    op.drop_table("console_audit")
    op.drop_index("ix_fleet_alerts_opened_at", "fleet_alerts")
    op.drop_index("uq_fleet_alerts_open", "fleet_alerts")
    op.drop_table("fleet_alerts")
    op.drop_index("ix_kiosk_uploads_terminal_received", "kiosk_uploads")
    op.drop_table("kiosk_uploads")
    op.drop_index("ix_remote_commands_open", "remote_commands")
    op.drop_index("ix_remote_commands_terminal_id", "remote_commands")
    op.drop_table("remote_commands")
    op.drop_table("kiosk_audit")
    op.drop_index("ix_kiosk_counters_day_site", "kiosk_counters")
    op.drop_table("kiosk_counters")
    op.drop_index("ix_kiosk_device_events_terminal_at", "kiosk_device_events")
    op.drop_table("kiosk_device_events")
    op.drop_index("ix_kiosk_beats_at", "kiosk_beats")
    op.drop_index("ix_kiosk_beats_terminal_at", "kiosk_beats")
    op.drop_table("kiosk_beats")
    op.drop_index("ix_kiosks_degraded", "kiosks")
    op.drop_index("ix_kiosks_received_at", "kiosks")
    op.drop_index("ix_kiosks_fleet", "kiosks")
    with op.batch_alter_table("kiosks") as batch:
        for name in ("sampled_at", "degraded", "paper_left_estimate", "service_reason",
                     "in_service", "faults"):
            batch.drop_column(name)
