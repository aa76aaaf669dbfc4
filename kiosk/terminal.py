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
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

from central.wire import Applicant, CaseSubmission
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
from kiosk.availability import Availability, assess
from kiosk.case_number import CaseNumbers
from kiosk.centre_client import CentreClient
from kiosk.config import KioskConfig
from kiosk.devices import KioskDevices, build_devices
from kiosk.errors import CardNotAccepted, CodeNotAccepted, KioskError, OutboxFull
from kiosk.identity import Identity, identity_from_card, identity_from_login_code
from kiosk.outbox import Outbox, OutboxState, load_or_create_key
from kiosk.qr_payload import IssuedCode, QrPayloadParser, ReceiptLookup, receipt_lookup_text
from kiosk.receipt import build_case_receipt
from kiosk.sender import OverdueAlert, Sender
from kiosk.session import PrintState, Session, Step, SubmittedCase

log = logging.getLogger(__name__)

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
    ) -> None:
        self.config = config
        self.now = now
        self.session = Session(config.items, config.timeouts, clock=clock)
        self.devices: KioskDevices = build_devices(config)
        self.outbox: Outbox | None = None
        self.client: CentreClient | None = None
        self.sender: Sender | None = None
        self.availability: Availability | None = None
        self._centre: Any = None  # an EmbeddedCentre when the config says "embedded"
        self._events: queue.Queue[object] = queue.Queue()
        self._status_listeners: list[Callable[[Availability], None]] = []
        self._numbers = CaseNumbers(Path(config.data_dir) / "case-sequence", config.terminal_number)
        self._receipt: Document | None = None
        self._print_lock = threading.Lock()
        self._accepting = True
        self._parser: QrPayloadParser | None = None
        self.overdue_alert: OverdueAlert | None = None  # shown to technicians

    # --- life cycle ------------------------------------------------------------------

    def start(self) -> None:
        """Open the outbox, reach the centre (or start the embedded one), open devices."""
        data_dir = Path(self.config.data_dir)
        data_dir.mkdir(parents=True, exist_ok=True)
        self.outbox = Outbox(data_dir / "outbox.sqlite3", load_or_create_key(self.config.outbox_key_file))
        recovered = self.outbox.recover()
        if recovered:
            log.info("returned %d in-flight cases to pending after a restart", recovered)
        public_keys = list(self.config.site.centre_public_keys)
        if self.config.centre.embedded:
            from central.server import start_embedded

            self._centre = start_embedded(f"sqlite:///{(data_dir / 'central.sqlite3').resolve()}")
            base_url, token = self._centre.base_url, self._centre.token
        else:
            base_url, token = self.config.centre.url, self.config.centre.token
        self._parser = QrPayloadParser(
            centre_public_keys=public_keys, lookup_url_base=self.config.centre.lookup_url
        )
        self.client = CentreClient(base_url, token)
        self.sender = Sender(
            self.outbox,
            self.client,
            on_change=lambda: self._events.put("outbox"),
            alert_after_s=self.config.alert_after_minutes * 60,
            on_alert=self._overdue,
        )
        self.sender.start()
        for device in self.devices.all():
            device.subscribe(self._events.put)
            device.open()
        self._refresh_availability()

    def stop(self) -> None:
        for device in self.devices.all():
            device.close()
        if self.sender is not None:
            self.sender.stop(timeout=5)
        if self.client is not None:
            self.client.close()
        if self._centre is not None:
            self._centre.stop()
        if self.outbox is not None:
            self.outbox.close()

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
        assert self.client is not None
        try:
            status = self.client.case_status(case_number)
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
        assert session.item is not None and session.identity is not None and self.outbox is not None
        now = self.now()
        try:
            case_number = self._numbers.next(now.date())
            submission = CaseSubmission(
                idempotency_key=uuid.uuid4().hex,
                case_number=case_number,
                site_id=self.config.site.id,
                terminal_id=self.config.terminal_id,
                item_id=session.item.id,
                catalog_version=self.config.catalog.version,
                submitted_at=now,
                applicant=Applicant(
                    id_type=session.identity.id_type,
                    name=session.identity.name,
                    id_number=session.identity.id_number,
                ),
                answers={k: v for k, v in session.answers.items() if k != "delivery"},
                commitments=list(session.item.commitments),
                delivery=session.delivery,
            )
            self.outbox.enqueue(submission)
        except OutboxFull as err:
            self._accepting = False
            session.refuse(str(err))
            self._refresh_availability()
            return False
        except KioskError as err:
            session.refuse(str(err))
            return False
        log.info("case %s stored in the outbox", case_number)
        assert self.sender is not None
        self.sender.wake()
        case = SubmittedCase(
            case_number=case_number,
            item_name=session.item.name,
            submitted_at=now.strftime("%Y-%m-%d %H:%M"),
            delivery=submission.delivery,
            lookup_text=receipt_lookup_text(case_number, self.config.centre.lookup_url),
        )
        self._receipt = build_case_receipt(
            self.config.site, session.item, session.identity, case, self._centre_reachable()
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
        if self.session.rating is not None and self.session.case is not None:
            log.info("case %s rated %d", self.session.case.case_number, self.session.rating.level)

    def _centre_reachable(self) -> bool:
        """False while the sender's last attempt found the centre down or unreachable."""
        error = self.sender.last_error if self.sender is not None else None
        return error is None or not error.retryable

    def _outbox_changed(self) -> None:
        case = self.session.case
        if case is not None and not case.sent_to_centre and self.outbox is not None:
            if self.outbox.state_of(case.case_number) == OutboxState.SENT:
                self.session.case_sent(case.case_number)
        self._refresh_availability()

    def _overdue(self, alert: OverdueAlert) -> None:
        """Unsent cases are older than the configured age: keep it for the technician."""
        self.overdue_alert = alert

    # --- what the kiosk can do now -----------------------------------------------------

    def card_on_reader(self) -> bool:
        return self.devices.id_card.status.media is MediaStatus.PRESENT

    def _refresh_availability(self) -> None:
        if self.outbox is None:
            return
        stats = self.outbox.stats()
        availability = assess(
            self.config.site,
            self.now().time(),
            self.devices.id_card.status,
            self.devices.qr.status,
            self.devices.printer.status,
            accepting_cases=self._accepting,
            unsent_cases=stats.unsent,
        )
        if availability != self.availability:
            self.availability = availability
            for listener in list(self._status_listeners):
                listener(availability)

