"""What a kiosk sends in answer to a ``screenshot`` or ``upload_logs`` command: a PNG of its
screen, or its redacted logs (gzip'd JSON lines), at most ``UPLOAD_MAX_BYTES``.

Only the kiosk the command was for may answer it, only with the command's media type, and
the body must be what it claims (a PNG's signature, gzip's magic). Sending again replaces
the earlier body. ``prune`` drops uploads older than ``KEEP_DAYS``.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import Engine, delete, select
from sqlalchemy.orm import Session

from central.db import as_utc, utcnow
from central.fleet_rows import RemoteCommandRow, UploadRow
from contract.fleet import UPLOAD_MAX_BYTES, UPLOAD_MEDIA_TYPES

KEEP_DAYS = 30
MAGIC = {"image/png": b"\x89PNG\r\n\x1a\n", "application/gzip": b"\x1f\x8b"}


class UploadRefused(Exception):
    """The upload cannot be kept: ``status`` is the HTTP answer, ``why`` says it plainly."""

    def __init__(self, status: int, why: str) -> None:
        super().__init__(why)
        self.status, self.why = status, why


@dataclass(frozen=True)
class Upload:
    command_id: int
    terminal_id: str
    media_type: str
    size: int
    received_at: datetime


def check(engine: Engine, terminal_id: str, command_id: int, media_type: str) -> None:
    """Refuse, before the body is read, an upload for a command that is not this kiosk's
    screenshot or log command, or of the wrong media type."""
    with Session(engine.execution_options(readonly=True)) as session:
        kind = session.scalar(select(RemoteCommandRow.kind).where(
            RemoteCommandRow.id == command_id, RemoteCommandRow.terminal_id == terminal_id))
    if kind is None:  # another kiosk's command answers exactly like no command
        raise UploadRefused(404, f"no command {command_id} for this kiosk")
    expected = UPLOAD_MEDIA_TYPES.get(kind)
    if expected is None:
        raise UploadRefused(409, f"command {command_id} ({kind}) takes no upload")
    if media_type.split(";")[0].strip().lower() != expected:
        raise UploadRefused(415, f"command {command_id} ({kind}) takes {expected}")


def store(engine: Engine, terminal_id: str, command_id: int, media_type: str, body: bytes
          ) -> Upload:
    """Keep ``body`` as the answer to ``command_id`` (``check`` first)."""
    check(engine, terminal_id, command_id, media_type)
    media_type = media_type.split(";")[0].strip().lower()
    if len(body) > UPLOAD_MAX_BYTES:
        raise UploadRefused(413, f"an upload may be at most {UPLOAD_MAX_BYTES} bytes")
    if not body.startswith(MAGIC[media_type]):
        raise UploadRefused(422, f"the body is not {media_type}")
    now = utcnow()
    with Session(engine) as session, session.begin():
        row = session.get(UploadRow, command_id)
        if row is None:
            session.add(UploadRow(command_id=command_id, terminal_id=terminal_id,
                                  media_type=media_type, size=len(body), body=body,
                                  received_at=now))
        else:
            row.body, row.size, row.received_at = body, len(body), now
    return Upload(command_id, terminal_id, media_type, len(body), now)


def latest(engine: Engine, terminal_id: str, media_type: str = "image/png") -> Upload | None:
    """The kiosk's newest upload of ``media_type`` (without its body), or None."""
    with Session(engine.execution_options(readonly=True)) as session:
        row = session.execute(select(
            UploadRow.command_id, UploadRow.terminal_id, UploadRow.media_type, UploadRow.size,
            UploadRow.received_at,
        ).where(UploadRow.terminal_id == terminal_id, UploadRow.media_type == media_type)
            .order_by(UploadRow.received_at.desc()).limit(1)).first()
    if row is None:
        return None
    return Upload(row.command_id, row.terminal_id, row.media_type, row.size,
                  as_utc(row.received_at))


def command_ids(engine: Engine, terminal_id: str) -> set[int]:
    """The commands of ``terminal_id`` that have an upload."""
    with Session(engine.execution_options(readonly=True)) as session:
        return set(session.scalars(select(UploadRow.command_id).where(
            UploadRow.terminal_id == terminal_id)))


def body_of(engine: Engine, command_id: int) -> tuple[Upload, bytes] | None:
    """An upload and its body, or None."""
    with Session(engine.execution_options(readonly=True)) as session:
        row = session.get(UploadRow, command_id)
        if row is None:
            return None
        return (Upload(row.command_id, row.terminal_id, row.media_type, row.size,
                       as_utc(row.received_at)), row.body)


def prune(session: Session, now: datetime, keep_days: int = KEEP_DAYS) -> int:
    """Delete uploads older than ``keep_days``; return how many."""
    result = session.execute(delete(UploadRow).where(
        UploadRow.received_at < now - timedelta(days=keep_days)))
    return int(getattr(result, "rowcount", 0) or 0)
