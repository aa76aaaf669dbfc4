"""The kiosk without its screen: it puts the session, the devices and the centre link together.

The terminal owns one ``Session`` and the objects that feed it: ``Identification`` (cards and
codes), ``ReceiptPrinting`` (the receipt, in the background) and an ``AvailabilityMonitor``
(what the kiosk can do now). Device, printing and link threads never touch the session; they
post a typed event (``kiosk.events``) to one queue that ``pump`` drains on the caller's
thread (the UI's clock, or a test) with a ``match``. ``tick`` once a second runs the
inactivity countdown. ``mode`` and ``screen_name`` say what owns the screen (``kiosk.modes``).

Maintenance (``kiosk.maintenance``): a technician enters from attract only, with the PIN
(``open_maintenance_with_pin``) or a technician code scanned at attract; while they are in,
the card reader and scanner belong to the self-tests (``desk``), never to a session; ``tick``
leaves after ``[maintenance] idle_exit_s`` without a touch. Remote commands from the
heartbeat's reply come through the queue and run between residents. Usage counters, the
paper roll, device faults and the service switch are fed here and reported in the beat.

Submit never waits for the network: the case goes into the outbox (durable on return), the
receipt prints from it, and the sender delivers it when the centre can be reached."""

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
from kiosk.applying import Applying
from kiosk.config.settings import KioskConfig, check_data_dir
from kiosk.delivery.case_numbers import CaseNumbers
from kiosk.delivery.catalog_refresh import CatalogRefresh, PendingCatalog
from kiosk.delivery.endpoint import CentreConnector, ConfiguredCentre
from kiosk.devices.build import KioskDevices, build_devices, check_device_urls
from kiosk.events import (
    ApplyingEvent,
    CatalogArrived,
    CatalogRefused,
    CommandsArrived,
    DevicesReady,
    LookupAnswered,
    OutboxChanged,
    TerminalEvent,
)
from kiosk.fleet_beats import FleetBeats
from kiosk.maintenance.entry import MaintenanceState, technician_code, technician_trust
from kiosk.modes import Mode, current_mode, screen_for
from kiosk.printing.receipt_printing import ReceiptPrinting
from kiosk.session.availability import Availability, AvailabilityMonitor
from kiosk.session.booking import SlotChoice
from kiosk.session.identification import Identification
from kiosk.session.scanned_codes import QrPayloadParser
from kiosk.session.session import Session, Step

if TYPE_CHECKING:
    from contract.fleet import ServiceState
    from kiosk.delivery.centre_client import CentreClient
    from kiosk.delivery.link import CentreLink
    from kiosk.maintenance.audit import AuditLog
    from kiosk.maintenance.counters import UsageCounters
    from kiosk.maintenance.desk import MaintenanceDesk
    from kiosk.maintenance.faults import FaultBook
    from kiosk.maintenance.paper_roll import PaperRoll
    from kiosk.maintenance.pin import PinResult
    from kiosk.maintenance.records import MaintenanceRecords

Screenshot = Callable[[], bytes | None]  # the app's: a PNG of the screen now, or None
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
        self.session = Session(config.offer, config.timeouts, clock=clock)
        check_device_urls(config)  # fail now; the drivers themselves load in ``start``
        self._devices: KioskDevices | None = None
        self.link: CentreLink | None = None  # the outbox and the centre, from ``connect`` on
        self._events: queue.Queue[TerminalEvent] = queue.Queue()
        self.identification = Identification(self.session, lambda: self.now(), post=self._events.put)
        self.printing: ReceiptPrinting | None = None  # from ``start`` on
        self.monitor = AvailabilityMonitor(config.site)
        self.numbers = CaseNumbers(Path(config.data_dir) / "case-sequence", config.terminal_number)
        self.heartbeat_interval = HEARTBEAT_INTERVAL_S
        self.clock = clock
        self.maintenance = MaintenanceState()
        self.technician_trust = technician_trust(config)
        self._records: MaintenanceRecords | None = None  # from ``start`` on
        self._desk: MaintenanceDesk | None = None
        self.screenshot: Screenshot | None = None  # set by the app: remote ``screenshot`` commands
        self.restart_hook: Callable[[], None] | None = None  # set by the app: stop cleanly, exit 0
        self._mode_listeners: list[Callable[[Mode], None]] = []
        self._last_mode: Mode | None = None
        self._identified = False  # the session has an identity (a session started)
        self.catalogs: CatalogRefresh | None = None  # the centre's catalogue for this site, from ``connect`` on
        self._new_catalog = PendingCatalog(self.session.switch_catalog)  # switched between sessions
        self.applying = Applying(self)  # cases, receipts, certificates, counter slots, ratings
        self.beats = FleetBeats(self)  # the heartbeat's contents, and what its acknowledgements carry
        self.session.subscribe(self._session_changed)

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
        from kiosk.maintenance.records import open_records  # pydantic, argon2: off the start-up path

        self._records = open_records(self.config, self.now)
        self._records.remote.on_result = self._beat_soon  # the console sees a command's result at once
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
            make_beat=self.beats.make,
            heartbeat_interval=self.heartbeat_interval,
            numbers=self.numbers,
            today=self.now().date(),
            on_beat_ack=self.beats.acknowledged,
            technician_keys=self.config.maintenance.technician_public_keys,
        )
        link = self.link
        parser = QrPayloadParser(trust=link.code_trust, lookup_url_base=self.config.centre.lookup_url)
        self.identification.connected(parser, link.client)  # the client answers status lookups (办件查询)
        self._events.put(OutboxChanged())  # count what waited in the outbox while the kiosk was off
        self.catalogs = CatalogRefresh(link.client, self.config.site.id, Path(self.config.data_dir),
                                       self.session.catalog.version,
                                       on_accepted=lambda catalog: self._events.put(CatalogArrived(catalog)),
                                       on_refused=lambda detail: self._events.put(CatalogRefused(detail)))
        self.catalogs.start()  # the cached catalogue, then the centre's

    def stop(self) -> None:
        self.applying.stop()
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
        in_service = self._records.service.in_service if self._records is not None else True
        return current_mode(self.session, self.availability, maintenance=self.maintenance.active, in_service=in_service)

    def subscribe_mode(self, listener: Callable[[Mode], None]) -> None:
        """Call ``listener`` when the mode changes (maintenance entered or left, service switched)."""
        self._mode_listeners.append(listener)

    def _check_mode(self) -> None:
        mode = self.mode
        if mode is not self._last_mode:
            self._last_mode = mode
            for listener in list(self._mode_listeners):
                listener(mode)

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
            self._check_mode()

    def tick(self) -> None:
        """About once a second: inactivity (a resident's, a technician's), opening hours, remote commands."""
        self.session.tick()
        if self.maintenance.active and self.maintenance.idle_for(self.clock()) >= self.config.maintenance.idle_exit_s:
            self.leave_maintenance(why="idle")
        self._run_remote_commands()
        self.refresh_availability()
        self._check_mode()

    def _handle(self, event: TerminalEvent) -> None:
        match event:
            case CardRead(record=record):
                if not self.maintenance.active:  # in maintenance the card is the self-test's
                    self.identification.card_read(record)
            case CardRemoved():
                self.refresh_availability()  # the record is in the session; a card left behind is taken
            case DeviceErrorEvent(device=device, error=error):
                log.warning("device %s reported %s: %s", device, error.__name__, event.message)
                self.records.faults.error(device, error, self.now())
                if device == self.devices.id_card.name and not self.maintenance.active:
                    self.records.counters.read_failed()
                    self.identification.reader_failed(error)
            case CodeScanned(text=text):
                if self.maintenance.active:
                    pass  # the self-test reads it from the scanner itself
                elif not self.open_maintenance_with_code(text):  # a technician's code is never a resident's
                    self.identification.code_scanned(text)
            case StatusChanged(device=device, new=new):
                log.info("device %s: %s", device, new.state.value)
                self.records.faults.status(device, new, self.now())
                self.refresh_availability()
            case ApplyingEvent():  # receipts, counter slots and bookings, certificates, receipt SMS
                self.applying.handle(event)
            case LookupAnswered(serial=serial, answer=answer):
                self.identification.lookup_answered(serial, answer)
            case OutboxChanged():
                self._outbox_changed()
            case DevicesReady():
                self.refresh_availability()
            case CommandsArrived(commands=commands):
                self.records.remote.receive(list(commands))
                self._run_remote_commands()
            case CatalogArrived(catalog=catalog):
                self.records.faults.cleared("catalog")
                self._new_catalog.offer(catalog)
            case CatalogRefused(detail=detail):
                kept = self.session.catalog.version
                self.records.faults.standing("catalog", "catalog_refused", f"事项目录未采用，仍用 {kept}：{detail}",
                                             self.now())
            case DeviceEvent():
                log.debug("device %s: unhandled %s", event.device, type(event).__name__)

    # --- submitting and printing --------------------------------------------------------

    def post(self, event: TerminalEvent) -> None:
        """Queue an event for the UI thread (any thread may call this)."""
        self._events.put(event)

    @property
    def receipt(self) -> Document | None:
        """The current receipt or slip as it prints (or printed)."""
        return self.applying.receipt

    def submit(self) -> bool:
        """Put the reviewed case into the outbox, then show and print its receipt."""
        return self.applying.submit()

    def print_receipt(self) -> None:
        """Print (or reprint) the current receipt in the background."""
        self.applying.print_receipt()

    def start_appointment(self) -> None:
        """A counter-only item's guide: find the counter's free slots."""
        self.applying.start_appointment()

    def book_slot(self, slot: SlotChoice) -> None:
        self.applying.book_slot(slot)

    def rate(self, level: int | None, reasons: tuple[str, ...]) -> None:
        """Record the resident's rating (or its skipping) and say goodbye."""
        self.applying.rate(level, reasons)

    def _outbox_changed(self) -> None:
        case = self.session.case
        if case is not None and not case.sent_to_centre and self.link is not None:
            if self.link.is_sent(case.case_number):
                self.session.case_sent(case.case_number)
        self.refresh_availability()

    # --- what the kiosk can do now -----------------------------------------------------

    def card_on_reader(self) -> bool:
        return self.started and self.devices.id_card.status.media is MediaStatus.PRESENT

    def refresh_availability(self) -> None:
        if self._devices is None:
            return  # not started: nothing is known yet
        link = self.link
        devices = self.devices
        self.monitor.update(self.now().time(), devices.id_card.status, devices.qr.status, devices.printer.status,
                            accepting_cases=link.has_room() if link is not None else True)

    # --- maintenance -------------------------------------------------------------------

    @property
    def records(self) -> MaintenanceRecords:
        """The PIN, audit log, counters, paper roll, service switch and remote commands, from ``start`` on."""
        if self._records is None:
            raise RuntimeError("the terminal has not been started")
        return self._records

    @property
    def audit(self) -> AuditLog:
        return self.records.audit

    @property
    def counters(self) -> UsageCounters:
        return self.records.counters

    @property
    def paper_roll(self) -> PaperRoll:
        return self.records.paper_roll

    @property
    def faults(self) -> FaultBook:
        return self.records.faults

    @property
    def service_state(self) -> ServiceState:
        """In service, or out with the technician's reason (the technician's words, not the resident's)."""
        return self.records.service.state

    @property
    def desk(self) -> MaintenanceDesk | None:
        """The technician's desk while maintenance is active, else None."""
        return self._desk if self.maintenance.active else None

    def may_enter_maintenance(self) -> bool:
        """Only between residents: started, at attract, nothing printing."""
        return self.started and self.session.step is Step.ATTRACT and not self.session.printing

    def open_maintenance_with_pin(self, pin: str) -> PinResult:
        """Check the technician PIN; enter maintenance when it is right."""
        from kiosk.maintenance.pin import PinOutcome, PinResult

        if self.maintenance.active:
            return PinResult(PinOutcome.OK)
        if not self.may_enter_maintenance():
            if self.started:
                self.audit.append("pin", "maintenance.enter", "refused", "resident session in progress")
            return PinResult(PinOutcome.REFUSED)
        result = self.records.pins.verify(pin)
        if not result.ok:
            detail = f"tries_left={result.tries_left}" if result.tries_left is not None else ""
            self.audit.append("pin", "maintenance.enter", result.outcome.value, detail)
            return result
        self._enter_maintenance("pin")
        return result

    def open_maintenance_with_code(self, text: str) -> bool:
        """Enter maintenance if ``text`` is a valid technician code (scanned at attract)."""
        code = technician_code(text, self.technician_trust, self.now())
        if code is None:
            return False
        actor = f"code:{code.code_id}"[:64]
        if not self.may_enter_maintenance():
            self.audit.append(actor, "maintenance.enter", "refused", "resident session in progress")
            return True  # a technician's code: never the resident's business
        self._enter_maintenance(actor)
        return True

    def _enter_maintenance(self, actor: str) -> None:
        from kiosk.maintenance.desk import MaintenanceDesk

        self.maintenance.enter(actor, self.clock())
        self._desk = MaintenanceDesk(self, actor)
        self.audit.append(actor, "maintenance.enter", "ok", "pin" if actor == "pin" else "technician code")
        self._check_mode()

    def leave_maintenance(self, why: str = "by hand") -> None:
        """Back to attract (or out of service), and say so in the audit log."""
        if not self.maintenance.active:
            return
        actor = self.maintenance.actor
        self.maintenance.leave()
        self._desk = None
        self.audit.append(actor, "maintenance.leave", "ok", why)
        self.refresh_availability()
        self._check_mode()

    def maintenance_touched(self) -> None:
        """The technician did something: the auto-exit starts over."""
        self.maintenance.touch(self.clock())

    def maintenance_seconds_left(self) -> int | None:
        """Whole seconds before the auto-exit, or None outside maintenance."""
        if not self.maintenance.active:
            return None
        left = self.config.maintenance.idle_exit_s - self.maintenance.idle_for(self.clock())
        return max(0, int(left + 0.999))

    def take_out_of_service(self, reason: str, actor: str) -> None:
        self.records.service.take_out(reason)
        self.audit.append(actor, "service.out", "ok", reason)
        self._check_mode()
        self._beat_soon()

    def put_back_in_service(self, actor: str) -> None:
        self.records.service.put_back()
        self.audit.append(actor, "service.back", "ok")
        self._check_mode()
        self._beat_soon()

    def _beat_soon(self) -> None:
        """Send the next heartbeat now (any thread): the fleet view follows a change within a beat."""
        link = self.link
        if link is not None:
            link.heartbeats.beat_now()

    def send_now(self) -> int:
        """Try the refused cases again and wake the sender; return how many were retried."""
        link = self.link
        if link is None:
            return 0
        retried = link.outbox.retry_failed()
        link.sender.wake()
        return retried

    def restart_app(self, actor: str, detail: str = "") -> bool:
        """Ask the app to stop cleanly (exit code 0; the service manager starts it again)."""
        hook = self.restart_hook
        self.audit.append(actor, "app.restart", "ok" if hook is not None else "failed",
                          detail if hook is not None else "no restart hook")
        if hook is None:
            return False
        hook()
        return True

    # What a remote command may do (``kiosk.maintenance.remote.KioskHands``).

    def take_screenshot(self) -> bytes | None:
        shoot = self.screenshot
        return shoot() if shoot is not None else None

    def export_logs(self) -> tuple[bytes, int]:
        from contract.fleet import UPLOAD_MAX_BYTES
        from kiosk.maintenance.logs import export_bytes

        return export_bytes(self.config.maintenance.logs_in(self.config.data_dir), self.audit, UPLOAD_MAX_BYTES)

    def uploader(self) -> CentreClient | None:
        return self.link.client if self.link is not None else None

    def _run_remote_commands(self) -> None:
        if self._records is None:
            return
        between = self.session.step is Step.ATTRACT and not self.maintenance.active and not self.session.printing
        if self._records.remote.waiting:
            self._records.remote.run_due(self, between_residents=between)
            self._check_mode()

    def _session_changed(self, session: Session) -> None:
        identified = session.identity is not None
        if identified and not self._identified and self._records is not None:
            self._records.counters.session_started()
            session.usage = self._records.counters.cases_by_item()  # most used first on choose
        self._identified = identified
        if self.monitor.session_moved(session.step is Step.ATTRACT, self.card_on_reader()):
            self.refresh_availability()  # a card left behind: attract says so until it is taken
        if session.step is Step.ATTRACT:
            if self._records is not None:  # the next resident's ranking, ready before they come
                session.usage = self._records.counters.cases_by_item()
            self._new_catalog.apply()  # a catalogue that arrived during the last session
