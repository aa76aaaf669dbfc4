"""The kiosk without its screen: it puts the session, the devices and the centre link together.

The terminal owns one ``Session`` and the objects that feed it: ``Identification`` (cards and
codes), ``ReceiptPrinting`` (the receipt, in the background) and an ``AvailabilityMonitor``
(what the kiosk can do now). Device, printing and link threads never touch the session; they
post a typed event (``kiosk.events``) to one queue that ``pump`` drains on the caller's
thread (the UI's clock, or a test) with a ``match``. ``tick`` once a second runs the
inactivity countdown. ``mode`` and ``screen_name`` say what owns the screen (``kiosk.modes``).

Submit never waits for the network: the case goes into the outbox (durable on return), the
receipt prints from it, and the sender delivers it when the centre can be reached.
"""

from __future__ import annotations

import logging
import queue
import time
from collections.abc import Callable
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING

from contract.vocabulary import HEARTBEAT_INTERVAL_S
from drivers.device import CardRead, CardRemoved, CodeScanned, DeviceErrorEvent, DeviceEvent, MediaStatus, StatusChanged
from drivers.printer.document import Document
from kiosk.config.settings import KioskConfig, check_data_dir
from kiosk.delivery.case_numbers import CaseNumbers
from kiosk.delivery.endpoint import CentreConnector, ConfiguredCentre
from kiosk.devices.build import KioskDevices, build_devices, check_device_urls
from kiosk.errors import KioskError, OutboxError
from kiosk.events import DevicesReady, LookupAnswered, OutboxChanged, PrintFinished, TerminalEvent
from kiosk.messages import MessageId, message
from kiosk.modes import Mode, current_mode, screen_for
from kiosk.printing.receipt_printing import ReceiptPrinting
from kiosk.printing.receipts import build_case_receipt
from kiosk.session.availability import Availability, AvailabilityMonitor
from kiosk.session.identification import Identification
from kiosk.session.scanned_codes import QrPayloadParser, lookup_token_digest, new_lookup_token, receipt_lookup_text
from kiosk.session.session import PrintState, Session, SubmittedCase

if TYPE_CHECKING:
    from contract.wire import Heartbeat
    from kiosk.delivery.link import CentreLink
    from kiosk.delivery.outbox import OutboxStats

log = logging.getLogger(__name__)


class Terminal:
    """Everything the kiosk does, driven by calls; the screens only draw it."""

    def __init__(
        self,
        config: KioskConfig,
        clock: Callable[[], float] = time.monotonic,
        now: Callable[[], datetime] = lambda: datetime.now().astimezone(),
        centre: CentreConnector | None = None,
    ) -> None:
        self.config = config
        self.now = now
        self.centre = centre or ConfiguredCentre(config.centre)
        self.session = Session(config.items, config.timeouts, clock=clock)
        check_device_urls(config)  # fail now; the drivers themselves load in ``start``
        self._devices: KioskDevices | None = None
        self.link: CentreLink | None = None  # the outbox and the centre, from ``connect`` on
        self._events: queue.Queue[TerminalEvent] = queue.Queue()
        self.identification = Identification(self.session, lambda: self.now(), post=self._events.put)
        self.printing: ReceiptPrinting | None = None  # from ``start`` on
        self.monitor = AvailabilityMonitor(config.site)
        self._numbers = CaseNumbers(Path(config.data_dir) / "case-sequence", config.terminal_number)
        self._receipt: Document | None = None
        self.heartbeat_interval = HEARTBEAT_INTERVAL_S

    # --- life cycle ------------------------------------------------------------------

    @property
    def devices(self) -> KioskDevices:
        """The devices, from ``start`` on."""
        if self._devices is None:
            raise RuntimeError("the terminal has not been started")
        return self._devices

    @property
    def started(self) -> bool:
        return self._devices is not None

    def start(self, connect: bool = True) -> None:
        """Build and open the devices; then open the link to the centre unless ``connect`` is False.

        The app draws the attract screen first and starts the terminal in the background
        (``bench.ui`` measures why): the drivers, the outbox and the centre client are heavy
        to load, and nobody can reach Submit in the second it takes.
        """
        check_data_dir(self.config)
        self._devices = build_devices(self.config)
        self.printing = ReceiptPrinting(self._devices.printer, post=self._events.put)
        for device in self.devices.all():
            device.subscribe(self._events.put)
            device.open()
        self._events.put(DevicesReady())  # listeners run on the pumping (UI) thread, never this one
        if connect:
            self.connect()

    def connect(self) -> None:
        """Open the outbox and start delivering to the centre (safe on a background thread)."""
        from kiosk.delivery.link import CentreLink  # off the start-up path: see bench.ui

        self.link = CentreLink(
            self.config,
            self.centre,
            on_change=lambda: self._events.put(OutboxChanged()),
            make_beat=self._heartbeat,
            heartbeat_interval=self.heartbeat_interval,
            numbers=self._numbers,
            today=self.now().date(),
        )
        parser = QrPayloadParser(trust=self.link.code_trust, lookup_url_base=self.config.centre.lookup_url)
        link = self.link
        self.identification.connected(parser, case_state=lambda number, token: link.lookup(number, token).status)
        self._events.put(OutboxChanged())  # count what waited in the outbox while the kiosk was off

    def stop(self) -> None:
        if self._devices is not None:
            for device in self._devices.all():
                device.close()
        if self.link is not None:
            self.link.close()

    # --- what owns the screen ----------------------------------------------------------

    @property
    def availability(self) -> Availability | None:
        """What the kiosk can do now; None until the devices have reported."""
        return self.monitor.current

    def subscribe_status(self, listener: Callable[[Availability], None]) -> None:
        """Call ``listener`` whenever what the kiosk can do changes."""
        self.monitor.subscribe(listener)

    @property
    def mode(self) -> Mode:
        return current_mode(self.session, self.availability)

    @property
    def screen_name(self) -> str:
        """The screen to show now."""
        return screen_for(self.mode, self.session)

    # --- the event loop ----------------------------------------------------------------

    def pump(self) -> None:
        """Handle everything device and background threads have posted since the last call."""
        while True:
            try:
                event = self._events.get_nowait()
            except queue.Empty:
                return
            self._handle(event)

    def tick(self) -> None:
        """About once a second: inactivity, opening hours."""
        self.session.tick()
        self._refresh_availability()

    def _handle(self, event: TerminalEvent) -> None:
        match event:
            case CardRead(record=record):
                self.identification.card_read(record)
            case CardRemoved():
                pass  # the record is already in the session; taking the card away is expected
            case DeviceErrorEvent(device=device, error=error):
                log.warning("device %s reported %s: %s", device, error.__name__, event.message)
                if device == self.devices.id_card.name:
                    self.identification.reader_failed(error)
            case CodeScanned(text=text):
                self.identification.code_scanned(text)
            case StatusChanged(device=device, new=new):
                log.info("device %s: %s", device, new.state.value)
                self._refresh_availability()
            case PrintFinished(case_number=number, state=state, problem=problem):
                case = self.session.case
                if case is not None and case.case_number == number:
                    self.session.print_update(state, problem)
            case LookupAnswered(answer=answer):
                self.identification.lookup_answered(answer)
            case OutboxChanged():
                self._outbox_changed()
            case DevicesReady():
                self._refresh_availability()
            case DeviceEvent():
                log.debug("device %s: unhandled %s", event.device, type(event).__name__)

    # --- submitting and printing --------------------------------------------------------

    @property
    def receipt(self) -> Document | None:
        """The current case's receipt as it prints (or printed)."""
        return self._receipt

    def submit(self) -> bool:
        """Put the reviewed case into the outbox, then show and print its receipt."""
        session = self.session
        if not session.ready_to_submit():
            return False
        assert session.item is not None and session.identity is not None
        if self.link is None:
            session.refuse(message(MessageId.STARTING_UP))
            return False
        from contract.wire import Applicant  # pydantic: off the start-up path (bench.ui)

        identity, now = session.identity, self.now()
        token = new_lookup_token()  # printed on the receipt only; the centre gets its digest
        try:
            case_number = self._numbers.next(now.date())
            self.link.store(
                case_number=case_number,
                item_id=session.item.id,
                applicant=Applicant(id_type=identity.id_type, name=identity.name, id_number=identity.id_number),
                answers={k: v for k, v in session.answers.items() if k != "delivery"},
                commitments=list(session.item.commitments),
                delivery=session.delivery,
                submitted_at=now,
                lookup_token_sha256=lookup_token_digest(token),
            )
        except OutboxError as err:  # the disk is full or failing: nothing was stored; say whom to call
            log.warning("a case could not be stored: %s (%s)", type(err).__name__, err.detail)
            session.refuse(message(MessageId.CANNOT_TAKE_CASES, phone=self.config.site.contact_phone))
            self._refresh_availability()
            return False
        except KioskError as err:
            log.warning("a case could not be stored: %s", err)
            session.refuse(err.message)
            return False
        log.info("case %s stored in the outbox", case_number)
        case = SubmittedCase(
            case_number=case_number,
            item_name=session.item.name,
            submitted_at=now.strftime("%Y-%m-%d %H:%M"),
            delivery=session.delivery,
            lookup_text=receipt_lookup_text(case_number, token, self.config.centre.lookup_url),
        )
        self._receipt = build_case_receipt(self.config.site, session.item, identity, case, self.link.reachable())
        session.submitted(case)
        self.print_receipt()
        return True

    def print_receipt(self) -> None:
        """Print (or reprint) the current case's receipt in the background."""
        case = self.session.case
        if case is None or self._receipt is None or self.session.printing or self.printing is None:
            return
        self._refresh_availability()
        if self.availability is None or not self.availability.printer:
            self.session.print_update(PrintState.FAILED, message(MessageId.PRINTER_UNAVAILABLE))
            return
        self.session.print_update(PrintState.PRINTING)
        self.printing.start(case.case_number, self._receipt)

    def rate(self, level: int | None, reasons: tuple[str, ...]) -> None:
        """Record the resident's rating of the case (or its skipping) and say goodbye."""
        self.session.rate(level, reasons)
        rating, case = self.session.rating, self.session.case
        if rating is not None and case is not None and self.link is not None:
            self.link.rate(case.case_number, rating.level, rating.reasons)

    def _outbox_changed(self) -> None:
        case = self.session.case
        if case is not None and not case.sent_to_centre and self.link is not None:
            if self.link.is_sent(case.case_number):
                self.session.case_sent(case.case_number)
        self._refresh_availability()

    def _heartbeat(self, stats: OutboxStats) -> Heartbeat:
        """How this kiosk is, for the centre's fleet view (runs on the heartbeat thread)."""
        from kiosk.delivery.heartbeat import beat

        return beat(
            terminal_id=self.config.terminal_id,
            site_id=self.config.site.id,
            catalog_version=self.config.catalog.version,
            devices={device.name: device.status for device in self.devices.all()},
            paper=self.devices.printer.status.paper,
            outbox_depth=stats.unsent,
            oldest_unsent_age_s=stats.oldest_pending_age_s,
            now=self.now(),
        )

    # --- what the kiosk can do now -----------------------------------------------------

    def card_on_reader(self) -> bool:
        return self.started and self.devices.id_card.status.media is MediaStatus.PRESENT

    def _refresh_availability(self) -> None:
        if self._devices is None:
            return  # not started: nothing is known yet
        link = self.link
        self.monitor.update(
            self.now().time(),
            self.devices.id_card.status,
            self.devices.qr.status,
            self.devices.printer.status,
            accepting_cases=link.has_room() if link is not None else True,
        )
