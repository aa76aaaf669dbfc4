"""Alembic migrations build exactly the models' schema, and running them again is harmless."""

from __future__ import annotations

from datetime import UTC, datetime

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import inspect, text

from central.db import MIGRATIONS, Base, make_engine, migrate


def test_migrations_match_the_models_and_repeat_safely(database_url: str) -> None:
    engine = make_engine(database_url)
    try:
        migrate(engine)
        migrate(engine)
        with engine.connect() as conn:
            diff = compare_metadata(MigrationContext.configure(conn), Base.metadata)
            version = conn.exec_driver_sql("SELECT version_num FROM alembic_version").scalar()
    finally:
        engine.dispose()
    assert diff == []
    assert version == _head()


def _head() -> str | None:
    from alembic.config import Config
    from alembic.script import ScriptDirectory

    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    return ScriptDirectory.from_config(config).get_current_head()


def test_0009_adds_machine_health_to_the_kiosks_a_centre_already_knows(database_url: str) -> None:
    from alembic import command
    from alembic.config import Config

    engine = make_engine(database_url)
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    machine = ("disk_free_bytes", "disk_total_bytes", "rss_bytes", "memory_available_bytes",
               "memory_total_bytes", "load_1m", "load_5m", "load_15m", "temperature_c")
    try:
        with engine.begin() as conn:
            config.attributes["connection"] = conn
            command.upgrade(config, "0008")
            conn.execute(text(
                "INSERT INTO kiosks (terminal_id, site_id, received_at, software_version, catalog_version,"
                " outbox_depth, paper, devices, faults, in_service, service_reason, degraded)"
                " VALUES ('T001', 's', :at, '1.0', '', 0, 'ok', '{}', '{}', :yes, '', :no)"),
                {"at": datetime(2026, 12, 1, tzinfo=UTC), "yes": True, "no": False})
        migrate(engine)  # 0008 -> head, the kiosk kept
        with engine.connect() as conn:
            row = conn.execute(text(f"SELECT terminal_id, {', '.join(machine)} FROM kiosks")).one()
        assert tuple(row) == ("T001",) + (None,) * len(machine)
        with engine.begin() as conn:
            config.attributes["connection"] = conn
            command.downgrade(config, "0008")
            columns = {c["name"] for c in inspect(conn).get_columns("kiosks")}
        assert not columns & set(machine) and "terminal_id" in columns
    finally:
        engine.dispose()
