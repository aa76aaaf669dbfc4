"""The centre's tables, its engine, and migrating a database to the current schema.

SQLite is the embedded default (one file, write-ahead log, every write transaction opened with
``BEGIN IMMEDIATE`` so writers queue on the busy timeout instead of failing half-way).
PostgreSQL is the engine for a fleet: several stateless service processes share one database,
and the schema is migrated by Alembic under an advisory lock so they may all start at once.

Personal data never reaches the log through SQLAlchemy: engines hide statement parameters
(``hide_parameters``) in errors and echo. A SQLite file and its ``-wal``/``-shm`` are mode 0600
(SQLite gives the side files the database file's mode), in a folder made 0700.

URLs: ``sqlite:///path/to/central.db``, ``postgresql://user@host:5432/dbname`` (the psycopg 3
driver is chosen when the URL names none).
"""

from __future__ import annotations

import os
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from sqlalchemy import (
    BigInteger,
    Boolean,
    DateTime,
    Engine,
    Float,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    create_engine,
    event,
    make_url,
    text,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

MIGRATIONS = Path(__file__).parent / "migrations"
_MIGRATION_LOCK_ID = 0x6B696F736B  # "kiosk": the advisory lock key migrations hold on PostgreSQL

# Integer primary keys: 64-bit on PostgreSQL, SQLite's ROWID alias on SQLite.
BigId = BigInteger().with_variant(Integer(), "sqlite")


class Base(DeclarativeBase):
    pass


class CaseRow(Base):
    """One case as the centre holds it; ``payload`` is the submission's JSON, encrypted
    (``central.crypto``: ``enc1:...``; rows stored before encryption hold it plain)."""

    __tablename__ = "cases"

    id: Mapped[int] = mapped_column(BigId, primary_key=True, autoincrement=True)
    case_number: Mapped[str] = mapped_column(String(32), unique=True)
    idempotency_key: Mapped[str] = mapped_column(String(64), unique=True)
    body_sha256: Mapped[str] = mapped_column(String(64))
    kiosk_id: Mapped[str] = mapped_column(String(64))
    site_id: Mapped[str] = mapped_column(String(64))
    terminal_id: Mapped[str] = mapped_column(String(64))
    item_id: Mapped[str] = mapped_column(String(64))
    payload: Mapped[str] = mapped_column(Text)
    status: Mapped[str] = mapped_column(String(32))
    note: Mapped[str] = mapped_column(Text, default="")
    claimed_by: Mapped[str | None] = mapped_column(String(64), nullable=True)
    received_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    updated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    # SHA-256 of the resident's anonymous lookup token (the token itself is never stored).
    lookup_token_sha256: Mapped[str | None] = mapped_column(String(64), nullable=True)
    # From the site's catalogue at intake (item -> department); null: supervisors only.
    department: Mapped[str | None] = mapped_column(String(64), nullable=True)
    claim_expires_at: Mapped[datetime | None] = mapped_column(
        DateTime(timezone=True), nullable=True
    )
    # A bundle (一件事): its catalogue id, and every case number submitted with this one,
    # space-separated (this one included); both null for a case applied for alone.
    bundle_id: Mapped[str | None] = mapped_column(String(64), nullable=True)
    bundle_cases: Mapped[str | None] = mapped_column(Text, nullable=True)
    # Keyed hashes a resident finds the case by (``central.case_keys``): of the ID, and of the
    # case number with the last digits of its mobile number; null on cases from before.
    applicant_key: Mapped[str | None] = mapped_column(String(64), nullable=True)
    phone_tail_key: Mapped[str | None] = mapped_column(String(64), nullable=True)

    __table_args__ = (
        Index("ix_cases_status_id", "status", "id"),
        Index("ix_cases_department_status_id", "department", "status", "id"),
        Index("ix_cases_applicant_key_received", "applicant_key", "received_at"),
    )


class CaseEventRow(Base):
    """One step in a case's history: received, claimed, accepted, ... with who and a note."""

    __tablename__ = "case_events"

    id: Mapped[int] = mapped_column(BigId, primary_key=True, autoincrement=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("cases.id"), index=True)
    at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    status: Mapped[str] = mapped_column(String(32))
    actor: Mapped[str] = mapped_column(String(64))
    note: Mapped[str] = mapped_column(Text, default="")
    # The move's details as JSON (``contract.wire.StepDetails``: what is missing, the reason,
    # the delivery); null for steps without any.
    details: Mapped[str | None] = mapped_column(Text, nullable=True)


class CaseReadRow(Base):
    """One read of a case's personal data: who (clerk and role), when, and what was read."""

    __tablename__ = "case_reads"

    id: Mapped[int] = mapped_column(BigId, primary_key=True, autoincrement=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("cases.id"), index=True)
    reader: Mapped[str] = mapped_column(String(64))
    role: Mapped[str] = mapped_column(String(16))
    at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    what: Mapped[str] = mapped_column(String(32))


class RatingRow(Base):
    """The one rating (好差评) a case may get."""

    __tablename__ = "ratings"

    case_id: Mapped[int] = mapped_column(ForeignKey("cases.id"), primary_key=True)
    level: Mapped[str] = mapped_column(String(32))
    reasons: Mapped[str] = mapped_column(Text)  # JSON list
    comment: Mapped[str] = mapped_column(Text, default="")
    kiosk_id: Mapped[str] = mapped_column(String(64))
    rated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))


class KioskRow(Base):
    """A kiosk's last heartbeat: one row per kiosk, overwritten every beat."""

    __tablename__ = "kiosks"

    terminal_id: Mapped[str] = mapped_column(String(64), primary_key=True)
    site_id: Mapped[str] = mapped_column(String(64))
    received_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    software_version: Mapped[str] = mapped_column(String(64))
    catalog_version: Mapped[str] = mapped_column(String(64), default="")
    outbox_depth: Mapped[int] = mapped_column(Integer)
    oldest_unsent_age_s: Mapped[float | None] = mapped_column(Float, nullable=True)
    paper: Mapped[str] = mapped_column(String(16))
    devices: Mapped[str] = mapped_column(Text)  # JSON object: device name -> status
    # Added with the fleet console (0003); see ``central.fleet`` and ``central.beat_history``.
    faults: Mapped[str] = mapped_column(Text, default="{}")  # device -> {code, message, since}
    in_service: Mapped[bool] = mapped_column(Boolean, default=True)
    service_reason: Mapped[str] = mapped_column(String(200), default="")
    paper_left_estimate: Mapped[int | None] = mapped_column(Integer, nullable=True)
    degraded: Mapped[bool] = mapped_column(Boolean, default=False)  # yellow unless silent
    sampled_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True), nullable=True)
    # The machine's health (0009, ``contract.machine_health``): None until a kiosk reports it.
    disk_free_bytes: Mapped[int | None] = mapped_column(BigInteger, nullable=True)
    disk_total_bytes: Mapped[int | None] = mapped_column(BigInteger, nullable=True)
    rss_bytes: Mapped[int | None] = mapped_column(BigInteger, nullable=True)
    memory_available_bytes: Mapped[int | None] = mapped_column(BigInteger, nullable=True)
    memory_total_bytes: Mapped[int | None] = mapped_column(BigInteger, nullable=True)
    load_1m: Mapped[float | None] = mapped_column(Float, nullable=True)
    load_5m: Mapped[float | None] = mapped_column(Float, nullable=True)
    load_15m: Mapped[float | None] = mapped_column(Float, nullable=True)
    temperature_c: Mapped[float | None] = mapped_column(Float, nullable=True)

    # The fleet page counts, filters and orders by these alone (an index-only scan), then
    # reads the page's rows by key; alerts find silent kiosks by ``received_at``.
    __table_args__ = (Index("ix_kiosks_fleet", "site_id", "received_at", "degraded", "terminal_id"),
                      Index("ix_kiosks_received_at", "received_at"),
                      Index("ix_kiosks_degraded", "received_at", postgresql_where=text("degraded"),
                            sqlite_where=text("degraded")))


def utcnow() -> datetime:
    return datetime.now(UTC)


def as_utc(value: datetime) -> datetime:
    """Return ``value`` as an aware UTC datetime (SQLite hands back naive ones)."""
    if value.tzinfo is None:
        return value.replace(tzinfo=UTC)
    return value.astimezone(UTC)


def normalise_url(database_url: str) -> str:
    """Pick the psycopg 3 driver for a bare ``postgresql://`` URL; leave others alone."""
    url = make_url(database_url)
    if url.drivername in ("postgresql", "postgres"):
        url = url.set(drivername="postgresql+psycopg")
    return url.render_as_string(hide_password=False)


def make_engine(database_url: str, *, pool_size: int = 10) -> Engine:
    """Create the engine for ``database_url``, tuned for the centre's short transactions."""
    url = make_url(normalise_url(database_url))
    if url.get_backend_name() == "sqlite":
        if url.database in (None, "", ":memory:"):
            raise ValueError("the centre needs a SQLite file, not an in-memory database")
        _private_file(Path(url.database))
        engine = create_engine(
            url,
            connect_args={"check_same_thread": False, "timeout": 30},
            pool_size=pool_size,
            max_overflow=pool_size,
            hide_parameters=True,
        )
        _sqlite_transactions(engine)
        return engine
    if url.get_backend_name() == "postgresql":
        return create_engine(
            url, pool_size=pool_size, max_overflow=pool_size, pool_pre_ping=True,
            hide_parameters=True,
        )
    raise ValueError(f"unsupported database URL {url.drivername!r}: use sqlite:// or postgresql://")


def _private_file(path: Path) -> None:
    """Create ``path`` (and its folder, 0700) as mode 0600 before SQLite opens it; an older,
    readable file and its ``-wal``/``-shm`` are made 0600 too."""
    path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
    fd = os.open(path, os.O_WRONLY | os.O_CREAT, 0o600)
    try:
        os.fchmod(fd, 0o600)
    finally:
        os.close(fd)
    for side in (path.with_name(path.name + "-wal"), path.with_name(path.name + "-shm")):
        try:
            os.chmod(side, 0o600)
        except FileNotFoundError:
            pass


def _sqlite_transactions(engine: Engine) -> None:
    """Let SQLAlchemy, not the sqlite3 module, open transactions: ``BEGIN IMMEDIATE``."""

    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection: Any, _record: Any) -> None:
        dbapi_connection.isolation_level = None  # no implicit BEGIN from the sqlite3 module
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA synchronous=FULL")
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute("PRAGMA busy_timeout=30000")
        cursor.close()

    @event.listens_for(engine, "begin")
    def _on_begin(conn: Any) -> None:
        # A read-only transaction needs no lock; every other one takes the write lock up front,
        # so it never has to upgrade a read snapshot (which fails at once with SQLITE_BUSY).
        if conn.get_execution_options().get("readonly"):
            conn.exec_driver_sql("BEGIN")
        else:
            conn.exec_driver_sql("BEGIN IMMEDIATE")


def migrate(engine: Engine) -> None:
    """Bring the database to the newest schema with Alembic (safe from several processes)."""
    from alembic import command
    from alembic.config import Config

    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    with engine.begin() as conn:
        if engine.dialect.name == "postgresql":
            conn.execute(text("SELECT pg_advisory_xact_lock(:k)"), {"k": _MIGRATION_LOCK_ID})
        config.attributes["connection"] = conn
        command.upgrade(config, "head")


# Tables kept in modules of their own register on ``Base`` here, so that every user of the
# metadata (migrations' checks, tests) sees the whole schema.
import central.case_page_rows  # noqa: E402,F401
import central.certificate_rows  # noqa: E402,F401
import central.face_check_rows  # noqa: E402,F401
from central import appointment_rows, fleet_rows, followup_rows, receipt_sms_rows, release_rows  # noqa: E402,F401
