"""The wire between a kiosk and the centre's fleet view: what a beat reports beyond device
status (usage counters, device faults, service state), the remote commands a beat's reply
carries, and the kiosk's audit log. Nothing here carries personal data.

- A ``Heartbeat`` (``contract.wire``) carries ``counters`` (业务量统计, today's and
  yesterday's), ``faults`` (each failing device's last error in technician wording),
  ``service`` (in service, or out with the technician's reason), ``paper_left_estimate``
  (receipts) and ``command_results`` (what became of the commands it ran since the last beat).
- Its ``HeartbeatAck`` carries ``commands``: what a technician asked of this kiosk in the
  console, oldest first. The kiosk runs each once, between residents (never in the middle of
  a session), and reports it in a later beat's ``command_results``; a command the centre does
  not see reported is offered again in the next reply, so each runs at least once, and the
  kiosk remembers the ids it ran so that each runs at most once.
- ``POST /api/v1/terminals/self/audit`` with an ``AuditBatch`` → ``200 AuditAck``: the
  kiosk's audit entries (maintenance entry, each self-test, each change), in order; the centre
  keeps each ``(terminal, seq)`` once, so a batch sent twice is harmless.
- ``PUT /api/v1/terminals/self/uploads/{command_id}`` with a body of
  ``UPLOAD_MEDIA_TYPES`` (a PNG screenshot of the attract screen, or gzip'd JSON-lines logs,
  at most ``UPLOAD_MAX_BYTES``) → ``204``: the answer to a ``screenshot`` or ``upload_logs``
  command.
"""

from __future__ import annotations

import enum
from datetime import datetime
from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field

from contract.scalars import DAY_PATTERN, Count, Key, Moment, Text

AUDIT_PATH = "/terminals/self/audit"  # under API_PREFIX
UPLOADS_PATH = "/terminals/self/uploads"  # under API_PREFIX, then /{command_id}
UPLOAD_MAX_BYTES = 8 * 1024 * 1024
UPLOAD_MEDIA_TYPES = {"screenshot": "image/png", "upload_logs": "application/gzip"}

ShortText = Annotated[Text, Field(max_length=200)]
ROW_ID_MAX = 2**62  # ids and sequence numbers are stored as 64-bit integers on both databases
Counts = dict[Key, Annotated[Count, Field(ge=0, le=10_000_000)]]


class DailyCounters(BaseModel):
    """One day's usage at one kiosk (业务量统计), kept across restarts."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    day: str = Field(pattern=DAY_PATTERN)  # YYYYMMDD, the kiosk's local day
    sessions_started: Count = Field(default=0, ge=0, le=10_000_000)
    cases_by_item: Counts = Field(default_factory=dict, max_length=500)
    prints: Count = Field(default=0, ge=0, le=10_000_000)
    read_failures: Count = Field(default=0, ge=0, le=10_000_000)
    ratings: Counts = Field(default_factory=dict, max_length=8)  # RatingLevel value -> count


class DeviceFault(BaseModel):
    """A device's last error, as a technician reads it (``kiosk.errors`` wording)."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    code: Annotated[Text, Field(min_length=1, max_length=64)]  # e.g. "paper_out", "no_device"
    message: ShortText  # e.g. "打印机缺纸：请更换纸卷"
    since: Moment


class ServiceState(BaseModel):
    """In service, or out of service with the technician's reason."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    in_service: bool = True
    reason: ShortText = ""  # why it was taken out ("更换打印机"); empty when in service


class RemoteCommandKind(enum.StrEnum):
    SEND_NOW = "send_now"  # try the outbox now
    OUT_OF_SERVICE = "out_of_service"  # with a reason
    BACK_IN_SERVICE = "back_in_service"
    RESTART_APP = "restart_app"  # exit cleanly; the service manager starts it again
    UPLOAD_LOGS = "upload_logs"  # PUT the redacted logs to UPLOADS_PATH/{id}
    SCREENSHOT = "screenshot"  # PUT a PNG of the screen (attract or out of service only)


class RemoteCommand(BaseModel):
    """A technician's command for one kiosk, issued in the console."""

    model_config = ConfigDict(extra="ignore", frozen=True)  # a reply the kiosk reads: newer fields pass

    id: Count = Field(ge=1, le=ROW_ID_MAX)
    kind: RemoteCommandKind
    reason: ShortText = ""  # for out_of_service
    issued_at: datetime
    issued_by: Annotated[Text, Field(max_length=64)]


class CommandOutcome(enum.StrEnum):
    DONE = "done"
    FAILED = "failed"
    REFUSED = "refused"  # e.g. a screenshot asked while a resident is being served


class CommandResult(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    command_id: Count = Field(ge=1, le=ROW_ID_MAX)
    outcome: CommandOutcome
    detail: ShortText = ""  # no personal data: a count, an error's class, a reason
    finished_at: Moment


class AuditEntry(BaseModel):
    """One line of the kiosk's append-only audit log: who did what, never about a resident."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    seq: Count = Field(ge=1, le=ROW_ID_MAX)  # 1, 2, 3, … per kiosk, never reused
    at: Moment
    actor: Annotated[Text, Field(max_length=64)]  # "pin", a technician code's id, "centre:<name>"
    action: Annotated[Text, Field(min_length=1, max_length=64, pattern=r"^[a-z][a-z0-9_.]*$")]
    outcome: Annotated[Text, Field(max_length=32)] = "ok"  # ok / failed / refused / locked
    detail: ShortText = ""


class AuditBatch(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    terminal_id: Annotated[Text, Field(min_length=1, max_length=64)]
    entries: list[AuditEntry] = Field(min_length=1, max_length=500)


class AuditAck(BaseModel):
    model_config = ConfigDict(extra="ignore", frozen=True)  # a reply the kiosk reads: newer fields pass

    stored_through: int  # the highest seq the centre now holds for this kiosk
