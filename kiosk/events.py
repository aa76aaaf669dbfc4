"""What reaches the terminal's queue, as one typed union.

Device threads, the printing thread, the lookup thread and the link's threads never touch
the session; they post one of these, and ``Terminal.pump`` handles it on the UI's thread
with a ``match``. Device events are the drivers' own (``drivers.device``); the rest are
the kiosk's.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from drivers.device import DeviceEvent
from kiosk.messages import Message
from kiosk.session.outcome import PrintState

if TYPE_CHECKING:
    from contract.appointments import AppointmentConfirmation
    from contract.fleet import RemoteCommand
    from contract.receipt_sms import ReceiptSmsStatus
    from kiosk.catalog.model import Catalog
    from kiosk.session.booking import SlotChoice
    from kiosk.session.status_lookup import Answer


class ApplyingEvent:
    """What ``kiosk.applying`` handles: receipts, counter slots and bookings, certificates, receipt SMS."""


@dataclass(frozen=True)
class OutboxChanged:
    """The outbox took, sent or gave up a case: recount, and mark the shown case sent."""


@dataclass(frozen=True)
class DevicesReady:
    """The devices were built and opened: assess what the kiosk can do."""


@dataclass(frozen=True)
class PrintFinished(ApplyingEvent):
    """The receipt of ``case_number`` printed, or did not (``problem`` says why)."""

    case_number: str
    state: PrintState
    problem: Message | None = None


@dataclass(frozen=True)
class LookupAnswered:
    """The centre answered (or could not answer) status lookup ``serial`` (``kiosk.session.status_lookup``)."""

    serial: int
    answer: Answer


@dataclass(frozen=True)
class CommandsArrived:
    """A heartbeat's reply carried remote commands from the console (run between residents)."""

    commands: tuple[RemoteCommand, ...]


@dataclass(frozen=True)
class CatalogArrived:
    """A newer catalogue was accepted (from the centre, or its cache at start-up): use it between sessions."""

    catalog: Catalog


@dataclass(frozen=True)
class CatalogRefused:
    """The centre served a catalogue the kiosk cannot use: the old one stays; ``detail`` tells the technician."""

    detail: str


@dataclass(frozen=True)
class SlotsAnswered(ApplyingEvent):
    """The centre's free counter slots for a counter-only item, or why there are none."""

    item_id: str
    slots: tuple[SlotChoice, ...]
    problem: Message | None


@dataclass(frozen=True)
class BookingAnswered(ApplyingEvent):
    """A counter slot was booked (``confirmation``), or not: ``slot_full`` when another may be picked."""

    confirmation: AppointmentConfirmation | None
    problem: Message | None
    slot_full: bool


@dataclass(frozen=True)
class CertificateUpdate(ApplyingEvent):
    """An instant-print certificate started printing, printed, or did not (``problem`` says why)."""

    case_number: str
    state: PrintState
    problem: Message | None


@dataclass(frozen=True)
class ReceiptSmsAnswered(ApplyingEvent):
    """Asking the centre to text the receipt of ``case_number`` ended: its last status, or None (not taken)."""

    case_number: str
    status: ReceiptSmsStatus | None


@dataclass(frozen=True)
class FaceCameraEvent(ApplyingEvent):
    """The face camera's hint or outcome (``kiosk.face_checking``), from its thread; ``attempt``
    names the ``open`` it belongs to, so a late event of an earlier one is dropped."""

    attempt: int
    event: DeviceEvent


@dataclass(frozen=True)
class DocumentCameraEvent(ApplyingEvent):
    """The document camera's hint or page (``kiosk.document_capturing``), from its thread;
    ``attempt`` names the ``open`` it belongs to, so a late event of an earlier one is dropped."""

    attempt: int
    event: DeviceEvent


@dataclass(frozen=True)
class FaceCheckSent(ApplyingEvent):
    """The face capture of ``case_number`` reached the centre (``ok``), or was dropped."""

    case_number: str
    ok: bool


TerminalEvent = (DeviceEvent | OutboxChanged | DevicesReady | PrintFinished | LookupAnswered | CommandsArrived
                 | CatalogArrived | CatalogRefused | SlotsAnswered | BookingAnswered | CertificateUpdate
                 | ReceiptSmsAnswered | FaceCameraEvent | FaceCheckSent
                 | DocumentCameraEvent)
