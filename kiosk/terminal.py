"""The kiosk without its screen: configuration, devices, the session, the outbox and the centre.

The terminal owns one ``Session`` and feeds it: device events, the outcome of submitting and
printing, the centre's acknowledgements. Device and sender threads never touch the session
directly; they post to a queue that ``pump`` drains on the caller's thread (the UI's clock,
or a test). ``tick`` once a second runs the inactivity countdown.

Submit never waits for the network: the case goes into the outbox (durable on return), the
receipt prints from it, and the sender delivers it when the centre can be reached.
"""

from __future__ import annotations

import logging
import queue
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING

from contract.vocabulary import HEARTBEAT_INTERVAL_S
from drivers.device import (
    CardRead,
    CardRemoved,
    CodeScanned,
    DeviceErrorEvent,
    MediaStatus,
    StatusChanged,
)
from drivers.errors import CoverOpen, DriverError, PaperOut
from drivers.printer.document import Document
from kiosk.config.settings import KioskConfig
from kiosk.delivery.case_numbers import CaseNumbers
from kiosk.delivery.endpoint import CentreConnector, ConfiguredCentre
from kiosk.devices.build import KioskDevices, build_devices, check_device_urls
from kiosk.errors import CardNotAccepted, CodeNotAccepted, KioskError, OutboxFull
from kiosk.printing.receipts import build_case_receipt
from kiosk.session.availability import Availability, assess
from kiosk.session.identity import Identity, identity_from_card, identity_from_login_code
from kiosk.session.scanned_codes import IssuedCode, QrPayloadParser, ReceiptLookup, receipt_lookup_text
from kiosk.session.session import PrintState, Session, Step, SubmittedCase

if TYPE_CHECKING:
    from contract.wire import Heartbeat
    from kiosk.delivery.link import CentreLink
    from kiosk.delivery.outbox import OutboxStats

log = logging.getLogger(__name__)

REFRESH = "refresh"  # posted by threads that changed what the kiosk can do
READ_FAILED = "未能读取证件，请将身份证平放在感应区，不要移动。"
STATUS_LABELS = {
    "received": "已提交，等待受理",
    "claimed": "工作人员正在审核",
    "accepted": "已受理",
    "more_materials_needed": "需要补充材料，请留意短信通知",
    "rejected": "不予受理，请留意短信通知",
    "completed": "已办结",
}


@dataclass(frozen=True)
class _PrintResult:
    case_number: str
    state: PrintState
    message: str = ""


@dataclass(frozen=True)
class _LookupResult:
    message: str


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
        self.centre = centre or ConfiguredCentre(config.centre)
        self.now = now
        self.session = Session(config.items, config.timeouts, clock=clock)
        check_device_urls(config)  # fail now; the drivers themselves load in ``start``
        self._devices: KioskDevices | None = None
        self.link: CentreLink | None = None  # the outbox and the centre, from ``connect`` on
        self._parser: QrPayloadParser | None = None
        self.availability: Availability | None = None
        self._events: queue.Queue[object] = queue.Queue()
        self._status_listeners: list[Callable[[Availability], None]] = []
        self._numbers = CaseNumbers(Path(config.data_dir) / "case-sequence", config.terminal_number)
        self._receipt: Document | None = None
        self._print_lock = threading.Lock()
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
        Path(self.config.data_dir).mkdir(parents=True, exist_ok=True)
        self._devices = build_devices(self.config)
        for device in self.devices.all():
            device.subscribe(self._events.put)
            device.open()
        self._events.put(REFRESH)  # listeners run on the pumping (UI) thread, never this one
        if connect:
            self.connect()

    def connect(self) -> None:
        """Open the outbox and start delivering to the centre (safe on a background thread)."""
        from kiosk.delivery.link import CentreLink  # off the start-up path: see bench.ui

        self.link = CentreLink(
            self.config,
            self.centre,
            on_change=lambda: self._events.put("outbox"),
            make_beat=self._heartbeat,
            heartbeat_interval=self.heartbeat_interval,
        )
        self._parser = QrPayloadParser(
            centre_public_keys=self.link.code_keys, lookup_url_base=self.config.centre.lookup_url
        )
        self._events.put("outbox")  # count what waited in the outbox while the kiosk was off

    def stop(self) -> None:
        if self._devices is not None:
            for device in self._devices.all():
                device.close()
        if self.link is not None:
            self.link.close()

    def subscribe_status(self, listener: Callable[[Availability], None]) -> None:
        """Call ``listener`` whenever what the kiosk can do changes."""
        self._status_listeners.append(listener)

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

    def _handle(self, event: object) -> None:
        if isinstance(event, CardRead):
            self._card_read(event)
        elif isinstance(event, CardRemoved):
            pass  # the record is already in the session; taking the card away is expected
        elif isinstance(event, DeviceErrorEvent):
            if event.device == self.devices.id_card.name:
                self._identification_failed(READ_FAILED)
            log.warning("device %s reported an error: %s", event.device, event.message)
        elif isinstance(event, CodeScanned):
            self._code_scanned(event.text)
        elif isinstance(event, StatusChanged):
            log.info("device %s: %s", event.device, event.new.state.value)
            self._refresh_availability()
        elif isinstance(event, _PrintResult):
            if self.session.case is not None and self.session.case.case_number == event.case_number:
                self.session.print_update(event.state, event.message)
        elif isinstance(event, _LookupResult):
            self.session.show_lookup(event.message)
        elif event == "outbox":
            self._outbox_changed()
        elif event == REFRESH:
            self._refresh_availability()

    # --- identification ---------------------------------------------------------------

    def _card_read(self, event: CardRead) -> None:
        if self.session.step not in (Step.ATTRACT, Step.IDENTIFY):
            return  # someone else's card mid-session is ignored; Home starts over
        try:
            identity = identity_from_card(event.record, self.now().date())
        except CardNotAccepted as err:
            self._identification_failed(str(err))
            return
        self.session.identified(identity)

    def _identification_failed(self, message: str) -> None:
        if self.session.step in (Step.ATTRACT, Step.IDENTIFY):
            self.session.identification_failed(message)

    def _code_scanned(self, text: str) -> None:
        if self.session.step not in (Step.ATTRACT, Step.IDENTIFY) or self._parser is None:
            return
        try:
            code = self._parser.parse(text, now=self.now())
        except CodeNotAccepted as err:
            self._identification_failed(str(err))
            return
        if isinstance(code, ReceiptLookup):
            threading.Thread(target=self._look_up, args=(code.case_number,), daemon=True).start()
        elif isinstance(code, IssuedCode) and code.kind == "login":
            try:
                identity: Identity = identity_from_login_code(code.code.data)
            except CardNotAccepted as err:
                self._identification_failed(str(err))
                return
            self.session.identified(identity)
        else:
            self._identification_failed("这是预约码或电子证照码，请先刷身份证或扫描登录码。")

    def _look_up(self, case_number: str) -> None:
        assert self.link is not None
        try:
            status = self.link.case_status(case_number)
            label = STATUS_LABELS.get(status.status.value, status.status.value)
            message = f"受理编号 {case_number}：{label}"
        except KioskError as err:
            message = f"暂时无法查询受理编号 {case_number}：{err}"
        self._events.put(_LookupResult(message))

    # --- submitting and printing --------------------------------------------------------

    def submit(self) -> bool:
        """Put the reviewed case into the outbox, then show and print its receipt."""
        session = self.session
        if not session.ready_to_submit():
            return False
        assert session.item is not None and session.identity is not None
        if self.link is None:
            session.refuse("本机正在启动，请稍候几秒再提交。")
            return False
        from contract.wire import Applicant  # pydantic: off the start-up path (bench.ui)

        now = self.now()
        try:
            case_number = self._numbers.next(now.date())
            self.link.store(
                case_number=case_number,
                item_id=session.item.id,
                applicant=Applicant(
                    id_type=session.identity.id_type, name=session.identity.name, id_number=session.identity.id_number
                ),
                answers={k: v for k, v in session.answers.items() if k != "delivery"},
                commitments=list(session.item.commitments),
                delivery=session.delivery,
                submitted_at=now,
            )
        except OutboxFull as err:
            session.refuse(str(err))
            self._refresh_availability()
            return False
        except KioskError as err:
            session.refuse(str(err))
            return False
        log.info("case %s stored in the outbox", case_number)
        case = SubmittedCase(
            case_number=case_number,
            item_name=session.item.name,
            submitted_at=now.strftime("%Y-%m-%d %H:%M"),
            delivery=session.delivery,
            lookup_text=receipt_lookup_text(case_number, self.config.centre.lookup_url),
        )
        self._receipt = build_case_receipt(
            self.config.site, session.item, session.identity, case, self.link.reachable()
        )
        session.submitted(case)
        self.print_receipt()
        return True

    def print_receipt(self) -> None:
        """Print (or reprint) the current case's receipt in the background."""
        case = self.session.case
        if case is None or self._receipt is None or self.session.printing:
            return
        self._refresh_availability()
        if self.availability is None or not self.availability.printer:
            self.session.print_update(PrintState.FAILED, "打印机暂停使用，未能打印回执。")
            return
        self.session.print_update(PrintState.PRINTING)
        threading.Thread(
            target=self._print, args=(case.case_number, self._receipt), name="print", daemon=True
        ).start()

    def _print(self, case_number: str, document: Document) -> None:
        with self._print_lock:
            try:
                self.devices.printer.print_document(document)
            except PaperOut:
                result = _PrintResult(case_number, PrintState.FAILED, "打印机缺纸，未能打印回执。")
            except CoverOpen:
                result = _PrintResult(case_number, PrintState.FAILED, "打印机盖未关好，未能打印回执。")
            except DriverError as err:
                log.warning("printing the receipt of case %s failed: %s", case_number, type(err).__name__)
                result = _PrintResult(case_number, PrintState.FAILED, "打印机故障，未能打印回执。")
            else:
                result = _PrintResult(case_number, PrintState.PRINTED)
        self._events.put(result)

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
        unsent = link.stats().unsent if link is not None else 0
        availability = assess(
            self.config.site,
            self.now().time(),
            self.devices.id_card.status,
            self.devices.qr.status,
            self.devices.printer.status,
            accepting_cases=link.has_room() if link is not None else True,
            unsent_cases=unsent,
        )
        if availability != self.availability:
            self.availability = availability
            for listener in list(self._status_listeners):
                listener(availability)

