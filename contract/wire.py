"""The wire format between kiosks and the centre, defined once and used by both sides.

Kiosks import this module; it imports nothing of the kiosk side. Version 1 of the kiosk API
lives under ``/api/v1``:

- ``POST /api/v1/cases`` with a ``CaseSubmission`` → ``201 CaseAck`` (``200`` with the same
  ack when the same idempotency key and the same body come again; ``409`` when the key comes
  again with a different body).
- ``GET /api/v1/cases/{case_number}`` → ``ResidentCaseView``, for the kiosk that took the
  case only; another kiosk's case is ``404`` exactly like an unknown number.
- ``GET /api/v1/lookup/{case_number}`` with the receipt's token in the ``Lookup-Token``
  header, no authentication → ``ResidentCaseView``; ``404`` (one body) for an unknown case or
  a wrong token, ``429`` with ``Retry-After`` when a token or an address asks too often. The
  kiosk makes the token (``LOOKUP_TOKEN_PATTERN``: 128 random bits, base64url) and sends only
  its SHA-256 with the case (``CaseSubmission.lookup_token_sha256``).

What a sender writes is checked strictly (``extra="forbid"``: a misspelt field is an error);
the replies a kiosk reads ignore fields they do not know, so a centre that has learnt a new
field never breaks the kiosks still running the version before.
"""

from __future__ import annotations

import enum
from datetime import datetime
from typing import Annotated, Any

from pydantic import AfterValidator, BaseModel, ConfigDict, Field, field_validator, model_validator

from contract.display_text import displayable_name, displayable_text
from contract.fleet import (
    CommandResult,
    DailyCounters,
    DeviceFault,
    RemoteCommand,
    ServiceState,
)
from contract.machine_health import MachineHealth
from contract.materials import MISSING_MAX, Material, missing_line
from contract.scalars import (  # noqa: F401  (re-exported)
    ANSWER_MAX,
    COMMITMENT_MAX,
    DAY_PATTERN,
    MAP_KEY_MAX,
    Count,
    Key,
    Moment,
    Seconds,
    Text,
    _storable,
)
from contract.update_bundles import UpdateOffer
from contract.vocabulary import CaseState, Delivery, IdType

API_PREFIX = "/api/v1"

CASE_NUMBER_PATTERN = r"^[0-9]{15}$"  # YYYYMMDD + terminal (3) + sequence (4)
IDEMPOTENCY_KEY_PATTERN = r"^[0-9a-f]{32}$"
LOOKUP_TOKEN_PATTERN = r"^[A-Za-z0-9_-]{22}$"  # 16 random bytes, base64url without padding
LOOKUP_TOKEN_HEADER = "Lookup-Token"
SHA256_HEX_PATTERN = r"^[0-9a-f]{64}$"


# Scalar types live in ``contract.scalars``; imported here so that ``contract.wire`` stays the
# one place most code imports from.
# A signed code's data, as ``contract.qr_codes`` allows it (``_NAME``, ``MAX_VALUE_CHARS``).
QrDataKey = Annotated[Text, Field(pattern=r"^[a-z][a-z0-9_]{0,31}$")]
QR_VALUE_MAX = 256
# A person's name, shown and printed as given: nothing that hides or reorders what is shown
# (``contract.display_text``). Free text a clerk reads: the same, but line breaks allowed.
Name = Annotated[Text, AfterValidator(displayable_name)]
FreeText = Annotated[Text, AfterValidator(displayable_text)]


class Applicant(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    id_type: IdType
    name: Name = Field(min_length=1, max_length=64)
    id_number: Text = Field(min_length=1, max_length=32)


class CaseSubmission(BaseModel):
    """One case as the kiosk submits it."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    idempotency_key: Text = Field(pattern=IDEMPOTENCY_KEY_PATTERN)
    case_number: Text = Field(pattern=CASE_NUMBER_PATTERN)
    site_id: Text = Field(min_length=1, max_length=64)
    terminal_id: Text = Field(min_length=1, max_length=64)
    item_id: Text = Field(min_length=1, max_length=64)
    catalog_version: Text = Field(min_length=1, max_length=64)
    submitted_at: Moment
    applicant: Applicant
    answers: dict[Key, Annotated[FreeText, Field(max_length=ANSWER_MAX)]] = Field(
        default_factory=dict, max_length=100
    )
    commitments: list[Annotated[Text, Field(max_length=COMMITMENT_MAX)]] = Field(
        default_factory=list, max_length=20
    )
    delivery: Delivery
    assisted_by: Text | None = Field(default=None, max_length=64)
    # SHA-256 (hex) of the receipt's lookup token; the token itself never leaves the kiosk's
    # paper. Absent for cases from kiosks that print no token: those cannot be looked up.
    lookup_token_sha256: Text | None = Field(default=None, pattern=SHA256_HEX_PATTERN)
    # A bundle (一件事): the bundle's catalogue id and every case number submitted with this
    # one, in order (this one included), so the centre shows them linked.
    bundle_id: Text | None = Field(default=None, pattern=r"^[a-z0-9-]{1,64}$")
    bundle_cases: list[Annotated[Text, Field(pattern=CASE_NUMBER_PATTERN)]] = Field(
        default_factory=list, max_length=20
    )

    @model_validator(mode="after")
    def _bundle_fits(self) -> CaseSubmission:
        """A bundle names its id and at least two different cases, this one among them; a lone case neither."""
        if (self.bundle_id is None) != (not self.bundle_cases):
            raise ValueError("bundle_id and bundle_cases go together")
        if self.bundle_cases and (self.case_number not in self.bundle_cases or len(self.bundle_cases) < 2
                                  or len(set(self.bundle_cases)) != len(self.bundle_cases)):
            raise ValueError("bundle_cases lists at least two different cases, this one among them")
        return self


class CaseAck(BaseModel):
    """The centre's acknowledgement: the case is stored and will not be lost."""

    model_config = ConfigDict(extra="ignore", frozen=True)  # a reply the kiosk reads: newer fields pass

    case_number: str
    status: CaseState
    received_at: datetime


class ResidentCaseView(BaseModel):
    """What a resident holding the receipt may read: the item, the state, fixed words for it
    (``contract.resident_status``) and the next step. No note, no personal data."""

    model_config = ConfigDict(extra="ignore", frozen=True)  # a reply the kiosk reads: newer fields pass

    case_number: str
    item_id: str  # what was applied for, as the receipt prints it
    status: CaseState
    message: str
    next_step: str
    updated_at: datetime
    # What to bring, in the resident's words (``contract.materials``), while the case is
    # ``more_materials_needed``; the centre leaves the field out when it is empty, so a view
    # reads as before for every other case.
    missing: list[str] = Field(default_factory=list)


class CaseStatusView(BaseModel):
    """A case's status as the back office sees it, with the clerk's note (clerk API only)."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    case_number: str
    item_id: str
    status: CaseState
    updated_at: datetime
    note: str = ""


# --- Clerk API (back office, 后台流转) --------------------------------------------------------
#
# - ``POST {API_PREFIX}/clerk/cases/claim`` → ``200 ClaimedCase`` (the oldest received case,
#   now claimed by the caller) or ``204`` when none waits.
# - ``POST {API_PREFIX}/clerk/cases/{case_number}/transitions`` with a ``Transition`` →
#   ``200 CaseStatusView``; ``409`` when the move does not fit the case's state or another
#   clerk holds it.
# - ``GET {API_PREFIX}/clerk/cases/{case_number}/history`` → ``CaseHistory``.

CLERK_PREFIX = f"{API_PREFIX}/clerk"

# Where a clerk may move a case from each state; the case's first step (received → claimed)
# happens only through ``claim``.
CLERK_MOVES: dict[CaseState, frozenset[CaseState]] = {
    CaseState.CLAIMED: frozenset(
        {CaseState.ACCEPTED, CaseState.MORE_MATERIALS_NEEDED, CaseState.REJECTED}
    ),
    CaseState.ACCEPTED: frozenset(
        {CaseState.COMPLETED, CaseState.MORE_MATERIALS_NEEDED, CaseState.REJECTED}
    ),
    CaseState.MORE_MATERIALS_NEEDED: frozenset({CaseState.ACCEPTED, CaseState.REJECTED}),
}


class ClaimedCase(BaseModel):
    """A case a clerk has just claimed, with everything the kiosk submitted."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    case_number: str
    status: CaseState
    received_at: datetime
    claimed_by: str
    submission: CaseSubmission
    claim_expires_at: datetime | None = None  # another clerk may claim it after this


MissingLine = Annotated[Text, AfterValidator(missing_line)]


class StepDetails(BaseModel):
    """What a move carries beyond its state (all optional on the wire, each for one state):

    - ``more_materials_needed``: ``missing`` (from ``contract.materials.Material``) and
      ``missing_other`` (free lines), shown to the resident;
    - ``rejected``: ``reason``, for the case file (the resident is told by SMS, not here);
    - ``completed``: ``delivery``, how the result reaches the resident (absent: as chosen at
      the kiosk).
    """

    model_config = ConfigDict(extra="forbid", frozen=True)

    missing: list[Material] = Field(default_factory=list, max_length=MISSING_MAX)
    missing_other: list[MissingLine] = Field(default_factory=list, max_length=MISSING_MAX)
    reason: FreeText = Field(default="", max_length=500)
    delivery: Delivery | None = None

    @property
    def empty(self) -> bool:
        return not (self.missing or self.missing_other or self.reason or self.delivery)


# Which state each detail belongs to; a detail sent with another state is refused.
_DETAIL_STATES = {
    "missing": CaseState.MORE_MATERIALS_NEEDED,
    "missing_other": CaseState.MORE_MATERIALS_NEEDED,
    "reason": CaseState.REJECTED,
    "delivery": CaseState.COMPLETED,
}


class Transition(StepDetails):
    """A clerk's move of a case to its next state, with a note for the applicant's record.

    More materials needed names what is missing and a rejection gives its reason; a client
    from before these fields may instead write either in ``note`` (then the reason is the
    note, and the resident sees no list)."""

    status: CaseState
    note: FreeText = Field(default="", max_length=2000)

    @model_validator(mode="after")
    def _details_fit_the_state(self) -> Transition:
        for name, state in _DETAIL_STATES.items():
            if getattr(self, name) and self.status is not state:
                raise ValueError(f"{name} goes only with the status {state.value}")
        if self.status is CaseState.MORE_MATERIALS_NEEDED and not (
                self.missing or self.missing_other or self.note.strip()):
            raise ValueError("more materials needed: say what is missing")
        if self.status is CaseState.REJECTED and not (self.reason.strip() or self.note.strip()):
            raise ValueError("a rejection needs a reason")
        return self

    def details(self) -> StepDetails:
        """The details alone; a rejection's reason falls back on the note (older clients)."""
        reason = self.reason or (self.note if self.status is CaseState.REJECTED else "")
        return StepDetails(missing=self.missing, missing_other=self.missing_other,
                           reason=reason, delivery=self.delivery)


class CaseEvent(StepDetails):
    at: datetime
    status: CaseState
    actor: str
    note: str = ""


class CaseHistory(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    case_number: str
    events: list[CaseEvent]


# --- Heartbeats, ratings, catalogue and signed codes (kiosk API) ---------------------------
#
# - ``POST {API_PREFIX}/heartbeats`` with a ``Heartbeat`` (every 30 s) → ``200 HeartbeatAck``.
# - ``POST {API_PREFIX}/cases/{case_number}/rating`` with a ``Rating`` → ``201 RatingAck``
#   (``200`` for the same rating again, ``409`` for a different one: one rating per case).
# - ``GET {API_PREFIX}/sites/{site_id}/catalog`` → ``CatalogDocument`` with an ``ETag``;
#   ``304`` when ``If-None-Match`` names the current one.
# - ``POST {API_PREFIX}/qr-codes`` with a ``QrCodeRequest`` → ``201 IssuedQrCode`` (the text
#   in ``contract.qr_codes`` format) for appointment codes; ``403`` for login codes, which only
#   an identity authority signs. ``GET {API_PREFIX}/qr-keys`` → ``QrKeys`` to verify them.
# - ``GET {CLERK_PREFIX}/kiosks`` → ``list[KioskStatusView]``: the fleet, coloured.

ONLINE_WITHIN_S = 120  # a kiosk that beat within this is online


class DeviceStatus(enum.StrEnum):
    ONLINE = "online"
    OFFLINE = "offline"
    BUSY = "busy"
    HARDWARE_ERROR = "hardware_error"


class PaperLevel(enum.StrEnum):
    OK = "ok"
    LOW = "low"
    OUT = "out"
    UNKNOWN = "unknown"


class Heartbeat(BaseModel):
    """A kiosk's beat: device status, outbox depth, paper, versions. No personal data."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    terminal_id: Text = Field(min_length=1, max_length=64)
    site_id: Text = Field(min_length=1, max_length=64)
    sent_at: Moment
    software_version: Text = Field(min_length=1, max_length=64)
    catalog_version: Text = Field(default="", max_length=64)
    devices: dict[Key, DeviceStatus] = Field(default_factory=dict, max_length=16)
    paper: PaperLevel = PaperLevel.UNKNOWN
    outbox_depth: Count = Field(ge=0, le=1_000_000)
    oldest_unsent_age_s: Seconds | None = Field(default=None, ge=0, le=1e9)
    # What the fleet view and maintenance need (``contract.fleet``): all optional, so a kiosk
    # of an older version still beats.
    counters: list[DailyCounters] = Field(default_factory=list, max_length=7)
    faults: dict[Key, DeviceFault] = Field(default_factory=dict, max_length=16)
    service: ServiceState = Field(default_factory=ServiceState)
    paper_left_estimate: Count | None = Field(default=None, ge=0, le=100_000)  # receipts
    command_results: list[CommandResult] = Field(default_factory=list, max_length=50)
    machine: MachineHealth | None = None  # disk, memory, load, temperature (``contract.machine_health``)


class HeartbeatAck(BaseModel):
    model_config = ConfigDict(extra="ignore", frozen=True)  # a reply the kiosk reads: newer fields pass

    received_at: datetime
    catalog_version: str | None = None  # the site's current catalogue: refresh if it differs
    commands: list[RemoteCommand] = Field(default_factory=list)  # run each once, between residents
    update: UpdateOffer | None = None  # a rollout offers this kiosk a newer version (``contract.update_bundles``)


class KioskColour(enum.StrEnum):
    GREEN = "green"  # beating, all well
    YELLOW = "yellow"  # beating, degraded: a device down, paper low/out, cases stuck
    RED = "red"  # silent for longer than ONLINE_WITHIN_S


class KioskStatusView(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    terminal_id: str
    site_id: str
    last_seen: datetime
    online: bool
    colour: KioskColour
    software_version: str
    catalog_version: str
    outbox_depth: int
    oldest_unsent_age_s: float | None
    paper: PaperLevel
    devices: dict[str, DeviceStatus]
    machine: MachineHealth | None = None


class RatingLevel(enum.StrEnum):
    """好差评: five levels, best first."""

    VERY_SATISFIED = "very_satisfied"  # 非常满意
    SATISFIED = "satisfied"  # 满意
    BASICALLY_SATISFIED = "basically_satisfied"  # 基本满意
    DISSATISFIED = "dissatisfied"  # 不满意
    VERY_DISSATISFIED = "very_dissatisfied"  # 非常不满意


class Rating(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    level: RatingLevel
    reasons: list[Annotated[Text, Field(max_length=64)]] = Field(
        default_factory=list, max_length=10
    )
    comment: FreeText = Field(default="", max_length=500)


class RatingAck(BaseModel):
    model_config = ConfigDict(extra="ignore", frozen=True)  # a reply the kiosk reads: newer fields pass

    case_number: str
    level: RatingLevel
    rated_at: datetime


class CatalogDocument(BaseModel):
    """A site's catalogue as the centre serves it; ``catalog`` is the data file, as given."""

    model_config = ConfigDict(extra="ignore", frozen=True)  # a reply the kiosk reads: newer fields pass

    site_id: str
    version: str
    catalog: dict[str, Any]


class QrCodeKind(enum.StrEnum):
    LOGIN = "login"
    APPOINTMENT = "appointment"


class QrCodeRequest(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    kind: QrCodeKind
    data: dict[QrDataKey, Annotated[FreeText, Field(max_length=QR_VALUE_MAX)]] = Field(
        default_factory=dict, max_length=16
    )
    valid_for_s: Count = Field(default=600, ge=30, le=7 * 24 * 3600)
    audience: Text = Field(default="gov-kiosk", pattern=r"^[A-Za-z0-9][A-Za-z0-9._:-]{0,63}$")

    @field_validator("data")
    @classmethod
    def _name_is_displayable(cls, data: dict[str, str]) -> dict[str, str]:
        """A login code's ``name`` is shown and printed at the kiosk: refuse a spoofing one."""
        if "name" in data:
            displayable_name(data["name"])
        return data


class IssuedQrCode(BaseModel):
    model_config = ConfigDict(extra="ignore", frozen=True)  # a reply the kiosk reads: newer fields pass

    code: str
    code_id: str
    kind: QrCodeKind
    expires_at: datetime


class QrKeys(BaseModel):
    """The centre's code-signing public keys (base64 of 32 raw bytes), newest first."""

    model_config = ConfigDict(extra="ignore", frozen=True)  # a reply the kiosk reads: newer fields pass

    keys: list[str]


# --- Who may do what: numbering, claims and the record of reads ------------------------------
#
# - ``GET {API_PREFIX}/terminals/self/last-case-number?day=YYYYMMDD`` → ``LastCaseNumber``:
#   the highest case number the centre holds for the calling terminal that day (null: none),
#   so a kiosk whose data folder was wiped never gives a number out twice.
# - ``POST {CLERK_PREFIX}/cases/{case_number}/release`` → ``CaseStatusView``: the holder gives a
#   claimed case back to the queue.
# - ``POST {CLERK_PREFIX}/cases/{case_number}/reassign`` with a ``Reassignment`` →
#   ``CaseStatusView``: a supervisor hands an open case to another clerk.
# - ``GET {CLERK_PREFIX}/cases/{case_number}/reads`` → ``CaseReads``: who read the case's
#   personal data, when, and what (supervisors only).

class LastCaseNumber(BaseModel):
    model_config = ConfigDict(extra="ignore", frozen=True)  # a reply the kiosk reads: newer fields pass

    day: str = Field(pattern=DAY_PATTERN)
    case_number: str | None = Field(default=None, pattern=CASE_NUMBER_PATTERN)


class Reassignment(BaseModel):
    """A supervisor's hand-over of a case to the clerk named."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    clerk: Annotated[Text, Field(min_length=1, max_length=64)]


class CaseRead(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    reader: str
    role: str
    at: datetime
    what: str


class CaseReads(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    case_number: str
    reads: list[CaseRead]
